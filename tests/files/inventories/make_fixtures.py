"""Rebuild the inventory fixtures: small files, one per folder, each reproducing quirks seen
in real disclosures (see meta.json in each folder). gold.json files are written by hand
and never touched here.

    .venv/bin/python tests/files/inventories/make_fixtures.py

Needs the dev extra (xlwt for .xls, reportlab for PDF, hwp-converter-ai for .hwp/.hwpx).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _save(folder: str, filename: str, body: bytes, kind: str, quirks: list[str]) -> None:
    target = HERE / folder
    target.mkdir(exist_ok=True)
    (target / filename).write_bytes(body)
    meta = {"file": filename, "kind": kind, "quirks": quirks}
    (target / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _xlsx(build: Callable) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cache_formula(body: bytes, cell: str, value: str) -> bytes:
    """Give one formula cell the cached value Excel would have saved (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                pattern = rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?'
                text, count = re.subn(pattern, rf"\1\2<v>{value}</v>", text)
                assert count == 1, f"formula cell {cell} not found"
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


def xlsx_two_row_header() -> None:
    def build(ws) -> None:
        ws.title = "설치현황"
        ws["A1"] = "행복구청 영상정보처리기기 설치·운영 현황"
        ws.merge_cells("A1:H1")
        ws["A2"] = "(단위: 대, 2024.12.31. 기준)"
        ws.merge_cells("A2:H2")
        for col, text in enumerate(["연번", "관리부서", "설치목적", "설치위치", "설치대수"], 1):
            ws.cell(3, col, text)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        ws["F3"] = "영상정보 관리"
        ws.merge_cells("F3:H3")
        for col, text in enumerate(["촬영\n시간", "보관\n기간", "보관\n장소"], 6):
            ws.cell(4, col, text)
        rows = [
            (
                1,
                "안전총괄과",
                "생활방범",
                "행복로 12 앞\n(삼거리)",
                4,
                "24시간",
                "30일",
                "통합관제센터",
            ),
            (2, None, "어린이보호", "행복초등학교 정문", 2.0, "24시간", "30일", "통합관제센터"),
            (
                3,
                "공원녹지과",
                "시설물관리",
                "중앙공원",
                "3대",
                "06:00~22:00",
                "14일",
                "공원관리사무소",
            ),
        ]
        for r, values in enumerate(rows, 5):
            for c, value in enumerate(values, 1):
                ws.cell(r, c, value)
        ws.merge_cells("B5:B6")
        ws["A8"] = "합계"
        ws.merge_cells("A8:D8")
        ws["E8"] = "=SUM(E5:E7)"
        ws["A9"] = "※ 보관기간이 지난 영상은 자동으로 삭제됩니다."
        ws.merge_cells("A9:H9")

    body = _cache_formula(_xlsx(build), "E8", "9")
    _save(
        "xlsx_two_row_header",
        "cctv_inventory.xlsx",
        body,
        "xlsx",
        [
            "title and unit rows above the header",
            "two-row header: 영상정보 관리 spans 촬영/보관 columns; header cells with newlines",
            "department merged over two rows; a location cell with a newline",
            "counts as int, float (2.0) and text (3대)",
            "total row 합계 whose count is a formula with a cached value",
            "footnote row starting with ※",
        ],
    )


def xlsx_misnamed_csv() -> None:
    def build(ws) -> None:
        ws.title = "Sheet1"
        ws.append(["부서명", "설치장소", "설치목적", "카메라대수", "보관기간"])
        ws.append(["민원봉사과", "민원실", "범죄예방", 2, "30일"])
        ws.append(["재무과", "청사 주차장", "주차관리", 6, "1개월"])

    _save(
        "xlsx_misnamed_csv",
        "cctv.csv",
        _xlsx(build),
        "xlsx",
        ["an xlsx workbook saved under a .csv name (as in the real control-centre file)"],
    )


def xlsx_formula_uncached() -> None:
    def build(ws) -> None:
        ws.title = "목록"
        ws.append(["관리부서", "설치위치", "설치대수", "보관기간"])
        ws.append(["총무과", "본관 현관", "=2+3", "30일"])
        ws.append(["총무과", "별관 복도", 1, "30일"])

    _save(
        "xlsx_formula_uncached",
        "formula.xlsx",
        _xlsx(build),
        "xlsx",
        ["a count written as a formula with no cached value (saved by a script): reads empty"],
    )


def xlsx_side_by_side() -> None:
    def build(ws) -> None:
        ws.title = "설치장소"
        ws["A1"] = "방범용 CCTV 설치 장소"
        ws.merge_cells("A1:F1")
        ws.append(["연번", "설치장소", "대수", "연번", "설치장소", "대수"])
        ws.append([1, "행복동 주민센터", 3, 4, "소망공원 입구", 2])
        ws.append([2, "행복시장 앞", 2, 5, "소망공원 놀이터", 1])
        ws.append([3, "행복역 1번 출구", 4, "합계", None, 12])

    _save(
        "xlsx_side_by_side",
        "blocks.xlsx",
        _xlsx(build),
        "xlsx",
        [
            "one list printed as two blocks side by side (연번,설치장소,대수 twice in one row)",
            "the grand total sits at the foot of the second block",
        ],
    )


def xls_inventory() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("CCTV현황")
    ws.write_merge(0, 0, 0, 6, "영상정보처리기기 운영 현황")
    header = ["관리부서", "설치목적", "설치위치", "설치대수", "촬영시간", "보관기간", "보관장소"]
    for col, text in enumerate(header):
        ws.write(1, col, text)
    ws.write_merge(2, 3, 0, 0, "도로과")
    rows = [
        (None, "교통단속", "행복대로 사거리", 2, "24시간", "30일", "교통상황실"),
        (None, "교통정보수집", "행복터널 입구", 1, "24시간", "7일", "교통상황실"),
        ("청소행정과", "쓰레기단속", "행복동 123-4", 1, "24시간", "15일", "청소행정과 사무실"),
    ]
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values):
            if value is not None:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    _save(
        "xls_inventory",
        "cctv.xls",
        buffer.getvalue(),
        "xls",
        ["BIFF8 .xls with a title row and a department merged over two rows"],
    )


