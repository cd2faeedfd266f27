"""Inventories stated outside tables are read, and a bare total invents no rows.

Lines modelled on real small bodies' policies: a 교육청 library's <dl> (카메라 대수 20대
beside 카메라설치위치), a 복지관's bullet "설치 대수 및 위치 : 9대(주출입구, …)", a school's
sentence "정문, 후문, …에 모두 8대가 설치", a hospital's nested list under a total.
"""

from __future__ import annotations

import pytest

from transforms.contract import parse_document
from transforms.prose_inventory import inventory_grids

HEAD = "<html><body><h2>영상정보처리기기 운영·관리 방침</h2><p>1. 설치 근거 및 설치 목적</p>"


def _parse(body: str) -> dict:
    page = HEAD + body + "<p>보관기간 : 촬영일로부터 30일</p></body></html>"
    return parse_document(page.encode(), url="https://welfare.example.or.kr/policy")


def _rows(result: dict) -> list[tuple]:
    return [
        (c["location"], c["purpose_raw"], c["camera_count"], c["row_ref"])
        for c in result["cameras"]
    ]


def test_a_bracketed_breakdown_gives_its_parts_and_the_total() -> None:
    result = _parse("<ul><li>총 12대(출입 보안 5대, 방범 7대)</li></ul>")
    assert [(c["purpose_raw"], c["camera_count"]) for c in result["cameras"]] == [
        ("출입 보안", 5),
        ("방범", 7),
    ]
    assert result["policy"]["stated_total"] == 12
    assert all(c["retention_days"] == 30 for c in result["cameras"])


def test_a_nested_list_under_a_total() -> None:
    result = _parse("<ul><li>총 6대<ul><li>본관 : 4대</li><li>별관 2대</li></ul></li></ul>")
    assert [(c["location"], c["camera_count"]) for c in result["cameras"]] == [
        ("본관", 4),
        ("별관", 2),
    ]
    assert result["policy"]["stated_total"] == 6
    assert "stated_total_mismatch" not in [i["code"] for i in result["issues"]]


def test_a_sentence_with_a_count_per_place() -> None:
    result = _parse("<p>본관 출입구에 3대, 주차장에 2대를 설치하여 운영합니다.</p>")
    assert [(c["location"], c["camera_count"]) for c in result["cameras"]] == [
        ("본관 출입구", 3),
        ("주차장", 2),
    ]
    assert result["policy"]["stated_total"] is None


def test_places_together_with_one_count_are_one_row() -> None:
    result = _parse(
        "<p>2. 교내 영상정보처리기기는 정문, 후문, 본관 현관, 운동장에 "
        "모두 8대가 설치되어 있습니다.</p>"
    )
    assert [(c["location"], c["camera_count"]) for c in result["cameras"]] == [
        ("정문, 후문, 본관 현관, 운동장", 8)
    ]
    assert result["policy"]["stated_total"] == 8


def test_a_count_with_its_places_in_brackets() -> None:
    result = _parse("<p>○ 설치 대수 및 위치 : 9대(주출입구, 1층 복도, 경로식당, 주차장)</p>")
    assert [(c["location"], c["camera_count"]) for c in result["cameras"]] == [
        ("주출입구, 1층 복도, 경로식당, 주차장", 9)
    ]


def test_a_definition_list_is_a_one_row_inventory() -> None:
    result = _parse(
        "<dl><dt>설치목적</dt><dd>시설물보호, 범죄 예방</dd><dt>관리담당부서</dt><dd>관리과</dd>"
        "<dt>카메라 대수</dt><dd>20대</dd><dt>카메라설치위치</dt><dd>현관, 1층 자료실</dd></dl>"
    )
    [camera] = result["cameras"]
    assert (camera["unit"], camera["location"], camera["camera_count"]) == (
        "관리과",
        "현관, 1층 자료실",
        20,
    )
    assert camera["purpose_raw"] == "시설물보호, 범죄 예방"


@pytest.mark.parametrize(
    "body",
    [
        "<p>공단은 3개 시설의 출입구 및 주차장에 영상정보처리기기 총 58대를 설치하였습니다.</p>",
        "<dl><dt>카메라 대수</dt><dd>20대</dd></dl>",
        "<p>설치대수 및 위치 : 24대 (설치 위치는 각 장소의 안내판으로 알려드립니다)</p>",
    ],
)
def test_a_bare_total_is_the_stated_total_with_no_rows(body: str) -> None:
    result = _parse(body)
    assert result["cameras"] == []
    assert result["policy"]["stated_total"] in (58, 20, 24)


def test_a_count_given_elsewhere_is_not_a_row() -> None:
    lines = ["설치 목적 : 범죄 예방", "설치대수 및 위치 : 붙임 파일 참조", "보관기간 : 30일"]
    assert inventory_grids(lines) == []


def test_prose_is_not_read_when_the_page_has_an_inventory_table() -> None:
    table = (
        "<table><tr><th>설치장소</th><th>설치대수</th></tr>"
        "<tr><td>정문</td><td>2대</td></tr><tr><td>후문</td><td>1대</td></tr></table>"
    )
    result = _parse(table + "<p>정문에 2대, 후문에 1대를 설치하였습니다.</p>")
    assert [c["camera_count"] for c in result["cameras"]] == [2, 1]


def test_rows_say_which_line_they_came_from() -> None:
    [grid] = inventory_grids(["머리말", "본관 : 4대", "별관 : 2대"])
    assert grid.rows[1:] == [["본관", "", "4대"], ["별관", "", "2대"]]
    assert grid.row_ref(0) == "text, row 2" and grid.row_ref(1) == "text, row 3"


def test_a_count_written_in_jamo_is_read_like_one_in_syllables() -> None:
    jamo = ["설치위치 : 본관 출입구", "카메라 대수 : 20\u1103\u1162"]
    syllables = ["설치위치 : 본관 출입구", "카메라 대수 : 20대"]
    assert [g.rows for g in inventory_grids(jamo)] == [g.rows for g in inventory_grids(syllables)]
    assert inventory_grids(jamo)
    assert inventory_grids(["- 본관: 3\u1103\u1162", "- 주차장: 2대"])[0].rows[1:] == [
        ["본관", "", "3대"],
        ["주차장", "", "2대"],
    ]


def test_lines_without_a_count_give_no_inventory() -> None:
    assert inventory_grids(["설치위치 : 본관 출입구", "카메라 대수 : 별첨 참조"]) == []
