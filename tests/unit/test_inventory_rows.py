"""Camera rows read column by column keep the row-by-row reading's answers where a row is
several things at once."""

from __future__ import annotations

from transforms.cameras import as_inventory, rows_from_inventory
from transforms.grid import Grid


def test_a_total_row_that_is_a_note_raises_no_total_finding() -> None:
    """The last row equals the sum above it (a total by sum) but repeats one text across
    the row (a banner): it is skipped as a note, and says nothing about a total."""
    rows = [
        ["설치위치", "설치대수", "비고"],
        ["정문", "2", ""],
        ["후문", "3", ""],
        ["주차장", "4", ""],
        ["옥상", "1", ""],
        ["10", "10", "10"],
    ]
    table = as_inventory(Grid("table 1", rows, header_rows=1))
    assert table is not None
    records, issues = rows_from_inventory(table)
    assert [r["location"] for r in records] == ["정문", "후문", "주차장", "옥상"]
    assert issues == []


def test_a_total_row_by_sum_is_reported_where_it_stands() -> None:
    rows = [
        ["설치위치", "설치대수", "보관기간"],
        ["정문", "2", "30일"],
        ["후문", "3", "기간미정"],
        ["주차장", "4", "30일"],
        ["옥상", "1", "30일"],
        ["", "10", ""],
        ["별관", "1", "30일"],
    ]
    table = as_inventory(Grid("table 1", rows, header_rows=1))
    assert table is not None
    records, issues = rows_from_inventory(table)
    assert [r["row_ref"] for r in records][-1] == "table 1, row 7"
    assert [(i.code, i.row_ref) for i in issues] == [
        ("retention_unparsed", "table 1, row 3"),
        ("total_row_by_sum", "table 1, row 6"),
    ]
