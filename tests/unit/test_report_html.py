"""Notebook parameters injected by papermill, and an archived page made offline: nothing
loaded from elsewhere whatever a captured page contains."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pipelines.notebooks import read_parameterized
from warehouse.site.archived import make_offline

INJECTED = "injected-parameters"


def _write(path: Path, nb: nbformat.NotebookNode) -> Path:
    nbformat.write(nb, path)
    return path


def _notebook(*extra: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_code_cell("import pandas as pd"),
            new_code_cell('inst_codes = ["1"]', metadata={"tags": ["parameters"]}),
            *extra,
            new_code_cell("print(inst_codes)"),
        ]
    )


def _tags(nb: nbformat.NotebookNode) -> list[list[str]]:
    return [c.metadata.get("tags", []) for c in nb.cells]


def test_the_injected_cell_follows_the_parameters_cell(tmp_path: Path) -> None:
    path = _write(tmp_path / "03_compare.ipynb", _notebook())
    nb = read_parameterized(path, {"inst_codes": ["5060000", "3510500"]})
    assert _tags(nb) == [[], ["parameters"], [INJECTED], []]
    assert nb.cells[2].cell_type == "code"
    assert nb.cells[2].source == '# Parameters\ninst_codes = ["5060000", "3510500"]\n'
    assert nb.metadata.papermill.parameters == {"inst_codes": ["5060000", "3510500"]}
    nbformat.validate(nb)
    # The file itself is untouched: the defaults stay in the committed notebook.
    assert INJECTED not in path.read_text(encoding="utf-8")


def test_an_earlier_injected_cell_is_replaced(tmp_path: Path) -> None:
    earlier = new_code_cell("inst_codes = ['9']", metadata={"tags": [INJECTED]})
    path = _write(tmp_path / "nb.ipynb", _notebook(earlier))
    nb = read_parameterized(path, {"inst_codes": ["1234567"]})
    injected = [c.source for c in nb.cells if INJECTED in c.metadata.get("tags", [])]
    assert injected == ['# Parameters\ninst_codes = ["1234567"]\n']
    assert len(nb.cells) == 4
    nbformat.validate(nb)


def test_an_older_notebook_is_upgraded_and_stays_valid(tmp_path: Path) -> None:
    nb = _notebook()
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    parameterized = read_parameterized(_write(tmp_path / "old.ipynb", nb), {"inst_codes": ["1"]})
    assert _tags(parameterized)[2] == [INJECTED]
    nbformat.validate(parameterized)


@pytest.mark.parametrize(
    "cells",
    [
        [new_code_cell("inst_codes = []")],  # no tag at all
        [new_markdown_cell("inst_codes", metadata={"tags": ["parameters"]})],  # not code
    ],
)
def test_no_parameters_code_cell_is_an_error(tmp_path: Path, cells: list) -> None:
    path = _write(tmp_path / "03_compare.ipynb", new_notebook(cells=cells))
    with pytest.raises(ValueError) as raised:
        read_parameterized(path, {"inst_codes": ["1"]})
    assert str(raised.value) == (
        "notebook 03_compare has no code cell tagged 'parameters' to set inst_codes in"
    )


# --- an archived page ----------------------------------------------------------------------------

REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
LOADING = ("src", "href", "srcset", "data", "poster", "background", "action")


def outside_loads(page: str) -> list[str]:
    """Each element that would run a script or fetch something from elsewhere."""
    doc = lxml.html.document_fromstring(page)
    found = [f"<{e.tag}>" for e in doc.iter("script", "iframe", "object", "embed", "link")]
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}>")
            elif element.tag in ("a", "area") and name == "href":
                continue  # followed by the reader, not loaded with the page
            elif name in LOADING and (
                REMOTE.match(value) or (element.tag == "img" and not value.startswith("data:"))
            ):
                found.append(f"<{element.tag} {name}={value}>")
    css = " ".join(doc.xpath("//style/text() | //@style"))
    return found + re.findall(r"@import[^;]*|url\(\s*['\"]?\s*(?:https?:)?//[^)]*\)", css)


LEAKY = """<html><head><link rel="stylesheet" href="https://cdn.example.org/a.css">
<script src="https://cdn.jsdelivr.net/npm/require.js"></script>
<style>@import url("https://fonts.example.org/x.css"); .a { background: url(//x.org/b.png) }
</style></head><body onload="go()">
<img src="https://example.org/logo.png" alt="로고"><img src="figures/local.png">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="embedded">
<iframe src="https://example.org/embed"></iframe>
<svg><image href="https://example.org/s.png"/></svg>
<a href="https://www.law.go.kr/">법령</a> <a href="javascript:alert(1)">x</a>
<p style="background: url(https://example.org/p.png)">본문</p></body></html>"""


def test_make_offline_removes_every_outside_load_and_keeps_links() -> None:
    page = make_offline(LEAKY)
    assert outside_loads(page) == []
    for gone in ("cdn.", "fonts.example", "//x.org", "org/embed", "s.png", "javascript:"):
        assert gone not in page, gone
    assert '<a href="https://www.law.go.kr/">법령</a>' in page
    assert "<span>로고</span>" in page and "<span>[이미지]</span>" in page
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="embedded">' in page
    assert "<p>본문</p>" in page
    assert outside_loads(LEAKY)  # the scan itself sees what is removed
