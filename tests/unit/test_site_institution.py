"""An institution's page, from a small warehouse built here: every section in Korean, integers
as integers, missing values as "–" or "미기재", and no code identifier, None, NaN or "12.0"
in what a reader sees."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import duckdb
import lxml.html
import pyarrow as pa
import pytest

from warehouse.build import create_warehouse
from warehouse.schema import TABLES
from warehouse.site.archived import archived_copy, archived_path, write_archived_copies
from warehouse.site.data import SiteData, institution_codes, load_site_data
from warehouse.site.format import count, day_range, korean_date, kst_time, row_place
from warehouse.site.institution import render_institution

GIMCHEON, MICHUHOL, SEOUL, GONE = "5060000", "3510500", "6110000", "3500000"
AT = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)  # 2026-03-01 09:30 KST
LATER = dt.datetime(2026, 9, 14, 23, 0, tzinfo=dt.UTC)  # 2026-09-15 08:00 KST
G_SHA, G_OLD, G_XLSX, M_SHA = "a" * 64, "b" * 64, "c" * 64, "d" * 64
G_URL = "https://www.gimcheon.go.kr/cctv.do"


def _policy(inst: str, sha: str, **extra: Any) -> dict[str, Any]:
    return {
        "inst_code": inst,
        "title": "영상정보처리기기 운영·관리 방침",
        "items_present": [1, 2, 3, 4, 8],
        "item_statements": [
            {"item": 1, "text": "1. 영상정보처리기기의 설치 근거 및 설치 목적"},
            {"item": 4, "text": "보관기간 : 촬영일로부터 30일"},
        ],
        "is_template": False,
        "attachment_count": 0,
        "camera_rows": 0,
        "capture_sha256": sha,
        "source_url": G_URL if inst == GIMCHEON else f"https://example.go.kr/{inst}",
        "fetched_at": LATER,
        "parser_version": "0.2.0",
        **extra,
    }


def _camera(inst: str, sha: str, count: int | None, **extra: Any) -> dict[str, Any]:
    return {
        "inst_code": inst,
        "camera_count": count,
        "recording": True,
        "is_template": False,
        "source_kind": "page",
        "row_ref": f"table 1, row {count}",
        "capture_sha256": sha,
        "source_url": G_URL,
        "fetched_at": LATER,
        "parser_version": "0.2.0",
        **extra,
    }


def _capture(sha: str, url: str, media: str, role: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "sha256": sha,
        "url": url,
        "status": 200,
        "media_type": media,
        "fetched_at": at,
        "inst_code": GIMCHEON,
        "role": role,
        "warc_file": "crawl-20260915T000000Z.warc.gz",
        "warc_offset": 123456,
        "record_type": "response",
        "crawl_id": "crawl-20260915T000000Z",
    }


ALLEYS, SCHOOLS = "주택가 골목길", "초등학교 주변"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS: dict[str, list[dict[str, Any]]] = {
    "institutions": [
        {
            "inst_code": GIMCHEON,
            "name": "경상북도 김천시",
            "short_name": "김천시",
            "level": "si",
            "parent_code": "6470000",
            "homepage": "https://www.gimcheon.go.kr",
            "crawled": True,
        },
        {"inst_code": "6470000", "name": "경상북도", "level": "sido", "crawled": False},
        {
            "inst_code": MICHUHOL,
            "name": "인천광역시 미추홀구",
            "level": "gu",
            "parent_code": "6280000",
            "crawled": True,
        },
        {"inst_code": "6280000", "name": "인천광역시", "level": "sido", "crawled": False},
        {"inst_code": SEOUL, "name": "서울특별시", "level": "sido", "crawled": False},
        {
            "inst_code": GONE,
            "name": "인천광역시 동구",
            "level": "gu",
            "parent_code": "6280000",
            "valid_to": dt.date(2026, 6, 30),
            "successor_code": "3501000",
            "crawled": False,
        },
    ],
    "policies": [
        _policy(
            GIMCHEON,
            G_SHA,
            retention_days_min=30,
            retention_days_max=30,
            stated_total=2800,
            recording_hours="24h",
            revised_on=dt.date(2025, 1, 2),
        ),
        _policy(MICHUHOL, M_SHA, items_present=[1, 2, 3, 4, 5, 6, 7], is_template=True),
    ],
    "cameras": [
        _camera(GIMCHEON, G_SHA, 2574, purpose="생활방범", location=ALLEYS, retention_days=30),
        _camera(GIMCHEON, G_SHA, 200, purpose="어린이보호", location=SCHOOLS, retention_days=60),
        _camera(
            GIMCHEON,
            G_XLSX,
            81,
            purpose="생활방범",
            location=ALLEYS,
            retention_days=30,
            source_kind="attachment",
        ),
        _camera(GIMCHEON, G_SHA, None, purpose=None, location=None),
        _camera(MICHUHOL, M_SHA, None, is_template=True, location="○○동"),
    ],
    "captures": [
        _capture(G_SHA, G_URL, "text/html", "policy", LATER),
        _capture(G_XLSX, "https://www.gimcheon.go.kr/file.xlsx", XLSX, "attachment", LATER),
    ],
    "quality_issues": [
        {
            "level": "warning",
            "code": "stated_total_mismatch",
            "message": "the page states 2800 cameras but its rows sum to 2855",
            "stage": "parse",
            "inst_code": GIMCHEON,
            "row_ref": "table 1",
            "source_url": G_URL,
        },
        *[
            {
                "level": "info",
                "code": "retention_missing",
                "message": f"the row states no retention period (row {n})",
                "stage": "parse",
                "inst_code": GIMCHEON,
                "row_ref": f"table 1, row {n}",
            }
            for n in range(25)
        ],
    ],
    "policy_versions": [
        {
            "inst_code": GIMCHEON,
            "version": 1,
            "valid_from": AT,
            "valid_to": LATER,
            "is_current": False,
            "first_capture_sha256": G_OLD,
            "last_capture_sha256": G_OLD,
            "captures": 3,
            "title": "영상정보처리기기 운영·관리 방침",
            "items_present": [1, 2, 4],
            "retention_days_min": 30,
            "retention_days_max": 90,
            "camera_rows": 2,
            "camera_total": 2700,
            "parser_version": "0.2.0",
        },
        {
            "inst_code": GIMCHEON,
            "version": 2,
            "valid_from": LATER,
            "is_current": True,
            "first_capture_sha256": G_SHA,
            "last_capture_sha256": G_SHA,
            "captures": 1,
            "title": "영상정보처리기기 운영·관리 방침",
            "items_present": [1, 2, 3, 4, 8],
            "retention_days_min": 30,
            "retention_days_max": 30,
            "camera_rows": 3,
            "camera_total": 2774,
            "parser_version": "0.2.0",
        },
    ],
    "standard_points": [
        {
            "inst_code": GIMCHEON,
            "camera_count": n,
            "purpose": "생활방범",
            "reference_date": dt.date(2025, 10, 31),
            "schema_generation": "G4",
            "row_number": i + 2,
            "row_ref": f"csv, row {i + 2}",
            "capture_sha256": "e" * 64,
            "parser_version": "standard-1",
        }
        for i, n in enumerate((1500, 400))
    ],
    "crawl_reports": [
        {
            "crawl_id": "crawl-20260915T000000Z",
            "inst_code": GIMCHEON,
            "policy_found": True,
            "policy_in_privacy": False,
            "route": "link",
            "policies": 1,
            "attachments": 1,
            "responses": 4,
            "not_modified": 0,
            "problems": 0,
            "first_at": LATER,
        }
    ],
}

# What must never reach a reader: column names, Python's and pandas' missing values, and a
# float where an integer belongs.
CODE_WORDS = re.compile(
    r"\b(inst_code|retention_days\w*|camera_count|items_present|stated_total|policy_vs_standard|"
    r"no_standard|policy_below_half|standard_exceeds_policy|is_template|source_url|"
    r"None|NaN|NaT|nan|null|True|False|sido|warning|info)\b|\d\.0\b"
)


def _tables(rows: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(rows.get(name, []), schema=s) for name, s in TABLES.items()}


@pytest.fixture(scope="module")
def data() -> Iterator[SiteData]:
    con = duckdb.connect()
    try:
        create_warehouse(con, _tables(ROWS))
        yield load_site_data(con)
    finally:
        con.close()


def visible_text(page: str) -> str:
    """What a reader sees: the text of the body, without the markup."""
    body = lxml.html.document_fromstring(page).body
    return re.sub(r"\s+", " ", body.text_content())


def section(page: str, name: str) -> str:
    """A section's text, cells and lines apart by one space."""
    (found,) = lxml.html.document_fromstring(page).xpath(f"//section[@id='{name}']")
    return re.sub(r"\s+", " ", " ".join(found.itertext()))


