"""A count cell that spans rows or columns is one count, however many places it covers.

Span expansion copies a cell's text into every position it covers: right for a 담당부서 or
보관기간 shared by several rows, wrong for a 설치대수 shared by a group of places, which
would otherwise be counted once per place (11대 over 13 places read as 143 cameras).
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from transforms.contract import parse_document
from transforms.grid import Grid
from transforms.grid_blocks import split_side_by_side
from transforms.html.dom import parse_html
from transforms.html.tables import read_table, table_to_grid

# Modelled on 구청 pages that list a building's places under one count for the building.
GROUPED = """<html><body><h2>영상정보처리기기 운영·관리 방침</h2>
<p>1. 영상정보처리기기의 설치 근거 및 설치 목적</p>
<table><thead><tr><th>관리부서</th><th>설치장소</th><th>설치대수</th><th>보관기간</th></tr></thead>
<tbody>
<tr><td rowspan="3">총무과</td><td>본관 1층 현관</td><td rowspan="3">11대</td>
    <td rowspan="4">30일</td></tr>
<tr><td>본관 2층 복도</td></tr>
<tr><td>주차장</td></tr>
<tr><td>민원봉사과</td><td>종합민원실</td><td>2대</td></tr>
</tbody></table></body></html>"""


def _table(markup: str) -> Grid:
    root = parse_html(markup)
    return table_to_grid(next(root.iter("table")), "table 1")


def test_the_grid_remembers_which_cells_were_copied_by_a_span() -> None:
    grid = _table(GROUPED)
    assert [row[2] for row in grid.rows[1:]] == ["11대", "11대", "11대", "2대"]
    ids = [grid.source_cell(r, 2) for r in range(1, 5)]
    assert ids[0] == ids[1] == ids[2] != ids[3]
    assert grid.source_cell(1, 1) != grid.source_cell(2, 1)  # places are cells of their own


def test_a_colspan_copy_is_seen_from_the_left() -> None:
    grid = _table(
        "<table><tr><th>구분</th><th>장소</th><th>대수</th></tr>"
        "<tr><td>본관</td><td colspan='2'>공사 중</td></tr></table>"
    )
    assert grid.rows[1] == ["본관", "공사 중", "공사 중"]
    assert grid.is_copy_from_left(1, 2) and not grid.is_copy_from_left(1, 1)


def test_a_rowspanned_count_is_one_camera_row_for_the_group() -> None:
    result = parse_document(GROUPED.encode(), url="https://www.example.go.kr/cctv")
    cameras = result["cameras"]
    assert [c["camera_count"] for c in cameras] == [11, 2]
    assert cameras[0]["location"] == "본관 1층 현관, 본관 2층 복도, 주차장"
    assert cameras[0]["row_ref"] == "table 1, row 2"
    assert cameras[0]["retention_days"] == 30 and cameras[1]["retention_days"] == 30
    spans = [i for i in result["issues"] if i["code"] == "count_spans_rows"]
    assert len(spans) == 1 and "대수 11대가 table 1의 3개 행" in spans[0]["message"]


def test_a_count_spanning_thirteen_places_totals_eleven() -> None:
    places = "".join(f"<tr><td>{n}번 출입구</td></tr>" for n in range(2, 14))
    page = (
        "<html><body><h2>영상정보처리기기 운영·관리 방침</h2><table>"
        "<tr><th>설치장소</th><th>설치대수</th><th>설치목적</th></tr>"
        "<tr><td>1번 출입구</td><td rowspan='13'>11대</td><td rowspan='13'>시설안전</td></tr>"
        f"{places}</table></body></html>"
    )
    cameras = parse_document(page.encode())["cameras"]
    assert len(cameras) == 1
    assert sum(c["camera_count"] for c in cameras) == 11
    assert cameras[0]["location"].count("출입구") == 13


def test_a_label_spread_into_the_count_column_is_not_a_count() -> None:
    page = (
        "<html><body><h2>영상정보처리기기 운영·관리 방침</h2><table>"
        "<tr><th>설치장소</th><th>설치대수</th><th>설치목적</th></tr>"
        "<tr><td>정문</td><td>3대</td><td>시설안전</td></tr>"
        "<tr><td colspan='2'>4대 설치 예정</td><td>방범</td></tr>"
        "</table></body></html>"
    )
    cameras = parse_document(page.encode())["cameras"]
    assert [c["camera_count"] for c in cameras] == [3, None]


def test_side_by_side_blocks_keep_their_cell_sources() -> None:
    grid = Grid(
        "sheet",
        [["장소", "대수", "장소", "대수"], ["정문", "2", "후문", "1"], ["주차장", "2", "", ""]],
        header_rows=1,
        cell_ids=[[0, 1, 2, 3], [4, 5, 6, 7], [8, 5, None, None]],
    )
    left, right = split_side_by_side(grid)
    assert left.cell_ids == [[0, 1], [4, 5], [8, 5]]
    assert right.cell_ids == [[2, 3], [6, 7]]


def test_a_grid_without_sources_knows_none() -> None:
    grid = Grid("csv", [["a", "b"], ["c"]])
    assert grid.cell_ids == [[None, None], [None, None]]
    assert grid.source_cell(1, 1) is None and not grid.is_copy_from_left(1, 1)


def _workbook_with_a_merged_count() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["관리부서", "설치장소", "설치대수", "보관기간"])
    sheet.append(["시설관리팀", "1층 로비", 6, "30일"])
    sheet.append(["시설관리팀", "2층 열람실", None, "30일"])
    sheet.append(["시설관리팀", "주차장", None, "30일"])
    sheet.append(["운영팀", "강당", 2, "30일"])
    sheet.merge_cells("C2:C4")  # one count for three places, as a merged range
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_merged_count_in_a_workbook_is_one_row_for_its_places() -> None:
    cameras = parse_document(_workbook_with_a_merged_count(), filename="cctv.xlsx")["cameras"]
    assert [(c["location"], c["camera_count"]) for c in cameras] == [
        ("1층 로비, 2층 열람실, 주차장", 6),
        ("강당", 2),
    ]


# A rowspan reaching into a row whose colspan runs over it: the span placed first keeps the
# position, and rows shorter than the widest are padded with positions no cell reaches.
OVERLAP = (
    '<table><tr><td>X</td><td rowspan="2">Y</td></tr>'
    '<tr><td colspan="3">Z</td></tr><tr><td>D</td></tr></table>'
)


def test_overlapping_spans_keep_the_first_and_short_rows_are_padded() -> None:
    grid = _table(OVERLAP)
    assert grid.rows == [["X", "Y", ""], ["Z", "Y", "Z"], ["D", "", ""]]
    assert grid.cell_ids == [[0, 1, None], [2, 1, 2], [3, None, None]]


def test_the_cell_budget_counts_each_position_once() -> None:
    table = next(parse_html(OVERLAP).iter("table"))
    assert read_table(table, "table 1", 6)[1] == 3  # Z covers two new positions, not three
    grid, cut_at = read_table(table, "table 1", 5)
    assert (grid.rows, cut_at) == ([["X", "Y"]], 2)
