"""`cctv build`: the archive parsed into the Parquet tables and the DuckDB warehouse."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from pipelines.cli.common import paths_of
from pipelines.console import (
    DataDir,
    Quiet,
    RegistryFile,
    fail,
    info,
    progress_bars,
    quiet_flag,
)
from registry import REGISTRY_CSV, RegistryError


def build_cmd(
    registry: RegistryFile = REGISTRY_CSV,
    force: Annotated[bool, typer.Option(help="Rebuild even when nothing changed.")] = False,
    reparse: Annotated[
        bool,
        typer.Option(help="Parse every document again instead of reusing earlier parses."),
    ] = False,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Parse the archive into Parquet tables and the DuckDB warehouse."""
    from pipelines.stages import StageError, run_build

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    started = time.perf_counter()
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("reading the archive", total=None)
            report = run_build(
                paths,
                registry,
                progress=lambda _url, n, total: bar.update(
                    task,
                    completed=n,
                    total=total,
                    description="parsing documents" if n < total else "writing Parquet and DuckDB",
                ),
                force=force,
                reparse=reparse,
            )
    except (RegistryError, StageError) as exc:
        raise fail(str(exc)) from exc
    if report.repaired:
        info(
            f"the warehouse did not match its last build ({report.repaired[0]}): rebuilt it",
            quiet,
        )
    if report.up_to_date:
        info(
            f"{report.duckdb_path} is up to date (nothing changed since the last "
            "build; --force rebuilds)",
            quiet,
        )
        return
    rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    info(
        f"built {report.duckdb_path} in {time.perf_counter() - started:.1f}s "
        f"({report.parsed} parsed, {report.reused} reused): {rows}",
        quiet,
    )
    if report.failed:
        info(f"{len(report.failed)} documents unreadable: see table quality_issues", quiet)
