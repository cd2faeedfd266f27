"""The standard-data loader on every real file in ../shared/realdata/std_data (see its
PROVENANCE.md §1): record counts and per-institution camera sums equal an independent
DuckDB `read_csv` of the same bytes, and each documented quirk is found on the file where
it occurs. Skipped with a reason when the folder is absent."""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from functools import cache
from pathlib import Path

import duckdb
import openpyxl
import pytest

from registry.dimension import load_institutions
from registry.institutions import InstitutionResolver
from tests.support import REALDATA, realdata
from warehouse.schema import STANDARD_POINTS
from warehouse.standard import StandardLoad, load_standard

pytestmark = pytest.mark.realdata

SEOUL = "seoul_gu_2017-2019"
SEOUL_DATES = {
    "강남구": "20190312", "강동구": "20190521", "강북구": "20190426", "강서구": "20190307",
    "관악구": "20180630", "광진구": "20190306", "구로구": "20190503", "금천구": "20180809",
    "노원구": "20190408", "도봉구": "20181006", "동대문구": "20190401", "동작구": "20190516",
    "마포구": "20170425", "서대문구": "20180809", "서초구": "20180629", "성동구": "20180817",
    "성북구": "20181031", "송파구": "20180630", "양천구": "20190219", "영등포구": "20190430",
    "용산구": "20190129", "은평구": "20190101", "종로구": "20190110", "중구": "20190109",
    "중랑구": "20190307",
}  # fmt: skip
BUSAN_CSV = ("busan_localdata_2022-2024", "cctv.csv")
BUSAN_XLSX = ("busan_localdata_2022-2024", "12_04_08_E_CCTV정보.xlsx")
DAEJEON = ("daejeon_2025-2026", "cctv.csv")
GYEONGSAN = ("gyeongsan_2024", "cctv.csv")
SEONGNAM = ("seongnam_2018_subset", "cctv.csv")
# Every CSV with the encoding PROVENANCE.md states for it (read independently of the loader).
CSV_FILES: dict[tuple[str, str], str] = {
    **{(SEOUL, f"서울특별시_{gu}_CCTV_{day}.csv"): "cp949" for gu, day in SEOUL_DATES.items()},
    BUSAN_CSV: "utf-8",
    DAEJEON: "cp949",
    GYEONGSAN: "cp949",
    SEONGNAM: "cp949",
}
RESOLVER = InstitutionResolver(load_institutions())
FETCHED = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def seoul(gu: str) -> tuple[str, str]:
    return (SEOUL, f"서울특별시_{gu}_CCTV_{SEOUL_DATES[gu]}.csv")


@cache
def loaded(*parts: str) -> StandardLoad:
    path = realdata("std_data", *parts)
    return load_standard(
        path.read_bytes(),
        filename=path.name,
        capture_sha256="0" * 64,
        source_url=path.as_uri(),
        fetched_at=FETCHED,
        institutions=RESOLVER,
    )


