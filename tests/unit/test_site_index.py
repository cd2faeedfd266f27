"""The site's index, national pages and build on a small warehouse made in the test: what
each row says, that the page carries everything search/sort/filter need with nothing to
fetch, that hostile names stay text, and that OUT is replaced whole or refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import duckdb
import lxml.html
import pyarrow as pa
import pytest

from warehouse.build import create_warehouse
from warehouse.safe_write import TargetError
from warehouse.schema import TABLES
from warehouse.site.build import MARKER, build_site, check_site_target
from warehouse.site.data import SiteData, load_site_data
from warehouse.site.index import IndexRow, index_rows, render_index
from warehouse.site.national import national_pages, render_national, render_overview, svg_bytes

AT = dt.datetime(2026, 9, 14, 23, 0, tzinfo=dt.UTC)
GIMCHEON, GUNSAN, SEOUL, HOSTILE = "5060000", "4671000", "6110000", "3000000"
HOSTILE_NAME = '가상시 <img src="https://evil.example/x.png" onerror="alert(1)">구'
SHA = {GIMCHEON: "a" * 64, GUNSAN: "b" * 64}
# An attribute or CSS reference that would make a browser load something off-site.
OFFSITE_REF = re.compile(
    r"""\b(?:src|srcset|href|poster|data|background|action)\s*=\s*["']?\s*(?:[a-z][\w+.-]*:)?//"""
    r"""|url\(\s*["']?\s*(?:[a-z][\w+.-]*:)?//|@import""",
    re.IGNORECASE,
)


def _institution(code: str, name: str, level: str, parent: str | None, crawled: bool) -> dict:
    return {
        "inst_code": code,
        "name": name,
        "short_name": name.split(" ")[-1],
        "level": level,
        "parent_code": parent,
        "homepage": f"https://www.{code}.go.kr",
        "crawled": crawled,
    }


def _policy(code: str, items: list[int], retention: int | None) -> dict[str, Any]:
    return {
        "inst_code": code,
        "title": "영상정보처리기기 운영·관리 방침",
        "items_present": items,
        "is_template": False,
        "retention_days_min": retention,
        "retention_days_max": retention,
        "attachment_count": 0,
        "camera_rows": 2,
        "capture_sha256": SHA[code],
        "source_url": f"https://www.{code}.go.kr/cctv.do",
        "fetched_at": AT,
        "parser_version": "0.2.0",
    }


def _camera(code: str, purpose: str, count: int, retention: int) -> dict[str, Any]:
    return {
        "inst_code": code,
        "purpose": purpose,
        "camera_count": count,
        "retention_days": retention,
        "recording": True,
        "is_template": False,
        "source_kind": "page",
        "row_ref": f"table 1, row {count}",
        "capture_sha256": SHA[code],
        "source_url": f"https://www.{code}.go.kr/cctv.do",
        "fetched_at": AT,
        "parser_version": "0.2.0",
    }


def _crawl(code: str, found: bool) -> dict[str, Any]:
    return {
        "crawl_id": "crawl-20260915T000000Z",
        "inst_code": code,
        "homepage_status": 200,
        "policy_found": found,
        "reason": None if found else "no_link",
        "first_at": AT,
        "last_at": AT,
    }


ROWS: dict[str, list[dict[str, Any]]] = {
    "institutions": [
        _institution("6470000", "경상북도", "sido", None, False),
        _institution("6450000", "전북특별자치도", "sido", None, False),
        _institution(SEOUL, "서울특별시", "sido", None, True),
        _institution(GIMCHEON, "경상북도 김천시", "si", "6470000", True),
        _institution(GUNSAN, "전북특별자치도 군산시", "si", "6450000", True),
        _institution(HOSTILE, HOSTILE_NAME, "gu", SEOUL, False),
    ],
    "policies": [
        _policy(GIMCHEON, [1, 2, 3, 4, 5, 6, 7, 8], 30),
        _policy(GUNSAN, [1, 2, 4], 90),
    ],
    "cameras": [
        _camera(GIMCHEON, "생활방범", 2855, 30),
        _camera(GIMCHEON, "어린이보호", 40, 14),
        _camera(GUNSAN, "생활방범", 12, 90),
    ],
    "crawl_reports": [_crawl(GIMCHEON, True), _crawl(GUNSAN, True), _crawl(SEOUL, False)],
    "quality_issues": [
        {
            "level": "error",
            "code": "retention_out_of_range",
            "message": "보관기간 범위 밖",
            "stage": "parse",
            "inst_code": GUNSAN,
        },
        {
            "level": "warning",
            "code": "retention_over_30",
            "message": "30일 초과",
            "stage": "parse",
            "inst_code": GUNSAN,
        },
    ],
}