def test_codes_are_current_institutions_and_any_with_data(data: SiteData) -> None:
    codes = institution_codes(data)
    assert set(codes) == {GIMCHEON, MICHUHOL, SEOUL, "6470000", "6280000"}
    assert GONE not in codes  # ended, nothing archived: its successor carries its page
    assert codes.index("6470000") < codes.index(GIMCHEON)  # 광역 first within its 시도


def test_page_is_a_complete_korean_document(data: SiteData) -> None:
    page = render_institution(data, GIMCHEON)
    doc = lxml.html.document_fromstring(page)
    assert page.startswith("<!DOCTYPE html>")
    assert doc.get("lang") == "ko" and doc.xpath("//meta/@charset") == ["utf-8"]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../assets/site.css"]
    assert "../index.html" in doc.xpath("//nav//a/@href")
    assert [h.text_content() for h in doc.iter("h2")] == [
        "1. 기관 개요",
        "2. 필수 기재사항 (개인정보 보호법 시행령 제25조제1항)",
        "3. 보관기간",
        "4. 설치 현황",
        "5. 전국CCTV표준데이터 대조",
        "6. 변경 이력",
        "7. 품질 이슈",
        "8. 출처",
    ]
    assert doc.xpath("//script") == []


@pytest.mark.parametrize("code", [GIMCHEON, MICHUHOL, SEOUL])
def test_no_code_identifier_or_raw_missing_value_is_visible(data: SiteData, code: str) -> None:
    text = visible_text(render_institution(data, code))
    assert CODE_WORDS.findall(text) == []


