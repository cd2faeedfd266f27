"""The SQLite copy `cctv serve` shows, made from a small warehouse built in the test with the
build's own tables and views: every table and view arrives with its rows, values SQLite
has no type for read as text, rows link to their institution and archived document, the
facet columns say the right thing, and the copy is reused, remade or left alone as it
should be. `small_warehouse` is shared with the other serve tests."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from archive.paths import data_paths
from warehouse.build import create_warehouse
from warehouse.schema import TABLES
from warehouse.serve.copy import (
    DIRECTORY,
    DOCUMENTS,
    VIEWS,
    CopyFailed,
    copy_path,
    make_copy,
)

AT = dt.datetime(2026, 9, 14, 23, 0, tzinfo=dt.UTC)
GIMCHEON, JONGNO, MICHUHOL = "5060000", "3000000", "3510500"
SEOUL, GYEONGBUK = "6110000", "6470000"
SHA = {GIMCHEON: "a" * 64, JONGNO: "b" * 64, MICHUHOL: "c" * 64, "standard": "d" * 64}
URL = {code: f"https://www.{code}.go.kr/cctv.do" for code in (GIMCHEON, JONGNO, MICHUHOL)}
URL["standard"] = "https://www.data.go.kr/standard.csv"
HOSTILE_TITLE = '방침 <script>alert(1)</script><a href="javascript:alert(2)">x</a>'


def _institution(code: str, name: str, level: str, parent: str | None, **extra: Any) -> dict:
    return {
        "inst_code": code,
        "name": name,
        "short_name": name.split(" ")[-1],
        "level": level,
        "parent_code": parent,
        "homepage": f"https://www.{code}.go.kr",
        "crawled": code in URL,
        **extra,
    }


def _capture(key: str, record_type: str, at: dt.datetime, offset: int) -> dict:
    return {
        "sha256": SHA[key],
        "url": URL[key],
        "status": 200,
        "media_type": "text/html",
        "size_bytes": 1_000,
        "fetched_at": at,
        "inst_code": None if key == "standard" else key,
        "role": "standard" if key == "standard" else "policy",
        "warc_file": "crawl-1.warc.gz",
        "warc_offset": offset,
        "warc_length": 500,
        "record_type": record_type,
        "crawl_id": "crawl-1",
    }


def _provenance(key: str) -> dict:
    return {
        "capture_sha256": SHA[key],
        "source_url": URL[key],
        "fetched_at": AT,
        "parser_version": "0.2.0",
    }


def _policy(code: str, items: list[int], retention: int | None) -> dict:
    return {
        "inst_code": code,
        "title": "영상정보처리기기 운영·관리 방침",
        "items_present": items,
        "is_template": False,
        "retention_days_min": retention,
        "retention_days_max": retention,
        "storage_locations": ["관제센터"],
        "enacted_on": dt.date(2012, 3, 30),
        "camera_rows": 1,
        **_provenance(code),
    }


def _camera(code: str, purpose: str, count: int, retention: int | None, row: int, **extra: Any):
    return {
        "inst_code": code,
        "purpose": purpose,
        "camera_count": count,
        "retention_days": retention,
        "recording": True,
        "is_template": False,
        "source_kind": "page",
        "row_ref": f"table 1, row {row}",
        **_provenance(code),
        **extra,
    }


def _point(code: str, cameras: int, row: int) -> dict:
    return {
        "inst_code": code,
        "purpose": "생활방범",
        "camera_count": cameras,
        "retention_days": 30,
        "reference_date": dt.date(2026, 6, 30),
        "schema_generation": "G4",
        "row_number": row,
        "row_ref": f"csv, row {row}",
        **_provenance("standard"),
    }


def _version(code: str, version: int, start: dt.datetime, **extra: Any) -> dict:
    return {
        "inst_code": code,
        "version": version,
        "content_hash": f"{code}-{version}",
        "valid_from": start,
        "is_current": True,
        "first_capture_sha256": SHA[code],
        "last_capture_sha256": SHA[code],
        "captures": 1,
        "title": "영상정보처리기기 운영·관리 방침",
        "retention_days_max": 30,
        "camera_total": 5,
        "source_url": URL[code],
        "parser_version": "0.2.0",
        **extra,
    }


# 김천 keeps footage 60 days and its standard data lists more cameras than its policy;
# 종로 states four items only and its policy lists a quarter of its standard data's
# cameras; 미추홀 states no retention. 종로's policy changed on 2026-06-01; 김천's second
# version is the parser's rereading, not a change.
ROWS: dict[str, list[dict]] = {
    "institutions": [
        _institution(SEOUL, "서울특별시", "sido", None),
        _institution(GYEONGBUK, "경상북도", "sido", None),
        _institution(JONGNO, "서울특별시 종로구", "gu", SEOUL),
        _institution(GIMCHEON, "경상북도 금릉군", "gun", GYEONGBUK, valid_to=dt.date(1995, 1, 1)),
        _institution(GIMCHEON, "경상북도 김천시", "si", GYEONGBUK, valid_from=dt.date(1995, 1, 1)),
        _institution(MICHUHOL, "인천광역시 미추홀구", "gu", "6280000"),
    ],
    "captures": [
        _capture(GIMCHEON, "revisit", AT + dt.timedelta(days=1), 5_000),
        _capture(GIMCHEON, "response", AT, 1_000),
        _capture(JONGNO, "response", AT, 2_000),
        _capture(MICHUHOL, "response", AT, 3_000),
        _capture("standard", "resource", AT, 4_000),
    ],
    "policies": [
        _policy(GIMCHEON, [1, 2, 3, 4, 5, 6, 7], 60),
        _policy(JONGNO, [1, 2, 4, 8], 30),
        {**_policy(MICHUHOL, [1, 2, 3, 4, 5, 6, 7, 8], None), "title": HOSTILE_TITLE},
    ],
    "cameras": [
        _camera(GIMCHEON, "생활방범", 11, 60, 1),
        _camera(JONGNO, "교통단속", 5, 30, 1),
        _camera(JONGNO, "생활방범", 9, 30, 2, is_template=True),
        _camera(MICHUHOL, "생활방범", 100, 10, 1),
    ],
    "standard_points": [
        _point(GIMCHEON, 14, 2),
        _point(JONGNO, 20, 3),
        _point(MICHUHOL, 30, 4),
    ],
    "policy_versions": [
        _version(JONGNO, 1, AT - dt.timedelta(days=300), is_current=False),
        _version(JONGNO, 2, dt.datetime(2026, 6, 1, tzinfo=dt.UTC)),
        _version(GIMCHEON, 1, AT - dt.timedelta(days=300), is_current=False),
        _version(GIMCHEON, 2, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), rederived_from="0.1.0"),
        _version(MICHUHOL, 1, AT - dt.timedelta(days=300)),
    ],
    "quality_issues": [
        {
            "level": "error",
            "code": "retention_unparsed",
            "message": "보관기간을 읽을 수 없음",
            "stage": "parse",
            "inst_code": JONGNO,
            "row_ref": "table 1, row 2",
            "capture_sha256": SHA[JONGNO],
            "source_url": URL[JONGNO],
            "parser_version": "0.2.0",
        }
    ],
}


def small_warehouse(data_dir: Path) -> Path:
    """A warehouse of three institutions at data_dir/warehouse/cctv.duckdb, built with the
    build's own tables and views; the data directory."""
    paths = data_paths(data_dir)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.duckdb))
    try:
        create_warehouse(
            con,
            {
                name: pa.Table.from_pylist(ROWS.get(name, []), schema=schema)
                for name, schema in TABLES.items()
            },
        )
    finally:
        con.close()
    return paths.root


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return small_warehouse(tmp_path / "data")


