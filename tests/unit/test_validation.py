"""Validation of small warehouses built here; the great-expectations runs are shared per
module because each one costs about a second (plus the import, once)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from warehouse.schema import TABLES
from warehouse.validation import ValidationReport, validate
from warehouse.validation.datadocs import is_offsite, offline_html

HANGUL = re.compile(r"[가-힣]")

CAMERA = {
    "inst_code": "3510500",
    "unit": "총무과",
    "purpose_raw": "범죄 예방",
    "purpose": "생활방범",
    "legal_basis": [2],
    "camera_count": 20,
    "location": "본청 전체",
    "recording_hours": "24h",
    "recording": True,
    "retention_days": 30,
    "retention_raw": "촬영일로부터 30일",
    "storage_location": "당직실",
    "device_type": "fixed",
    "is_template": False,
    "phone": "032-880-4032",
    "source_kind": "page",
    "row_ref": "table 1, row 1",
    "capture_sha256": "a" * 64,
    "source_url": "https://www.example.go.kr/cctv",
    "fetched_at": datetime(2026, 1, 5, tzinfo=UTC),
    "parser_version": "0.1.0",
}

POLICY = {
    "inst_code": "3510500",
    "title": "고정형 영상정보처리기기 운영·관리 방침",
    "device_scope": "fixed",
    "items_present": [1, 2, 3, 4, 5, 6, 7],
    "recording_hours": "24h",
    "retention_days_min": 7,
    "retention_days_max": 30,
    "storage_locations": ["CCTV 통합관제센터"],
    "enacted_on": date(2012, 3, 30),
    "revised_on": date(2022, 2, 22),
    "is_template": False,
    "attachment_count": 0,
    "camera_rows": 2,
    "content_hash": "c" * 64,
    "capture_sha256": "a" * 64,
    "source_url": "https://www.example.go.kr/cctv",
    "fetched_at": datetime(2026, 1, 5, tzinfo=UTC),
    "parser_version": "0.1.0",
}

TEMPLATE_ROW = {
    "unit": "○○과",
    "camera_count": None,
    "retention_days": None,
    "is_template": True,
    "row_ref": "table 1, row 3",
}


STANDARD_POINT = {
    "inst_code": "3510500",
    "inst_name_raw": "인천광역시 미추홀구",
    "purpose_raw": "생활방범",
    "purpose": "생활방범",
    "camera_count": 2,
    "retention_days": 30,
    "retention_raw": "30",
    "installed_ym": "2020-05",
    "latitude": 37.46,
    "longitude": 126.65,
    "reference_date": date(2025, 6, 30),
    "schema_generation": "G4",
    "row_number": 2,
    "row_ref": "row 2",
    "capture_sha256": "b" * 64,
    "source_url": "https://www.data.go.kr/cctv.csv",
    "fetched_at": datetime(2026, 1, 5, tzinfo=UTC),
    "parser_version": "0.1.0",
}


def warehouse(
    path: Path, cameras: list[dict], policies: list[dict], standard: Sequence[dict] = ()
) -> Path:
    """A DuckDB file with the validated tables; each row states only what differs."""
    con = duckdb.connect(str(path))
    tables = (
        ("cameras", CAMERA, cameras),
        ("policies", POLICY, policies),
        ("standard_points", STANDARD_POINT, standard),
    )
    for name, base, rows in tables:
        table = pa.Table.from_pylist([{**base, **row} for row in rows], schema=TABLES[name])
        con.register("incoming", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
        con.unregister("incoming")
    con.close()
    return path


def run(
    tmp: Path, cameras: list[dict], policies: list[dict], standard: Sequence[dict] = ()
) -> ValidationReport:
    tmp.mkdir(parents=True, exist_ok=True)
    db = warehouse(tmp / "cctv.duckdb", cameras, policies, standard)
    return validate(db, tmp / "docs", tmp / "results")


CLEAN_CAMERAS = [
    {},
    {"row_ref": "table 1, row 2", "purpose": "어린이보호", "camera_count": 3},
    {
        "row_ref": "table 1, row 4",
        "recording": False,
        "retention_days": 0,
        "storage_location": "-",
        "recording_hours": "scheduled",
    },
    TEMPLATE_ROW,
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path, str]:
    """A clean run from an empty working directory, with its console output captured."""
    work = tmp_path_factory.mktemp("clean")
    db = warehouse(tmp_path_factory.mktemp("db") / "cctv.duckdb", CLEAN_CAMERAS, [{}])
    output = io.StringIO()
    before = Path.cwd()
    os.chdir(work)
    try:
        with contextlib.redirect_stderr(output), contextlib.redirect_stdout(output):
            report = validate(db, work / "docs", work / "results")
    finally:
        os.chdir(before)
    return report, work, output.getvalue()


@pytest.mark.slow
def test_clean_warehouse_passes(clean: tuple[ValidationReport, Path, str]) -> None:
    report, work, _ = clean
    failures = [(o.table, o.expectation_type, o.column) for o in report.outcomes if not o.success]
    assert report.ok, failures
    assert report.error_failures == 0
    assert report.warning_failures == 0, failures
    assert report.passed == len(report.outcomes) > 40
    assert report.docs_index == work / "docs" / "index.html"
    assert report.docs_index.is_file()


@pytest.mark.slow
def test_run_is_quiet_and_writes_only_docs_and_results(
    clean: tuple[ValidationReport, Path, str],
) -> None:
    _, work, output = clean
    assert "Calculating Metrics" not in output
    assert output.strip() == ""  # no progress bar, no log lines
    assert sorted(p.name for p in work.iterdir()) == ["docs", "results"]


@pytest.mark.slow
def test_every_outcome_carries_severity_and_a_korean_rule(
    clean: tuple[ValidationReport, Path, str],
) -> None:
    report, _, _ = clean
    assert {o.table for o in report.outcomes} == {"cameras", "policies", "standard_points"}
    for outcome in report.outcomes:
        assert outcome.severity in ("error", "warning")
        assert HANGUL.search(outcome.name) and HANGUL.search(outcome.note), outcome


ERROR_CASES = {
    "retention_above_365": (
        {"retention_days": 400},
        "expect_column_values_to_be_between",
        "retention_days",
    ),
    "template_with_count": (
        {**TEMPLATE_ROW, "camera_count": 5},
        "expect_column_values_to_be_null",
        "camera_count",
    ),
    "zero_retention_while_recording": (
        {"retention_days": 0, "recording": True},
        "expect_column_values_to_be_between",
        "retention_days",
    ),
    "purpose_not_canonical": (
        {"purpose": "방범용"},
        "expect_column_values_to_be_in_set",
        "purpose",
    ),
    "inst_code_not_7_digits": (
        {"inst_code": "12345"},
        "expect_column_values_to_match_regex",
        "inst_code",
    ),
    "required_column_empty": (
        {"row_ref": None, "parser_version": None},
        "expect_column_values_to_be_null",
        "contract_gaps",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", ERROR_CASES, ids=list(ERROR_CASES))
def test_each_error_rule_fails_the_run(case: str, tmp_path: Path) -> None:
    row, expectation, column = ERROR_CASES[case]
    report = run(tmp_path, [{}, row], [{}])
    assert not report.ok
    errors = [o for o in report.outcomes if not o.success and o.severity == "error"]
    assert (expectation, column) in {(o.expectation_type, o.column) for o in errors}
    failing = next(o for o in errors if (o.expectation_type, o.column) == (expectation, column))
    assert failing.unexpected_count == 1
    assert failing.note
    if column == "contract_gaps":  # the row names its empty columns, in Korean
        assert failing.rows[0]["contract_gaps"] == "원본 행 위치, 파서 버전"


@pytest.fixture(scope="module")
def warned(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    return run(
        tmp_path_factory.mktemp("warned"),
        [{}, {"row_ref": "table 1, row 2", "retention_days": 45}],
        [{"retention_days_max": 45, "items_present": [1, 2, 3, 4, 6, 7]}],
    )


@pytest.mark.slow
def test_long_retention_only_warns(warned: ValidationReport) -> None:
    assert warned.ok
    assert warned.error_failures == 0
    assert warned.warning_failures >= 1
    warnings = {(o.table, o.column) for o in warned.outcomes if not o.success}
    assert ("cameras", "retention_days") in warnings
    assert ("policies", "retention_days_max") in warnings
    assert ("policies", "required_items_count") in warnings  # 6 of 7 items: a warning only


@pytest.mark.slow
def test_failing_rows_are_traced_to_their_source(warned: ValidationReport) -> None:
    outcome = next(o for o in warned.outcomes if o.column == "retention_days" and not o.success)
    trace = {
        "inst_code": "3510500",
        "source_url": "https://www.example.go.kr/cctv",
        "capture_sha256": "a" * 64,
        "row_ref": "table 1, row 2",
    }
    assert outcome.details["partial_unexpected_index_list"] == [{**trace, "retention_days": 45}]
    assert outcome.rows == [{**trace, "retention_days": 45}]
    assert outcome.by_institution == {"3510500": 1}
    # GE's full lists were read into `rows` and dropped: the summary does not grow with them
    assert "unexpected_index_list" not in outcome.details
    assert "unexpected_list" not in outcome.details


@pytest.mark.slow
def test_results_json_matches_the_report(warned: ValidationReport) -> None:
    path = warned.results_path
    assert path.parent.name == "results"
    assert re.fullmatch(r"validation-\d{8}T\d{6}Z\.json", path.name)
    summary = json.loads(path.read_text(encoding="utf-8"))
    for key in ("passed", "failed", "error_failures", "warning_failures"):
        assert summary[key] == getattr(warned, key)
    assert summary["ok"] is True
    assert len(summary["outcomes"]) == len(warned.outcomes)
    assert sum(not o["success"] for o in summary["outcomes"]) == warned.failed


@pytest.mark.slow
def test_empty_tables_are_valid_input(tmp_path: Path) -> None:
    report = run(tmp_path, [], [])
    assert report.ok
    assert report.failed == 0
    assert report.docs_index.is_file()


@pytest.mark.slow
def test_missing_table_fails_instead_of_crashing(tmp_path: Path) -> None:
    db = tmp_path / "cctv.duckdb"
    duckdb.connect(str(db)).close()
    report = validate(db, tmp_path / "docs", tmp_path / "results")
    assert not report.ok
    assert any("does not exist" in o.details.get("exception", "") for o in report.outcomes)


# --- Data Docs offline ----------------------------------------------------------------------

OFFSITE = r"""\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
LEAKS = [
    re.compile(r"\b(?:src|srcset|poster|data|background)\s*=" + OFFSITE, re.I),
    re.compile(r"<(?:link|script|img|image|source|iframe)\b[^>]*\bhref\s*=" + OFFSITE, re.I),
    re.compile(r"url\(" + OFFSITE, re.I),
    re.compile(r"@import\s+(?:url\()?" + OFFSITE, re.I),
    re.compile(r"great-expectations-web-assets", re.I),
    re.compile(r"<script\b[^>]*\bsrc\s*=", re.I),
]


