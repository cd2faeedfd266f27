"""Readers and the table expander, on small files written here that reproduce real quirks."""

from __future__ import annotations

import io

import lxml.html
import pytest
from openpyxl import Workbook

from transforms.cameras import as_inventory, rows_from_inventory
from transforms.columns import map_header
from transforms.encoding import decode_html, decode_text
from transforms.html.tables import table_to_grid
from transforms.readers import ReaderError, read_grids
from transforms.sniff import sniff_kind


def _xlsx(build) -> bytes:
    book = Workbook()
    build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _inventory_sheet(ws) -> None:
    ws.title = "설치현황"
    ws["A1"] = "OO기관 영상정보처리기기 설치 현황"
    ws.merge_cells("A1:H1")
    ws["A2"] = "(단위: 대, 2024.12.31. 기준)"
    header = ["연번", "관리부서", "설치목적", "설치위치", "설치대수", "영상정보 관리"]
    for col, text in enumerate(header, start=1):
        ws.cell(3, col, text)
    ws.merge_cells("F3:H3")
    for col in range(1, 6):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for col, text in enumerate(["촬영\n시간", "보관\n기간", "보관\n장소"], start=6):
        ws.cell(4, col, text)
    rows = [
        (1, "정보기획과", "생활방범", "시내 골목길", 120, "24시간", "30일", "통합관제센터"),
        (2, "정보기획과", None, "공원", "12대", "상시", "촬영일로부터 30일", "통합관제센터"),
        (3, "환경위생과", "쓰레기단속", "무단투기 지역", 8.0, "24시간", "14일", "환경위생과"),
    ]
    for r, values in enumerate(rows, start=5):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
    ws.merge_cells("C5:C6")  # one purpose over two rows
    ws.cell(8, 1, "합계")
    ws.cell(8, 5, 140)
    ws.cell(9, 1, "※ 시험용 자료")
    ws.merge_cells("A9:H9")


def test_xlsx_with_title_rows_two_row_header_merges_and_totals() -> None:
    grids = read_grids(_xlsx(_inventory_sheet), "xlsx")
    table = as_inventory(grids[0])
    assert table is not None
    assert table.grid.header_rows == 2
    rows, issues = rows_from_inventory(table, area_code="054")
    assert [r["camera_count"] for r in rows] == [120, 12, 8]
    assert [r["purpose"] for r in rows] == ["생활방범", "생활방범", "쓰레기단속"]
    assert [r["retention_days"] for r in rows] == [30, 30, 14]
    assert rows[0]["row_ref"] == "sheet 설치현황, row 5"
    assert rows[2]["row_ref"] == "sheet 설치현황, row 7"
    assert not [i for i in issues if i.level != "info"]


def test_a_misnamed_xlsx_is_recognised_by_its_bytes() -> None:
    body = _xlsx(_inventory_sheet)
    assert sniff_kind(body, "text/csv", "cctv.csv") == "xlsx"


def test_truncated_xlsx_is_a_clear_error() -> None:
    body = _xlsx(_inventory_sheet)
    with pytest.raises(ReaderError, match="xlsx"):
        read_grids(body[: len(body) // 2], "xlsx")


@pytest.mark.parametrize("encoding", ["cp949", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_encodings_and_line_endings(encoding: str, newline: str) -> None:
    text = (
        newline.join(
            [
                "관리기관명,설치목적구분,카메라대수,보관일수,촬영방면정보",
                '김천시청,생활방범,2,30,"360도\n전방면"',
                "김천시청,어린이보호,1,30,",
            ]
        )
        + newline
    )
    grids = read_grids(text.encode(encoding), "csv")
    rows = grids[0].rows
    assert rows[0][0] == "관리기관명"
    assert rows[1][4] == "360도 전방면"
    assert len(rows) == 3


def test_declared_euc_kr_and_undeclared_cp949_pages_decode() -> None:
    html = "<html><head><meta charset='euc-kr'></head><body>영상정보처리기기 똠방</body></html>"
    declared = decode_html(html.encode("cp949"), "text/html; charset=euc-kr")
    assert "영상정보처리기기 똠방" in declared.text and not declared.lossy
    undeclared = decode_html(html.replace("euc-kr", "x").encode("cp949"), "text/html")
    assert "영상정보처리기기" in undeclared.text
    lying = decode_html(html.encode("cp949"), "text/html; charset=utf-8")
    assert "영상정보처리기기" in lying.text


def test_invalid_bytes_are_reported_not_fatal() -> None:
    decoded = decode_text("보관기간".encode() + b"\xff\xfe\xfa" + "30일".encode("cp949"))
    assert decoded.lossy


def test_rowspan_and_colspan_are_expanded() -> None:
    table = lxml.html.fromstring("""
    <table><caption>설치현황</caption>
    <thead><tr><th rowspan="2">부서</th><th rowspan="2">설치대수</th><th colspan="2">관리</th></tr>
           <tr><th>촬영<br>시간</th><th>보관<br>기간</th></tr></thead>
    <tbody><tr><td rowspan="2">총무과</td><td>20대</td><td rowspan="2">24시간</td><td>30일</td></tr>
           <tr><td>5대</td><td>녹화무</td></tr>
           <tr><td>재무과</td><td>4대 <a href="#">자세히 보기</a></td>
               <td>24시간</td><td>30일</td></tr>
    </tbody></table>""")
    grid = table_to_grid(table, "table 1")
    assert grid.caption == "설치현황"
    assert grid.header_rows == 2
    assert grid.rows[1] == ["부서", "설치대수", "촬영 시간", "보관 기간"]
    assert grid.body == [
        ["총무과", "20대", "24시간", "30일"],
        ["총무과", "5대", "24시간", "녹화무"],
        ["재무과", "4대", "24시간", "30일"],
    ]


def test_hostile_spans_are_clipped() -> None:
    table = lxml.html.fromstring(
        '<table><tr><td rowspan="999999999" colspan="99999">x</td></tr><tr><td>y</td></tr></table>'
    )
    grid = table_to_grid(table, "t")
    assert len(grid.rows) == 2
    assert grid.width <= 1001


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("설치위치 및\n촬영범위", "location"),
        ("영상정보\n보관기간", "retention"),
        ("설치운영\n대수", "camera_count"),
        ("보관일수(일)", "retention"),
        ("관제방법", "ignore"),
        ("알 수 없는 열", None),
    ],
)
def test_header_synonyms(header: str, field: str | None) -> None:
    assert map_header(header) == field


def test_side_by_side_blocks_in_one_html_table_become_separate_inventories() -> None:
    from transforms.contract import parse_document

    page = """<html><body><h3>영상정보처리기기 운영·관리 방침</h3><table>
    <tr><th>구분</th><th>설치위치</th><th>설치대수</th><th>구분</th><th>설치위치</th><th>설치대수</th></tr>
    <tr><td>본관</td><td>로비</td><td>3대</td><td>별관</td><td>주차장</td><td>2대</td></tr>
    <tr><td>본관</td><td>복도</td><td>4대</td><td>별관</td><td>출입구</td><td>1대</td></tr>
    </table></body></html>"""
    cameras = parse_document(page.encode())["cameras"]
    assert [(c["unit"], c["location"], c["camera_count"]) for c in cameras] == [
        ("본관", "로비", 3),
        ("본관", "복도", 4),
        ("별관", "주차장", 2),
        ("별관", "출입구", 1),
    ]