def csv_cp949_crlf() -> None:
    lines = [
        '"※ 2024.12.31. 현황을 기준으로 작성",,,,,,',
        "부서,설치목적,설치장소,설치대수,촬영시간,보관기간,보관장소",
        "문화체육과,시설물관리,똠방각하 체육공원,3,24시간,30일,체육시설관리소",
        "문화체육과,생활방범,행복도서관 열람실,2,09:00~18:00,14일,도서관 사무실",
        '건축과,생활방범,"행복빌딩 옥상, 외벽",1,24시간,30일,건축과',
    ]
    body = ("\r\n".join(lines) + "\r\n").encode("cp949")
    _save(
        "csv_cp949_crlf",
        "inventory.csv",
        body,
        "csv",
        [
            "cp949 (똠 is outside EUC-KR), CRLF line endings",
            "first line is a note: a quoted ※ text followed by empty fields",
            "a quoted cell holding a comma",
        ],
    )


def csv_utf8_bom_quoted() -> None:
    text = (
        "관리부서,설치위치,설치목적,설치대수,촬영시간,보관기간\n"
        '정보통신과,"시청 본관\n1층 로비",시설물관리,4,24시간,30일\n'
        '정보통신과,"지하 주차장\t(B1)",범죄예방,"1,024",24시간,30일\n'
        "정보통신과,옥상,재난재해,1,상시,7일\n"
    )
    _save(
        "csv_utf8_bom_quoted",
        "inventory.csv",
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        "csv",
        [
            "UTF-8 with BOM, LF line endings",
            "a quoted newline and a quoted TAB inside location cells",
            'a count with a thousands separator in quotes ("1,024")',
        ],
    )


