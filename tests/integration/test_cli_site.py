"""`cctv site OUT/` on the demo warehouse, as a user runs it: the site written, its path
printed, an earlier site replaced whole, and every OUT that must not take a site refused
with one line and exit 2, nothing written or changed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import lxml.html
import pytest

from tests.support import cctv_on_a_terminal, run_cctv

pytestmark = [pytest.mark.slow, pytest.mark.cli]


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def loads_from_elsewhere(page: Path) -> list[str]:
    """What a page would load from outside the site's folder: every stylesheet, script,
    image or frame must be a relative path (a link a reader follows may go anywhere)."""
    doc = lxml.html.document_fromstring(page.read_bytes())
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("src", "srcset", "data", "poster", "background", "href"):
            value = (element.get(name) or "").strip()
            if name == "href" and element.tag != "link":
                continue
            if value and re.match(r"^([a-z][\w+.-]*:|//|/)", value, re.I):
                found.append(f"<{element.tag} {name}={value}>")
        if element.tag == "a" and (element.get("href") or "").lower().startswith("javascript:"):
            found.append("<a href=javascript:…>")
    return found


def test_site_is_written_and_rewritten(demo_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = run_cctv("site", str(out), data_dir=demo_data)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == str(out / "index.html")
    pages = sorted((out / "institutions").glob("*.html"))
    assert len(pages) > 200
    assert f"기관 {len(pages):,}곳" in first.stderr and "만듦" in first.stderr
    for name in ("index.html", "national/index.html", "national/retention.html"):
        assert (out / name).is_file(), name
    assert any((out / "archive").iterdir())  # the sources the pages cite
    index = (out / "index.html").read_text("utf-8")
    assert index.count("<tr data-search=") == len(pages)
    for page in out.rglob("*.html"):
        assert loads_from_elsewhere(page) == [], page

    again = run_cctv("site", str(out), "--quiet", data_dir=demo_data)
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.strip() == str(out / "index.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it


def test_progress_bar_on_a_terminal(demo_data: Path, tmp_path: Path) -> None:
    code, screen = cctv_on_a_terminal("site", str(tmp_path / "site"), "--data-dir", str(demo_data))
    assert code == 0, screen
    assert "바꿔 씀" not in screen and "만듦" in screen and "index.html" in screen


def test_outputs_that_cannot_take_a_site(demo_data: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "site.html"
    a_file.write_text("keep me", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = {
        mine: "not a site `cctv site` made",
        a_file: "is a regular file",
        fifo: "is a named pipe",
        tmp_path / "missing" / "site": "does not exist",
        demo_data / "warehouse" / "site": "holds the data this command reads",
        demo_data / "archive" / "site": "holds the data this command reads",
        demo_data.parent: "holds the data directory",
    }
    before = sorted(p.name for p in tmp_path.iterdir())
    for out, why in cases.items():
        result = run_cctv("site", str(out), data_dir=demo_data)
        assert result.returncode == 2, (out, result.stderr)
        assert why in one_line_error(result.stderr), out
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert a_file.read_text("utf-8") == "keep me"
    assert not (demo_data / "warehouse" / "site").exists()


def test_without_a_warehouse(tmp_path: Path) -> None:
    result = run_cctv("site", str(tmp_path / "site"), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "cctv build" in one_line_error(result.stderr)
    assert not (tmp_path / "site").exists()