def test_overview_and_items(data: SiteData) -> None:
    page = render_institution(data, GIMCHEON)
    overview = section(page, "overview")
    assert "경상북도 김천시" in overview and "시도 경상북도" in overview
    assert "기관 구분 기초(시)" in overview or "기관 구분 시" in overview
    assert "수집 여부 수집함" in overview
    assert "2026년 9월 15일 08:00 (KST) · 방침 찾음 (링크)" in overview
    doc = lxml.html.document_fromstring(page)
    marks = [td.text_content() for td in doc.xpath("//table[@class='items']//td[@class='mark']")]
    assert marks == ["○", "○", "○", "○", "✗", "✗", "✗", "○"]
    items = section(page, "items")
    assert "제5호 영상정보 확인 방법 및 장소 ✗ 미기재" in items
    # The page's own words for an item, and a plain note where no one line states it.
    assert "제1호 설치 근거 및 설치 목적 ○ 1. 영상정보처리기기의 설치 근거 및 설치 목적" in items
    assert "보관기간 : 촬영일로부터 30일" in items
    assert "제2호 설치 대수, 설치 위치 및 촬영 범위 ○ 여러 문장에 걸쳐 기재" in items
    assert "필수 기재사항 4/7" in visible_text(page)


def test_retention_stated_against_rows(data: SiteData) -> None:
    retention = section(render_institution(data, GIMCHEON), "retention")
    assert "방침에 적힌 보관기간 30일" in retention
    assert "설치 현황 행의 보관기간 30–60일" in retention
    assert "30일 초과 행 1행" in retention
    assert "30일 초과 보관 예 근거: 카메라 행" in retention
    stated_none = section(render_institution(data, MICHUHOL), "retention")
    assert "방침에 적힌 보관기간 미기재" in stated_none  # a policy that states none
    nothing = render_institution(data, SEOUL)  # no policy collected: nothing to find
    assert "방침에 적힌 보관기간 – " in section(nothing, "retention")
    assert "설치 현황 행의 보관기간 –" in section(nothing, "retention")
    assert "방침 미수집" in visible_text(nothing) and "0/7" not in visible_text(nothing)