def csv_standard_data() -> None:
    header = (
        '"관리기관명",소재지도로명주소,소재지지번주소,설치목적구분,카메라대수,카메라화소수,'
        "촬영방면정보,보관일수,설치년월,관리기관전화번호,위도,경도,데이터기준일자"
    )
    rows = [
        "서울특별시 행복구청,서울특별시 행복구 행복로 10,서울특별시 행복구 행복동 1-1,"
        "생활방범,2,200,360도 전방면,30,2019-03,02-123-4567,37.5123,127.0456,2024-05-01",
        "서울특별시 행복구청,서울특별시 행복구 소망길 5,서울특별시 행복구 소망동 22,"
        "어린이보호,1,130,,30,2018-11,02-123-4567,37.5134,127.0478,2024-05-01",
        "서울특별시 행복구청,서울특별시 행복구 행복대로 100,서울특별시 행복구 행복동 99,"
        "교통단속,1,400,고정,14,2020-07,02-123-4567,37.5150,127.0500,2024-05-01",
    ]
    body = ("\n".join([header, *rows]) + "\n").encode("cp949")
    _save(
        "csv_standard_data",
        "서울특별시_행복구_CCTV_20240501.csv",
        body,
        "csv",
        [
            "전국CCTV표준데이터 G1 layout (13 columns, first header cell quoted), cp949, LF",
            "each row is one camera point; 보관일수 is a bare number",
        ],
    )


def _hwp_ir(title: str, rows: list[list[str]], spans: dict, template_rows: list[list[str]]):
    from hwp_converter_ai import BlockNode, BlockType, DocumentIR, InlineNode, InlineType

    def paragraph(text: str):
        return BlockNode(
            type=BlockType.PARAGRAPH, children=[InlineNode(type=InlineType.TEXT, text=text)]
        )

    def table(data: list[list[str]], merged: dict):
        covered = {
            (r + dr, c + dc)
            for (r, c), (rs, cs) in merged.items()
            for dr in range(rs)
            for dc in range(cs)
            if (dr, dc) != (0, 0)
        }
        cells = []
        for r, row in enumerate(data):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                cell = {"r": r, "c": c, "text": text}
                if (r, c) in merged:
                    cell["rowspan"], cell["colspan"] = merged[(r, c)]
                cells.append(cell)
        metadata = {"cells": cells, "n_rows": len(data), "n_cols": len(data[0])}
        return BlockNode(type=BlockType.TABLE, metadata=metadata)

    blocks = [paragraph(title), table(rows, spans), paragraph("※ 2024.12.31. 기준")]
    if template_rows:
        blocks += [paragraph("(예시) 작성 방법"), table(template_rows, {})]
    return DocumentIR(blocks=blocks)


_HWP_HEADER = [
    "연번",
    "관리부서",
    "설치목적",
    "설치위치",
    "설치대수",
    "촬영시간",
    "보관기간",
    "보관장소",
]


def hwpx_inventory() -> None:
    from hwp_converter_ai import HwpxGenerator

    rows = [
        _HWP_HEADER,
        ["1", "총무과", "시설안전", "본관 1층 로비", "3", "24시간", "30일", "본관 서버실"],
        ["2", "", "", "지하 주차장", "5", "24시간", "30일", "본관 서버실"],
        ["3", "민원과", "범죄예방", "민원실\n출입구", "2", "09:00~18:00", "15일", "민원과 사무실"],
        ["합계", "", "", "", "10", "", "", ""],
    ]
    spans = {(1, 1): (2, 1), (1, 2): (2, 1), (4, 0): (1, 4)}
    template = [
        _HWP_HEADER,
        ["1", "○○과", "생활방범", "○○동 ○○로", "00대", "24시간", "30일", "○○실"],
    ]
    path = HERE / "hwpx_inventory" / "cctv.hwpx"
    path.parent.mkdir(exist_ok=True)
    HwpxGenerator().from_ir(_hwp_ir("영상정보처리기기 설치 현황", rows, spans, template), path)
    _save(
        "hwpx_inventory",
        "cctv.hwpx",
        path.read_bytes(),
        "hwpx",
        [
            "HWPX from a Hancom-made template: mimetype application/hwp+zip, Contents/section0.xml",
            "department and purpose merged over two rows (rowSpan=2), 합계 spanning four columns",
            "a cell with two paragraphs (민원실 / 출입구)",
            "a second table under a (예시) paragraph holding ○○ placeholders: a template",
        ],
    )