def independent(path: Path, encoding: str, tmp_path: Path) -> tuple[int, dict]:
    """Records and camera sums per 관리기관명 by DuckDB, with every option explicit."""
    text = path.read_bytes().decode(encoding).lstrip("\ufeff")
    copy = tmp_path / "utf8.csv"
    copy.write_text(text.replace("\r\n", "\n").replace("\r", "\n"), encoding="utf-8")
    con = duckdb.connect()
    source = (
        f"read_csv('{copy}', header = true, all_varchar = true, delim = ',', quote = '\"', "
        "escape = '\"', new_line = '\\n', strict_mode = true)"
    )
    columns = [c for (c, *_) in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    name = "trim(관리기관명)" if "관리기관명" in columns else "NULL"
    records = con.sql(f"SELECT count(*) FROM {source}").fetchall()[0][0]
    sums = con.sql(
        f"SELECT {name}, sum(TRY_CAST(카메라대수 AS INTEGER)) FROM {source} GROUP BY 1"
    ).fetchall()
    return records, dict(sums)


def ours(result: StandardLoad) -> dict:
    sums: Counter = Counter()
    for name, count in zip(
        result.table.column("inst_name_raw").to_pylist(),
        result.table.column("camera_count").to_pylist(),
        strict=True,
    ):
        sums[name] += count or 0
    return dict(sums)


def issue_rows(result: StandardLoad, code: str) -> list[int]:
    return [int(i["row_ref"].rsplit(" ", 1)[1]) for i in result.issues if i["code"] == code]


def column(result: StandardLoad, name: str) -> list:
    return result.table.column(name).to_pylist()


def by_row(result: StandardLoad) -> dict[int, dict]:
    return {row["row_number"]: row for row in result.table.to_pylist()}


def test_every_standard_data_file_is_covered() -> None:
    root = realdata("std_data")
    found = {p.relative_to(root).parts for p in root.rglob("*") if p.is_file()}
    assert found == set(CSV_FILES) | {BUSAN_XLSX}


@pytest.mark.parametrize("parts", sorted(CSV_FILES), ids=lambda p: "/".join(p))
def test_records_and_camera_sums_equal_an_independent_read(
    parts: tuple[str, str], tmp_path: Path
) -> None:
    result = loaded(*parts)
    records, sums = independent(realdata("std_data", *parts), CSV_FILES[parts], tmp_path)
    assert result.table.num_rows == records
    assert ours(result) == sums
    assert result.table.schema == STANDARD_POINTS
    assert [i for i in result.issues if i["code"] == "row_width_mismatch"] == []


def test_the_busan_xlsx_export_equals_an_independent_read_and_its_csv() -> None:
    result = loaded(*BUSAN_XLSX)
    with warnings.catch_warnings():  # the export has no stylesheet; openpyxl says so
        warnings.filterwarnings("ignore", "Workbook contains no default style")
        book = openpyxl.load_workbook(realdata("std_data", *BUSAN_XLSX), read_only=True)
        sheet = book.active
        sheet.reset_dimensions()  # the export declares a one-cell sheet
        rows = list(sheet.iter_rows(values_only=True))
        book.close()
    header, body = rows[0], [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    name, count = header.index("관리기관명"), header.index("카메라대수")
    sums: Counter = Counter()
    for row in body:
        sums[row[name].strip()] += int(row[count]) if str(row[count]).isdigit() else 0
    assert result.table.num_rows == len(body) == 15_737
    assert ours(result) == dict(sums)
    csv_version = loaded(*BUSAN_CSV)
    keep = ["inst_code", "camera_count", "retention_days", "installed_ym", "latitude"]
    assert result.table.select(keep).equals(csv_version.table.select(keep))


@pytest.mark.parametrize("gu", sorted(SEOUL_DATES))
def test_every_seoul_gu_resolves_to_its_own_code(gu: str) -> None:
    result = loaded(*seoul(gu))
    expected = {r.inst_code for r in RESOLVER.rows if r.name == f"서울특별시 {gu}"}
    codes = Counter(column(result, "inst_code"))
    assert set(codes) - {None} == expected
    assert result.generation == "G1"


def test_mapo_bare_cr_and_placeholder_coordinates() -> None:
    result = loaded(*seoul("마포구"))
    assert result.table.num_rows == 681
    assert issue_rows(result, "coord_placeholder") == list(range(2, 683))
    assert set(column(result, "latitude")) == {None}
    assert (
        "99.999999" in next(i for i in result.issues if i["code"] == "coord_placeholder")["message"]
    )
    assert len(issue_rows(result, "installed_after_reference")) == 430


def test_gwangjin_drag_fill_31_to_75() -> None:
    result = loaded(*seoul("광진구"))
    run = list(range(426, 472))  # 30 (kept), then 31 … 75 (nulled)
    assert issue_rows(result, "retention_drag_fill") == run
    rows = by_row(result)
    assert [rows[n]["retention_raw"] for n in run] == [str(d) for d in range(30, 76)]
    assert rows[426]["retention_days"] == 30
    assert all(rows[n]["retention_days"] is None for n in run[1:])
    assert Counter(column(result, "retention_days")) == {30: 911, None: 45}


@pytest.mark.parametrize("gu", ["용산구", "동작구", "동대문구"])
def test_blank_retention_is_null_and_reported_per_institution(gu: str) -> None:
    result = loaded(*seoul(gu))
    assert set(column(result, "retention_days")) == {None}
    missing = [i for i in result.issues if i["code"] == "retention_missing"]
    assert len(missing) == 1 and f"({result.table.num_rows:,}개 행)" in missing[0]["message"]


@pytest.mark.parametrize("gu", ["용산구", "동작구"])
def test_blank_install_months_are_null(gu: str) -> None:
    assert set(column(loaded(*seoul(gu)), "installed_ym")) == {None}


def test_seongbuk_mixed_retention_with_zero_as_unknown() -> None:
    result = loaded(*seoul("성북구"))
    assert Counter(column(result, "retention_raw")) == {
        "30": 816,
        "14": 246,
        "7": 28,
        "20": 14,
        "0": 10,
    }
    assert len(issue_rows(result, "retention_zero_unknown")) == 10
    assert Counter(column(result, "retention_days"))[None] == 10


@pytest.mark.parametrize(("gu", "count"), [("강남구", 12), ("도봉구", 21), ("중구", 1)])
def test_excel_serial_1905_07_install_months(gu: str, count: int) -> None:
    result = loaded(*seoul(gu))
    flagged = issue_rows(result, "installed_excel_serial")
    assert len(flagged) == count
    rows = by_row(result)
    assert {rows[n]["installed_raw"] for n in flagged} == {"1905-07"}
    assert {rows[n]["installed_ym"] for n in flagged} == {None}


def test_gangbuk_phone_in_direction_and_a_police_station_left_unresolved() -> None:
    result = loaded(*seoul("강북구"))
    flagged = issue_rows(result, "direction_is_phone")
    assert len(flagged) == 28
    assert {by_row(result)[n]["direction_text"] for n in flagged} == {
        "02-901-5897",
        "02-901-5863",
    }
    police = [i for i in result.issues if i["code"] == "institution_unresolved"]
    assert len(police) == 1 and "강북경찰서" in police[0]["message"]
    assert police[0]["message"].endswith("(25개 행)")
    assert Counter(column(result, "inst_code"))[None] == 25


def test_busan_quirks() -> None:
    result = loaded(*BUSAN_CSV)
    rows = by_row(result)
    assert result.generation == "G2"
    zero = issue_rows(result, "retention_zero_unknown")
    assert len(zero) == 878
    names = Counter(rows[n]["inst_name_raw"] for n in zero)
    assert names["부산광역시 북구청"] == 858
    north = {rows[n]["inst_code"] for n in zero if rows[n]["inst_name_raw"] == "부산광역시 북구청"}
    assert north == {"3320000"}
    high = issue_rows(result, "camera_count_high")
    assert [rows[n]["camera_count"] for n in high] == [104]
    future = issue_rows(result, "installed_future")
    assert [rows[n]["installed_ym"] for n in future] == ["2027-02"]
    assert len(issue_rows(result, "coord_zero")) == 1
    out = issue_rows(result, "coord_out_of_korea")
    assert len(out) == 1 and "30.072746" in next(
        i["message"] for i in result.issues if i["code"] == "coord_out_of_korea"
    )
    assert rows[out[0]]["latitude"] is None
    assert len(issue_rows(result, "pixels_out_of_range")) == 2858
    # 관리기관명 variants of one body resolve to one code
    codes = {r["inst_name_raw"]: r["inst_code"] for r in rows.values()}
    assert codes["부산광역시 사상구"] == "3390000"
    assert codes["부산광역시 기장군"] == codes["부산광역시 기장군청"] == "3400000"
    assert codes["부산광역시(자연재난과) 부산진구청"] == codes["부산광역시 부산진구청"]
    assert None not in set(codes.values())


def test_daejeon_quoted_newlines_dummy_point_and_yyyymm() -> None:
    result = loaded(*DAEJEON)
    rows = by_row(result)
    assert result.generation == "G4"
    assert result.table.num_rows == 9_037
    assert sum("\n" in (d or "") for d in column(result, "direction_text")) == 6
    shared = issue_rows(result, "coord_shared_point")
    assert len(shared) == 990
    assert {rows[n]["inst_code"] for n in shared} == {"3680000"}  # 대덕구
    assert "위도 36.1, 경도 127.1" in next(
        i["message"] for i in result.issues if i["code"] == "coord_shared_point"
    )
    serial = issue_rows(result, "installed_excel_serial")
    assert {rows[n]["installed_raw"] for n in serial} == {"190507"}
    assert len(serial) == 2
    months = [m for m in column(result, "installed_ym") if m]
    assert months and all(len(m) == 7 and m[4] == "-" for m in months)
    assert {r["inst_code"] for r in rows.values() if r["inst_name_raw"] == "유성구청"} == {
        "3670000"
    }


def test_gyeongsan_shared_placeholder_coordinate() -> None:
    result = loaded(*GYEONGSAN)
    rows = by_row(result)
    assert result.generation == "G3"
    flagged = set(issue_rows(result, "coord_shared_point"))
    messages = {i["message"] for i in result.issues if i["code"] == "coord_shared_point"}
    assert any(
        "위도 35.902429, 경도 128.828693)를 이 기관의 주소가 다른 264개 행" in m for m in messages
    )
    assert len(flagged) == 2566
    assert all(rows[n]["latitude"] is None for n in flagged)
    assert set(column(result, "camera_count")) == {1}


def test_seongnam_reduced_columns_are_a_partial_generation() -> None:
    result = loaded(*SEONGNAM)
    assert result.generation == "partial"
    assert [i["level"] for i in result.issues if i["code"] == "header_contract"] == ["error"]
    assert set(column(result, "reference_date")) == {dt.date(2018, 4, 1)}
    assert set(column(result, "inst_code")) == {"3780000"}  # 성남시, from the addresses


def test_no_real_file_has_an_unmapped_purpose_or_unparsed_value() -> None:
    codes = Counter(i["code"] for parts in [*CSV_FILES, BUSAN_XLSX] for i in loaded(*parts).issues)
    for code in (
        "purpose_unmapped",
        "installed_unparsed",
        "retention_unparsed",
        "camera_count_unparsed",
        "reference_date_unparsed",
        "encoding_lossy",
    ):
        assert codes[code] == 0, code


def test_realdata_is_where_support_says() -> None:
    assert REALDATA.name == "realdata"