def test_cameras_by_purpose_and_place_with_the_stated_total(data: SiteData) -> None:
    page = render_institution(data, GIMCHEON)
    cameras = section(page, "cameras")
    assert "설치 현황 행 4행" in cameras and "행의 카메라 합계 2,855대" in cameras
    assert "방침에 적힌 총 대수 2,800대" in cameras
    assert "불일치 (차이 55대)" in cameras
    doc = lxml.html.document_fromstring(page)
    purpose, place = doc.xpath("//section[@id='cameras']//table[@class='bars']")
    rows = [[c.text_content() for c in tr.xpath("td")][:3] for tr in purpose.xpath("tbody/tr")]
    assert rows == [
        ["생활방범", "2", "2,655"],
        ["어린이보호", "1", "200"],
        ["분류되지 않음", "1", "–"],
    ]
    widths = purpose.xpath(".//span[@class='bar']/@style")
    assert widths[0] == "width: 100.0%" and widths[1] == "width: 7.5%"
    assert "주택가 골목길" in place.text_content()
    template = section(render_institution(data, MICHUHOL), "cameras")
    assert "설치 현황 행이 없습니다 (서식(예시) 행 1행만 있음)" in template
    assert "방침에 적힌 총 대수: 미기재" in template


def test_standard_comparison(data: SiteData) -> None:
    standard = section(render_institution(data, GIMCHEON), "standard")
    assert "운영·관리 방침 4 2,855" in standard
    assert "표준데이터 (기준일 2025년 10월 31일) 2 1,900" in standard
    assert "대조 결과: 정상" in standard and "0.67배" in standard


def test_history_and_issues(data: SiteData) -> None:
    page = render_institution(data, GIMCHEON)
    history = section(page, "history")
    assert "1 2026년 3월 1일 – 2026년 9월 15일" in history
    assert "2 2026년 9월 15일 – 현재" in history
    assert "30–90일" in history and "2,774대" in history and "4/7 (제8호 포함)" in history
    issues = section(page, "issues")
    assert "경고 적힌 합계와 행 합계가 다름 1건" in issues
    assert "the page states 2800 cameras but its rows sum to 2855 — 해석 · 표 1" in issues
    assert "참고 보관기간 미기재 25건" in issues and "외 5건" in issues
    assert "(row 12) — 해석 · 표 1, 12행" in issues
    assert issues.index("경고") < issues.index("참고")


def test_sources_carry_url_kst_time_hash_and_archived_copy(data: SiteData) -> None:
    page = render_institution(data, GIMCHEON, root=".")
    sources = section(page, "sources")
    assert G_URL in sources and G_SHA in sources
    assert "2026년 9월 15일 08:00 (KST)" in sources
    assert "WARC crawl-20260915T000000Z.warc.gz @ 123,456" in sources
    doc = lxml.html.document_fromstring(page)
    assert doc.xpath("//a[text()='보관본 열기']/@href") == [
        f"./archive/{G_SHA}.html",
        f"./archive/{G_XLSX}.xlsx",
    ]
    bare = lxml.html.document_fromstring(render_institution(data, GIMCHEON, archive=False))
    assert bare.xpath("//a[text()='보관본 열기']") == []
    alone = lxml.html.document_fromstring(render_institution(data, GIMCHEON, index=False))
    assert alone.xpath("//nav") == []