def hwp_inventory() -> None:
    from hwp_converter_ai import HwpWriter

    rows = [
        _HWP_HEADER,
        ["1", "시설관리과", "시설안전", "체육관 출입구", "2", "24시간", "30일", "관리사무실"],
        ["2", "", "화재예방", "체육관 기계실", "1", "24시간", "30일", "관리사무실"],
        ["3", "", "생활방범", "야외 주차장", "4", "24시간", "30일", "관리사무실"],
    ]
    spans = {(1, 1): (3, 1), (1, 7): (3, 1)}
    template = [
        _HWP_HEADER,
        ["1", "○○과", "○○ 목적", "○○ 앞", "0대", "○○시간", "○○일", "○○"],
    ]
    path = HERE / "hwp_inventory" / "cctv.hwp"
    path.parent.mkdir(exist_ok=True)
    HwpWriter().from_ir(_hwp_ir("체육관 CCTV 설치 현황", rows, spans, template), path)
    _save(
        "hwp_inventory",
        "cctv.hwp",
        path.read_bytes(),
        "hwp",
        [
            "HWP 5 binary: OLE2 container, zlib-compressed BodyText/Section0 records",
            "department and storage merged over three rows (rowSpan=3)",
            "a (예시) template table after the real one",
        ],
    )


def pdf_inventory() -> None:
    import koreanize_matplotlib
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = Path(koreanize_matplotlib.__file__).parent / "fonts" / "NanumGothic.ttf"
    pdfmetrics.registerFont(TTFont("NanumGothic", str(font)))
    data = [
        ["관리부서", "설치목적", "설치위치", "설치대수", "촬영시간", "보관기간", "보관장소"],
        ["환경과", "쓰레기단속", "행복천 산책로", "2", "24시간", "30일", "환경과 사무실"],
        ["", "", "소망교 하부", "1", "24시간", "30일", "환경과 사무실"],
        ["안전과", "재난재해", "행복천 수위표", "1", "24시간", "7일", "재난상황실"],
        ["합계", "", "", "4", "", "", ""],
    ]
    table = Table(data)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "NanumGothic"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 1), (0, 2)),
                ("SPAN", (1, 1), (1, 2)),
                ("SPAN", (0, 4), (2, 4)),
            ]
        )
    )
    title = ParagraphStyle("title", fontName="NanumGothic", fontSize=14)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    document.build([Paragraph("하천 CCTV 설치 현황", title), Spacer(1, 12), table])
    _save(
        "pdf_inventory",
        "cctv.pdf",
        buffer.getvalue(),
        "pdf",
        [
            "ruled table with Hangul text in an embedded TrueType font (NanumGothic)",
            "department and purpose spanning two rows; 합계 spanning three columns",
            "title line above the table",
        ],
    )


FIXTURES = [
    xlsx_two_row_header,
    xlsx_misnamed_csv,
    xlsx_formula_uncached,
    xlsx_side_by_side,
    xls_inventory,
    csv_cp949_crlf,
    csv_utf8_bom_quoted,
    csv_standard_data,
    hwpx_inventory,
    hwp_inventory,
    pdf_inventory,
]


if __name__ == "__main__":
    for make in FIXTURES:
        make()
        print("wrote", make.__name__)
