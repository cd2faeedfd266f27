"""Validation results as a table, the rules that need other tables (registry, history,
contacts), and the regulators' policy scorecard.

The rule tests read their verdicts back from `validation_results` with SQL, as a notebook
would; each run costs about a second of great-expectations, so the runs are shared.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

import warehouse
from tests.unit import test_validation as base
from warehouse.schema import TABLES, VALIDATION_RESULTS
from warehouse.validation import (
    ExpectationOutcome,
    ValidationReport,
    results_table,
    store_results,
    validate,
)
from warehouse.validation import results as results_module

SCORECARD_SQL = Path(warehouse.__file__).parent / "sql" / "regulator.sql"
FETCHED = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
SHA = "a" * 64

# The rows of test_validation, seen as fetched from 미추홀구 by the current parser.
_FETCH = {
    "source_url": "https://www.michuhol.go.kr/cctv",
    "fetched_at": FETCHED,
    "parser_version": "0.2.0",
    "capture_sha256": SHA,
}
CAMERA = {**base.CAMERA, **_FETCH}
POLICY = {**base.POLICY, **_FETCH, "retention_days_min": 30, "camera_rows": 1}
CAPTURE = {
    "sha256": SHA,
    "url": "https://www.michuhol.go.kr/cctv",
    "status": 200,
    "fetched_at": FETCHED,
    "inst_code": "3510500",
    "role": "policy",
    "warc_file": "crawl-1.warc.gz",
    "warc_offset": 0,
    "record_type": "response",
    "crawl_id": "crawl-1",
}
VERSION = {
    "inst_code": "3510500",
    "version": 1,
    "valid_from": FETCHED,
    "is_current": True,
    "first_capture_sha256": SHA,
    "last_capture_sha256": SHA,
    "captures": 1,
    "parser_version": "0.2.0",
}


def institution(code: str, level: str, parent: str | None = None) -> dict[str, Any]:
    return {"inst_code": code, "name": f"기관 {code}", "level": level, "parent_code": parent}


def make_warehouse(path: Path, rows: dict[str, list[dict]]) -> Path:
    """Every table of the build (empty unless given rows), as `warehouse.build` makes them."""
    bases = {"cameras": CAMERA, "policies": POLICY, "captures": CAPTURE, "policy_versions": VERSION}
    con = duckdb.connect(str(path))
    try:
        for name, schema in TABLES.items():
            given = [{**bases.get(name, {}), **row} for row in rows.get(name, [])]
            con.register("incoming", pa.Table.from_pylist(given, schema=schema))
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
    finally:
        con.close()
    return path


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def validated(tmp: Path, rows: dict[str, list[dict]]) -> tuple[ValidationReport, Path]:
    db = make_warehouse(tmp / "cctv.duckdb", rows)
    report = validate(db, tmp / "docs", tmp / "results")
    store_results(db, report)
    return report, db


# --- rules that read other tables, judged through validation_results -------------------------

REGISTRY_OK = [
    institution("6280000", "sido"),
    institution("3510500", "gu", "6280000"),
]


@pytest.fixture(scope="module")
def clean_full(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path]:
    """A whole warehouse (registry, captures, history, contacts) where every rule holds."""
    sido_capture = {"sha256": "b" * 64, "inst_code": "6280000", "url": "https://www.incheon.go.kr"}
    rows = {
        "institutions": REGISTRY_OK,
        "captures": [{}, sido_capture],
        "policies": [{}, {"inst_code": "6280000", "capture_sha256": "b" * 64, "camera_rows": 0}],
        "cameras": [{}, {"row_ref": "table 1, row 2", "retention_raw": "1개월"}],
        "policy_versions": [{}, {"inst_code": "6280000"}],
        "contacts": [
            {
                "inst_code": "3510500",
                "role": "관리책임자",
                "phone": "032-880-4031",
                "capture_sha256": SHA,
                "parser_version": "0.2.0",
            }
        ],
    }
    rows["policies"][1]["attachment_count"] = 1
    return validated(tmp_path_factory.mktemp("clean_full"), rows)


@pytest.mark.slow
def test_a_full_clean_warehouse_passes_every_rule(
    clean_full: tuple[ValidationReport, Path],
) -> None:
    report, db = clean_full
    failures = query(
        db, "SELECT suite, column_name, note FROM validation_results WHERE NOT success"
    )
    assert failures == []
    assert report.ok and report.failed == 0
    judged = {column for (column,) in query(db, "SELECT column_name FROM validation_results")}
    for expected in [
        "inst_code_registered",
        "inst_code",
        "basic_inst_code",
        "history_ordered",
        "contact_phones_valid",
        "storage_location_count",
        "retention_status",
        "placeholder_text",
    ]:
        assert expected in judged
    notes = [note for (note,) in query(db, "SELECT note FROM validation_results")]
    assert all(re.search(r"[가-힣]", note) for note in notes)
    assert not [n for n in notes if re.search(r"§|rule \d|\.md\b", n)]


BROKEN_CAMERAS = [
    {},
    # a placeholder retention that produced a number anyway
    {"row_ref": "r2", "retention_raw": "00일", "retention_days": 5},
    # "영구" is above 365 days: the parser keeps NULL, the rule still fails it
    {"row_ref": "r3", "retention_raw": "영구 보관", "retention_days": None},
    # a text the retention grammar cannot read
    {"row_ref": "r4", "retention_raw": "별도 지침에 따름", "retention_days": None},
    # template tokens in a row not marked as a template
    {"row_ref": "r5", "location": "○○동 주민센터 앞"},
    # an institution code the registry does not know
    {"row_ref": "r6", "inst_code": "9999999"},
]
BROKEN = {
    "institutions": [
        institution("6280000", "sido"),  # crawled, but no policy page: an error
        institution("6110000", "sido"),  # not crawled: a partial crawl, a warning
        institution("3510500", "gu", "6280000"),
        institution("5060000", "si", "6470000"),
        institution("4671000", "si", "6540000"),
    ],
    "captures": [{}, {"sha256": "d" * 64, "inst_code": "6280000", "url": "https://x.go.kr"}],
    "policies": [
        {"revised_on": date(2026, 2, 1), "storage_locations": [], "retention_days_max": 30},
    ],
    "cameras": BROKEN_CAMERAS,
    "policy_versions": [
        {"valid_to": datetime(2026, 1, 10, tzinfo=UTC), "is_current": False},
        {"version": 2, "valid_from": datetime(2026, 1, 7, tzinfo=UTC)},
    ],
    "contractors": [
        {
            "inst_code": "3510500",
            "name": "(주)에스원",
            "phone": "880-4031",
            "capture_sha256": SHA,
            "parser_version": "0.2.0",
        }
    ],
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path]:
    return validated(tmp_path_factory.mktemp("broken"), BROKEN)


# Each broken rule, found by its table, severity, column and how its Korean note begins.
FAILURES = {
    "placeholder_number": ("cameras", "error", "retention_days", "'00일', '○○일'처럼", 1),
    "placeholder_tokens": ("cameras", "warning", "placeholder_text", "○○, 000실, 홍길동", 2),
    "retention_absurd": ("cameras", "error", "retention_status", "보관기간은 0일 이상", 1),
    "unparsed_rate": ("cameras", "error", "retention_status", "보관기간 문구의 98%", 3),
    "retention_grammar": ("cameras", "warning", "retention_status", "보관기간 문구는", 3),
    "camera_unregistered": ("cameras", "error", "inst_code_registered", "기관코드는 기관 목록", 1),
    "revised_after_crawl": (
        "policies",
        "warning",
        "fetched_on, revised_on",
        "페이지에 적힌 날짜는",
        1,
    ),
    "history_overlaps": ("policies", "warning", "history_ordered", "한 기관의 방침 판", 1),
    "no_storage_location": (
        "policies",
        "warning",
        "storage_location_count",
        "개인정보 보호법 시행령 제25조제1항제4호는 보관장소",
        1,
    ),
    "contractor_phone": ("policies", "warning", "contact_phones_valid", "전화번호는 지역번호", 1),
    "sido_tried_missing": ("policies", "error", "inst_code", "수집을 시도한 광역", None),
    "sido_missing": (
        "policies",
        "warning",
        "inst_code",
        "개인정보 보호법 제25조제7항은 설치·운영하는",
        None,
    ),
    "basic_coverage": (
        "policies",
        "warning",
        "basic_inst_code",
        "개인정보 보호법 제25조제7항은 기관마다",
        None,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_each_rule_fails_where_broken(broken: tuple[ValidationReport, Path], case: str) -> None:
    table, severity, column, note, unexpected = FAILURES[case]
    _, db = broken
    found = query(
        db,
        "SELECT unexpected_count FROM validation_results WHERE NOT success "
        "AND table_name = ? AND severity = ? AND column_name = ? AND starts_with(note, ?)",
        [table, severity, column, note],
    )
    assert found == [(unexpected,)]


@pytest.mark.slow
def test_broken_warehouse_fails_the_run_and_nothing_else(
    broken: tuple[ValidationReport, Path],
) -> None:
    report, db = broken
    assert not report.ok
    failed = query(db, "SELECT count(*) FROM validation_results WHERE NOT success")
    assert failed == [(len(FAILURES),)] == [(report.failed,)]


@pytest.mark.slow
def test_the_registry_rules_need_a_registry(tmp_path: Path) -> None:
    """Without institutions the rules are not judged (not failed): nothing to compare with."""
    report, db = validated(tmp_path, {"policies": [{}], "cameras": [{}]})
    assert report.ok and report.failed == 0
    assert query(
        db, "SELECT count(*) FROM validation_results WHERE column_name = 'basic_inst_code'"
    ) == [(0,)]


# --- results_table / store_results -----------------------------------------------------------


def outcome(
    column: str | None, severity: str = "error", success: bool = True
) -> ExpectationOutcome:
    return ExpectationOutcome(
        table="cameras",
        expectation_type="expect_column_values_to_not_be_null",
        column=column,
        severity=severity,
        success=success,
        unexpected_count=0 if success else 2,
        element_count=10,
        note="§6 rule 4: why",
    )


def report_of(*outcomes: ExpectationOutcome, at: datetime = FETCHED) -> ValidationReport:
    return ValidationReport(
        outcomes=list(outcomes),
        docs_index=Path("docs/index.html"),
        results_path=Path("results/validation.json"),
        run_time=at,
        row_counts={"cameras": 10},
    )


def test_results_table_has_the_documented_columns() -> None:
    table = results_table(report_of(outcome("camera_count"), outcome(None, "warning", False)))
    assert table.schema == VALIDATION_RESULTS
    assert table.column_names == [
        "run_at",
        "suite",
        "table_name",
        "expectation_type",
        "column_name",
        "severity",
        "success",
        "unexpected_count",
        "element_count",
        "note",
    ]
    rows = table.to_pylist()
    assert [r["suite"] for r in rows] == ["cameras-errors", "cameras-warnings"]
    assert rows[1] == {
        "run_at": FETCHED,
        "suite": "cameras-warnings",
        "table_name": "cameras",
        "expectation_type": "expect_column_values_to_not_be_null",
        "column_name": None,
        "severity": "warning",
        "success": False,
        "unexpected_count": 2,
        "element_count": 10,
        "note": "§6 rule 4: why",
    }
    assert results_table(report_of()).num_rows == 0


def test_store_replaces_the_previous_run(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "cctv.duckdb", {})
    later = datetime(2026, 2, 1, tzinfo=UTC)
    assert store_results(db, report_of(outcome("a"), outcome("b"))) == 2
    assert store_results(db, report_of(outcome("c"), at=later)) == 1
    assert query(db, "SELECT column_name, CAST(run_at AS VARCHAR) FROM validation_results") == [
        ("c", "2026-02-01 00:00:00+00")
    ]
    tables = {r[0] for r in query(db, "SELECT table_name FROM information_schema.tables")}
    assert "validation_results" in tables and not any("incoming" in t for t in tables)
    assert set(TABLES) <= tables  # the build's tables are untouched


class _FailingOn:
    """A connection that fails at one statement, as a crash half-way through would."""

    def __init__(self, con: duckdb.DuckDBPyConnection, prefix: str) -> None:
        self._con, self._prefix = con, prefix

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self._prefix):
            raise duckdb.IOException("disk full")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def test_a_failed_store_leaves_the_previous_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_warehouse(tmp_path / "cctv.duckdb", {})
    store_results(db, report_of(outcome("kept")))
    real = duckdb.connect
    monkeypatch.setattr(
        results_module.duckdb, "connect", lambda *a, **k: _FailingOn(real(*a, **k), "ALTER")
    )
    with pytest.raises(duckdb.IOException):
        store_results(db, report_of(outcome("lost"), outcome("lost")))
    monkeypatch.undo()
    assert query(db, "SELECT column_name FROM validation_results") == [("kept",)]
    tables = {r[0] for r in query(db, "SELECT table_name FROM information_schema.tables")}
    assert not any("incoming" in t for t in tables)


@pytest.mark.slow
def test_validation_itself_does_not_write_the_warehouse(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "cctv.duckdb", {"policies": [{}], "cameras": [{}]})
    before = db.read_bytes()
    validate(db, tmp_path / "docs", tmp_path / "results")
    assert db.read_bytes() == before


# --- policy_scorecard ------------------------------------------------------------------------

SCORECARD_COLUMNS = [
    "inst_code",
    "institution",
    "title",
    "source_url",
    "fetched_at",
    "item_1_basis_purpose",
    "item_2_count_location_range",
    "item_3_manager_access",
    "item_4_hours_retention_storage",
    "item_5_viewing_method",
    "item_6_subject_requests",
    "item_7_safeguards",
    "item_8_other",
    "required_items_present",
    "is_template",
    "stated_retention_days_min",
    "stated_retention_days_max",
    "row_retention_days_max",
    "keeps_over_30_days",
    "inventory_found",
    "inventory_rows_on_page",
    "inventory_rows_in_attachments",
    "camera_total",
    "open_issues_error",
    "open_issues_warning",
    "open_issues_info",
]


def scorecard(db: Path) -> tuple[list[str], list[dict]]:
    con = duckdb.connect(str(db))
    try:
        con.execute(SCORECARD_SQL.read_text(encoding="utf-8"))
        result = con.sql("SELECT * EXCLUDE (fetched_at) FROM policy_scorecard ORDER BY inst_code")
        columns = con.sql("SELECT * FROM policy_scorecard").columns
        return columns, result.to_arrow_table().to_pylist()
    finally:
        con.close()


def test_scorecard_runs_on_an_empty_warehouse(tmp_path: Path) -> None:
    columns, rows = scorecard(make_warehouse(tmp_path / "cctv.duckdb", {}))
    assert columns == SCORECARD_COLUMNS
    assert rows == []


def test_scorecard_rows(tmp_path: Path) -> None:
    issue = {"stage": "parse", "code": "x", "inst_code": "3510500"}
    db = make_warehouse(
        tmp_path / "cctv.duckdb",
        {
            "institutions": [
                {**institution("3510500", "gu"), "name": "인천광역시 미추홀구"},
                {**institution("6110000", "sido"), "name": "서울특별시"},
            ],
            "policies": [
                {"items_present": [1, 2, 4, 8], "retention_days_min": 7},
                {
                    "inst_code": "6110000",
                    "capture_sha256": "e" * 64,
                    "items_present": None,
                    "is_template": True,
                    "retention_days_min": None,
                    "retention_days_max": None,
                },
            ],
            "cameras": [
                {"camera_count": 20},
                {"row_ref": "r2", "camera_count": 5},
                {"row_ref": "r3", "camera_count": None, "is_template": True},
                {
                    "row_ref": "s1",
                    "source_kind": "attachment",
                    "capture_sha256": "f" * 64,
                    "camera_count": 100,
                },
                # a template row on Seoul's page is no inventory
                {
                    "row_ref": "t1",
                    "inst_code": "6110000",
                    "capture_sha256": "e" * 64,
                    "camera_count": None,
                    "is_template": True,
                },
            ],
            "quality_issues": [
                {**issue, "level": "error"},
                {**issue, "level": "warning"},
                {**issue, "level": "warning"},
                {**issue, "level": "info", "inst_code": "6110000"},
            ],
        },
    )
    _, rows = scorecard(db)
    michuhol, seoul = rows
    assert michuhol["institution"] == "인천광역시 미추홀구"
    items = [michuhol[c] for c in SCORECARD_COLUMNS if c.startswith("item_")]
    assert items == [True, True, False, True, False, False, False, True]
    assert michuhol["required_items_present"] == 3  # item 8 is not one of the required 1-7
    assert (michuhol["stated_retention_days_min"], michuhol["stated_retention_days_max"]) == (
        7,
        30,
    )
    assert michuhol["inventory_found"] is True
    assert (michuhol["inventory_rows_on_page"], michuhol["inventory_rows_in_attachments"]) == (2, 1)
    assert michuhol["camera_total"] == 125
    assert (
        michuhol["open_issues_error"],
        michuhol["open_issues_warning"],
        michuhol["open_issues_info"],
    ) == (1, 2, 0)
    assert seoul["is_template"] is True and seoul["inventory_found"] is False
    assert seoul["required_items_present"] == 0 and not any(
        seoul[c] for c in SCORECARD_COLUMNS if c.startswith("item_")
    )
    assert (seoul["camera_total"], seoul["open_issues_info"]) == (0, 1)