def test_captured_text_is_escaped(data: SiteData) -> None:
    hostile = ROWS["quality_issues"][0] | {"message": "<script>alert(1)</script><b>x</b>"}
    con = duckdb.connect()
    try:
        create_warehouse(con, _tables(ROWS | {"quality_issues": [hostile]}))
        page = render_institution(load_site_data(con), GIMCHEON)
    finally:
        con.close()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_formats() -> None:
    assert count(2855) == "2,855" and count(12.0) == "12" and count(None) == "–"
    assert count(float("nan")) == "–"
    assert day_range(None, None) == "미기재" and day_range(30, 30) == "30일"
    assert day_range(7, 30) == "7–30일" and day_range(None, None, stated=False) == "–"
    assert korean_date(dt.date(2024, 3, 1)) == "2024년 3월 1일"
    assert kst_time(dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)) == (
        "2027년 1월 1일 00:30 (KST)"
    )
    assert kst_time(None) == "–"
    assert row_place("table 2, row 14") == "표 2, 14행"
    assert row_place("sheet CCTV 운영현황, row 1203") == "시트 ‘CCTV 운영현황’, 1,203행"
    assert row_place("csv, row 7") == "CSV, 7행" and row_place(None) == ""
    assert row_place("table 3") == "표 3"
    assert row_place("https://x.go.kr/a?row=1") == "https://x.go.kr/a?row=1"


def test_archived_html_copy_is_offline_with_a_banner(data: SiteData, tmp_path) -> None:
    (source, xlsx) = data.institutions[GIMCHEON].sources
    captured = (
        b'<html><head><meta charset="euc-kr"><script src="https://x.org/a.js"></script></head>'
        b'<body onload="go()"><img src="https://x.org/logo.png" alt="\xb7\xce\xb0\xed">'
        b"<p>\xba\xbb\xb9\xae</p></body></html>"
    )
    copy = archived_copy(source, captured).decode("utf-8")
    assert "보관본" in copy and "2026년 9월 15일 08:00 (KST)" in copy and G_SHA in copy
    assert "본문" in copy and "<span>로고</span>" in copy  # EUC-KR read, image as its alt
    assert "script" not in copy and "onload" not in copy and "x.org" not in copy
    assert "Content-Security-Policy" in copy and "default-src 'none'" in copy
    assert archived_copy(xlsx, b"PK\x03\x04 bytes") == b"PK\x03\x04 bytes"
    assert archived_path(xlsx) == f"archive/{G_XLSX}.xlsx"

    payloads = {G_SHA: captured}
    written, failed = write_archived_copies(tmp_path, [source, xlsx, source], payloads.__getitem__)
    assert written == [tmp_path / "archive" / f"{G_SHA}.html"]
    assert [(s.sha256, why) for s, why in failed] == [(G_XLSX, repr(G_XLSX))]
    # A link where a copy goes is not followed: the copy is refused, the target untouched.
    (tmp_path / "elsewhere").write_text("mine")
    (tmp_path / "archive" / f"{G_XLSX}.xlsx").symlink_to(tmp_path / "elsewhere")
    _, failed = write_archived_copies(tmp_path, [xlsx], lambda sha: b"PK")
    assert len(failed) == 1 and "symbolic link" in failed[0][1]
    assert (tmp_path / "elsewhere").read_text() == "mine"


def test_places_beyond_those_shown_are_summed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    import warehouse.site.data

    monkeypatch.setattr(warehouse.site.data, "PLACES_SHOWN", 1)
    con = duckdb.connect()
    try:
        create_warehouse(con, _tables(ROWS))
        data = load_site_data(con)
    finally:
        con.close()
    page = data.institutions[GIMCHEON]
    assert [(g.label, g.rows, g.cameras) for g in page.by_place] == [(ALLEYS, 2, 2655)]
    assert page.places_not_shown is not None
    assert (page.places_not_shown.label, page.places_not_shown.rows) == ("그 밖의 2곳", 2)
    assert page.places_not_shown.cameras == 200
    place = section(render_institution(data, GIMCHEON), "cameras")
    assert "그 밖의 2곳 2 200" in place
