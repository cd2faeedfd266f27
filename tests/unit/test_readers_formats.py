"""Each inventory format → Grid: names, source row numbers, merged cells, captions, notes;
kind sniffing for the look-alike containers; side-by-side blocks and total checks."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from transforms.grid import Grid
from transforms.grid_blocks import find_total_row, number, numeric_total_check, split_side_by_side
from transforms.readers import READABLE, ReaderError, read_grids, read_grids_with_notes
from transforms.sniff import media_type_of, sniff_kind

FIXTURES = Path(__file__).resolve().parent.parent / "files" / "inventories"


def _fixture(folder: str) -> tuple[bytes, str]:
    meta = json.loads((FIXTURES / folder / "meta.json").read_text("utf-8"))
    return (FIXTURES / folder / meta["file"]).read_bytes(), meta["file"]


@pytest.mark.parametrize(
    ("folder", "kind"),
    [
        ("xlsx_two_row_header", "xlsx"),
        ("xlsx_misnamed_csv", "xlsx"),
        ("xls_inventory", "xls"),
        ("hwp_inventory", "hwp"),
        ("hwpx_inventory", "hwpx"),
        ("pdf_inventory", "pdf"),
        ("csv_cp949_crlf", "csv"),
    ],
)
def test_kinds_come_from_the_bytes_not_the_name(folder: str, kind: str) -> None:
    body, name = _fixture(folder)
    assert sniff_kind(body, "application/octet-stream", name) == kind
    assert sniff_kind(body, "text/csv", "download.csv") == (kind if kind != "csv" else "csv")


def test_hwpx_is_known_by_its_mimetype_entry_even_without_contents() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/hwp+zip")
        book.writestr("xl/workbook.xml", "<workbook/>")  # a decoy
    assert sniff_kind(out.getvalue()) == "hwpx"
    assert media_type_of(out.getvalue(), None) == "application/hwp+zip"


def test_ole_files_are_told_apart_by_their_stream_names() -> None:
    from hwpx.hwp5.cfb import build_compound_file

    word = build_compound_file([("WordDocument", b"\0" * 600), ("1Table", b"\0" * 600)])
    assert sniff_kind(word, None, "inventory.hwp") == "unknown"
    xls = build_compound_file([("Workbook", b"\0" * 5000)])
    assert sniff_kind(xls, None, "inventory.hwp") == "xls"
    hwp, _ = _fixture("hwp_inventory")
    assert sniff_kind(hwp[:1024], None, None) == "hwp"  # unreadable directory: byte search


def test_xlsx_grid_keeps_sheet_rows_merges_and_cached_formulas() -> None:
    body, _ = _fixture("xlsx_two_row_header")
    grids, notes = read_grids_with_notes(body, "xlsx")
    assert notes == []
    (grid,) = grids
    assert grid.name == "sheet 설치현황"
    assert grid.row_numbers == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert grid.rows[2][5:] == ["영상정보 관리"] * 3
    assert grid.rows[3][5] == "촬영 시간"  # newline folded by NFKC normalisation
    assert grid.rows[5][1] == "안전총괄과"  # merged down from the row above
    assert grid.rows[7][:5] == ["합계", "합계", "합계", "합계", "9"]  # cached SUM value


def test_a_formula_without_a_cached_value_reads_empty_and_is_noted() -> None:
    body, _ = _fixture("xlsx_formula_uncached")
    grids, notes = read_grids_with_notes(body, "xlsx")
    assert grids[0].rows[1][2] == ""
    assert [(n.code, n.where) for n in notes] == [("formula_uncached", "sheet 목록")]
    assert "C2" in notes[0].message


def test_xls_reads_like_xlsx() -> None:
    body, _ = _fixture("xls_inventory")
    (grid,) = read_grids(body, "xls")
    assert grid.name == "sheet CCTV현황"
    assert grid.rows[2][:4] == ["도로과", "교통단속", "행복대로 사거리", "2"]
    assert grid.rows[3][0] == "도로과"  # merged over two rows
    assert grid.row_numbers == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_encodings_line_endings_and_quoted_cells(encoding: str, newline: str) -> None:
    lines = [
        '"※ 2021.12.31. 현황을 기준으로 작성",,,',
        "관리부서,설치위치,설치대수,보관기간",
        f'총무과,"본관{newline}로비",１２,30일',
        '민원과,"주차장\t(지하)","1,234",30일',
    ]
    body = (newline.join(lines) + newline).encode(encoding)
    grids, notes = read_grids_with_notes(body, "csv")
    assert notes == []
    rows = grids[0].rows
    assert rows[0] == ["※ 2021.12.31. 현황을 기준으로 작성", "", "", ""]
    # Cells keep the source's characters (full-width digits too); grammars read NFKC.
    assert rows[2] == ["총무과", "본관 로비", "１２", "30일"]
    assert rows[3] == ["민원과", "주차장 (지하)", "1,234", "30일"]
    assert grids[0].row_numbers == [1, 2, 3, 4]  # records, not physical lines


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_csv_delimiter_is_chosen_by_consistent_column_counts(delimiter: str) -> None:
    rows = [["부서", "설치위치", "대수"], ["총무과", "본관, 로비", "2"], ["민원과", "민원실", "1"]]
    body = "\n".join(delimiter.join(r) for r in rows).encode()
    assert read_grids(body, "csv")[0].rows == rows


def test_a_tab_inside_quotes_does_not_make_a_csv_tab_separated() -> None:
    body = b'a,b,c\n1,"x\ty\tz",3\n2,"p\tq",4\n'
    assert read_grids(body, "csv")[0].rows[1] == ["1", "x y z", "3"]


@pytest.mark.parametrize("folder", ["hwp_inventory", "hwpx_inventory"])
def test_hwp_tables_place_cells_by_address_and_take_captions(folder: str) -> None:
    body, name = _fixture(folder)
    grids, notes = read_grids_with_notes(body, name.rsplit(".", 1)[1])
    assert notes == []
    assert [g.name for g in grids] == ["table 1", "table 2"]
    first, template = grids
    assert first.caption.endswith("설치 현황")
    assert "예시" in template.caption
    assert first.rows[0][:5] == ["연번", "관리부서", "설치목적", "설치위치", "설치대수"]
    assert first.rows[2][1] == first.rows[1][1]  # rowSpan filled, columns not shifted
    assert first.rows[2][3] in ("지하 주차장", "체육관 기계실")
    assert first.row_numbers == list(range(1, len(first.rows) + 1))


def test_hwpx_colspan_and_multi_paragraph_cells() -> None:
    body, _ = _fixture("hwpx_inventory")
    grid = read_grids(body, "hwpx")[0]
    assert grid.rows[3][3] == "민원실 출입구"
    assert grid.rows[4][:5] == ["합계", "합계", "합계", "합계", "10"]


def test_pdf_tables_are_named_by_page_with_spans_filled_and_hangul_intact() -> None:
    body, _ = _fixture("pdf_inventory")
    (grid,) = read_grids(body, "pdf")
    assert grid.name == "page 1 table 1"
    assert grid.caption == "하천 CCTV 설치 현황"
    assert grid.rows[0] == [
        "관리부서",
        "설치목적",
        "설치위치",
        "설치대수",
        "촬영시간",
        "보관기간",
        "보관장소",
    ]
    assert grid.rows[2][:3] == ["환경과", "쓰레기단속", "소망교 하부"]
    assert grid.rows[4][:4] == ["합계", "합계", "합계", "4"]


def test_unknown_kinds_are_refused() -> None:
    assert set(READABLE) == {"xlsx", "xls", "csv", "hwp", "hwpx", "pdf"}
    with pytest.raises(ReaderError, match="no reader for zip"):
        read_grids(b"PK\x03\x04", "zip")


def test_side_by_side_blocks_become_grids_named_by_columns() -> None:
    body, _ = _fixture("xlsx_side_by_side")
    left, right = read_grids(body, "xlsx")
    assert (left.name, right.name) == ("sheet 설치장소 columns A:C", "sheet 설치장소 columns D:F")
    assert left.header_rows == right.header_rows == 1
    assert left.caption == right.caption == "방범용 CCTV 설치 장소"
    assert left.rows[1:] == [
        ["1", "행복동 주민센터", "3"],
        ["2", "행복시장 앞", "2"],
        ["3", "행복역 1번 출구", "4"],
    ]
    assert right.rows[-1] == ["합계", "", "12"]
    assert right.row_numbers == [2, 3, 4, 5]


def test_blocks_may_be_separated_by_a_blank_column() -> None:
    grid = Grid("t", [["구분", "대수", "", "구분", "대수"], ["가", "1", "", "나", "2"]])
    assert [g.rows for g in split_side_by_side(grid)] == [
        [["구분", "대수"], ["가", "1"]],
        [["구분", "대수"], ["나", "2"]],
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["제목", "제목", "제목", "제목"],  # a merged title filled across
        ["구분", "대수", "구분", "위치"],  # the second block differs
        ["연번", "위치", "대수", "비고"],
    ],
)
def test_grids_without_repeating_blocks_stay_whole(header: list[str]) -> None:
    grid = Grid("t", [header, ["1", "2", "3", "4"]])
    assert split_side_by_side(grid) == [grid]


def test_numbers_as_aggregates_write_them() -> None:
    assert [number(t) for t in ["83,557", " 1 234 ", "-", "", "12대", "0.5"]] == [
        83557,
        1234,
        0,
        None,
        None,
        0.5,
    ]


def test_total_check_reports_each_column_that_does_not_add_up() -> None:
    grid = Grid(
        "sheet S",
        [
            ["구분", "총계", "2020년"],
            ["계", "1,500", "10"],
            ["가구", "1,000", "-"],
            ["나구", "500", "9"],
            ["※ 주석", "", ""],
        ],
        row_numbers=[3, 4, 5, 6, 8],
    )
    assert find_total_row(grid) == 1
    assert numeric_total_check(grid) == [
        "column C: rows sum to 9, the total row (sheet S, row 4) says 10"
    ]
    assert numeric_total_check(Grid("t", [["a", "1"]])) == ["no total row found"]
