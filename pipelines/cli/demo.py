"""`cctv demo`: sample web → crawl → build → validate → notebooks, then the summary a
person reads (or the same as one JSON document)."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from archive.paths import DataPaths
from pipelines.cli.common import paths_of
from pipelines.console import (
    AsJson,
    DataDir,
    Quiet,
    fail,
    info,
    out,
    print_json,
    progress_bars,
    quiet_flag,
    result_line,
)
from registry import RegistryError


def demo(data_dir: DataDir = None, as_json: AsJson = False, quiet: Quiet = False) -> None:
    """Sample web → crawl → build → validate → notebooks, then a summary."""
    from pipelines.crawl_watch import CrawlProgress
    from pipelines.notebooks import NotebookError, run_notebooks
    from pipelines.stages import StageError, crawl_sample, run_build, run_validate

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    started = time.perf_counter()
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("crawling the sample web", total=None)

            def crawled(now: CrawlProgress) -> None:
                bar.update(task, completed=now.institutions_done, total=now.institutions_total)

            result = crawl_sample(paths, progress=crawled)
            bar.remove_task(task)
            info(
                f"crawl {result.crawl_id}: {result.archived} documents, "
                f"{result.problems} problems logged",
                quiet,
                "[green]✓[/] ",
            )
            task = bar.add_task("building the warehouse", total=None)
            report = run_build(
                paths, progress=lambda _u, n, total: bar.update(task, completed=n, total=total)
            )
            bar.remove_task(task)
            info(f"build: {report.parsed} parsed, {report.reused} reused", quiet, "[green]✓[/] ")
            task = bar.add_task("validating", total=None)
            validation = run_validate(paths)
            bar.update(task, description="running notebooks")
            notebooks = run_notebooks(paths.root, paths.root / "notebooks")
    except (StageError, NotebookError, RegistryError) as exc:
        raise fail(str(exc)) from exc
    seconds = time.perf_counter() - started
    if as_json:
        print_json(_demo_json(paths, result, report, validation, notebooks, seconds))
    else:
        _print_summary(paths, validation, notebooks, seconds)
    if not validation.ok:
        raise typer.Exit(1)


def _demo_json(paths: DataPaths, crawl, build, validation, notebooks, seconds: float) -> dict:
    from warehouse.summary import summary

    rows, totals = summary(paths.duckdb)
    return {
        "crawl": {
            "crawl_id": crawl.crawl_id,
            "documents": crawl.archived,
            "problems": crawl.problems,
            "events": str(crawl.events_path),
        },
        "build": {
            "parsed": build.parsed,
            "reused": build.reused,
            "unreadable": len(build.failed),
            "rows": build.rows,
        },
        "validation": {
            "ok": validation.ok,
            "passed": validation.passed,
            "failed": validation.failed,
            "error_failures": validation.error_failures,
            "warning_failures": validation.warning_failures,
        },
        "institutions": rows,
        "totals": totals,
        "paths": {
            "warehouse": str(paths.duckdb),
            "parquet": str(paths.parquet_dir),
            "data_docs": str(validation.docs_index),
            "notebooks": [str(n) for n in notebooks],
            "archive": str(paths.warc_dir),
        },
        "seconds": round(seconds, 1),
    }


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def _days(r: dict) -> str:
    return "/".join(_fmt(r[k]) for k in ("retention_min", "retention_median", "retention_max"))


def _print_summary(paths: DataPaths, validation, notebooks: list[Path], seconds: float) -> None:
    from warehouse.summary import summary

    rows, totals = summary(paths.duckdb)
    table = Table(
        title="CCTV disclosures: demo warehouse (retention in days: min/median/max)",
        title_justify="left",
    )
    for column in (
        "기관",
        "inst_code",
        "pages",
        "files",
        "rows",
        "template",
        "cameras",
        "days",
    ):
        table.add_column(column, justify="left" if column in ("기관", "inst_code") else "right")
    for r in rows:
        table.add_row(
            r["short_name"],
            r["inst_code"],
            _fmt(r["pages"]),
            _fmt(r["attachments"]),
            _fmt(r["camera_rows"]),
            _fmt(r["template_rows"]),
            _fmt(r["cameras"]),
            _days(r),
        )
    table.add_section()
    table.add_row(
        f"{totals['institutions']} 기관",
        "",
        _fmt(totals["pages"]),
        _fmt(totals["attachments"]),
        _fmt(totals["camera_rows"]),
        _fmt(sum(r["template_rows"] for r in rows)),
        _fmt(totals["cameras"]),
        _days(totals),
    )
    out.print(table)
    out.print(
        f"expectations: {validation.passed} passed, {validation.failed} failed "
        f"({validation.error_failures} error-level)   "
        f"quality issues: {totals['quality_issues']}"
    )
    result_line(f"warehouse:  {paths.duckdb}")
    result_line(f"parquet:    {paths.parquet_dir}")
    result_line(f"data docs:  {validation.docs_index}")
    for notebook in notebooks:
        result_line(f"notebook:   {notebook}")
    result_line(f"archive:    {paths.warc_dir}")
    result_line(f"done in {seconds:.0f}s")
