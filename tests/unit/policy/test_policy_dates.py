"""policy_dates: each date takes the keyword of its own clause; page metadata is not policy."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.grid import Grid
from transforms.html.document import Block, Document
from transforms.policy_dates import policy_dates


def _doc(*blocks: Block) -> Document:
    text = "\n".join(b.text for b in blocks if b.kind != "table")
    return Document(
        title="", blocks=list(blocks), page_headings=[], links=[], text=text, full_text=text
    )


def _lines(*texts: str) -> Document:
    return _doc(*(Block("line", t) for t in texts))


def _table(rows: list[list[str]], header_rows: int = 1, caption: str = "") -> Block:
    grid = Grid(name="table 1", rows=rows, header_rows=header_rows, caption=caption)
    return Block("table", caption, grid=grid)


D = dt.date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Two dates in one sentence: each takes the keyword of its own clause.
        (
            "이 방침은 2013. 3. 4. 제정되었으며, 2023. 9. 15. 개정되었습니다.",
            (D(2013, 3, 4), D(2023, 9, 15)),
        ),
        ("제정 2012. 1. 2. / 개정 2022. 11. 21.", (D(2012, 1, 2), D(2022, 11, 21))),
        ("제정 2016-06-30 (변경 2021-01-04)", (D(2016, 6, 30), D(2021, 1, 4))),
        ("이 방침은 2024년 1월 1일부터 시행합니다.", (None, D(2024, 1, 1))),
        ("본 방침은 2019.03.01.부터 적용됩니다.", (None, D(2019, 3, 1))),
        ("2019.03.01 제정", (D(2019, 3, 1), None)),
        ("20210711 시행", (None, D(2021, 7, 11))),
        ("공고일자 2014년 3월 24일 / 시행일자 2014년 3월 25일", (None, D(2014, 3, 25))),
    ],
)
def test_a_line_gives_enacted_and_revised(line: str, expected: tuple) -> None:
    assert policy_dates(_lines(line)) == expected


def test_a_clause_without_a_keyword_takes_the_lines_revision_word() -> None:
    """ "2023. 5. 1., 2022. 7. 1. 개정": the first clause has no keyword of its own."""
    assert policy_dates(_lines("2023. 5. 1., 2022. 7. 1. 개정")) == (None, D(2023, 5, 1))


def test_an_impossible_date_is_no_date() -> None:
    assert policy_dates(_lines("2020-02-30 개정")) == (None, None)


def test_a_year_outside_the_range_is_no_date() -> None:
    assert policy_dates(_lines("1900. 1. 1. 제정")) == (None, None)


def test_a_line_without_a_year_gives_nothing() -> None:
    assert policy_dates(_lines("이 방침은 공포한 날부터 시행합니다.")) == (None, None)


@pytest.mark.parametrize(
    "line",
    [
        "최근수정일 2024-05-01 시행",
        "등록일 : 2023.02.01 개정",
        "작성일 2022.1.1 변경",
        "조회수 12 게시일 2021.3.3",
    ],
)
def test_page_metadata_is_the_cms_not_the_policy(line: str) -> None:
    assert policy_dates(_lines(line)) == (None, None)


def test_earliest_enactment_and_latest_revision_win() -> None:
    doc = _lines(
        "2011. 5. 2. 제정",
        "2018. 4. 1. 개정",
        "2023. 10. 5. 개정",
        "2020. 1. 9. 개정",
        "2012. 7. 7. 제정",
    )
    assert policy_dates(doc) == (D(2011, 5, 2), D(2023, 10, 5))


def test_a_date_with_no_keyword_outside_a_history_counts_for_nothing() -> None:
    assert policy_dates(_lines("2022. 3. 1.")) == (None, None)


def test_dates_under_a_history_heading_are_revisions() -> None:
    doc = _doc(
        Block("heading", "방침 변경 이력", level=3),
        Block("line", "2017. 8. 1."),
        Block("line", "2021. 2. 15."),
    )
    assert policy_dates(doc) == (None, D(2021, 2, 15))


def test_a_later_heading_ends_the_history_section() -> None:
    doc = _doc(
        Block("heading", "개정 이력", level=3),
        Block("line", "2017. 8. 1."),
        Block("heading", "보관기간", level=3),
        Block("line", "2024. 1. 1."),
    )
    assert policy_dates(doc) == (None, D(2017, 8, 1))


def test_a_history_table_is_read_by_its_header() -> None:
    table = _table(
        [
            ["차수", "시행일자", "비고"],
            ["1", "2012. 03. 30", "제정"],
            ["2", "2018. 04. 01", ""],
            ["3", "2022. 12. 19", ""],
        ]
    )
    assert policy_dates(_doc(table)) == (D(2012, 3, 30), D(2022, 12, 19))


def test_a_history_of_ranges_gives_the_latest_date() -> None:
    table = _table(
        [["적용기간", "내용"], ["2012. 03. 30 ~ 2018. 03. 31.", "이전 방침"]], header_rows=1
    )
    assert policy_dates(_doc(table)) == (None, D(2018, 3, 31))


def test_a_history_table_without_header_rows_is_read_by_its_first_row() -> None:
    table = _table([["변경일", "내용"], ["2020.5.5", "보관기간 변경"]], header_rows=0)
    assert policy_dates(_doc(table)) == (None, D(2020, 5, 5))


def test_a_table_that_is_no_history_gives_no_dates() -> None:
    table = _table([["설치위치", "설치일"], ["정문", "2019. 4. 1."]])
    assert policy_dates(_doc(table)) == (None, None)


def test_a_table_under_a_history_heading_is_history() -> None:
    doc = _doc(
        Block("heading", "이전 방침 이력", level=4),
        _table([["번호", "일자"], ["1", "2016. 2. 2. 제정"], ["2", "2019. 9. 9."]]),
    )
    assert policy_dates(doc) == (D(2016, 2, 2), D(2019, 9, 9))


def test_a_page_without_dates() -> None:
    assert policy_dates(_doc()) == (None, None)
