"""`cctv report`: the comparison notebook run for chosen institutions, as ONE HTML file.

nbconvert's ``lab`` template renders the executed notebook with its stylesheet inlined and
figures as data URIs. The page must open offline, so the template's scripts (require.js,
MathJax, Mermaid, widgets: all loaded from a CDN) are left out and JavaScript outputs are not
rendered. What a notebook's own HTML output could still load (a script, a stylesheet, an
image on another host) is removed by :func:`make_offline`. Links stay links.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive.paths import DataPaths
from pipelines.notebooks import NotebookError, run_notebooks
from warehouse.safe_write import TargetError, WriteFailed, replacing

REPORT_NOTEBOOK = "03_compare_institutions"
PARAMETER = "inst_codes"

# The lab page without the blocks that load scripts from a CDN, headed by the report's title
# and provenance (``resources["report_lines"]``).
TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}
<style type="text/css">
:root { --jp-content-font-family: system-ui, "Noto Sans KR", "Malgun Gothic",
        "Apple SD Gothic Neo", sans-serif; }
body.jp-Notebook { max-width: 1100px; margin: 0 auto; }
header.report { border-bottom: 2px solid #444; margin: 1em 0 1.5em; }
header.report p { color: #555; margin: .2em 0; }
</style>
{% endblock extra_css %}
{% block body_header %}
{{ super() }}
<header class="report"><h1>{{ nb.metadata.title | escape_html }}</h1>
{% for line in resources.report_lines %}<p>{{ line | escape_html }}</p>{% endfor %}
</header>
{% endblock body_header %}
"""
# nbconvert's HTML order without the types that need JavaScript to show (a widget, a script,
# a Mermaid diagram): such an output falls back to the next type it carries, e.g. its text.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]

# nbconvert warns "Alternative text is missing" for every matplotlib figure (it gives them a
# generic alt text); on the command line that is noise, its errors are not.
_NBCONVERT_LOG = logging.getLogger(f"{__name__}.nbconvert")
_NBCONVERT_LOG.setLevel(logging.ERROR)

# Elements that load or run something from elsewhere; a report needs none of them.
_DROPPED = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "base"}
_LOADING_ATTRS = {"src", "srcset", "poster", "data", "background", "action", "formaction"}
_REMOTE = re.compile(r"^\s*(//|(?!data:)[a-z][a-z0-9+.\-]*:)", re.I)
_CSS_REMOTE = re.compile(
    r"@import[^;]*;?|url\(\s*['\"]?\s*(//|(?!data:)[a-z][a-z0-9+.\-]*:)[^)]*\)", re.I
)


def default_name(codes: Sequence[str]) -> str:
    """`<CODE>.html`, codes joined by `_` for several."""
    return "_".join(codes) + ".html"


def notebook_html(nb: Any, title: str, lines: Sequence[str] = (), path: Path | None = None) -> str:
    """The executed notebook as one offline HTML page: nbconvert's lab template without its
    scripts, images embedded (markdown images relative to ``path`` too), then
    :func:`make_offline` for whatever the outputs themselves would load."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)  # else the template adds the widget scripts and state
    exporter = HTMLExporter(
        log=_NBCONVERT_LOG,
        config=Config({"NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY}}),
        template_name="lab",
        raw_template=TEMPLATE,
        embed_images=True,
        language_code="ko",
    )
    resources = {"metadata": {"path": str(path or Path.cwd())}, "report_lines": list(lines)}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    return make_offline(page)


def _remote(value: str) -> bool:
    return bool(_REMOTE.match(value))


def make_offline(page: str) -> str:
    """The page without anything that would load from elsewhere or run: scripts, frames,
    stylesheet links, remote images (replaced by their alt text), event handlers,
    javascript: links and remote CSS imports. Links to other pages are kept."""
    import lxml.html

    doc = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    for element in list(doc.iter()):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _DROPPED or (
            tag == "meta" and element.get("http-equiv", "").lower() == "refresh"
        ):
            element.drop_tree()
            continue
        if tag == "style" and element.text:
            element.text = _CSS_REMOTE.sub("", element.text)
        for attr in list(element.attrib):
            if attr not in element.attrib:  # an img's alt, already made its text
                continue
            name = attr.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
            value = element.attrib[attr].strip()
            if name.startswith("on") or (name == "style" and _CSS_REMOTE.search(value)):
                del element.attrib[attr]
            elif name == "href" and tag in ("a", "area"):
                if value.lower().startswith("javascript:"):
                    del element.attrib[attr]
            elif tag == "img" and name in ("src", "srcset") and not value.startswith("data:"):
                # only embedded images: another file or host is not in a self-contained page
                del element.attrib[attr]
                element.tag = "span"
                element.text = element.attrib.pop("alt", None) or "[image not embedded]"
            elif (name == "href" or name in _LOADING_ATTRS) and _remote(value):
                del element.attrib[attr]
    return lxml.html.tostring(doc, encoding="unicode", method="html", doctype="<!DOCTYPE html>")


def write_report(
    paths: DataPaths,
    codes: Sequence[str],
    target: Path,
    institutions: dict[str, str],
    *,
    notebook: str = REPORT_NOTEBOOK,
    timeout: int = 120,
) -> Path:
    """Run `notebook` with ``inst_codes = codes`` on the warehouse and write `target`.

    `target`'s folder must exist; the page replaces only a regular file or a new path
    (:mod:`warehouse.safe_write`). On a failing cell the partly run notebook is kept beside
    the target as ``<name>.failed.ipynb`` and the NotebookError says so."""
    import nbformat

    from pipelines import notebooks

    if not (notebooks.NOTEBOOKS_DIR / f"{notebook}.ipynb").exists():
        raise ValueError(
            f"the report notebook {notebook}.ipynb is not in {notebooks.NOTEBOOKS_DIR}"
        )
    target = Path(target).absolute()  # not resolve(): a link must be refused, not followed
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.stem}-", dir=target.parent))
    except OSError as exc:
        raise WriteFailed(f"cannot write {target}: {exc.strerror}; nothing written") from exc
    try:
        try:
            (executed,) = run_notebooks(
                paths.root,
                work,
                names=[notebook],
                timeout=timeout,
                parameters={PARAMETER: list(codes)},
            )
        except NotebookError as exc:
            partial = work / f"{notebook}.ipynb"
            if partial.exists():
                kept = target.with_name(f"{target.stem}.failed.ipynb")
                try:
                    with replacing(kept) as tmp:
                        shutil.copyfile(partial, tmp)
                    where = f"see {kept}"
                except (TargetError, WriteFailed) as why:
                    where = f"the partly run notebook was not kept: {why}"
                raise NotebookError(notebook, exc.cell_index, f"{exc.error} ({where})") from exc
            raise
        nb = nbformat.read(executed, as_version=4)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = ", ".join(f"{institutions.get(code, code)} ({code})" for code in codes)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    page = notebook_html(
        nb,
        f"CCTV 운영·관리 방침 비교: {names}",
        [f"notebook {notebook} · warehouse {paths.duckdb} · rendered {now}"],
        path=notebooks.NOTEBOOKS_DIR,
    )
    with replacing(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    older_failure = target.with_name(f"{target.stem}.failed.ipynb")
    if older_failure.is_file() and not older_failure.is_symlink():
        older_failure.unlink()
    return target


__all__ = ["REPORT_NOTEBOOK", "default_name", "make_offline", "notebook_html", "write_report"]
