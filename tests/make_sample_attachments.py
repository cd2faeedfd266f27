"""Write the synthetic CCTV inventory spreadsheets that the sample sites offer for download.

Real institutions publish their camera lists as attachments whose layout varies (title
rows, two-row merged headers, counts typed as text, total and note rows); these files copy
those habits with invented values. Run `python -m tests.make_sample_attachments`
after editing a table below and commit the result. Output is byte-identical between runs
(fixed document dates, fixed zip entry times, sorted and uncompressed entries), so a test
can prove the committed files are what this script makes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from crawler.sample_web.server import SITES_DIR

SAMPLE_NOTE = "※ 시연용 샘플 데이터이며 실제 현황이 아닙니다"
DOCUMENT_TIME = datetime(2024, 12, 31, 9, 0, 0)
ZIP_TIME = (2024, 12, 31, 9, 0, 0)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

# One row per line, cells separated by "|". Counts are typed as numbers in some rows and as
# "N대" text in others, as in real files.
GIMCHEON_TABLE = """
1  | 정보기획과 | 생활방범   | 주택가 골목길 및 방범취약지역          | 386  | 24시간 | 촬영일로부터 30일 | 김천시 통합관제센터
2  | 정보기획과 | 생활방범   | 율곡동 혁신도시 공원 및 산책로         | 42대 | 24시간 | 30일              | 김천시 통합관제센터
3  | 정보기획과 | 생활방범   | 김천역·김천구미역 주변                 | 18   | 상시   | 30일              | 김천시 통합관제센터
4  | 정보기획과 | 어린이보호 | 초등학교 및 어린이보호구역             | 214  | 24시간 | 촬영일로부터 30일 | 김천시 통합관제센터
5  | 교통행정과 | 교통단속   | 시내 주요 교차로 불법 주정차 단속지점  | 36대 | 24시간 | 30일              | 해당 부서 사무실
6  | 교통행정과 | 시설물관리 | 공영주차장(평화동 외 7개소)            | 24   | 24시간 | 14일              | 해당 부서 사무실
7  | 환경위생과 | 쓰레기단속 | 상습 무단투기 지역                     | 27대 | 상시   | 14일              | 해당 부서 사무실
8  | 안전재난과 | 재난재해   | 감천·직지천 하천변 및 급경사지          | 15   | 24시간 | 30일              | 김천시 통합관제센터
9  | 산림녹지과 | 재난재해   | 산불감시(황악산·난함산 일원)           | 6대  | 상시   | 14일              | 해당 부서 사무실
10 | 회계과     | 시설물관리 | 시청 본관 청사 및 주차장               | 48   | 24시간 | 촬영일로부터 30일 | 해당 부서 사무실
11 | 시립도서관 | 시설물관리 | 시립도서관 열람실 및 출입구            | 12대 | 24시간 | 30일              | 해당 부서 사무실
12 | 읍면동     | 시설물관리 | 22개 읍면동 행정복지센터               | 66   | 24시간 | 30일              | 해당 부서 사무실
"""  # noqa: E501
GIMCHEON_HEADER = ["연번", "관리부서", "설치목적", "설치위치", "설치\n대수"]
GIMCHEON_SUBHEADER = ["촬영\n시간", "보관기간", "보관장소"]

GUNSAN_HEADER = [
    "연번", "기관명", "설치목적", "설치운영대수", "설치위치 및 촬영범위", "촬영시간",
    "영상정보 보관기간", "영상정보 보관장소", "관제방법", "관제장소", "관리책임자", "연락처",
]  # fmt: skip
GUNSAN_TABLE = """
1  | 정보통신과   | 생활방범   | 1128 | 주택가·골목길 및 방범취약지역       | 24시간 | 30일 | CCTV 통합관제센터    | 실시간 모니터링      | CCTV 통합관제센터    | 정보통신과장   | 063-454-3901
2  | 정보통신과   | 어린이보호 | 642  | 어린이보호구역 및 도시공원 놀이터   | 24시간 | 30일 | CCTV 통합관제센터    | 실시간 모니터링      | CCTV 통합관제센터    | 정보통신과장   | 063-454-3901
3  | 회계과       | 시설물관리 | 58   | 시청 본관·별관 청사 및 주차장       | 24시간 | 30일 | 당직실               | 수시 모니터링        | 당직실               | 회계과장       | 063-454-3251
4  | 교통행정과   | 교통단속   | 87   | 주요 간선도로 불법 주정차 단속지점  | 24시간 | 30일 | 교통행정과 사무실    | 녹화 후 필요시 확인  | 교통행정과 사무실    | 교통행정과장   | 063-454-3581
5  | 자원순환과   | 쓰레기단속 | 74   | 상습 무단투기 지역                  | 24시간 | 14일 | 자원순환과 사무실    | 녹화 후 필요시 확인  | 자원순환과 사무실    | 자원순환과장   | 063-454-3441
6  | 안전총괄과   | 재난재해   | 35   | 하천변 및 저지대 침수 우려 지역     | 24시간 | 30일 | CCTV 통합관제센터    | 실시간 모니터링      | CCTV 통합관제센터    | 안전총괄과장   | 063-454-3311
7  | 해양항만과   | 재난재해   | 12   | 비응항·해망동 해안가                | 24시간 | 14일 | CCTV 통합관제센터    | 실시간 모니터링      | CCTV 통합관제센터    | 해양항만과장   | 063-454-3721
8  | 공원녹지과   | 시설물관리 | 46   | 은파호수공원 및 월명공원            | 24시간 | 30일 | 공원녹지과 사무실    | 수시 모니터링        | 공원녹지과 사무실    | 공원녹지과장   | 063-454-3561
9  | 보건소       | 시설물관리 | 22   | 보건소 청사 출입구 및 민원실        | 24시간 | 30일 | 보건소 관리실        | 수시 모니터링        | 보건소 관리실        | 보건행정과장   | 063-454-4021
10 | 시립도서관   | 시설물관리 | 31   | 시립도서관 열람실 및 출입구         | 24시간 | 30일 | 도서관 사무실        | 수시 모니터링        | 도서관 사무실        | 도서관정책과장 | 063-454-5611
11 | 농업기술센터 | 시설물관리 | 19   | 농업기술센터 청사 및 시험포장       | 24시간 | 30일 | 농업기술센터 관리실  | 수시 모니터링        | 농업기술센터 관리실  | 농촌지원과장   | 063-454-5201
12 | 옥구읍       | 시설물관리 | 6    | 옥구읍 행정복지센터                 | 24시간 | 30일 | 옥구읍 사무실        | 수시 모니터링        | 옥구읍 사무실        | 옥구읍장       | 063-454-7401
13 | 회현면       | 시설물관리 | 4    | 회현면 행정복지센터                 | 24시간 | 30일 | 회현면 사무실        | 수시 모니터링        | 회현면 사무실        | 회현면장       | 063-454-7501
14 | 나운1동      | 시설물관리 | 5    | 나운1동 행정복지센터                | 24시간 | 30일 | 나운1동 사무실       | 수시 모니터링        | 나운1동 사무실       | 나운1동장      | 063-454-7901
15 | 수송동       | 시설물관리 | 7    | 수송동 행정복지센터                 | 24시간 | 30일 | 수송동 사무실        | 수시 모니터링        | 수송동 사무실        | 수송동장       | 063-454-8201
"""  # noqa: E501


def parse_table(text: str) -> list[list[int | str]]:
    """Rows of a "|" table; plain digits become numbers, as a typist's entries would."""
    rows = []
    for line in text.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        rows.append([int(cell) if cell.isdigit() else cell for cell in cells])
    return rows


