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
                "note": o.note,
            }
            for o in report.outcomes
        ],
    }


def _print_validation(report, quiet: bool = False) -> None:
    """Failed expectations and the counts; with --quiet only the error-level failures."""
    failed = [o for o in report.outcomes if not o.success]
    for outcome in failed:
        if quiet and outcome.severity != "error":
            continue
        console.print(
            f"  [{'red' if outcome.severity == 'error' else 'yellow'}]"
            f"{outcome.severity}[/] "
            + escape(
                terminal_safe(
                    f"{outcome.table}.{outcome.column or '*'} "
                    f"{outcome.expectation_type}: {outcome.unexpected_count} unexpected "
                    f"({outcome.note})"
                )
            ),
            highlight=False,
            soft_wrap=True,
        )
    info(
        f"expectations: {report.passed} passed, {report.failed} failed "
        f"({report.error_failures} error-level); Data Docs: {report.docs_index}",
        quiet,
    )
