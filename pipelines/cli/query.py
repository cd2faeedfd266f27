"""`cctv query`: one read-only query on the warehouse, as a table, CSV or JSON."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from pipelines.cli.common import paths_of, require_warehouse
from pipelines.console import AsJson, DataDir, cell, fail, out, print_csv, print_json


def query(
    sql: Annotated[str, typer.Argument(help="A read-only SQL query.")],
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Run one read-only query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE) and print it.

    --json is --format json: a list of records. Nothing else runs: no COPY, ATTACH,
    INSTALL or SET, no second statement, no file outside the warehouse."""
    from warehouse.query import QueryFailed, QueryRefused, run_query

    if output not in ("table", "csv", "json"):
        raise fail(f"--format must be table, csv or json, not {output!r}", 2)
    if as_json:
        if output not in ("table", "json"):
            raise fail(f"--json and --format {output} ask for different outputs", 2)
        output = "json"
    paths = paths_of(data_dir)
    require_warehouse(paths)
    try:
        result = run_query(paths, sql)
    except QueryRefused as exc:
        raise fail(str(exc), 2) from exc
    except QueryFailed as exc:
        raise fail(str(exc)) from exc
    names, rows = result.columns, result.rows
    if output == "csv":
        # The rows as stored, for programs (a pipe, a file): not made formula-safe, which
        # would change values such as "+82 …"; `cctv export` writes files for spreadsheets.
        print_csv([names, *rows])
    elif output == "json":
        print_json([dict(zip(names, row, strict=True)) for row in rows])
    else:
        table = Table()
        for name in names:
            table.add_column(cell(name))
        for row in rows:
            table.add_row(*(cell(v) for v in row))
        out.print(table)
