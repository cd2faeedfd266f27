"""The national standard data: header generations, every encoding and line ending, and each
quirk of the real files reproduced in small fixtures (tests/files/standard) — each one a
quality issue with its code and row, the value nulled or flagged, never repaired."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pytest

from registry.dimension import load_institutions
from registry.institutions import InstitutionResolver
from transforms.standard import (
    GENERATIONS,
    LABELS,
    StandardHeaderError,
    detect_api_layout,
    detect_layout,
)
from warehouse.schema import (
    CAMERAS,
    INSTITUTIONS,
    POLICIES,
    QUALITY_ISSUES,
    STANDARD_POINTS,
    TABLES,
)
from warehouse.standard import (
    PARSER_VERSION,
    StandardLoad,
    load_captures,
    load_standard,
    sniff_standard,
    standard_purpose,
)

FILES = Path(__file__).resolve().parent.parent / "files" / "standard"
VIEWS = Path(__file__).resolve().parents[2] / "warehouse" / "sql" / "standard.sql"
FETCHED = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
RESOLVER = InstitutionResolver(load_institutions())

G1 = [
    "관리기관명",
    "소재지도로명주소",
    "소재지지번주소",
    "설치목적구분",
    "카메라대수",
    "카메라화소수",
    "촬영방면정보",
    "보관일수",
    "설치년월",
    "관리기관전화번호",
    "위도",
    "경도",
    "데이터기준일자",
]
G2 = ["번호", *G1[:8], "설치연월", G1[9], "WGS84위도", "WGS84경도", G1[12]]
G3 = ["개방자치단체코드", "관리번호", *G2[1:], "최종수정시점"]
G4 = [*G3[:-1], "데이터갱신구분", "데이터갱신시점", "최종수정시점"]
SEONGNAM = ["소재지도로명주소", "카메라대수", "위도", "경도", "데이터기준일자", "소재지지번주소"]


def load(name_or_body: str | bytes, **kwargs: object) -> StandardLoad:
    body = (FILES / name_or_body).read_bytes() if isinstance(name_or_body, str) else name_or_body
    options = {
        "filename": name_or_body if isinstance(name_or_body, str) else "file.csv",
        "capture_sha256": "ab" * 32,
        "source_url": "file:///standard.csv",
        "fetched_at": FETCHED,
        "institutions": RESOLVER,
        **kwargs,
    }
    return load_standard(body, **options)


def rows(loaded: StandardLoad) -> dict[int, dict]:
    return {row["row_number"]: row for row in loaded.table.to_pylist()}


def issues(loaded: StandardLoad, code: str) -> list[dict]:
    return [i for i in loaded.issues if i["code"] == code]


def refs(loaded: StandardLoad, code: str) -> list[str]:
    return [i["row_ref"] for i in issues(loaded, code)]


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(("header", "generation"), [(G1, "G1"), (G2, "G2"), (G3, "G3"), (G4, "G4")])
def test_each_generation_is_recognised_by_its_header(header: list[str], generation: str) -> None:
    layout = detect_layout(header)
    assert layout.generation == generation
    assert layout.conformant
    assert list(layout.columns) == list(GENERATIONS[generation])


def test_header_cells_are_read_quoted_with_bom_and_spaces() -> None:
    layout = detect_layout(['\ufeff"관리기관명"', *[f" {h} " for h in G1[1:]], "", ""])
    assert layout.generation == "G1"
    assert layout.columns[-2:] == (None, None)  # trailing blank cells are ignored


def test_the_standard_trailer_of_provider_code_and_name_is_part_of_g1_and_g2() -> None:
    assert detect_layout([*G1, "제공기관코드", "제공기관명"]).generation == "G1"
    assert detect_layout([*G2, "제공기관코드", "제공기관명"]).generation == "G2"


def test_a_reduced_reordered_header_is_a_partial_generation_that_breaks_the_contract() -> None:
    layout = detect_layout(SEONGNAM)
    assert layout.generation == "partial"
    assert not layout.conformant
    assert "관리기관명" in layout.contract_message()
    assert "열 순서가 표준과 다름" in layout.contract_message()


def test_an_unknown_header_names_every_column_it_cannot_map() -> None:
    with pytest.raises(StandardHeaderError) as caught:
        detect_layout(["관리기관명", "설치대수", "카메라대수", "비고", "위도"])
    assert caught.value.unmapped == ("설치대수", "비고")
    assert "'설치대수'" in str(caught.value) and "'비고'" in str(caught.value)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["관리기관명", "위도", "경도"], "카메라대수"),
        (["관리기관명", "카메라대수"], "address or coordinate"),
        (["카메라대수", "위도", "WGS84위도"], "repeats"),
        ([], "empty header"),
    ],
)
def test_headers_that_cannot_hold_points_are_refused(header: list[str], message: str) -> None:
    with pytest.raises(StandardHeaderError, match=message):
        detect_layout(header)


def test_api_field_names_map_in_any_order_and_unknown_fields_are_named() -> None:
    layout = detect_api_layout(["latitude", "institutionNm", "cctvNumber", "longitude"])
    assert layout.generation == "api"
    assert layout.columns == ("latitude", "inst_name", "camera_count", "longitude")
    with pytest.raises(StandardHeaderError) as caught:
        detect_api_layout(["institutionNm", "cctvNumber", "latitude", "rnum"])
    assert caught.value.unmapped == ("rnum",)


def test_labels_cover_every_canonical_column() -> None:
    assert set(LABELS) >= {c for columns in GENERATIONS.values() for c in columns}


# ---------------------------------------------------------------- encodings and line ends


def _g1_text() -> str:
    return (FILES / "g1_mapo_cp949_cr.csv").read_bytes().decode("cp949")


@pytest.mark.parametrize("encoding", ["cp949", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_every_encoding_and_line_ending_gives_the_same_points(encoding: str, newline: str) -> None:
    text = newline.join(_g1_text().split("\r"))
    loaded = load(text.encode(encoding))
    reference = load("g1_mapo_cp949_cr.csv")
    keep = [n for n in STANDARD_POINTS.names if n != "capture_sha256"]
    assert loaded.table.select(keep).equals(reference.table.select(keep))
    assert loaded.encoding == encoding


def test_quoted_newlines_and_tabs_stay_inside_their_cell_and_rows_keep_their_numbers() -> None:
    loaded = load("g4_daejeon_utf8bom_lf.csv")
    by_row = rows(loaded)
    assert sorted(by_row) == [2, 3, 4, 5]
    assert by_row[2]["direction_text"] == "충청도앉은굿\n보존회 앞"
    assert by_row[3]["direction_text"] == "(궁동 1)\t방범용\t2013.12"
    assert by_row[5]["retention_days"] == 7  # the row after the quoted newline


def test_ragged_rows_are_reported_with_their_number_and_the_rest_still_load() -> None:
    text = (FILES / "g2_busan_utf8_lf.csv").read_text(encoding="utf-8").splitlines()
    text.insert(2, "9,부산광역시 중구청,a,b,c")  # becomes row 3
    text.insert(4, "")  # a blank line is no record
    loaded = load(("\n".join(text) + "\n").encode("utf-8"))
    assert refs(loaded, "row_width_mismatch") == ["csv, row 3"]
    assert issues(loaded, "row_width_mismatch")[0]["level"] == "error"
    assert sorted(rows(loaded)) == [2, 4, 6, 7]


def test_a_tab_separated_file_is_read_like_a_comma_separated_one() -> None:
    text = "\n".join(line.replace(",", "\t") for line in [",".join(G1), _g1_row()]) + "\n"
    assert load(text.encode("utf-8")).table.num_rows == 1


def _g1_row() -> str:
    return _g1_text().split("\r")[4]


# ---------------------------------------------------------------- output shape


def test_points_and_issues_have_the_warehouse_schemas_and_provenance() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert loaded.table.schema == STANDARD_POINTS
    assert loaded.issue_table.schema == QUALITY_ISSUES
    assert TABLES["standard_points"] is STANDARD_POINTS
    first = rows(loaded)[2]
    assert first["schema_generation"] == "G1"
    assert first["row_ref"] == "csv, row 2"
    assert first["capture_sha256"] == "ab" * 32
    assert first["source_url"] == "file:///standard.csv"
    assert first["fetched_at"] == FETCHED
    assert first["parser_version"] == PARSER_VERSION
    for issue in loaded.issues:
        assert set(issue) == set(QUALITY_ISSUES.names)
        assert issue["stage"] == "standard"
        assert issue["capture_sha256"] == "ab" * 32


def test_values_are_typed_and_normalised() -> None:
    by_row = rows(load("g1_mapo_cp949_cr.csv"))
    row = by_row[4]
    assert row["inst_code"] == "3130000"
    assert row["inst_name_raw"] == "서울특별시 마포구청"
    assert row["camera_count"] == 2
    assert row["pixels_10k"] == 200
    assert row["installed_ym"] == "2015-01"
    assert row["reference_date"] == dt.date(2019, 3, 1)
    assert row["phone"] == "02-3153-0000"
    assert (row["latitude"], row["longitude"]) == (37.5502, 126.9102)
    assert by_row[16]["address_road"] == "서울특별시 마포구 월드컵로 15, 1층"


def test_g4_keys_update_type_and_timestamps() -> None:
    row = rows(load("g4_daejeon_utf8bom_lf.csv"))[2]
    assert row["source_inst_code"] == "3670000"
    assert row["mgmt_no"] == "202636700000800001"
    assert row["update_type"] == "I"
    # 2026-05-24 22:28:20 in Korea (UTC+9)
    assert row["updated_at"] == dt.datetime(2026, 5, 24, 13, 28, 20, tzinfo=dt.UTC)
    assert row["installed_ym"] == "2019-10"  # YYYYMM → YYYY-MM


def test_api_json_records_load_with_their_item_numbers() -> None:
    loaded = load("api_gimhae.json")
    by_row = rows(loaded)
    assert loaded.generation == "api"
    assert by_row[1]["address_road"] is None  # the literal string 'null'
    assert by_row[1]["source_inst_code"] == "5350000"
    assert by_row[1]["inst_code"] == "5350000"
    assert by_row[2]["camera_count"] == 2  # numbers as JSON numbers
    assert by_row[2]["purpose"] == "쓰레기단속"  # ' 쓰레기불법투기' through the alias table
    assert refs(loaded, "installed_after_reference") == ["json, row 1"]


def test_a_plain_list_of_records_is_api_json_too() -> None:
    items = json.loads((FILES / "api_gimhae.json").read_text(encoding="utf-8"))
    records = items["response"]["body"]["items"]
    assert load(json.dumps(records).encode("utf-8")).table.num_rows == 2


def test_the_localdata_xlsx_export_with_text_cells_loads_with_sheet_rows() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet0"
    for line in (FILES / "g2_busan_utf8_lf.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(next(csv.reader([line])))
    buffer = io.BytesIO()
    book.save(buffer)
    loaded = load(buffer.getvalue(), filename="12_04_08_E_CCTV정보.xlsx")
    assert loaded.generation == "G2"
    assert loaded.table.num_rows == 4
    assert refs(loaded, "installed_future") == ["sheet Sheet0, row 4"]
    csv_version = load("g2_busan_utf8_lf.csv")
    keep = ["inst_code", "camera_count", "retention_days", "installed_ym", "latitude"]
    assert loaded.table.select(keep).equals(csv_version.table.select(keep))


def test_not_standard_data_is_a_clear_error() -> None:
    with pytest.raises(StandardHeaderError, match="'구분', '설치대수', '비고', '담당부서'"):
        load("not_standard.csv")


# ---------------------------------------------------------------- quirks


def test_placeholder_coordinates_are_nulled_and_flagged() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "coord_placeholder") == ["csv, row 2"]
    assert "99.999999" in issues(loaded, "coord_placeholder")[0]["message"]
    assert rows(loaded)[2]["latitude"] is None and rows(loaded)[2]["longitude"] is None


@pytest.mark.parametrize(
    ("row", "code"),
    [(13, "coord_swapped"), (14, "coord_out_of_korea"), (15, "coord_zero")],
)
def test_bad_coordinates_are_nulled_and_flagged(row: int, code: str) -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, code) == [f"csv, row {row}"]
    assert rows(loaded)[row]["latitude"] is None


def test_a_dummy_point_under_many_rows_with_different_addresses_is_nulled() -> None:
    loaded = load("g3_gyeongsan_cp949_crlf.csv")
    flagged = refs(loaded, "coord_shared_point")
    assert flagged == [f"csv, row {n}" for n in range(2, 57)]
    assert "55개 행" in issues(loaded, "coord_shared_point")[0]["message"]
    assert rows(loaded)[2]["latitude"] is None
    assert rows(loaded)[60]["latitude"] == 35.9101  # the institution's other point


def test_many_rows_at_one_point_with_one_address_are_a_large_site_not_a_dummy() -> None:
    header = ",".join(G3)
    body = [
        f"5130000,{i:018d},경상북도 경산시청,경산시 한 곳 1,,생활방범,1,200,,30,200910,"
        "053-810-0000,35.8,128.7,2024-11-28,2024-11-28 17:00:12"
        for i in range(60)
    ]
    loaded = load(("\n".join([header, *body]) + "\n").encode("cp949"))
    assert refs(loaded, "coord_shared_point") == []


def test_retention_zero_is_unknown_except_for_traffic_information() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "retention_zero_unknown") == ["csv, row 9"]
    assert rows(loaded)[9]["retention_days"] is None
    assert rows(loaded)[9]["retention_raw"] == "0"
    assert rows(loaded)[10]["retention_days"] == 0  # 교통정보수집 stores nothing


def test_a_drag_fill_run_is_flagged_on_every_row_and_nulled_after_its_first() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "retention_drag_fill") == [f"csv, row {n}" for n in (5, 6, 7, 8)]
    assert [rows(loaded)[n]["retention_days"] for n in (5, 6, 7, 8)] == [30, None, None, None]
    assert [rows(loaded)[n]["retention_raw"] for n in (5, 6, 7, 8)] == ["30", "31", "32", "33"]


def test_a_blank_retention_is_null_and_counted_once_per_institution() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert rows(loaded)[11]["retention_days"] is None
    assert [(i["row_ref"], i["level"]) for i in issues(loaded, "retention_missing")] == [
        ("csv, row 11", "info")
    ]


def test_an_excel_serial_install_month_is_nulled() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "installed_excel_serial") == ["csv, row 3"]
    assert rows(loaded)[3]["installed_ym"] is None
    assert rows(loaded)[3]["installed_raw"] == "1905-07"
    daejeon = load("g4_daejeon_utf8bom_lf.csv")  # the YYYYMM form: 190507
    assert refs(daejeon, "installed_excel_serial") == ["csv, row 3"]


def test_install_months_after_the_reference_date_or_in_the_future_are_flagged() -> None:
    mapo = load("g1_mapo_cp949_cr.csv")
    assert refs(mapo, "installed_after_reference") == ["csv, row 12"]
    assert rows(mapo)[12]["installed_ym"] == "2019-10"  # kept
    busan = load("g2_busan_utf8_lf.csv")
    assert refs(busan, "installed_future") == ["csv, row 4"]
    assert issues(busan, "installed_future")[0]["level"] == "error"
    earlier = load("g2_busan_utf8_lf.csv", fetched_at=dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    assert refs(earlier, "installed_future") == []
    assert "csv, row 4" in refs(earlier, "installed_after_reference")


def test_an_install_month_in_the_other_form_is_normalised_and_noted_once() -> None:
    loaded = load("g4_daejeon_utf8bom_lf.csv")
    assert rows(loaded)[5]["installed_ym"] == "2019-05"
    noted = issues(loaded, "installed_format")
    assert [(i["row_ref"], i["level"]) for i in noted] == [("csv, row 5", "info")]
    assert "YYYYMM" in noted[0]["message"]


def test_a_phone_number_in_the_direction_column_is_flagged_as_a_column_shift() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "direction_is_phone") == ["csv, row 4"]
    assert rows(loaded)[4]["direction_text"] == "02-3153-0001"  # kept as written


def test_camera_and_pixel_counts_out_of_range() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert refs(loaded, "camera_count_high") == ["csv, row 15"]
    assert rows(loaded)[15]["camera_count"] == 104  # kept: the count is plausible
    assert refs(loaded, "pixels_out_of_range") == ["csv, row 15"]
    assert rows(loaded)[15]["pixels_10k"] is None
    assert rows(loaded)[16]["pixels_10k"] == 41  # 41만 화소 is in range


def test_purposes_map_through_the_alias_table_and_unmapped_ones_are_counted() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    assert rows(loaded)[16]["purpose"] == "생활방범"  # 방범용
    assert rows(loaded)[17]["purpose"] is None
    assert rows(loaded)[17]["purpose_raw"] == "물청소"
    assert refs(loaded, "purpose_unmapped") == ["csv, row 17"]
    assert standard_purpose(" 쓰레기불법투기") == "쓰레기단속"
    assert standard_purpose("시설안전 및 화재예방. 고객의 안전") is None  # no keyword guess


def test_a_repeated_management_number_is_flagged_on_each_row() -> None:
    loaded = load("g4_daejeon_utf8bom_lf.csv")
    assert refs(loaded, "duplicate_key") == ["csv, row 4", "csv, row 5"]


def test_names_resolve_to_codes_and_unknown_bodies_are_reported_once() -> None:
    mapo = load("g1_mapo_cp949_cr.csv")
    assert rows(mapo)[18]["inst_code"] is None
    unresolved = issues(mapo, "institution_unresolved")
    assert [(i["row_ref"], i["message"].endswith("기관코드를 비움")) for i in unresolved] == [
        ("csv, row 18", True)
    ]
    busan = rows(load("g2_busan_utf8_lf.csv"))
    assert busan[2]["inst_code"] == "3390000"  # 부산광역시 사상구
    assert busan[3]["inst_code"] == "3320000"  # 부산광역시 북구청


def test_an_ambiguous_short_name_is_settled_by_the_code_column() -> None:
    by_row = rows(load("g3_gyeongsan_cp949_crlf.csv"))
    assert by_row[57]["inst_name_raw"] == "중구청"
    assert by_row[57]["inst_code"] == "3650000"


def test_an_ambiguous_name_without_a_code_is_left_empty_and_reported() -> None:
    body = ",".join(G1) + "\n" + _g1_row().replace("서울특별시 마포구청", "중구청") + "\n"
    loaded = load(body.encode("utf-8"))
    assert loaded.table.column("inst_code").to_pylist() == [None]
    assert "3010000" in issues(loaded, "institution_ambiguous")[0]["message"]


def test_a_partial_extract_loads_names_its_broken_contract_and_finds_its_institution() -> None:
    loaded = load("partial_seongnam_cp949_crlf.csv")
    assert loaded.generation == "partial"
    contract = issues(loaded, "header_contract")
    assert [(i["level"], i["row_ref"]) for i in contract] == [("error", "csv, row 1")]
    assert loaded.table.column("reference_date").to_pylist() == [dt.date(2018, 4, 1)] * 2
    assert loaded.table.column("inst_code").to_pylist() == ["3780000"] * 2
    assert loaded.table.column("inst_name_raw").to_pylist() == [None, None]
    assert issues(loaded, "institution_from_address")[0]["level"] == "info"


def test_the_captures_institution_stands_in_for_a_missing_code_column() -> None:
    body = ",".join(G1) + "\n" + _g1_row().replace("서울특별시 마포구청", "중구청") + "\n"
    loaded = load(body.encode("utf-8"), inst_code="3010000")
    assert loaded.table.column("inst_code").to_pylist() == ["3010000"]


def test_issue_creation_is_one_row_per_row_and_quirk() -> None:
    loaded = load("g1_mapo_cp949_cr.csv")
    keys = [(i["code"], i["row_ref"]) for i in loaded.issues]
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------- sniffing and captures


@pytest.mark.parametrize(
    ("name", "generation"),
    [
        ("g1_mapo_cp949_cr.csv", "G1"),
        ("g2_busan_utf8_lf.csv", "G2"),
        ("g3_gyeongsan_cp949_crlf.csv", "G3"),
        ("g4_daejeon_utf8bom_lf.csv", "G4"),
        ("partial_seongnam_cp949_crlf.csv", "partial"),
        ("api_gimhae.json", "api"),
    ],
)
def test_sniffing_finds_the_generation_from_the_header_alone(name: str, generation: str) -> None:
    layout = sniff_standard((FILES / name).read_bytes(), name)
    assert layout is not None and layout.generation == generation


@pytest.mark.parametrize(
    "body", [b"<html><body><table><tr><td>x</td></tr></table></body></html>", b"%PDF-1.4", b""]
)
def test_sniffing_other_files_says_none(body: bytes) -> None:
    assert sniff_standard(body, "page.html") is None
    assert sniff_standard((FILES / "not_standard.csv").read_bytes(), "x.csv") is None


@dataclass
class FakeCapture:
    sha256: str
    url: str
    role: str = "standard"
    status: int = 200
    filename: str | None = None
    fetched_at: dt.datetime = FETCHED
    inst_code: str | None = None
    has_content: bool = True  # a 200 or a file brought in by hand


def test_load_captures_reads_each_standard_payload_once_and_reports_unreadable_ones() -> None:
    payloads = {
        "a": (FILES / "g2_busan_utf8_lf.csv").read_bytes(),
        "b": (FILES / "not_standard.csv").read_bytes(),
        "c": (FILES / "g4_daejeon_utf8bom_lf.csv").read_bytes(),
    }
    captures = [
        FakeCapture("a", "https://x/a.csv"),
        FakeCapture("a", "https://x/a-again.csv"),  # same bytes fetched twice
        FakeCapture("b", "https://x/b.csv"),
        FakeCapture("c", "https://x/c.csv", role="import"),  # not a standard capture
    ]
    loaded = load_captures(captures, payloads.__getitem__, RESOLVER)
    assert loaded.table.num_rows == 4
    assert set(loaded.table.column("capture_sha256").to_pylist()) == {"a"}
    unreadable = [i for i in loaded.issues if i["code"] == "standard_unreadable"]
    assert [(i["capture_sha256"], i["level"]) for i in unreadable] == [("b", "error")]


def test_load_captures_of_nothing_gives_empty_tables_with_the_schemas() -> None:
    loaded = load_captures([], {}.__getitem__, load_institutions())
    assert loaded.table.schema == STANDARD_POINTS and loaded.table.num_rows == 0
    assert loaded.issue_table.schema == QUALITY_ISSUES


# ---------------------------------------------------------------- views


def _views(points: pa.Table, cameras: list[dict]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    institutions = [
        {"inst_code": i.inst_code, "name": i.name, "level": i.level, "valid_from": i.valid_from}
        for i in load_institutions()
    ]
    tables = {
        "standard_points": points,
        "cameras": pa.Table.from_pylist(cameras, schema=CAMERAS),
        "institutions": pa.Table.from_pylist(institutions, schema=INSTITUTIONS),
        "policies": POLICIES.empty_table(),
    }
    for name, table in tables.items():
        con.register("incoming", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
        con.unregister("incoming")
    con.execute(VIEWS.read_text(encoding="utf-8"))
    return con


def _camera(inst: str, count: int, retention: int = 30, template: bool = False) -> dict:
    return {
        "inst_code": inst,
        "camera_count": count,
        "retention_days": retention,
        "recording": True,
        "is_template": template,
        "row_ref": "table 1, row 2",
        "capture_sha256": "p" * 64,
        "parser_version": "0.1.0",
    }


def test_policy_vs_standard_flags_follow_rule_22() -> None:
    busan = load("g2_busan_utf8_lf.csv").table  # 사상구 3 cameras, 북구 2, 중구 2
    gyeongsan = load("g3_gyeongsan_cp949_crlf.csv").table  # 경산시 56, 대전 중구 6
    cameras = [
        _camera("3390000", 3),  # equal → ok
        _camera("3320000", 1),  # standard 2 > 1.2 × 1, policy not below half → exceeds
        _camera("3250000", 0),  # no count → no_policy
        _camera("5130000", 20),  # 20 < 0.5 × 56 → below half
        _camera("3250000", 999, template=True),  # template rows never count
        _camera("3000000", 10),  # no standard rows → no_standard
    ]
    con = _views(pa.concat_tables([busan, gyeongsan]), cameras)
    got = dict(con.sql("SELECT inst_code, flag FROM policy_vs_standard").fetchall())
    assert got == {
        "3390000": "ok",
        "3320000": "standard_exceeds_policy",
        "3250000": "no_policy",
        "5130000": "policy_below_half",
        "3650000": "no_policy",
        "3000000": "no_standard",
    }
    ratio = con.sql("SELECT standard_to_policy FROM policy_vs_standard WHERE inst_code = '5130000'")
    assert ratio.fetchall()[0][0] == pytest.approx(56 / 20, abs=1e-3)


def test_standard_by_institution_and_retention_by_source() -> None:
    points = load("g1_mapo_cp949_cr.csv").table
    con = _views(points, [_camera("3130000", 10, retention=60), _camera("3130000", 5)])
    row = con.sql(
        "SELECT points, cameras, retention_min, retention_max, retention_days "
        "FROM standard_by_institution WHERE inst_code = '3130000'"
    ).fetchall()[0]
    assert row[:4] == (16, 120, 0, 30)  # the 마포경찰서 row is not 마포구's
    assert row[4] == {0: 1, 30: 10}  # drag-filled, zero and blank retention left out
    unresolved = con.sql(
        "SELECT name, points FROM standard_by_institution WHERE inst_code IS NULL"
    ).fetchall()
    assert unresolved == [("서울특별시 마포경찰서", 1)]
    side = con.sql(
        "SELECT row_retention_rows, row_retention_days_max, row_share_over_30, "
        "standard_points, standard_max "
        "FROM retention_by_source WHERE inst_code = '3130000'"
    ).fetchall()[0]
    assert side == (2, 60, 0.5, 11, 30)


def test_only_the_latest_file_of_an_institution_counts_as_current() -> None:
    old = load("g2_busan_utf8_lf.csv", capture_sha256="0" * 64).table
    text = (FILES / "g2_busan_utf8_lf.csv").read_text(encoding="utf-8")
    newer = text.replace("2022-06-08", "2025-01-31").replace("2024-07-15", "2025-01-31")
    new = load(newer.encode("utf-8"), capture_sha256="1" * 64).table
    con = _views(pa.concat_tables([old, new]), [])
    shas = con.sql("SELECT DISTINCT capture_sha256 FROM standard_current").fetchall()
    assert shas == [("1" * 64,)]


def test_the_csv_field_limit_holds_for_standard_data_whatever_another_library_set() -> None:
    """The csv module's limit is process-wide (frictionless raises it at import); the
    record-by-record reading of a ragged file keeps the readers' own limit."""
    from transforms.standard.read import read_source

    text = (FILES / "g2_busan_utf8_lf.csv").read_text(encoding="utf-8").splitlines()
    text.insert(2, "9,부산광역시 중구청,a,b,c")  # ragged: read record by record
    text.insert(3, '9,"' + "x" * 200_000 + '",a,b,c')
    body = ("\n".join(text) + "\n").encode("utf-8")
    previous = csv.field_size_limit(1 << 30)
    try:
        with pytest.raises(csv.Error, match="field larger"):
            read_source(body, "cctv.csv")
        assert csv.field_size_limit() == 1 << 30  # given back as it was
    finally:
        csv.field_size_limit(previous)