def _copy(data_dir: Path, **kwargs: Any) -> Path:
    paths = data_paths(data_dir)
    return make_copy(paths.duckdb, paths.root / "serve", **kwargs).path


def _rows(path: Path, sql: str, *args: object) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_every_public_table_and_view_is_copied_with_its_rows(data_dir: Path) -> None:
    copy = _copy(data_dir)
    con = duckdb.connect(str(data_paths(data_dir).duckdb), read_only=True)
    try:
        for name in [*TABLES, *VIEWS]:
            expected = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()
            assert _rows(copy, f'SELECT count(*) FROM "{name}"') == expected, name
        codes = con.execute("SELECT count(DISTINCT inst_code) FROM institutions").fetchall()
    finally:
        con.close()
    assert _rows(copy, f"SELECT count(*) FROM {DIRECTORY}") == codes
    assert _rows(copy, f"SELECT count(*) FROM {DOCUMENTS}") == [(4,)]


def test_values_sqlite_has_no_type_for_are_readable_text(data_dir: Path) -> None:
    copy = _copy(data_dir)
    (row,) = _rows(
        copy,
        "SELECT items_present, storage_locations, enacted_on, fetched_at, is_template "
        "FROM policies WHERE inst_code = ?",
        JONGNO,
    )
    assert json.loads(row[0]) == [1, 2, 4, 8]
    assert json.loads(row[1]) == ["관제센터"]
    assert row[2:] == ("2012-03-30", "2026-09-14T23:00:00.000000Z", 0)
    # sums are whole numbers, not DuckDB's 128-bit integers turned into floats
    (total,) = _rows(copy, "SELECT camera_total FROM policy_scorecard WHERE inst_code = ?", JONGNO)
    assert total == (5,) and isinstance(total[0], int)


