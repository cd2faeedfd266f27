"""Exports read back: the standard-data CSV with the csv module in the encoding it states,
the regulators' workbook with openpyxl, from small warehouses built here."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from transforms.standard import detect_layout
from warehouse.build import view_files
from warehouse.exports import shared as export_shared
from warehouse.exports import standard_csv
from warehouse.exports.standard_csv import ExportEncodingError, export_standard
from warehouse.exports.workbook import export_excel
from warehouse.schema import TABLES

# domain.md §2.3, as delivered by 행정안전부_CCTV정보 (schema B).
HEADER_LINE = (
    "개방자치단체코드,관리번호,관리기관명,소재지도로명주소,소재지지번주소,설치목적구분,카메라대수,"
    "카메라화소수,촬영방면정보,보관일수,설치연월,관리기관전화번호,WGS84위도,WGS84경도,"
    "데이터기준일자,데이터갱신구분,데이터갱신시점,최종수정시점"
)
HEADER = HEADER_LINE.split(",")
AT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)  # 2026-11-03 00:30 in Korea
COMMA_PLACE = "본청 전체(각층), 종합민원실,주차장 등"
SHA = {name: hashlib.sha256(name.encode()).hexdigest() for name in ("mh", "seoul", "gs", "gsx")}
URL = {
    "mh": "https://www.michuhol.go.kr/policy",
    "seoul": "https://www.seoul.go.kr/policy",
    "gs": "https://www.gunsan.go.kr/policy",
    "gsx": "https://www.gunsan.go.kr/files/cctv.xlsx",
}


def _prov(key: str) -> dict[str, Any]:
    return {
        "capture_sha256": SHA[key],
        "source_url": URL[key],
        "fetched_at": AT,
        "parser_version": "test",
    }


def _camera(key: str, inst: str, ref: str, **values: Any) -> dict[str, Any]:
    return {"inst_code": inst, "row_ref": ref, "is_template": False, **values, **_prov(key)}


def _institution(code: str, name: str, **era: Any) -> dict[str, Any]:
    return {"inst_code": code, "name": name, "level": "gu", **era}


def _policy(key: str, inst: str, items: list[int], template: bool, rmin: Any, rmax: Any) -> dict:
    return {
        "inst_code": inst,
        "title": f"{inst} 영상정보처리기기 운영·관리 방침",
        "items_present": items,
        "is_template": template,
        "retention_days_min": rmin,
        "retention_days_max": rmax,
        **_prov(key),
    }


def _issue(level: str, code: str, inst: str, key: str | None = None) -> dict[str, Any]:
    return {
        "level": level,
        "code": code,
        "message": f"{code} 확인 필요",
        "stage": "parse",
        "inst_code": inst,
        "capture_sha256": SHA[key] if key else None,
        "source_url": URL[key] if key else None,
    }


def _capture(key: str, inst: str, role: str) -> dict[str, Any]:
    return {
        "sha256": SHA[key],
        "url": URL[key],
        "status": 200,
        "fetched_at": AT,
        "inst_code": inst,
        "role": role,
        "warc_file": "test.warc.gz",
        "warc_offset": 0,
        "record_type": "response",
        "crawl_id": "crawl-1",
    }


def sample_tables() -> dict[str, list[dict[str, Any]]]:
    """Four institutions: 미추홀구 (complete policy, a 45-day row), 서울 (template page),
    군산 (renamed on 2024-01-18, a 400-day row from an attachment), 세종 (no policy)."""
    return {
        "institutions": [
            _institution("3510500", "인천광역시 미추홀구"),
            _institution("6110000", "서울특별시", level="sido"),
            _institution("4671000", "전라북도 군산시", valid_to=dt.date(2024, 1, 18)),
            _institution("4671000", "전북특별자치도 군산시", valid_from=dt.date(2024, 1, 18)),
            _institution("5690000", "세종특별자치시"),
        ],
        "captures": [
            _capture("mh", "3510500", "policy"),
            _capture("seoul", "6110000", "policy"),
            _capture("gs", "4671000", "policy"),
            _capture("gsx", "4671000", "attachment"),
        ],
        "policies": [
            _policy("mh", "3510500", [1, 2, 3, 4, 5, 6, 7, 8], False, 7, 45),
            _policy("seoul", "6110000", [1, 2, 3, 4], True, None, None),
            _policy("gs", "4671000", [1, 2, 3, 4, 5, 6], False, 30, 400),
        ],
        "cameras": [
            _camera(
                "mh",
                "3510500",
                "table 1, row 2",
                purpose="다목적",
                camera_count=20,
                location=COMMA_PLACE,
                recording=True,
                retention_days=30,
                phone="032-880-4032",
                latitude=37.4635,
                longitude=126.650158,
            ),
            _camera(
                "mh",
                "3510500",
                "table 1, row 3",
                purpose="다목적",
                camera_count=5,
                location="민방위교육장",
                recording=False,
                retention_days=0,
                retention_raw="녹화무",
            ),
            _camera(
                "mh",
                "3510500",
                "table 1, row 4",
                purpose="시설물관리",
                camera_count=3,
                location='"정문" 앞',
                recording=True,
                retention_days=45,
            ),
            _camera("mh", "3510500", "table 1, row 5", location="주차장"),
            {**_camera("seoul", "6110000", "table 1, row 2", location="○○"), "is_template": True},
            _camera(
                "gsx",
                "4671000",
                "sheet 1, row 2",
                purpose="생활방범",
                camera_count=12,
                location="수송동 123",
                recording=True,
                retention_days=400,
            ),
        ],
        "quality_issues": [
            _issue("error", "retention_out_of_range", "4671000", "gsx"),
            _issue("warning", "retention_over_30", "3510500", "mh"),
            _issue("info", "retention_missing", "3510500", "mh"),
            _issue("info", "template_inventory", "6110000", "seoul"),
        ],
    }


def make_warehouse(
    path: Path, tables: dict[str, list[dict[str, Any]]] | None = None, *extra_sql: str
) -> Path:
    """A warehouse laid out as the build writes it: every table of the schema, the views."""
    tables = sample_tables() if tables is None else tables
    con = duckdb.connect(str(path))
    try:
        for name, schema in TABLES.items():
            con.register("incoming", pa.Table.from_pylist(tables.get(name, []), schema=schema))
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        for sql in view_files():
            con.execute(sql.read_text(encoding="utf-8"))
        for sql in extra_sql:
            con.execute(sql)
    finally:
        con.close()
    return path


STANDARD_SQL = (
    f"""
    CREATE OR REPLACE TABLE standard_points AS
    SELECT * FROM (VALUES
        ('3510500', 10, '{hashlib.sha256(b"std").hexdigest()}', 'https://data.go.kr/cctv.csv',
         TIMESTAMPTZ '2026-11-01 00:00:00+00'),
        ('4671000', 40, '{hashlib.sha256(b"std").hexdigest()}', 'https://data.go.kr/cctv.csv',
         TIMESTAMPTZ '2026-11-01 00:00:00+00'),
        ('3000000', 7, '{hashlib.sha256(b"std").hexdigest()}', 'https://data.go.kr/cctv.csv',
         TIMESTAMPTZ '2026-11-01 00:00:00+00')
    ) t(inst_code, camera_count, capture_sha256, source_url, fetched_at)
    """,
    """
    CREATE OR REPLACE VIEW policy_vs_standard AS
    SELECT inst_code, c.policy_cameras, s.standard_cameras,
           s.standard_cameras / c.policy_cameras AS standard_to_policy,
           CASE WHEN c.policy_cameras IS NULL THEN 'no_policy' ELSE 'ok' END AS flag
    FROM (SELECT inst_code, sum(camera_count) AS policy_cameras FROM cameras
          WHERE NOT is_template GROUP BY ALL) c
    FULL JOIN (SELECT inst_code, sum(camera_count) AS standard_cameras FROM standard_points
          GROUP BY ALL) s USING (inst_code)
    ORDER BY inst_code
    """,
)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "cctv.duckdb")


def read_csv(path: Path, encoding: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


# ---------------------------------------------------------------------------- CSV


def test_standard_csv_is_schema_b_with_one_row_per_camera_row(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "standard.csv"
    written = export_standard(warehouse, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == HEADER_LINE
    rows = read_csv(out, "utf-8-sig")
    assert rows[0] == HEADER
    assert detect_layout(rows[0]).generation == "G4"  # and `cctv import` reads it back
    assert written == len(rows) - 1 == 5  # six camera rows, one of them a template


def test_standard_csv_values_unknowns_and_quoting(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "standard.csv"
    export_standard(warehouse, out)
    text = out.read_text(encoding="utf-8-sig")
    assert f'"{COMMA_PLACE}"' in text and '"""정문"" 앞"' in text
    rows = by_header(read_csv(out, "utf-8-sig"))
    first = rows[0]
    assert first == {
        **dict.fromkeys(HEADER, ""),
        "개방자치단체코드": "3510500",
        "관리기관명": "인천광역시 미추홀구",
        "소재지지번주소": COMMA_PLACE,
        "설치목적구분": "다목적",
        "카메라대수": "20",
        "보관일수": "30",
        "관리기관전화번호": "032-880-4032",
        "WGS84위도": "37.4635",
        "WGS84경도": "126.650158",
        "데이터기준일자": "2026-11-03",
        "데이터갱신시점": "2026-11-03 00:30:00",
    }
    assert rows[1]["보관일수"] == "0"  # stated 녹화무, not unknown
    unknown = rows[3]
    assert unknown["소재지지번주소"] == "주차장"
    assert unknown["카메라대수"] == unknown["보관일수"] == unknown["설치목적구분"] == ""
    assert "○○" not in text  # the template row stays out
    gunsan = [r for r in rows if r["개방자치단체코드"] == "4671000"]
    assert [r["관리기관명"] for r in gunsan] == ["전북특별자치도 군산시"]  # name of its era
    assert sum(int(r["카메라대수"] or 0) for r in rows) == 40