def _style_range(ws: Worksheet, cells: str, **style: object) -> None:
    for row in ws[cells]:
        for cell in row:
            for name, value in style.items():
                setattr(cell, name, value)


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def gimcheon_workbook() -> Workbook:
    """Title and unit rows, a two-row merged header, one merged purpose group, 합계, note."""
    wb = Workbook()
    ws = wb.active
    ws.title = "설치현황"
    ws["A1"] = "김천시 영상정보처리기기 설치 현황"
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(name="맑은 고딕", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws["A2"] = "(단위: 대, 2024.12.31. 기준) ※ 시연용 샘플 데이터"
    ws.merge_cells("A2:H2")
    ws["A2"].alignment = Alignment(horizontal="right", vertical="center")

    for column, title in zip("ABCDE", GIMCHEON_HEADER, strict=True):
        ws[f"{column}3"] = title
        ws.merge_cells(f"{column}3:{column}4")
    ws["F3"] = "영상정보 관리"
    ws.merge_cells("F3:H3")
    for column, title in zip("FGH", GIMCHEON_SUBHEADER, strict=True):
        ws[f"{column}4"] = title
    _style_range(
        ws, "A3:H4", font=Font(bold=True), fill=_HEADER_FILL, alignment=_CENTER, border=_BOX
    )

    rows = parse_table(GIMCHEON_TABLE)
    first = 5
    for offset, row in enumerate(rows):
        for column, value in zip("ABCDEFGH", row, strict=True):
            ws[f"{column}{first + offset}"] = value
    # The three 생활방범 rows share one purpose cell, as department sheets often do.
    for r in (first + 1, first + 2):
        ws[f"C{r}"] = None
    ws.merge_cells(f"C{first}:C{first + 2}")
    last = first + len(rows) - 1
    _style_range(ws, f"A{first}:H{last}", alignment=_CENTER, border=_BOX)
    _style_range(ws, f"D{first}:D{last}", alignment=_LEFT)
    _style_range(ws, f"E{first}:E{last}", number_format="#,##0")

    total = last + 1
    ws[f"A{total}"] = "합계"
    ws.merge_cells(f"A{total}:D{total}")
    # A typed number, not =SUM(): openpyxl cannot store a formula's cached value.
    ws[f"E{total}"] = sum(int(str(row[4]).removesuffix("대")) for row in rows)
    _style_range(
        ws, f"A{total}:H{total}", font=Font(bold=True), fill=_TOTAL_FILL, alignment=_CENTER,
        border=_BOX, number_format="#,##0",
    )  # fmt: skip

    note = total + 1
    ws[f"A{note}"] = f"{SAMPLE_NOTE}. 세부 설치 위치는 시설 보안을 위해 지역 단위로만 표기합니다."
    ws.merge_cells(f"A{note}:H{note}")
    ws[f"A{note}"].alignment = _LEFT
    ws[f"A{note}"].font = Font(size=9, color="595959")

    _widths(ws, [6, 12, 12, 34, 9, 9, 18, 20])
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A5"
    wb.properties.creator = "정보기획과"
    return wb


def gunsan_workbook() -> Workbook:
    """One header row with the page's example columns plus contacts, then a note row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "CCTV 운영현황"
    ws.append(GUNSAN_HEADER)
    rows = parse_table(GUNSAN_TABLE)
    for row in rows:
        ws.append(row)
    width = len(GUNSAN_HEADER)
    end = get_column_letter(width)
    last = 1 + len(rows)
    _style_range(
        ws, f"A1:{end}1", font=Font(bold=True), fill=_HEADER_FILL, alignment=_CENTER, border=_BOX
    )
    _style_range(ws, f"A2:{end}{last}", alignment=_CENTER, border=_BOX)
    _style_range(ws, f"E2:E{last}", alignment=_LEFT)
    _style_range(ws, f"D2:D{last}", number_format="#,##0")

    note = last + 2
    ws[f"A{note}"] = f"{SAMPLE_NOTE}. 세부 내용은 각 관리부서로 문의하시기 바랍니다."
    ws.merge_cells(f"A{note}:{end}{note}")
    ws[f"A{note}"].alignment = _LEFT

    _widths(ws, [6, 13, 11, 12, 32, 9, 12, 18, 18, 18, 14, 14])
    ws.freeze_panes = "A2"
    wb.properties.creator = "정보통신과"
    return wb


# Path under the sites folder -> the function that builds it.
ATTACHMENTS: dict[str, Callable[[], Workbook]] = {
    "www.gimcheon.go.kr/files/cctv_status.xlsx": gimcheon_workbook,
    "www.gunsan.go.kr/files/gunsan_cctv.xlsx": gunsan_workbook,
}


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise without the wall-clock timestamps openpyxl and zipfile would add."""
    wb.properties.created = DOCUMENT_TIME
    wb.properties.modified = DOCUMENT_TIME
    wb.properties.lastModifiedBy = wb.properties.creator
    raw = io.BytesIO()
    # ExcelWriter directly, because openpyxl's save_workbook stamps `modified` with now().
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    with zipfile.ZipFile(raw) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    out = io.BytesIO()
    # Stored, not deflated: deflate output may differ between zlib builds.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name])
    return out.getvalue()


def build(sites_dir: Path = SITES_DIR) -> list[Path]:
    """Write every attachment under `sites_dir`; returns the paths written."""
    written = []
    for relative, make in ATTACHMENTS.items():
        path = sites_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(workbook_bytes(make()))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SITES_DIR
    for path in build(target):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