def test_rows_link_to_their_institution_and_archived_document(data_dir: Path) -> None:
    copy = _copy(data_dir)
    for table in ("policies", "cameras", "quality_issues", "standard_points"):
        links = {(r[2], r[3], r[4]) for r in _rows(copy, f"PRAGMA foreign_key_list({table})")}
        assert (DIRECTORY, "inst_code", "inst_code") in links, table
        assert (DOCUMENTS, "capture_sha256", "sha256") in links, table
    links = {(r[2], r[3]) for r in _rows(copy, "PRAGMA foreign_key_list(policy_versions)")}
    assert {(DOCUMENTS, "first_capture_sha256"), (DOCUMENTS, "last_capture_sha256")} <= links
    # every digest a row cites is a document, and each document says where its bytes are:
    # the response, not the later revisit that points at it
    orphans = _rows(
        copy,
        f"SELECT capture_sha256 FROM policies WHERE capture_sha256 NOT IN "
        f"(SELECT sha256 FROM {DOCUMENTS})",
    )
    assert orphans == []
    (document,) = _rows(
        copy,
        f"SELECT url, record_type, warc_offset, captures FROM {DOCUMENTS} WHERE sha256 = ?",
        SHA[GIMCHEON],
    )
    assert document == (URL[GIMCHEON], "response", 1_000, 2)


def test_facet_columns_name_the_region_level_and_retention_class(data_dir: Path) -> None:
    copy = _copy(data_dir)
    directory = dict(
        (code, (name, region, level))
        for code, name, region, level in _rows(
            copy, f"SELECT inst_code, name, region, institution_level FROM {DIRECTORY}"
        )
    )
    assert directory[GIMCHEON] == ("경상북도 김천시", "경상북도", "시")  # the latest name
    assert directory[SEOUL] == ("서울특별시", "서울특별시", "광역")
    assert directory[JONGNO] == ("서울특별시 종로구", "서울특별시", "구")
    # a parent the dimension lacks: the name's first word
    assert directory[MICHUHOL] == ("인천광역시 미추홀구", "인천광역시", "구")
    policies = dict(
        (code, (region, level, kind))
        for code, region, level, kind in _rows(
            copy, "SELECT inst_code, region, institution_level, retention_class FROM policies"
        )
    )
    assert policies == {
        GIMCHEON: ("경상북도", "시", "30일 초과"),
        JONGNO: ("서울특별시", "구", "30일"),
        MICHUHOL: ("인천광역시", "구", "미기재"),
    }
    classes = _rows(copy, "SELECT retention_days, retention_class FROM cameras ORDER BY 1")
    assert classes == [(10, "30일 미만"), (30, "30일"), (30, "30일"), (60, "30일 초과")]
    columns = [r[1] for r in _rows(copy, "PRAGMA table_info(cameras)")]
    assert columns.index("region") == columns.index("inst_code") + 1
    assert columns.index("retention_class") == columns.index("retention_days") + 1


def test_the_copy_is_reused_until_the_warehouse_changes(data_dir: Path) -> None:
    paths = data_paths(data_dir)
    serve = paths.root / "serve"
    first = make_copy(paths.duckdb, serve)
    assert first.made and first.tables["policies"] == 3
    again = make_copy(paths.duckdb, serve)
    assert not again.made and again.tables == first.tables
    assert make_copy(paths.duckdb, serve, rebuild=True).made
    # a new build is a new file
    paths.duckdb.unlink()
    small_warehouse(data_dir)
    assert make_copy(paths.duckdb, serve).made
    # a copy someone removed is made again
    copy_path(serve).unlink()
    assert make_copy(paths.duckdb, serve).made


def test_a_failed_copy_leaves_the_previous_one(data_dir: Path) -> None:
    paths = data_paths(data_dir)
    copy = _copy(data_dir)
    before = copy.read_bytes()
    paths.duckdb.write_bytes(b"not a database")
    os.utime(paths.duckdb, ns=(1, 1))
    with pytest.raises(CopyFailed, match="cannot open"):
        _copy(data_dir)
    assert copy.read_bytes() == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["cctv.db", "cctv.db.json"]


def test_validation_results_are_copied_once_validate_has_run(data_dir: Path) -> None:
    from warehouse.schema import VALIDATION_RESULTS
    from warehouse.serve.copy import VALIDATION
    from warehouse.serve.metadata import metadata

    paths = data_paths(data_dir)
    first = make_copy(paths.duckdb, paths.root / "serve")
    assert VALIDATION not in first.tables  # a warehouse no validation has run on
    outcome = {
        "run_at": AT,
        "suite": "cameras-errors",
        "table_name": "cameras",
        "expectation_type": "expect_column_values_to_not_be_null",
        "column_name": "inst_code",
        "severity": "error",
        "success": True,
        "unexpected_count": 0,
        "element_count": 4,
    }
    con = duckdb.connect(str(paths.duckdb))
    try:
        con.register("found", pa.Table.from_pylist([outcome], schema=VALIDATION_RESULTS))
        con.execute(f"CREATE TABLE {VALIDATION} AS SELECT * FROM found")
    finally:
        con.close()
    again = make_copy(paths.duckdb, paths.root / "serve")
    assert again.made and again.tables[VALIDATION] == 1
    tables = {name: ["severity"] for name in again.tables}
    described = metadata(tables)["databases"]["cctv"]["tables"][VALIDATION]
    assert described["title"] == "검증 결과" and described["facets"] == ["severity"]
