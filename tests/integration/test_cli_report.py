"""`cctv report`: the comparison notebook run for chosen institutions, rendered to ONE HTML
file that opens offline. Until the real notebook is used, a small one with the same
contract (a `parameters` cell that sets `inst_codes`) stands in for it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from typer.testing import CliRunner

import pipelines.notebooks
from pipelines.cli import app
from pipelines.notebooks import NOTEBOOKS_DIR
from tests.integration import browser
from tests.integration.test_notebook import ROWS, build_warehouse
from tests.seeds import GIMCHEON, MICHUHOL

pytestmark = [pytest.mark.slow, pytest.mark.notebook, pytest.mark.browser]

REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


class _Loads(HTMLParser):
    """Everything in a page that a browser would fetch from elsewhere, and every script."""

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.scripts = 0
        self.css = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self._in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.remote.append(f"<{tag} {name}>")
            if tag in ("a", "area") and name == "href":
                continue  # a link is followed by the reader, not loaded with the page
            loads = name in ("src", "href", "srcset", "data", "poster", "background", "action")
            if loads and (REMOTE.match(value) or (tag == "img" and not value.startswith("data:"))):
                self.remote.append(f"<{tag} {name}={value}>")
            if name == "style":
                self.css += value

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False


def external_loads(page: str) -> list[str]:
    parser = _Loads()
    parser.feed(page)
    found = list(parser.remote)
    if parser.scripts:
        found.append(f"{parser.scripts} <script> element(s)")
    found += re.findall(r"@import[^;]*|url\(\s*['\"]?\s*(?:https?:)?//[^)]*\)", parser.css)
    return found


def _report_notebook(directory: Path) -> Path:
    """The report contract: imports, a `parameters` cell setting inst_codes, then cells
    that read the warehouse for exactly those institutions."""
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# 기관 비교\n\n![logo](https://example.org/logo.png) "
                "[방침 안내](https://example.org/guide)"
            ),
            new_code_cell(
                "%matplotlib inline\nimport duckdb\nimport matplotlib.pyplot as plt\n"
                "from IPython.display import HTML, display\n\n"
                "from archive.paths import data_paths"
            ),
            new_code_cell('inst_codes = ["11680"]', metadata={"tags": ["parameters"]}),
            new_code_cell(
                "con = duckdb.connect(str(data_paths().duckdb), read_only=True)\n"
                "per = con.execute(\n"
                '    "SELECT i.inst_code, i.name, sum(c.camera_count) AS cameras "\n'
                '    "FROM institutions i JOIN cameras c USING (inst_code) "\n'
                '    "WHERE i.inst_code IN (SELECT unnest($codes)) AND NOT c.is_template "\n'
                '    "GROUP BY ALL ORDER BY 1", {"codes": inst_codes}\n'
                ").df()\n"
                'for row in per.itertuples():\n    print(f"{row.name}: cameras {row.cameras}")\n'
                "per"
            ),
            new_code_cell(
                "fig, ax = plt.subplots(figsize=(4, 3))\n"
                "ax.bar(per.inst_code, per.cameras)\nplt.show()"
            ),
            new_code_cell(
                'display(HTML(\'<script src="https://cdn.jsdelivr.net/npm/x/x.js"></script>'
                '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
                '<img src="https://example.org/pixel.gif" alt="pixel" onload="alert(1)">'
                "<b>inline markup stays</b>'))"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "03_compare_institutions.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-data")
    build_warehouse(root, ROWS)
    return root


@pytest.fixture
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "notebooks"
    _report_notebook(directory)
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", directory)
    return directory


@pytest.fixture(scope="module")
def two_institutions(small_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cctv report` for 김천시 (by code) and 미추홀구 (by name), run once."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("notebooks")
        _report_notebook(directory)
        patch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", directory)
        result = CliRunner().invoke(
            app,
            ["report", "-i", "47150", "-i", "인천광역시 미추홀구", "--data-dir", str(small_data)],
        )
    assert result.exit_code == 0, result.output
    target = small_data / "reports" / "47150_28177.html"
    assert result.stdout == f"{target}\n"
    return target


def test_report_is_one_offline_html_file_for_the_institutions(
    small_data: Path, two_institutions: Path
) -> None:
    page = two_institutions.read_text(encoding="utf-8")
    assert external_loads(page) == []
    # The injected codes won over the notebook's default (강남구, 11680).
    assert "경상북도 김천시: cameras 5" in page
    assert "인천광역시 미추홀구: cameras 115" in page
    assert "서울특별시 강남구" not in page
    # papermill's cell, after the notebook's own parameters cell and shown with the code.
    doc = lxml.html.document_fromstring(page)
    cells = doc.find_class("jp-CodeCell")
    tagged = [i for i, c in enumerate(cells) if "celltag_injected-parameters" in c.classes]
    assert tagged == [2] and "celltag_parameters" in cells[1].classes
    assert 'inst_codes = ["47150", "28177"]' in cells[2].text_content()
    # The figure and the table are in the file itself; links stay links.
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', page)
    assert '<table border="1" class="dataframe">' in page
    assert '<a href="https://example.org/guide">방침 안내</a>' in page
    # The output's script, stylesheet and remote image are gone (only the code shows them).
    assert "<span>pixel</span><b>inline markup stays</b>" in page
    assert "<script" not in page and "<link" not in page
    assert doc.get("lang") == "ko" and doc.xpath("//meta/@charset") == ["utf-8"]
    assert not list(small_data.joinpath("reports").glob(".*"))  # no work folder left


def test_report_out_option_and_name_for_one_code(
    small_data: Path, notebooks: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["report", "-i", "26110", "--out", str(tmp_path / "out"), "--data-dir", str(small_data)],
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "26110.html").read_text(encoding="utf-8")
    assert "부산광역시 중구" in page and external_loads(page) == []
    named = tmp_path / "mine.html"
    result = runner.invoke(
        app, ["report", "-i", "26110", "--out", str(named), "--data-dir", str(small_data)]
    )
    assert result.exit_code == 0 and named.exists(), result.output


def test_report_with_an_unknown_code_suggests_and_exits_2(
    small_data: Path, notebooks: Path
) -> None:
    result = CliRunner().invoke(app, ["report", "-i", "4715", "--data-dir", str(small_data)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown institution code '4715'; did you mean 47150 경상북도 김천시?\n"
    )
    assert not (small_data / "reports" / "4715.html").exists()


def test_a_failing_report_cell_keeps_the_partial_notebook(
    small_data: Path, notebooks: Path, tmp_path: Path
) -> None:
    path = notebooks / "03_compare_institutions.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell("raise RuntimeError('no data for ' + ', '.join(inst_codes))"))
    nbformat.write(nb, path)
    out = tmp_path / "failed"
    result = CliRunner().invoke(
        app, ["report", "-i", "11680", "--out", str(out), "--data-dir", str(small_data)]
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "RuntimeError: no data for 11680" in result.stderr
    assert (out / "11680.failed.ipynb").exists() and not (out / "11680.html").exists()


def test_a_notebook_without_a_parameters_cell_is_refused(small_data: Path, notebooks: Path) -> None:
    path = notebooks / "03_compare_institutions.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].metadata["tags"] = []
    nbformat.write(nb, path)
    result = CliRunner().invoke(app, ["report", "-i", "11680", "--data-dir", str(small_data)])
    assert result.exit_code == 1
    assert "has no code cell tagged 'parameters'" in result.stderr


def test_report_asks_for_nothing_off_machine_in_a_browser(
    two_institutions: Path, tmp_path: Path
) -> None:
    binary = browser.ensure_chromium()
    if binary is None:
        pytest.skip(f"headless Chromium unavailable: {browser.unavailable_reason}")
    net_log = tmp_path / "net.json"
    dom = browser.dump_dom(binary, two_institutions, profile=tmp_path / "profile", net_log=net_log)
    assert browser.page_requests(net_log) == []
    assert browser.tcp_destinations(net_log) <= {"PROXY 127.0.0.1:9", "127.0.0.1:9"}
    assert "경상북도 김천시: cameras 5" in dom and 'src="data:image/png;base64,' in dom


def test_the_projects_comparison_notebook_renders_offline(demo_data: Path, tmp_path: Path) -> None:
    if not (NOTEBOOKS_DIR / "03_compare_institutions.ipynb").exists():
        pytest.skip("notebooks/03_compare_institutions.ipynb is not in the project yet")
    result = CliRunner().invoke(
        app,
        [
            "report",
            "-i",
            MICHUHOL.code,
            "-i",
            GIMCHEON.code,
            "--out",
            str(tmp_path),
            "--data-dir",
            str(demo_data),
        ],
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / f"{MICHUHOL.code}_{GIMCHEON.code}.html").read_text(encoding="utf-8")
    assert external_loads(page) == []
    assert MICHUHOL.name in page and GIMCHEON.name in page