def _tables() -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(ROWS.get(name, []), schema=s) for name, s in TABLES.items()}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "cctv.duckdb"
    con = duckdb.connect(str(path))
    try:
        create_warehouse(con, _tables())
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def data(warehouse: Path) -> SiteData:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return load_site_data(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def rows(data: SiteData) -> dict[str, IndexRow]:
    return {r.inst_code: r for r in index_rows(data)}


def test_a_row_says_what_the_policy_states_and_what_its_rows_say(rows: dict) -> None:
    gimcheon, gunsan = rows[GIMCHEON], rows[GUNSAN]
    assert (gimcheon.sido, gimcheon.level_text) == ("경상북도", "시")
    assert (gimcheon.found_text, gimcheon.items_text, gimcheon.compliance) == ("예", "7/7", "all")
    assert (gimcheon.retention_text, gimcheon.over_30_text) == ("30일", "아니오")
    assert (gimcheon.cameras_text, gimcheon.issues) == ("2,895", 0)
    assert (gunsan.items_text, gunsan.compliance, gunsan.retention_text) == ("3/7", "some", "90일")
    assert (gunsan.over_30, gunsan.errors, gunsan.warnings, gunsan.issues) == (True, 1, 1, 2)


def test_institutions_without_a_policy_read_as_such(rows: dict) -> None:
    seoul, hostile = rows[SEOUL], rows[HOSTILE]
    assert (seoul.crawled, seoul.found_text, seoul.compliance) == (True, "아니오", "none")
    assert (seoul.items_text, seoul.retention_text, seoul.cameras_text) == ("–", "–", "–")
    assert (hostile.crawled, hostile.found_text, hostile.sido) == (False, "미수집", "서울특별시")


def test_the_search_key_is_nfkc_folded_like_the_script_folds_what_is_typed() -> None:
    row = IndexRow(
        inst_code="1234567", name="Ｓｅｏｕｌ ㈜관리공단", sido=None, level=None, crawled=False,
        policy_found=None, required_items=None, template_only=False, retention_max=None,
        over_30=None, cameras=None, errors=0, warnings=0, infos=0,
    )  # fmt: skip
    assert row.search_key == "seoul(주)관리공단1234567"
    assert 'normalize("NFKC")' in _script() and ".toLowerCase()" in _script()


def _script() -> str:
    return (Path(__file__).parents[2] / "warehouse/site/static/site.js").read_text("utf-8")


def _index(data: SiteData) -> str:
    return render_index(
        index_rows(data),
        national=[("national/retention.html", "보관기간")],
        built_at="2026년 9월 15일 08:00 (KST)",
        sources="자료: 영상정보처리기기 운영·관리 방침.",
    )


def test_the_index_lists_every_institution_with_what_the_script_needs(data: SiteData) -> None:
    page = lxml.html.document_fromstring(_index(data))
    body = page.get_element_by_id("institutions").find("tbody")
    listed = {tr.findtext("td[2]"): tr for tr in body.findall("tr")}
    assert set(listed) == set(data.institutions)
    gunsan = listed[GUNSAN]
    assert gunsan.get("data-sido") == "전북특별자치도"
    assert (gunsan.get("data-compliance"), gunsan.get("data-over30")) == ("some", "1")
    assert (gunsan.get("data-level"), gunsan.get("data-crawled")) == ("si", "1")
    assert gunsan.find("td[1]/a").get("href") == f"institutions/{GUNSAN}.html"
    sorts = [td.get("data-sort") for td in gunsan.findall("td")]
    assert sorts[3] == "1" and sorts[5:10] == ["3", "90", None, "12", "2"]  # 시: after 광역
    sidos = [o.text for o in page.get_element_by_id("f-sido").findall("option")]
    assert sidos == ["전체", "경상북도", "서울특별시", "전북특별자치도"]
    # The controls only work with the script, which reveals them; the table needs none.
    assert page.get_element_by_id("controls").get("hidden") is not None
    assert [s.get("src") for s in page.iter("script")] == ["./assets/site.js"]


def test_nothing_on_the_index_loads_from_elsewhere_and_names_stay_text(data: SiteData) -> None:
    html = _index(data)
    assert OFFSITE_REF.findall(html) == []
    assert "<img" not in html and "&lt;img" in html
    page = lxml.html.document_fromstring(html)
    refs = [v for el in page.iter() for k, v in el.attrib.items() if k in ("href", "src")]
    assert refs and all(not re.match(r"^[a-z][\w+.-]*:|^//", ref) for ref in refs), refs
    text = page.text_content()
    assert HOSTILE_NAME in text
    for leak in ("None", "NaN", "True", "False", "sido", ".0 "):
        assert leak not in text


def test_national_pages_draw_svg_charts_with_korean_tables(data: SiteData, tmp_path: Path) -> None:
    written: dict[str, bytes] = {}

    def write_svg(name: str, fig: Any) -> str:
        written[name] = svg_bytes(fig)
        return name

    pages = national_pages(data, index_rows(data), write_svg)
    assert [p.slug for p in pages] == ["retention", "items", "cameras", "standard"]
    assert set(written) == {"retention.svg", "items.svg", "cameras-purpose.svg", "cameras-sido.svg"}
    for svg in written.values():
        assert svg.startswith(b"<?xml") and b"<svg" in svg
        assert not re.search(rb'href="(?!#)', svg)  # only references inside the file
    retention = render_national(pages[0], built_at="x", sources="y")
    text = lxml.html.document_fromstring(retention).text_content()
    assert "방침을 찾은 2곳 가운데 1곳이 30일을 넘겨 보관합니다." in text
    assert HOSTILE_NAME not in text and "전북특별자치도 군산시" in text
    items = lxml.html.document_fromstring(render_national(pages[1], built_at="x", sources="y"))
    cells = [td.text_content().strip() for td in items.iter("td")]
    assert cells[:3] == ["제1호 설치 근거 및 설치 목적", "2", "100.0%"]
    assert "제5호 영상정보 확인 방법 및 장소" in cells and "50.0%" in cells
    cameras = lxml.html.document_fromstring(render_national(pages[2], built_at="x", sources="y"))
    assert "2,867" in cameras.text_content()  # 생활방범: 2,855 + 12
    overview = render_overview(pages, built_at="x", sources="y")
    assert 'href="cameras.html"' in overview and OFFSITE_REF.findall(overview) == []
    assert "표준데이터가 없어 대조하지 않았습니다." in overview


# --- the build and its target -----------------------------------------------------------


@pytest.mark.slow  # two builds of every page of the dimension: about 2 s
def test_a_site_is_written_whole_and_replaces_only_a_site(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    seen: list[tuple[int, int]] = []
    first = build_site(warehouse, out, progress=lambda done, total: seen.append((done, total)))
    assert (first.replaced, first.institutions, first.national_pages) == (False, 6, 5)
    assert seen[-1][0] == seen[-1][1] == first.pages
    assert (out / "index.html").is_file() and (out / "assets" / "site.js").is_file()
    assert {p.name for p in (out / "institutions").iterdir()} == {
        f"{code}.html" for code in (GIMCHEON, GUNSAN, SEOUL, HOSTILE, "6470000", "6450000")
    }
    assert json.loads((out / MARKER).read_text("utf-8"))["institutions"] == 6
    # No archive beside this warehouse: the copies are missing, listed, and the pages written.
    assert first.archived_copies == 0 and len(first.missing_copies) == 2
    stale = out / "institutions" / "9999999.html"
    stale.write_text("an earlier build's page", encoding="utf-8")
    again = build_site(warehouse, out)
    assert again.replaced and not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no .part or .old left


def test_a_folder_of_other_files_is_refused_untouched(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(TargetError, match="not a site `cctv site` made"):
        build_site(warehouse, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_what_cannot_take_a_site(tmp_path: Path) -> None:
    assert check_site_target(tmp_path / "new") is False
    (tmp_path / "empty").mkdir()
    assert check_site_target(tmp_path / "empty") is True
    (tmp_path / "file.html").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    for name, why in [
        ("file.html", "is a regular file"),
        ("pipe", "is a named pipe"),
        ("link", "is a symbolic link"),
        ("missing/site", "does not exist"),
        ("file.html/site", "runs through a file"),
    ]:
        with pytest.raises(TargetError, match=why):
            check_site_target(tmp_path / name)