def test_standard_csv_cp949_round_trip(warehouse: Path, tmp_path: Path) -> None:
    utf8, legacy = tmp_path / "utf8.csv", tmp_path / "cp949.csv"
    export_standard(warehouse, utf8)
    assert export_standard(warehouse, legacy, encoding="cp949") == 5
    raw = legacy.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(raw.decode("cp949"), newline=""))) == read_csv(
        utf8, "utf-8-sig"
    )


def test_cp949_refuses_a_character_it_cannot_hold(tmp_path: Path) -> None:
    tables = sample_tables()
    tables["cameras"].append(
        _camera("gsx", "4671000", "sheet 1, row 3", camera_count=1, location="수송동 – 나운동")
    )
    db = make_warehouse(tmp_path / "cctv.duckdb", tables)
    out = tmp_path / "cp949.csv"
    with pytest.raises(ExportEncodingError) as caught:
        export_standard(db, out, encoding="cp949")
    assert (caught.value.row, caught.value.column) == (6, "소재지지번주소")
    assert caught.value.row_ref == "sheet 1, row 3"
    assert "U+2013" in str(caught.value) and "4671000" in str(caught.value)
    assert not out.exists() and list(tmp_path.glob(".cp949.csv-*")) == []
    assert export_standard(db, out) == 6  # UTF-8 holds it


