"""The readers on real third-party files (../shared/realdata, see its PROVENANCE.md):
aggregates whose numbers must add up to their own total rows, and CSV extracts whose
record counts are known. Skipped with a reason when the folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import REALDATA, realdata
from transforms.grid import Grid
from transforms.grid_blocks import number, numeric_total_check
from transforms.readers import read_grids, read_grids_with_notes
from transforms.readers.xlsx import read_xlsx
from transforms.sniff import sniff_kind

pytestmark = pytest.mark.realdata

SEOUL = ("aggregates", "seoul_open_data")
PURPOSE_2506 = "서울시 자치구 (목적별) CCTV 설치현황('25.6.30 기준).xlsx"
PURPOSE_2412 = "서울시 자치구 (목적별) CCTV 설치현황_241231.xlsx"
CRIME_2506 = "서울시 자치구 (범죄예방 수사용) CCTV 설치현황('25.6.30 기준).xlsx"
CRIME_2512 = "서울시 자치구 (범죄예방 수사용) CCTV 설치현황(25.12.31 기준).xlsx"
CRIME_2412 = "서울시 자치구 (범죄예방 수사용) CCTV 설치현황_241231.xlsx"
YEAR_2506 = "서울시 자치구 (연도별) CCTV 설치현황('25.6.30 기준).xlsx"
YEAR_2412 = "서울시 자치구 (연도별) CCTV 설치현황_241231.xlsx"

# Record counts stated in PROVENANCE.md (data rows, header excluded).
SEOUL_GU_ROWS = {
    "강남구": 1880, "강동구": 875, "강북구": 1773, "강서구": 884, "관악구": 1262,
    "광진구": 956, "구로구": 1282, "금천구": 483, "노원구": 1613, "도봉구": 614,
    "동대문구": 724, "동작구": 671, "마포구": 681, "서대문구": 589, "서초구": 671,
    "성동구": 984, "성북구": 1114, "송파구": 908, "양천구": 843, "영등포구": 1082,
    "용산구": 669, "은평구": 1076, "종로구": 654, "중구": 742, "중랑구": 859,
}  # fmt: skip
OTHER_CSV_ROWS = {
    ("std_data", "busan_localdata_2022-2024", "cctv.csv"): 15_737,
    ("std_data", "daejeon_2025-2026", "cctv.csv"): 9_037,
    ("std_data", "gyeongsan_2024", "cctv.csv"): 3_538,
    ("std_data", "seongnam_2018_subset", "cctv.csv"): 1_564,
    ("inventories", "seoul_ansimi", "cctv.csv"): 6_538,
    ("inventories", "gwangjin_parking_enforcement", "cctv.csv"): 58,
    ("inventories", "daejeon_utic", "cctv.csv"): 5_624,
}


def _sheet(*parts: str) -> tuple[Grid, list[str]]:
    grids, notes = read_grids_with_notes(realdata(*parts).read_bytes(), "xlsx")
    assert len(grids) == 1
    return grids[0], [n.code for n in notes]


@pytest.mark.parametrize(
    ("name", "label"),
    [(PURPOSE_2412, "자치구"), (CRIME_2506, None), (CRIME_2412, None), (YEAR_2412, None)],
)
def test_seoul_aggregates_add_up_to_their_total_rows(name: str, label: str | None) -> None:
    grid, notes = _sheet(*SEOUL, name)
    assert notes == []
    assert numeric_total_check(grid, label) == []


def test_the_purpose_sheet_disagrees_with_itself_in_one_cell() -> None:
    """종로구's 범죄예방 소계 is a stale literal (2,627) while its four parts add up to
    2,732, the sum the total row's formula (=SUM(E5:H5)) uses. The check finds exactly it."""
    grid, _ = _sheet(*SEOUL, PURPOSE_2506)
    assert numeric_total_check(grid, "자치구") == [
        f"column D: rows sum to 104134, the total row ({grid.name}, row 5) says 104239"
    ]
    jongno = next(row for row in grid.rows if row[1] == "종로구")
    assert number(jongno[3]) == 2627
    assert sum(number(c) or 0 for c in jongno[4:8]) == 2732


def test_formula_errors_are_noted_and_the_totals_still_add_up() -> None:
    grid, notes = _sheet(*SEOUL, YEAR_2506)
    assert notes == ["formula_error"]  # #REF! in side calculations beside the table
    assert numeric_total_check(grid) == []


def test_uncached_totals_are_noted_and_checked_against_the_earlier_vintage() -> None:
    """The 25.12.31 file's 계 row is formulas saved without values: it reads empty and is
    noted. Its per-year sums for 2015–2024 must equal what the 25.6.30 file states."""
    grid, notes = _sheet(*SEOUL, CRIME_2512)
    assert notes == ["formula_uncached"]
    assert numeric_total_check(grid) == [f"the total row ({grid.name}, row 4) holds no numbers"]
    earlier, _ = _sheet(*SEOUL, CRIME_2506)
    stated = next(row for row in earlier.rows if row[2] == "계")
    gu_rows = [row for row in grid.rows if number(row[1]) is not None]
    assert len(gu_rows) == 25
    for column in range(3, 13):  # 2015년 … 2024년
        computed = sum(number(row[column]) or 0 for row in gu_rows)
        assert computed == number(stated[column]), grid.rows[0][column]


