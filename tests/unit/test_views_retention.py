"""Retention in the views: what an institution states and what its rows say are two named
columns, and "keeps footage over 30 days" reads both, so a retention the policy states is
never lost because no camera row carries it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pytest

from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import archive_response, query_warehouse
from warehouse.build import build, create_warehouse
from warehouse.exports.workbook import export_excel
from warehouse.schema import TABLES

GIMCHEON = "5060000"
MICHUHOL = "3510500"
AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _policy(inst: str, sha: str, low: int | None, high: int | None) -> dict[str, Any]:
    return {
        "inst_code": inst,
        "title": "영상정보처리기기 운영·관리 방침",
        "items_present": [1, 2, 4],
        "retention_days_min": low,
        "retention_days_max": high,
        "is_template": False,
        "attachment_count": 0,
        "camera_rows": 0,
        "capture_sha256": sha,
        "source_url": f"https://example.go.kr/{inst}",
        "fetched_at": AT,
        "parser_version": "0.2.0",
    }


def _camera(inst: str, sha: str, count: int, retention: int | None, **extra: Any) -> dict:
    return {
        "inst_code": inst,
        "camera_count": count,
        "retention_days": retention,
        "recording": True,
        "is_template": False,
        "source_kind": "page",
        "row_ref": f"table 1, row {count}",
        "capture_sha256": sha,
        "source_url": f"https://example.go.kr/{inst}",
        "fetched_at": AT,
        "parser_version": "0.2.0",
        **extra,
    }


ROWS: dict[str, list[dict]] = {
    "institutions": [
        {"inst_code": GIMCHEON, "name": "경상북도 김천시", "level": "si"},
        {"inst_code": MICHUHOL, "name": "인천광역시 미추홀구", "level": "gu"},
        {"inst_code": "6110000", "name": "서울특별시", "level": "sido"},
    ],
    "policies": [_policy(GIMCHEON, "g" * 64, 60, 60), _policy(MICHUHOL, "m" * 64, 30, 30)],
    "cameras": [
        _camera(GIMCHEON, "g" * 64, 11, None),
        _camera(GIMCHEON, "g" * 64, 4, None),
        _camera(MICHUHOL, "m" * 64, 10, 30),
        _camera(MICHUHOL, "m" * 64, 2, 60),
        _camera(MICHUHOL, "m" * 64, 3, 60),
        _camera(MICHUHOL, "m" * 64, 5, 90, is_template=True),  # an example row
        _camera(MICHUHOL, "m" * 64, 6, 0, recording=False),  # 녹화무
    ],
}


def _warehouse(path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """김천 states 60 days for all cameras and no row carries a retention; 미추홀구 states
    30 days while two of its rows say 60."""
    connection = duckdb.connect(path)
    create_warehouse(
        connection,
        {
            name: pa.Table.from_pylist(ROWS.get(name, []), schema=schema)
            for name, schema in TABLES.items()
        },
    )
    return connection


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return _warehouse()


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params: str) -> dict[str, Any]:
    result = con.execute(sql, list(params))
    names = [d[0] for d in result.description]
    [row] = result.fetchall()
    return dict(zip(names, row, strict=True))


def test_a_policy_level_retention_counts_when_no_row_carries_one(con) -> None:
    got = _one(con, "SELECT * FROM retention_by_institution WHERE inst_code = ?", GIMCHEON)
    assert (got["stated_retention_days_min"], got["stated_retention_days_max"]) == (60, 60)
    assert got["rows_with_retention"] == 0 and got["row_retention_days_max"] is None
    assert got["retention_days_max"] == 60
    assert got["keeps_over_30_days"] is True and got["over_30_said_by"] == "policy"


def test_rows_over_30_count_when_the_policy_states_30(con) -> None:
    got = _one(con, "SELECT * FROM retention_by_institution WHERE inst_code = ?", MICHUHOL)
    assert got["stated_retention_days_max"] == 30
    # The template row (90) and the row that does not record (0) say nothing.
    assert (got["rows_with_retention"], got["rows_over_30_days"]) == (3, 2)
    assert (got["row_retention_days_min"], got["row_retention_days_max"]) == (30, 60)
    assert got["keeps_over_30_days"] is True and got["over_30_said_by"] == "rows"


def test_the_regulators_question_names_both_and_says_who_said_it(con) -> None:
    got = con.execute(
        "SELECT inst_code, stated_retention_days_max, row_retention_days_max, said_by "
        "FROM retention_over_30_days ORDER BY inst_code"
    ).fetchall()
    assert got == [(MICHUHOL, 30, 60, "rows"), (GIMCHEON, 60, None, "policy")]


def test_an_institution_without_any_retention_is_unknown_not_within_30(con) -> None:
    got = _one(con, "SELECT * FROM retention_by_institution WHERE inst_code = '6110000'")
    assert got["keeps_over_30_days"] is None and got["over_30_said_by"] is None


def test_the_scorecard_and_retention_by_source_carry_both(con) -> None:
    card = con.execute(
        "SELECT inst_code, stated_retention_days_max, row_retention_days_max, "
        "keeps_over_30_days FROM policy_scorecard ORDER BY inst_code"
    ).fetchall()
    assert card == [(MICHUHOL, 30, 60, True), (GIMCHEON, 60, None, True)]
    source = con.execute(
        "SELECT inst_code, stated_retention_days_max, row_retention_rows, "
        "row_retention_days_max, keeps_over_30_days FROM retention_by_source "
        "ORDER BY inst_code"
    ).fetchall()
    assert source == [(MICHUHOL, 30, 3, 60, True), (GIMCHEON, 60, 0, None, True)]


def test_one_camera_row_is_counted_once_whatever_the_number_of_policies(con) -> None:
    con.execute(
        "INSERT INTO policies SELECT * REPLACE ('x' || source_url AS source_url) "
        "FROM policies WHERE inst_code = ?",
        [MICHUHOL],
    )
    got = _one(con, "SELECT * FROM retention_by_institution WHERE inst_code = ?", MICHUHOL)
    assert (got["rows_with_retention"], got["row_retention_days_median"]) == (3, 60)


def test_the_workbooks_retention_sheet_reads_both(tmp_path: Path) -> None:
    _warehouse(str(tmp_path / "cctv.duckdb")).close()
    wb = openpyxl.load_workbook(export_excel(tmp_path / "cctv.duckdb", tmp_path / "out.xlsx"))
    sheet = wb["보관기간"]
    headers = [c.value for c in sheet[1]]
    over = {
        row[0]: row[headers.index("30일 초과 보관")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert over[GIMCHEON] == "예" and over[MICHUHOL] == "예"


PAGE_60 = """<html><head><meta charset="utf-8"><title>영상정보처리기기 운영·관리 방침</title>
</head><body><h2>김천시 영상정보처리기기 운영·관리 방침</h2>
<h3>1. 영상정보처리기기의 설치 근거 및 설치 목적</h3>
<p>개인정보 보호법 제25조제1항에 따라 시설안전 및 화재 예방을 위하여 설치·운영합니다.</p>
<h3>3. 촬영시간, 보관기간, 보관장소 및 처리방법</h3>
<p>촬영시간 : 24시간 촬영</p><p>보관기간 : 촬영일로부터 60일</p><p>보관장소 : 청사 방재실</p>
</body></html>""".encode()


def test_a_built_warehouse_answers_from_the_pages_statement(tmp_path: Path) -> None:
    with ArchiveWriter(data_paths(tmp_path), "crawl-1") as writer:
        archive_response(
            writer,
            "https://www.gc.go.kr/portal/contents.do?mId=0101",
            PAGE_60,
            fetched_at=AT,
            inst_code=GIMCHEON,
            role="policy",
        )
    build(data_paths(tmp_path), load_registry())
    got = query_warehouse(
        tmp_path,
        "SELECT stated_retention_days_max, retention_days_max, said_by "
        f"FROM retention_over_30_days WHERE inst_code = '{GIMCHEON}'",
    )
    assert got[0][0] == 60 and got[0][1] == 60 and got[0][2] in ("policy", "both")