def leaks_in(docs: Path) -> list[str]:
    found = []
    for path in docs.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{path.name}: {m.group(0)}" for p in LEAKS for m in p.finditer(text)]
    return found


@pytest.mark.slow
def test_data_docs_make_no_outside_request(clean: tuple[ValidationReport, Path, str]) -> None:
    report, _, _ = clean
    docs = report.docs_index.parent
    pages = list(docs.rglob("*.html"))
    assert len(pages) >= 9  # index + 4 suites + 4 validation results
    assert leaks_in(docs) == []


@pytest.mark.slow
def test_data_docs_are_readable_offline(clean: tuple[ValidationReport, Path, str]) -> None:
    report, _, _ = clean
    index = report.docs_index.read_text(encoding="utf-8")
    assert index.lstrip().lower().startswith("<!doctype html>")
    assert re.search(r'<head>\s*<meta charset="utf-8">', index)
    assert 'id="offline-docs"' in index  # the local stylesheet, inlined
    assert "Content-Security-Policy" in index and "default-src 'none'" in index
    assert "cameras-errors" in index and "policies-warnings" in index
    assert "<script" not in index
    # the index table bootstrap-table would have drawn is static HTML with links to each run
    assert re.search(r'<a href="validations/cameras-errors/[^"]+\.html">', index)
    suite_page = (report.docs_index.parent / "expectations" / "cameras-errors.html").read_text(
        encoding="utf-8"
    )
    assert "설치목적구분" in suite_page  # Hangul kept as text, not as escapes