def test_cp949_refusal_names_the_first_bad_row_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of two: the first bad row is the second of the third batch; a later one in
    # the same batch and one in the next batch are not the one named.
    monkeypatch.setattr(standard_csv, "_BATCH", 2)
    tables = sample_tables()
    for n, place in enumerate(["가", "나 – 1", "다 – 2", "라", "마 😀"]):
        tables["cameras"].append(
            _camera("gsx", "4671000", f"sheet 1, row {n}", camera_count=1, location=place)
        )
    db = make_warehouse(tmp_path / "cctv.duckdb", tables)
    with pytest.raises(ExportEncodingError) as caught:
        export_standard(db, tmp_path / "cp949.csv", encoding="cp949")
    assert str(caught.value) == (
        "row 7 (institution 4671000, sheet 1, row 1): 소재지지번주소 '나 – 1' contains '–' "
        "(U+2013), which cp949 cannot encode; export with encoding utf-8 instead"
    )
    assert (caught.value.row, caught.value.inst_code, caught.value.row_ref) == (
        7,
        "4671000",
        "sheet 1, row 1",
    )
    assert caught.value.column == "소재지지번주소"


def test_coordinates_keep_the_sign_of_zero_and_drop_trailing_zeros(tmp_path: Path) -> None:
    tables = {"cameras": [], "institutions": sample_tables()["institutions"]}
    for n, (lat, lon) in enumerate([(0.0, -0.0), (-0.0, 0.0), (37.5, -126.10000000), (1e-9, None)]):
        tables["cameras"].append(_camera("gsx", "4671000", f"row {n}", latitude=lat, longitude=lon))
    out = tmp_path / "s.csv"
    export_standard(make_warehouse(tmp_path / "cctv.duckdb", tables), out)
    rows = read_csv(out, "utf-8-sig")[1:]
    assert [(r[12], r[13]) for r in rows] == [
        ("0", "-0"),
        ("-0", "0"),
        ("37.5", "-126.1"),
        ("0", ""),
    ]