def test_the_control_centre_workbook_splits_into_blocks_that_add_up() -> None:
    path = realdata("aggregates", "national_control_centers", "cctv.csv")
    body = path.read_bytes()
    assert sniff_kind(body, "text/csv", path.name) == "xlsx"
    blocks = read_grids(body, "xlsx")
    assert [b.name.rsplit(" ", 1)[-1] for b in blocks] == ["A:D", "E:H", "I:L"]
    assert all(b.rows[0] == ["연번", "시도", "시군구", "CCTV"] for b in blocks)
    centres = [row for b in blocks for row in b.body]
    assert len(centres) == 219
    assert [row[0] for row in centres] == [str(n) for n in range(1, 220)]
    assert all(row[1] for row in centres)  # 시도, merged down each group, is filled
    # The grand total is a formula (=SUM(D7:D80,H7:H80,L7:L80)) beside '총합' above the blocks.
    sheet = read_xlsx(body)[0][0]
    row = next(r for r in sheet.rows if "총합" in r)
    stated = next(number(c) for c in row[row.index("총합") :] if number(c) is not None)
    assert stated == 711_717
    assert sum(number(row[3]) or 0 for row in centres) == stated


def _csv_rows(path: Path) -> Grid:
    grids, notes = read_grids_with_notes(path.read_bytes(), "csv")
    assert notes == [], notes
    grid = grids[0]
    assert not any("\ufffd" in cell for row in grid.rows for cell in row)
    return grid


@pytest.mark.parametrize("gu", sorted(SEOUL_GU_ROWS))
def test_seoul_gu_standard_data_decodes_with_its_record_count(gu: str) -> None:
    folder = realdata("std_data", "seoul_gu_2017-2019")
    (path,) = folder.glob(f"서울특별시_{gu}_CCTV_*.csv")
    grid = _csv_rows(path)
    assert grid.rows[0][:2] == ["관리기관명", "소재지도로명주소"]
    assert len(grid.rows) - 1 == SEOUL_GU_ROWS[gu]
    assert {len(row) for row in grid.rows} == {13}


@pytest.mark.parametrize("parts", sorted(OTHER_CSV_ROWS), ids=lambda p: "/".join(p[:2]))
def test_other_csv_files_decode_with_their_record_count(parts: tuple[str, ...]) -> None:
    grid = _csv_rows(realdata(*parts))
    assert len(grid.rows) - 1 == OTHER_CSV_ROWS[parts]
    assert len({len(row) for row in grid.rows}) == 1  # no row split by a quoted TAB or CR


def test_daejeon_records_keep_their_quoted_newlines() -> None:
    path = realdata("std_data", "daejeon_2025-2026", "cctv.csv")
    # 9,038 records (header included) end in a newline and six hold one more inside quotes.
    assert path.read_bytes().count(b"\n") == 9_038 + 6
    grid = _csv_rows(path)
    assert grid.row_numbers[-1] == 9_038  # records, not physical lines
    assert any("보존회 앞" in cell for row in grid.rows for cell in row)


def test_every_realdata_csv_is_covered() -> None:
    if not REALDATA.exists():
        pytest.skip("../shared/realdata is absent")
    found = {p.relative_to(REALDATA).parts for p in REALDATA.glob("std_data/**/*.csv")}
    found |= {p.relative_to(REALDATA).parts for p in REALDATA.glob("inventories/**/*.csv")}
    covered = set(OTHER_CSV_ROWS) | {
        p.relative_to(REALDATA).parts for p in REALDATA.glob("std_data/seoul_gu_2017-2019/*.csv")
    }
    assert found == covered


@pytest.mark.parametrize(
    ("parts", "rows"),
    [
        (("std_data", "busan_localdata_2022-2024", "12_04_08_E_CCTV정보.xlsx"), 15_737),
        (("inventories", "seoul_ansimi", "CCTV.xlsx"), 61_543),
    ],
)
def test_large_real_workbooks_read_every_row(parts: tuple[str, ...], rows: int) -> None:
    grids, notes = read_grids_with_notes(realdata(*parts).read_bytes(), "xlsx")
    assert notes == []
    assert len(grids[0].rows) - 1 == rows


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cctv_in_seoul20220802.csv", []),
        # The 2020 download states 0 as the 2013 total while the districts list 4,597.
        ("CCTV.csv", ["column F: rows sum to 4597, the total row (csv, row 3) says 0"]),
        ("서울시CCTV설치운영현황(자치구)_년도별_210731기준.csv", []),
    ],
)
def test_seoul_yearly_csv_totals_add_up(name: str, expected: list[str]) -> None:
    """A ※ note line above the header, "83,557" thousands separators, blanks for zero."""
    grid = _csv_rows(realdata("aggregates", "seoul_yearly_csv", name))
    assert numeric_total_check(grid) == expected
