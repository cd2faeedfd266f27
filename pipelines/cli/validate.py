"""`cctv validate`: the great-expectations suites, their failures and counts."""

from __future__ import annotations

import typer
from rich.markup import escape

from pipelines.cli.common import paths_of, require_warehouse
from pipelines.console import (
    AsJson,
    DataDir,
    Quiet,
    console,
    fail,
    info,
    print_json,
    progress_bars,
    quiet_flag,
    terminal_safe,
)


def validate_cmd(data_dir: DataDir = None, as_json: AsJson = False, quiet: Quiet = False) -> None:
    """Run the great-expectations suites; exit 1 when an error-level expectation fails."""
    from pipelines.stages import StageError, run_validate

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    require_warehouse(paths)
    try:
        with progress_bars(quiet) as bar:
            bar.add_task("validating", total=None)
            report = run_validate(paths)
    except StageError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print_json(_validation_json(report))
    else:
        _print_validation(report, quiet)
    if not report.ok:
        raise typer.Exit(1)


def _validation_json(report) -> dict:
    """Counts, where the detail is, and every outcome: what scripts need to act on a run."""
    return {
        "ok": report.ok,
        "passed": report.passed,
        "failed": report.failed,
        "error_failures": report.error_failures,
        "warning_failures": report.warning_failures,
        "docs_index": str(report.docs_index),
        "results_path": str(report.results_path),
        "run_time": report.run_time.isoformat(),
        "row_counts": report.row_counts,
        "outcomes": [
            {
                "severity": o.severity,
                "table": o.table,
                "column": o.column,
                "expectation": o.expectation_type,
                "success": o.success,
                "unexpected_count": o.unexpected_count,
                "element_count": o.element_count,
                "rule": o.name,
                "note": o.note,
            }
            for o in report.outcomes
        ],
    }


def _failure_line(outcome) -> str:
    """One failed rule as staff read it: 경고 방침의 설치 현황 · 보관기간 30일 이하 (보관기간(일)):
    2행 위반, 기관 1곳."""
    from warehouse.labels import column_label, value_label

    table = value_label("table_name", outcome.table)
    subject = ""
    if outcome.column:
        try:
            names = [column_label(outcome.table, c) for c in outcome.column.split(", ")]
            subject = f" ({', '.join(names)})"
        except KeyError:
            subject = ""
    found = []
    if outcome.unexpected_count is not None:
        found.append(f"{outcome.unexpected_count:,}행 위반")
    institutions = len([code for code in outcome.by_institution if code])
    if institutions:
        found.append(f"기관 {institutions:,}곳")
    from warehouse.validation.pages import table_finding

    rule = outcome.name or outcome.note
    finding = ", ".join(found) or table_finding(outcome) or "표 전체 규칙 위반"
    return f"{table} · {rule}{subject}: {finding}"


def _print_validation(report, quiet: bool = False) -> None:
    """Failed rules and the counts; with --quiet only the error-level failures."""
    failed = [o for o in report.outcomes if not o.success]
    for outcome in failed:
        if quiet and outcome.severity != "error":
            continue
        error = outcome.severity == "error"
        console.print(
            f"  [{'red' if error else 'yellow'}]{'오류' if error else '경고'}[/] "
            + escape(terminal_safe(_failure_line(outcome))),
            highlight=False,
            soft_wrap=True,
        )
    from warehouse.validation.pages import SUMMARY_PAGE

    errors, warnings = report.error_failures, report.warning_failures
    info(
        f"검증 규칙 {report.passed + report.failed}개 중 {report.passed}개 통과, "
        f"{report.failed}개 위반(오류 {errors}개, 경고 {warnings}개); "
        f"기관별 결과: {report.docs_index.parent / SUMMARY_PAGE}; Data Docs: {report.docs_index}",
        quiet,
    )