def test_offline_html_strips_every_kind_of_outside_load() -> None:
    page = """<!DOCTYPE html><html><head><meta charset="latin1"><title>t</title>
    <link rel="stylesheet" href="https://cdn.example.com/x.css">
    <link rel="preconnect" href="//fonts.example.com">
    <link rel="icon" href="./static/images/favicon.ico">
    <script src="https://code.example.com/jquery.js"></script>
    <script>$("#x").hide();</script>
    <style>@import url("https://fonts.example.com/a.css"); @import '//x.example/b.css';
    .a { background: url('https://great-expectations-web-assets.s3.amazonaws.com/l.png') }
    .b { background: url(../static/images/local.png) }</style></head>
    <body onload="go()"><img src="https://example.com/logo.png" alt="Logo">
    <img srcset="//example.com/a.png 1x, /b.png 2x"><iframe src="https://example.com"></iframe>
    <div style="background-image: url(http://example.com/bg.png)">방침</div>
    <a href="https://example.com/newsletter">Subscribe</a> <a href="#local">here</a>
    <svg><image href="https://example.com/i.svg"/></svg>
    <footer><a href="https://example.com">ad</a></footer></body></html>"""
    out = offline_html(page, ".x { color: red }")
    assert [m for p in LEAKS for m in p.findall(out)] == []
    assert "example.com" not in out.replace("https://example.com/newsletter", "")
    assert "<script" not in out and "onload" not in out and "<footer" not in out
    assert '<span class="offline-brand">Logo</span>' in out
    assert "<span>Subscribe</span>" in out and '<a href="#local">here</a>' in out
    assert 'href="./static/images/favicon.ico"' in out
    assert "url(../static/images/local.png)" in out
    assert "방침" in out and '<meta charset="utf-8">' in out and "latin1" not in out


@pytest.mark.parametrize(
    ("url", "offsite"),
    [
        ("https://a.b/c", True),
        ("HTTP://a.b", True),
        ("//cdn.x/y.js", True),
        (" \\\\cdn.x/y.js", True),
        ("ftp://a.b", True),
        ("../static/a.css", False),
        ("#section-1", False),
        ("data:image/png;base64,AAAA", False),
        ("file:///tmp/x.html", False),
        ("expectations/cameras-errors.html", False),
    ],
)
def test_is_offsite(url: str, offsite: bool) -> None:
    assert is_offsite(url) is offsite
