"""Published count matrices → tidy rows, checked against their own total rows."""

from __future__ import annotations

import pytest

from tests.support import realdata
from transforms.aggregates import tidy
from transforms.grid import Grid
from transforms.readers import read_grids
from transforms.sniff import sniff_kind


def _grid(rows: list[list[str]]) -> Grid:
    return Grid(name="sheet 목적별", rows=rows)


def test_a_matrix_with_a_total_row_labelled_otherwise() -> None:
    grid = _grid(
        [
            ["서울시 자치구 (목적별) CCTV 설치현황", "", "", ""],
            ["구분", "방범", "어린이 보호구역", "교통단속"],
            ["자치구", "30", "13", "-"],  # the total row, labelled as in the Seoul files
            ["종로구", "10", "3", "-"],
            ["중 구", "20", "10", "-"],
        ]
    )
    rows, problems = tidy(grid)
    assert problems == []
    body = [r for r in rows if not r["is_total"]]
    assert {(r["row_label"], r["column_label"], r["value"]) for r in body} >= {
        ("종로구", "방범", 10.0),
        ("중 구", "어린이 보호구역", 10.0),
        ("종로구", "교통단속", 0.0),
    }
    assert all(r["row_label"] == "자치구" for r in rows if r["is_total"])
    assert rows[0]["row_ref"] == "sheet 목적별, row 3"


def test_a_stale_total_is_reported_not_fixed() -> None:
    grid = _grid(
        [["구분", "계", "방범"], ["계", "99", "30"], ["가구", "50", "10"], ["나구", "50", "20"]]
    )
    rows, problems = tidy(grid)
    assert problems == ["sheet 목적별, column 2: rows sum to 100, the total row (row 2) says 99"]
    # The 계 column is a total too; the parts stay as published.
    assert all(r["is_total"] for r in rows if r["column_label"] == "계")
    assert sum(r["value"] for r in rows if not r["is_total"]) == 30


def test_text_tables_are_not_aggregates() -> None:
    assert tidy(_grid([["부서", "설치위치"], ["총무과", "로비"]])) == ([], [])


@pytest.mark.realdata
def test_the_control_centre_workbook_adds_up_to_its_grand_total() -> None:
    path = realdata("aggregates", "national_control_centers", "cctv.csv")
    body = path.read_bytes()
    grids = read_grids(body, sniff_kind(body, None, path.name))
    values = [r for g in grids for r in tidy(g)[0]]
    assert len(values) == 219  # local control centres, three blocks side by side
    assert sum(r["value"] for r in values) == 711_717


@pytest.mark.realdata
def test_the_seoul_purpose_sheet_flags_its_stale_subtotal() -> None:
    path = realdata(
        "aggregates", "seoul_open_data", "서울시 자치구 (목적별) CCTV 설치현황('25.6.30 기준).xlsx"
    )
    [grid] = read_grids(path.read_bytes(), "xlsx")
    rows, problems = tidy(grid)
    assert len({r["row_label"] for r in rows if not r["is_total"]}) == 25  # the 25 자치구
    assert len(problems) == 1 and "104,134" in problems[0] and "104,239" in problems[0]
