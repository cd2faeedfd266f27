"""`cctv report` on the demo: each institution's page written where it opens from file://,
with its stylesheet and the archived copies of its sources beside it, and nothing a
browser would fetch from elsewhere; the output path rules of every command that writes."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from archive.paths import data_paths
from pipelines.cli import app
from tests.seeds import GIMCHEON, MICHUHOL

pytestmark = [pytest.mark.slow, pytest.mark.cli]

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


def report(*args: str, data_dir: Path) -> object:
    return CliRunner().invoke(app, ["report", *args, "--data-dir", str(data_dir)])


@pytest.fixture(scope="module")
def two_pages(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cctv report` for 김천시 (by code) and 미추홀구 (by name) into a folder, run once."""
    out = tmp_path_factory.mktemp("report") / "pages"
    result = report("-i", GIMCHEON.code, "-i", "미추홀구", "--out", str(out), data_dir=demo_data)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / '5060000.html'}\n{out / '3510500.html'}\n"
    return out


def test_each_institution_gets_a_korean_page_with_its_sources(two_pages: Path) -> None:
    page = (two_pages / f"{MICHUHOL.code}.html").read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(page)
    text = re.sub(r"\s+", " ", " ".join(doc.body.itertext()))
    assert doc.get("lang") == "ko" and external_loads(page) == []
    assert MICHUHOL.name in text and f"기관코드 {MICHUHOL.code}" in text
    assert f"행의 카메라 합계 {MICHUHOL.cameras:,}대" in text
    assert "필수 기재사항" in text and "변경 이력" in text and "(KST)" in text
    assert doc.xpath("//nav") == []  # a report has no site index to go back to
    assert doc.xpath("//link/@href") == ["./assets/site.css"]
    assert (two_pages / "assets" / "site.css").is_file()
    copies = doc.xpath("//a[text()='보관본 열기']/@href")
    assert copies and all((two_pages / href).is_file() for href in copies)
    copy = (two_pages / copies[0]).read_text(encoding="utf-8")
    assert "보관본" in copy and external_loads(copy) == [] and "<script" not in copy
    gimcheon = (two_pages / f"{GIMCHEON.code}.html").read_text(encoding="utf-8")
    assert f"{GIMCHEON.cameras:,}대" in gimcheon
    # the workbook 김천시's rows come from is kept as the archived bytes
    assert any(p.suffix == ".xlsx" for p in (two_pages / "archive").iterdir())


def test_default_folder_and_a_named_file(demo_copy: Path, tmp_path: Path) -> None:
    result = report("-i", GIMCHEON.code, data_dir=demo_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{demo_copy / 'reports' / '5060000.html'}\n"
    named = tmp_path / "김천.html"
    named.write_text("old", encoding="utf-8")
    os.chmod(named, 0o640)
    result = report("-i", "김천시", "--out", str(named), data_dir=demo_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{named}\n" and f"replaced {named}" in result.stderr
    assert "경상북도 김천시" in named.read_text(encoding="utf-8")
    assert (named.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "assets" / "site.css").is_file()


def test_usage_errors_write_nothing(demo_data: Path, tmp_path: Path) -> None:
    result = report("-i", "5060", data_dir=demo_data)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "unknown institution code '5060'" in result.stderr
    one_file = tmp_path / "two.html"
    result = report("-i", GIMCHEON.code, "-i", MICHUHOL.code, "--out", str(one_file),
                    data_dir=demo_data)  # fmt: skip
    assert result.exit_code == 2 and "give a folder for several pages" in result.stderr
    store = data_paths(demo_data).archive / "page.html"
    result = report("-i", GIMCHEON.code, "--out", str(store), data_dir=demo_data)
    assert result.exit_code == 2 and "holds the data this command reads" in result.stderr
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "target.html")
    result = report("-i", GIMCHEON.code, "--out", str(link), data_dir=demo_data)
    assert result.exit_code == 2 and "is a symbolic link" in result.stderr
    result = report("-i", GIMCHEON.code, "--out", str(tmp_path / "no" / "such"), data_dir=demo_data)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html"]
    assert not store.exists()


def test_pdf_without_a_browser_is_one_line_with_the_install_hint(
    demo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCTV_CHROMIUM", str(tmp_path / "no-chromium"))
    result = report("-i", GIMCHEON.code, "--out", str(tmp_path), "--pdf", data_dir=demo_data)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "cannot write PDFs" in result.stderr and "apt-get install chromium" in result.stderr
    assert list(tmp_path.iterdir()) == []  # checked before any page was written
