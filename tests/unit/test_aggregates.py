"""Published count matrices → tidy rows, checked against their own total rows."""

from __future__ import annotations

import pytest

from tests.support import realdata
from transforms.aggregates import read_aggregates, tidy
from transforms.contract import parse_document
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
    assert problems == ["2번째 열(sheet 목적별)의 행 합계 100, 합계 행(2행)의 값 99로 서로 다름"]
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


def test_read_aggregates_gives_rows_and_issues_per_sheet_with_rows() -> None:
    stale = _grid(
        [["구분", "계", "방범"], ["계", "99", "30"], ["가구", "50", "10"], ["나구", "50", "20"]]
    )
    untotalled = Grid(name="sheet 연도별", rows=[["구분", "2020년"], ["가구", "3"], ["나구", "4"]])
    prose = Grid(name="sheet 안내", rows=[["안내"], ["이 표는 예시입니다"]])
    rows, issues = read_aggregates([stale, untotalled, prose])
    assert len(rows) == 6 + 2
    assert [(i.level, i.code, i.row_ref) for i in issues] == [
        ("warning", "aggregate_total_mismatch", "sheet 목적별"),
        ("info", "aggregate_total", "sheet 연도별"),
    ]
    assert issues[1].message == "합계 행이 없음(sheet 연도별)"


def test_parse_document_adds_aggregates_only_to_a_file_without_camera_rows() -> None:
    matrix = "구분,방범,교통단속\r\n계,30,5\r\n가구,10,2\r\n나구,20,3\r\n".encode()
    parsed = parse_document(matrix, filename="목적별.csv")
    assert parsed["cameras"] == [] and parsed["policy"] is None
    assert [r["value"] for r in parsed["aggregates"]["rows"] if not r["is_total"]] == [
        10.0,
        2.0,
        20.0,
        3.0,
    ]
    assert parsed["aggregates"]["issues"] == []
    inventory = "설치장소,설치목적,설치대수\r\n정문,방범,2\r\n".encode()
    assert "aggregates" not in parse_document(inventory, filename="현황.csv")
