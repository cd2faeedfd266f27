"""statements: what a page says once for all its cameras, in lines, tables and prose."""

from __future__ import annotations

import pytest

from transforms.grid import Grid
from transforms.html.document import Block, Document
from transforms.statements import (
    from_lines,
    from_prose,
    from_tables,
    is_pointer,
    page_defaults,
    statement_key,
    transpose_if_vertical,
    with_prose,
)


def _lines(*texts: str) -> Document:
    text = "\n".join(texts)
    blocks = [Block("line", t) for t in texts]
    return Document(title="", blocks=blocks, page_headings=[], links=[], text=text, full_text=text)


def test_several_statements_on_one_line() -> None:
    doc = _lines("촬영시간 : 24시간 / 보관기간 : 20일 / 보관장소 : 1층 종합안내실")
    assert from_lines(doc) == [
        ("촬영시간", "24시간", False),
        ("보관기간", "20일", False),
        ("보관장소", "1층 종합안내실", False),
    ]


def test_lettered_statements_on_one_line() -> None:
    doc = _lines("가. 촬영시간 : 24시간 나. 보관기간 : 30일")
    assert from_lines(doc) == [("촬영시간", "24시간", False), ("보관기간", "30일", False)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("① 보관기간 : 촬영일로부터 30일 이내", ("보관기간", "촬영일로부터 30일 이내", False)),
        ("녹화 시간: 09:00~18:00", ("촬영시간", "09:00~18:00", False)),
        ("- 영상 저장 장소 : 본관 지하 1층 방재실", ("보관장소", "본관 지하 1층 방재실", False)),
        # A full-width colon; the value keeps the source's characters.
        ("보존 기간 ： １４일", ("보관기간", "１４일", False)),
        ("이동형 보관기간 : 7일", ("보관기간", "7일", True)),
    ],
)
def test_one_statement_per_line(line: str, expected: tuple) -> None:
    assert from_lines(_lines(line)) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "보관장소 : 위 표의 보관장소와 같음",
        "보관기간 : 붙임 참조",
        "영상정보의 보관 및 파기에 관한 보관기간 : 30일",  # a long prefix: a sentence
        "보관기간 30일",  # no colon
    ],
)
def test_pointers_and_sentences_state_nothing(line: str) -> None:
    assert from_lines(_lines(line)) == []


@pytest.mark.parametrize(
    "text",
    ["위 표의 보관장소", "붙임 참조", "별첨과 같음", "상기 현황 참고", "홈페이지 게시판에 공개"],
)
def test_pointers(text: str) -> None:
    assert is_pointer(text)


@pytest.mark.parametrize("text", ["관제센터", "30일", "", "본관 1층 상황실"])
def test_values_are_not_pointers(text: str) -> None:
    assert not is_pointer(text)


def test_a_pointer_looks_only_40_characters_ahead() -> None:
    assert is_pointer("홈페이지" + "가" * 40 + "공개")
    assert not is_pointer("홈페이지" + "가" * 41 + "공개")


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("촬영 시간", "촬영시간"),
        ("녹화시간", "촬영시간"),
        ("영상 보존기간", "보관기간"),
        ("저장 장소", "보관장소"),
        ("처리 방법", "처리방법"),
    ],
)
def test_statement_keys(key: str, name: str) -> None:
    assert statement_key(key) == name


def test_page_defaults_only_unscoped_and_only_one_value() -> None:
    said = [
        ("촬영시간", "24시간", False),
        ("보관기간", "30일", False),
        ("보관기간", "14일", False),  # two periods: no default
        ("보관장소", "관제실", True),  # scoped: not for all cameras
    ]
    assert page_defaults(said) == {"recording_hours": "24시간"}


def test_a_value_said_twice_is_one_default() -> None:
    said = [("보관장소", "관제실", False), ("보관장소", "관제실", False)]
    assert page_defaults(said) == {"storage_location": "관제실"}


def test_a_key_value_table_is_transposed() -> None:
    grid = Grid(
        "table 1",
        [
            ["설치대수", "총 17 대"],
            ["설치위치", "청사 출입구"],
            ["촬영시간", "24시간"],
            ["보관기간", "30일"],
        ],
    )
    flat = transpose_if_vertical(grid)
    assert flat is not None
    assert flat.rows == [
        ["설치대수", "설치위치", "촬영시간", "보관기간"],
        ["총 17 대", "청사 출입구", "24시간", "30일"],
    ]
    assert (flat.name, flat.header_rows, flat.row_numbers) == ("table 1", 1, [1, 1])


