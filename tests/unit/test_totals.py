"""Total rows never become camera rows, and stated totals are kept and checked.

Pages modelled on real 구청, library and 공단 policy tables: a 계 row under the places, a
「총 계」 row with its label spread across the row, an unlabelled last row, a row equal to
the sum above it, 소계 groups, and totals stated in prose ("※ 총 9대 운영").
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import archive_response, query_warehouse
from transforms.contract import parse_document
from transforms.grid import Grid
from transforms.totals import (
    is_total_label,
    may_state_count,
    page_total,
    stated_in_table,
    stated_in_text,
    total_rows,
)
from warehouse.build import build

HEAD = "<html><body><h2>영상정보처리기기 운영·관리 방침</h2><p>1. 설치 근거 및 목적</p>"
FIELDS = {0: "location", 1: "camera_count"}


def _page(rows: str, after: str = "") -> bytes:
    table = f"<table><tr><th>설치장소</th><th>설치대수</th><th>보관기간</th></tr>{rows}</table>"
    return (HEAD + table + after + "</body></html>").encode()


def _parse(rows: str, after: str = "") -> dict:
    return parse_document(_page(rows, after), url="https://lib.example.go.kr/cctv.do")


def _codes(result: dict) -> list[str]:
    return [i["code"] for i in result["issues"]]


@pytest.mark.parametrize(
    "label", ["계", "합계", "총계", "소계", "전체", "총 계", "「총 계」", "합 계"]
)
def test_total_labels_in_any_spacing_or_bracket(label: str) -> None:
    assert is_total_label(label)


@pytest.mark.parametrize("label", ["계단", "총무과", "전체 출입구", "주차장"])
def test_places_are_not_total_labels(label: str) -> None:
    assert not is_total_label(label)


def test_a_total_row_is_kept_as_the_stated_total_not_as_cameras() -> None:
    result = _parse(
        "<tr><td>정문</td><td>2대</td><td>30일</td></tr>"
        "<tr><td>주차장</td><td>3대</td><td>30일</td></tr>"
        "<tr><td>「총 계」</td><td>5대</td><td></td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [2, 3]
    assert result["policy"]["stated_total"] == 5
    assert "stated_total_mismatch" not in _codes(result)


def test_a_mismatch_names_the_page_and_both_numbers_and_keeps_both() -> None:
    result = _parse(
        "<tr><td>정문</td><td>2대</td><td>30일</td></tr>"
        "<tr><td>주차장</td><td>3대</td><td>30일</td></tr>"
        "<tr><td>합계</td><td>6대</td><td></td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [2, 3]
    assert result["policy"]["stated_total"] == 6
    [issue] = [i for i in result["issues"] if i["code"] == "stated_total_mismatch"]
    assert issue["level"] == "warning"
    assert "https://lib.example.go.kr/cctv.do" in issue["message"]
    assert "합계 6대" in issue["message"] and "카메라 행의 합 5대와 다름" in issue["message"]
    assert issue["row_ref"] == "table 1, row 4"


def test_an_unlabelled_last_row_is_a_total() -> None:
    result = _parse(
        "<tr><td>1층 로비</td><td>2</td><td>30일</td></tr>"
        "<tr><td>2층 열람실</td><td>1</td><td>30일</td></tr>"
        "<tr><td></td><td>3</td><td></td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [2, 1]
    assert result["policy"]["stated_total"] == 3


def test_a_labelled_row_equal_to_the_sum_of_the_rows_above_is_a_total() -> None:
    result = _parse(
        "<tr><td>정문</td><td>2</td><td>30일</td></tr>"
        "<tr><td>후문</td><td>1</td><td>30일</td></tr>"
        "<tr><td>주차장</td><td>4</td><td>30일</td></tr>"
        "<tr><td>국민체육센터</td><td>7</td><td>30일</td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [2, 1, 4]
    assert result["policy"]["stated_total"] == 7
    assert "total_row_by_sum" in _codes(result)


def test_a_small_coincidence_stays_a_camera_row() -> None:
    result = _parse(
        "<tr><td>정문</td><td>1</td><td>30일</td></tr>"
        "<tr><td>후문</td><td>1</td><td>30일</td></tr>"
        "<tr><td>주차장</td><td>2</td><td>30일</td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [1, 1, 2]
    assert result["policy"]["stated_total"] is None


def test_subtotals_add_up_to_the_table_total() -> None:
    grid = Grid(
        "table 1",
        [
            ["장소", "대수"],
            ["본관", "3"],
            ["별관", "2"],
            ["소계", "5"],
            ["체육관", "4"],
            ["소계", "4"],
        ],
        header_rows=1,
    )
    totals = total_rows(grid, FIELDS)
    assert sorted(totals) == [2, 4]
    assert stated_in_table(totals).value == 9


def test_a_total_label_in_the_count_column_takes_the_number_beside_it() -> None:
    grid = Grid("table 1", [["대수", "장소"], ["2대", "로비"], ["1대", "열람실"], ["계", "3대"]], 1)
    totals = total_rows(grid, {0: "camera_count", 1: "location"})
    assert stated_in_table(totals).value == 3


def test_a_spanned_count_counts_once_toward_a_sum() -> None:
    grid = Grid(
        "table 1",
        [["장소", "대수"], ["정문", "4"], ["후문", "4"], ["주차장", "2"], ["", "6"]],
        header_rows=1,
        cell_ids=[[0, 1], [2, 3], [4, 3], [5, 6], [7, 8]],
    )
    totals = total_rows(grid, FIELDS)
    assert list(totals) == [3] and totals[3].value == 6


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("※ 총 9대 운영 (2024. 5. 기준)", 9),
        ("영상정보처리기기 총 15대를 운영하고 있습니다.", 15),
        ("청사 내외부에 모두 5대를 설치하였습니다.", 5),
        ("카메라 대수 : 20대", 20),
        ("설치대수 총 1,204대", 1204),
    ],
)
def test_totals_stated_in_prose(line: str, value: int) -> None:
    assert stated_in_text([line]) == [(value, line)]


@pytest.mark.parametrize("line", ["총 00대 운영", "총 3개소", "전체 대상자", "총 12대상"])
def test_prose_that_states_no_total(line: str) -> None:
    assert stated_in_text([line]) == []


def test_totals_written_in_jamo_are_found_after_normalising() -> None:
    line = "총 12\u1103\u1162 운영"  # 대 as conjoining jamo: NFKC composes it
    assert may_state_count(line)
    assert stated_in_text([line]) == [(12, line)]


def test_every_character_that_normalises_towards_dae_may_state_a_count() -> None:
    """The cheap test skips a line only when NFKC cannot make 대 of it: 대 composes from
    conjoining jamo only, so every character whose NFKC form holds 대 or such jamo must pass."""
    missed = []
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point < 0xE000:
            continue
        form = unicodedata.normalize("NFKC", chr(point))
        if ("대" in form or any(0x1100 <= ord(c) <= 0x11FF for c in form)) and not (
            may_state_count(chr(point))
        ):
            missed.append(hex(point))
    assert missed == []
    assert not may_state_count("3. 보관기간 : 촬영일로부터 30일")


def test_a_prose_total_is_checked_against_the_rows() -> None:
    rows = (
        "<tr><td>정문</td><td>2대</td><td>30일</td></tr>"
        "<tr><td>후문</td><td>1대</td><td>30일</td></tr>"
    )
    agreed = _parse(rows, "<p>※ 총 3대 운영</p>")
    assert agreed["policy"]["stated_total"] == 3
    assert "stated_total_mismatch" not in _codes(agreed)
    differs = _parse(rows, "<p>※ 총 4대 운영</p>")
    assert differs["policy"]["stated_total"] == 4
    assert sum(c["camera_count"] for c in differs["cameras"]) == 3
    [issue] = [i for i in differs["issues"] if i["code"] == "stated_total_mismatch"]
    assert "합계 4대" in issue["message"] and "카메라 행의 합 3대와 다름" in issue["message"]


def test_parts_and_their_sum_in_prose_give_the_sum() -> None:
    lines = ["고정형 총 10대", "이동형 총 2대", "모두 12대"]
    assert page_total(stated_in_text(lines)) == (12, [])


def test_prose_totals_that_disagree_are_reported_not_picked() -> None:
    value, issues = page_total(stated_in_text(["총 10대", "총 14대"]))
    assert value is None and [i.code for i in issues] == ["stated_totals_differ"]


def test_a_table_without_a_total_states_none() -> None:
    result = _parse("<tr><td>정문</td><td>2대</td><td>30일</td></tr>")
    assert result["policy"]["stated_total"] is None


def test_an_unlabelled_last_row_that_does_not_add_up_is_still_a_total_and_said_so() -> None:
    result = _parse(
        "<tr><td>정문</td><td>2</td><td>30일</td></tr>"
        "<tr><td>후문</td><td>1</td><td>30일</td></tr>"
        "<tr><td></td><td>4</td><td></td></tr>"
    )
    assert [c["camera_count"] for c in result["cameras"]] == [2, 1]
    assert result["policy"]["stated_total"] == 4
    assert {"total_row_by_unlabelled", "stated_total_mismatch"} <= set(_codes(result))


def test_a_last_row_with_a_note_of_its_own_is_a_camera_row() -> None:
    page = (
        HEAD + "<table><tr><th>설치장소</th><th>설치대수</th><th>층</th></tr>"
        "<tr><td>정문</td><td>2</td><td>1층</td></tr>"
        "<tr><td>후문</td><td>1</td><td>1층</td></tr>"
        "<tr><td></td><td>4</td><td>옥상</td></tr></table></body></html>"
    )
    cameras = parse_document(page.encode())["cameras"]
    assert [c["camera_count"] for c in cameras] == [2, 1, 4]


def test_the_warehouse_keeps_the_stated_total_and_the_mismatch(tmp_path: Path) -> None:
    url = "https://www.gimcheon.go.kr/cctv/policy.do"
    body = _page(
        "<tr><td>시청 본관</td><td>4대</td><td>30일</td></tr>"
        "<tr><td>주차장</td><td>3대</td><td>30일</td></tr>"
        "<tr><td>합 계</td><td>8대</td><td></td></tr>"
    )
    paths = data_paths(tmp_path)
    with ArchiveWriter(paths, "crawl-1") as writer:
        archive_response(writer, url, body, inst_code="5060000", role="policy")
    build(paths, load_registry())
    policies = query_warehouse(
        tmp_path, "SELECT stated_total, camera_rows FROM policies WHERE inst_code = '5060000'"
    )
    cameras = query_warehouse(
        tmp_path, "SELECT sum(camera_count) FROM cameras WHERE inst_code = '5060000'"
    )
    issues = query_warehouse(
        tmp_path,
        "SELECT level, message, source_url FROM quality_issues "
        "WHERE code = 'stated_total_mismatch'",
    )
    assert policies == [(8, 2)] and cameras == [(7,)]
    [(level, message, source)] = issues
    assert level == "warning" and source == url
    assert url in message and "합계 8대" in message and "카메라 행의 합 7대와 다름" in message