def test_unsupported_encoding_is_refused(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="utf-8 or cp949"):
        export_standard(warehouse, tmp_path / "x.csv", encoding="latin-1")


def test_empty_warehouses_export_a_header(tmp_path: Path) -> None:
    built = make_warehouse(tmp_path / "empty.duckdb", {})
    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()  # a file without a single table
    for db in (built, bare):
        out = tmp_path / f"{db.stem}.csv"
        assert export_standard(db, out) == 0
        assert read_csv(out, "utf-8-sig") == [HEADER]


def test_a_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="cctv build"):
        export_standard(tmp_path / "none.duckdb", tmp_path / "x.csv")


# ---------------------------------------------------------------------------- workbook


def column(ws: Worksheet, header: str, header_row: int = 1) -> str:
    for cell in ws[header_row]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header!r} in {ws.title}")


def rules(ws: Worksheet) -> dict[str, list]:
    return {str(cf.sqref): list(cf.rules) for cf in ws.conditional_formatting}


def record(ws: Worksheet, row: int, header_row: int = 1) -> dict[str, Any]:
    headers = [c.value for c in ws[header_row]]
    return dict(zip(headers, [c.value for c in ws[row]], strict=True))


def test_workbook_sheets_frozen_headers_and_filters(warehouse: Path, tmp_path: Path) -> None:
    out = export_excel(warehouse, tmp_path / "compare.xlsx")
    assert out == tmp_path / "compare.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["기관별 비교", "보관기간", "필수항목", "품질이슈", "출처", "설명"]
    for ws in wb.worksheets:
        header_row = 7 if ws.title in ("출처", "설명") else 1
        assert ws.freeze_panes == f"A{header_row + 1}", ws.title
        last = ws.cell(header_row, ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A{header_row}:{last}{ws.max_row}", ws.title
        assert all(c.font.bold for c in ws[header_row]), ws.title
        assert ws.column_dimensions["B"].width >= 8
    assert wb["기관별 비교"].max_row == 5  # one row per institution
    assert wb["품질이슈"].max_row == 5


def test_workbook_first_rows_per_institution(warehouse: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(export_excel(warehouse, tmp_path / "c.xlsx"))
    ws = wb["기관별 비교"]
    assert record(ws, 2) == {
        "기관코드": "3510500",
        "기관명": "인천광역시 미추홀구",
        "방침 수집": "있음",
        "기재 항목(1–8)": "1,2,3,4,5,6,7,8",
        "필수 기재사항 수(1–7)": 7,
        "서식(템플릿) 여부": "아니오",
        "방침 보관기간 최소(일)": 7,
        "방침 보관기간 최대(일)": 45,
        "카메라 행 수": 4,
        "카메라 대수 합계": 28,
        "표준데이터 카메라 대수": None,
        "표준데이터/방침 대수 비율": None,
        "품질이슈 오류": 0,
        "품질이슈 경고": 1,
        "품질이슈 참고": 1,
    }
    rest = {r["기관코드"]: r for r in (record(ws, n) for n in range(3, 6))}
    assert rest["4671000"]["기관명"] == "전북특별자치도 군산시"
    assert rest["4671000"]["필수 기재사항 수(1–7)"] == 6 and rest["4671000"]["품질이슈 오류"] == 1
    assert rest["6110000"]["서식(템플릿) 여부"] == "예" and rest["6110000"]["카메라 행 수"] == 0
    assert rest["6110000"]["카메라 대수 합계"] is None  # no rows: unknown, not 0
    no_policy = rest["5690000"]
    assert no_policy["방침 수집"] == "없음"
    assert no_policy["기재 항목(1–8)"] is None and no_policy["필수 기재사항 수(1–7)"] is None
    # Without standard data the columns are blank and say why.
    note = ws[f"{column(ws, '표준데이터/방침 대수 비율')}1"].comment
    assert note is not None and "policy_vs_standard" in note.text

    retention = record(wb["보관기간"], 2)
    assert retention["카메라 행 보관기간 최대(일)"] == 45 and retention["30일 초과 보관 행 수"] == 1
    assert retention["보관기간 미기재 행 수"] == 1
    coverage = record(wb["필수항목"], 2)
    assert coverage["제1호 설치 근거·목적"] == "○" and coverage["필수 기재사항 수(1–7)"] == 7
    assert coverage["수집 시각(KST)"] == dt.datetime(2026, 11, 3, 0, 30)
    seoul = [
        record(wb["필수항목"], n) for n in range(2, 5) if wb["필수항목"][f"A{n}"].value == "6110000"
    ]
    assert seoul[0]["누락 항목(1–8)"] == "5,6,7,8" and seoul[0]["제5호 확인 방법·장소"] == "×"
    first_issue = record(wb["품질이슈"], 2)
    assert first_issue["심각도"] == "오류" and first_issue["기관명"] == "전북특별자치도 군산시"


def test_workbook_conditional_formats_sit_on_the_right_ranges(
    warehouse: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(export_excel(warehouse, tmp_path / "c.xlsx"))
    ws = wb["기관별 비교"]
    found = rules(ws)
    for header in ("방침 보관기간 최소(일)", "방침 보관기간 최대(일)"):
        letter = column(ws, header)
        red, orange = found[f"{letter}2:{letter}5"]
        assert (red.type, red.operator, red.formula) == ("cellIs", "greaterThan", ["365"])
        assert (orange.operator, orange.formula) == ("greaterThan", ["30"])
        assert red.dxf.fill.fgColor.rgb.endswith("FFC7CE")
        assert orange.dxf.fill.fgColor.rgb.endswith("FFD8A8")
    letter = column(ws, "필수 기재사항 수(1–7)")
    red, orange = found[f"{letter}2:{letter}5"]
    assert red.formula == [f"AND(ISNUMBER({letter}2),{letter}2<5)"]
    assert orange.formula == [f"AND(ISNUMBER({letter}2),{letter}2<7)"]
    letter = column(ws, "표준데이터/방침 대수 비율")
    (ratio,) = found[f"{letter}2:{letter}5"]
    assert ratio.formula == [f"AND(ISNUMBER({letter}2),OR({letter}2<0.5,{letter}2>1.2))"]
    assert len(found) == 4

    assert set(rules(wb["보관기간"])) == {f"{c}2:{c}5" for c in "CDEFG"}
    coverage = wb["필수항목"]
    letter = column(coverage, "필수 기재사항 수(1–7)")
    assert set(rules(coverage)) == {f"{letter}2:{letter}4"}


def test_sources_sheet_lists_every_capture_and_the_build_time(
    warehouse: Path, tmp_path: Path
) -> None:
    (warehouse.parent / "build.json").write_text(
        '{"built_at": "2026-11-02T16:00:00+00:00"}', encoding="utf-8"
    )
    ws = openpyxl.load_workbook(export_excel(warehouse, tmp_path / "c.xlsx"))["출처"]
    meta = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 6)}
    assert meta["웨어하우스"] == str(warehouse)
    assert meta["웨어하우스 빌드 시각(KST, build.json)"] == dt.datetime(2026, 11, 3, 1, 0)
    assert isinstance(meta["통합문서 작성 시각(KST)"], dt.datetime)
    assert "policy_vs_standard" in meta["표준데이터"]
    assert meta["사용한 캡처 수"] == 4
    captures = {record(ws, r, 7)["SHA-256"]: record(ws, r, 7) for r in range(8, ws.max_row + 1)}
    assert set(captures) == set(SHA.values())
    attachment = captures[SHA["gsx"]]
    assert attachment == {
        "기관코드": "4671000",
        "기관명": "전북특별자치도 군산시",
        "수집 목적": "첨부파일",
        "URL": URL["gsx"],
        "SHA-256": SHA["gsx"],
        "수집 시각(KST)": dt.datetime(2026, 11, 3, 0, 30),
        "사용처": "방침의 설치 현황, 품질 이슈",
    }


def test_workbook_with_standard_data_reconciles(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "cctv.duckdb", None, *STANDARD_SQL)
    wb = openpyxl.load_workbook(export_excel(db, tmp_path / "c.xlsx"))
    assert wb.sheetnames == [
        "기관별 비교",
        "보관기간",
        "필수항목",
        "품질이슈",
        "재고 대조",
        "출처",
        "설명",
    ]
    ws = wb["기관별 비교"]
    rows = {r["기관코드"]: r for r in (record(ws, n) for n in range(2, ws.max_row + 1))}
    assert list(rows) == ["3000000", "3510500", "4671000", "5690000", "6110000"]
    only_standard = rows["3000000"]  # in the national data, no policy page read
    assert (only_standard["방침 수집"], only_standard["기관명"]) == ("없음", None)
    assert (
        only_standard["표준데이터 카메라 대수"],
        only_standard["표준데이터/방침 대수 비율"],
    ) == (7, None)
    assert only_standard["카메라 행 수"] == 0 and only_standard["품질이슈 오류"] == 0
    assert rows["3510500"]["표준데이터 카메라 대수"] == 10
    assert rows["3510500"]["표준데이터/방침 대수 비율"] == pytest.approx(10 / 28)
    assert rows["4671000"]["표준데이터/방침 대수 비율"] == pytest.approx(40 / 12)
    assert rows["5690000"]["표준데이터/방침 대수 비율"] is None
    assert ws["L1"].comment is None
    (ratio,) = rules(ws)["L2:L6"]

    stock = wb["재고 대조"]
    assert [c.value for c in stock[1]] == [
        "기관코드",
        "방침 카메라 대수",
        "표준데이터 카메라 대수",
        "표준데이터/방침 대수 비율",
        "대조 결과",
    ]
    assert stock.freeze_panes == "A2" and stock.auto_filter.ref == "A1:E4"
    assert [c.value for c in stock["E"][1:]] == ["방침 없음", "정상", "정상"]
    assert [c.value for c in stock["A"][1:]] == ["3000000", "3510500", "4671000"]
    (ratio,) = rules(stock)["D2:D4"]
    assert "1.2" in ratio.formula[0]
    sources = wb["출처"]
    used = [sources.cell(r, 7).value for r in range(8, sources.max_row + 1)]
    assert "전국CCTV표준데이터" in used


def test_a_view_over_no_standard_rows_is_no_standard_data(tmp_path: Path) -> None:
    db = make_warehouse(
        tmp_path / "cctv.duckdb", None, *STANDARD_SQL, "DELETE FROM standard_points"
    )
    wb = openpyxl.load_workbook(export_excel(db, tmp_path / "c.xlsx"))
    assert "재고 대조" not in wb.sheetnames
    assert "standard_points" in wb["기관별 비교"]["L1"].comment.text


def test_workbook_of_an_empty_warehouse(tmp_path: Path) -> None:
    for db in (make_warehouse(tmp_path / "empty.duckdb", {}), tmp_path / "bare.duckdb"):
        if not db.exists():
            duckdb.connect(str(db)).close()
        wb = openpyxl.load_workbook(export_excel(db, tmp_path / f"{db.stem}.xlsx"))
        assert wb.sheetnames == ["기관별 비교", "보관기간", "필수항목", "품질이슈", "출처", "설명"]
        ws = wb["기관별 비교"]
        assert ws.max_row == 1 and ws.auto_filter.ref == "A1:O1" and ws.freeze_panes == "A2"
        assert wb["출처"]["B5"].value == 0


def test_exports_open_the_warehouse_read_only(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = warehouse.read_bytes()
    opened: list[bool] = []
    real_connect = duckdb.connect

    def spy(database: str, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        opened.append(kwargs.get("read_only", False))
        return real_connect(database, **kwargs)

    monkeypatch.setattr(export_shared.duckdb, "connect", spy)
    export_standard(warehouse, tmp_path / "s.csv")
    export_excel(warehouse, tmp_path / "c.xlsx")
    assert opened == [True, True]
    assert warehouse.read_bytes() == before


# ---------------------------------------------------------------------------- in Korean


def test_the_legend_sheet_explains_every_column_and_flag(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "cctv.duckdb", None, *STANDARD_SQL)
    wb = openpyxl.load_workbook(export_excel(db, tmp_path / "c.xlsx"))
    legend = wb["설명"]
    notes = {legend.cell(r, 1).value: legend.cell(r, 2).value for r in range(1, 6)}
    assert "빈 칸" in notes and "0은 실제로 0" in notes["빈 칸"]  # how missing values look
    rows = [record(legend, r, 7) for r in range(8, legend.max_row + 1)]
    described = {(r["시트"], r["열"]) for r in rows if r["값"] is None}
    for ws in wb.worksheets[:-1]:
        header_row = 7 if ws.title == "출처" else 1
        for cell in ws[header_row]:
            assert (ws.title, cell.value) in described, (ws.title, cell.value)
    assert all(r["뜻"] for r in rows if r["값"] is None)
    values = {(r["시트"], r["열"], r["값"]): r["뜻"] for r in rows if r["값"] is not None}
    assert values[("기관별 비교", "서식(템플릿) 여부", "빈 칸")].startswith("판단할 자료가 없음")
    assert values[("필수항목", "제3호 관리책임자·접근권한", "×")] == "다루지 않음"
    assert {("품질이슈", "심각도", level) for level in ("오류", "경고", "참고")} <= set(values)
    assert ("재고 대조", "대조 결과", "방침 대수가 표준데이터의 절반 미만") in values
    units = {(r["시트"], r["열"]): r["단위"] for r in rows if r["값"] is None}
    assert units[("기관별 비교", "카메라 대수 합계")] == "대"
    assert units[("재고 대조", "표준데이터 카메라 대수")] == "대"
    assert units[("보관기간", "방침 보관기간 최대(일)")] == "일"


ENGLISH_VALUE = re.compile(r"^[a-z_]+$")


def test_every_sheet_shows_korean_values_and_integers_as_numbers(
    warehouse: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(export_excel(warehouse, tmp_path / "c.xlsx"))
    for ws in wb.worksheets:
        header_row = 7 if ws.title in ("출처", "설명") else 1
        headers = [c.value for c in ws[header_row]]
        assert all(h and not ENGLISH_VALUE.match(h) for h in headers), ws.title
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                if headers[cell.column - 1] in ("이슈 코드", "파서 버전", "웨어하우스 원천(표.열)"):
                    continue  # keys as Data Docs and SQL name them; a version
                if isinstance(cell.value, str):  # no code word such as "attachment"
                    assert not ENGLISH_VALUE.match(cell.value), (ws.title, cell.value)
                if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    assert cell.number_format == "#,##0", (ws.title, cell.coordinate)
                assert cell.value not in ("None", "nan", "NaN", "–"), (ws.title, cell.coordinate)
    issues = wb["품질이슈"]
    first = record(issues, 2)
    assert (first["심각도"], first["이슈"], first["단계"]) == (
        "오류",
        "보관일수가 허용 범위 밖",
        "해석",
    )
    assert first["이슈 코드"] == "retention_out_of_range"
    levels = {record(issues, r)["심각도"] for r in range(2, issues.max_row + 1)}
    assert levels == {"오류", "경고", "참고"}
    comparison = wb["기관별 비교"]
    cameras = comparison[f"{column(comparison, '카메라 대수 합계')}2"]
    assert cameras.value == 28 and cameras.number_format == "#,##0"