def test_a_table_of_two_column_pairs_is_transposed() -> None:
    grid = Grid(
        "table 2",
        [["설치대수", "4", "촬영시간", "24시간"], ["보관기간", "30일", "보관장소", "관제실"]],
    )
    flat = transpose_if_vertical(grid)
    assert flat is not None
    assert flat.rows == [
        ["설치대수", "촬영시간", "보관기간", "보관장소"],
        ["4", "24시간", "30일", "관제실"],
    ]


@pytest.mark.parametrize(
    "grid",
    [
        Grid("who", [["관리책임자", "총무과장"], ["연락처", "02-2100-1234"]]),  # who, not what
        Grid("marked", [["설치대수", "보관기간"], ["4", "30일"]], header_rows=1),  # has a header
        Grid("wide", [["설치대수", "4", "x"], ["보관기간", "30일", "y"]]),  # three columns
        Grid("short", [["설치대수", "4"]]),  # one row
    ],
)
def test_tables_that_are_not_key_value_stay(grid: Grid) -> None:
    assert transpose_if_vertical(grid) is None


def test_a_table_of_hours_retention_and_place() -> None:
    grid = Grid(
        "t", [["촬영시간", "보관기간", "보관장소"], ["24시간", "30일", "관제실"]], header_rows=1
    )
    assert from_tables([grid]) == [
        ("촬영시간", "24시간", False),
        ("보관기간", "30일", False),
        ("보관장소", "관제실", False),
    ]


def test_an_inventory_table_states_nothing_for_the_page() -> None:
    grid = Grid(
        "t",
        [["설치장소", "설치대수", "촬영시간", "보관기간"], ["정문", "2", "24시간", "30일"]],
        header_rows=1,
    )
    assert from_tables([grid]) == []


def test_a_table_skips_pointer_cells() -> None:
    grid = Grid("t", [["보관기간", "보관장소"], ["30일", "위 표와 같음"]], header_rows=1)
    assert from_tables([grid]) == [("보관기간", "30일", False)]


def test_prose_gives_hours_and_retention() -> None:
    doc = _lines("CCTV는 24시간 연속 촬영하며, 영상은 촬영일로부터 30일간 보관합니다.")
    assert from_prose(doc) == [
        ("촬영시간", "24시간", False),
        ("보관기간", "촬영일로부터 30일간", False),
    ]


def test_prose_keeps_the_first_value_of_each_key() -> None:
    doc = _lines(
        "CCTV는 24시간 촬영합니다.",
        "CCTV 영상의 보관장소는 방재실이며 관리한다.",
        "영상은 촬영일로부터 30일간 보관합니다.",
        "CCTV는 09:00~18:00 촬영합니다.",
        "영상은 촬영일로부터 90일간 보관합니다.",
    )
    assert from_prose(doc) == [
        ("촬영시간", "24시간", False),
        ("보관장소", "방재실", False),
        ("보관기간", "촬영일로부터 30일간", False),
    ]


def test_prose_names_the_place_after_보관장소는() -> None:
    doc = _lines("CCTV 영상의 보관장소는 방재실이며 관리한다.")
    assert from_prose(doc) == [("보관장소", "방재실", False)]


def test_a_place_without_a_period_or_hours_is_not_the_footages() -> None:
    """ "관리대장은 총무과 사무실에 보관" is where a form is kept."""
    assert from_prose(_lines("CCTV 관리대장은 총무과 사무실에 보관합니다.")) == []


def test_sentences_not_about_footage_state_nothing() -> None:
    assert from_prose(_lines("회의록은 30일간 문서고에 보관합니다.")) == []


def test_prose_keeps_its_first_word() -> None:
    doc = _lines("CCTV는 24시간 촬영합니다. CCTV는 09:00~18:00 녹화합니다.")
    assert from_prose(doc) == [("촬영시간", "24시간", False)]


def test_prose_adds_only_what_no_statement_states() -> None:
    doc = _lines("CCTV는 24시간 촬영하며 촬영일로부터 30일간 보관합니다.")
    said = with_prose(doc, [("보관기간", "14일", False)])
    assert said == [("보관기간", "14일", False), ("촬영시간", "24시간", False)]
