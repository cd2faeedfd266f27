"""`cctv query`: one read-only query on the warehouse, as a table, CSV or JSON.

The SQL comes from the argument, a file (`-f FILE`) or stdin (`-`, or piped with no
argument). A table shows the first rows (50 unless `--limit` says otherwise) and says how
many there are in all; CSV and JSON, which programs read, carry every row unless a
`--limit` is given."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import paths_of, require_warehouse
from pipelines.console import (
    AsJson,
    DataDir,
    console,
    fail,
    print_csv,
    print_json,
    print_table,
    quiet_flag,
    result_line,
)

TABLE_ROWS = 50
FORMATS = ("table", "csv", "json")


# One query is never this long; a file or stream that is (/dev/zero, a log piped in by
# mistake) is refused after this much is read, not read to the end.
SQL_CHARS = 1_000_000


def _capped(text: str, where: str) -> str:
    if len(text) > SQL_CHARS:
        raise fail(f"{where} holds more than {SQL_CHARS:,} characters: give one query", 2)
    return text


def read_sql(sql: str | None, sql_file: Path | None) -> str:
    """The query text: the argument, the file named by -f, or stdin (`-`, or a pipe)."""
    if sql is not None and sql_file is not None:
        raise fail("give the query as an argument or with -f FILE, not both", 2)
    if sql_file is not None:
        try:
            with sql_file.open(encoding="utf-8-sig") as fh:
                return _capped(fh.read(SQL_CHARS + 1), str(sql_file))
        except UnicodeDecodeError as exc:
            where = f"{sql_file} is not UTF-8 text (byte {exc.start})"
            raise fail(f"{where}: save it as UTF-8", 2) from exc
        except OSError as exc:
            raise fail(f"cannot read {sql_file}: {exc.strerror or exc}", 2) from exc
    if sql is not None and sql != "-":
        return sql
    if sql is None and sys.stdin.isatty():
        raise fail('no query given: cctv query "SELECT …", cctv query -f FILE, or pipe it in', 2)
    try:
        return _capped(sys.stdin.read(SQL_CHARS + 1), "stdin")
    except UnicodeDecodeError as exc:
        raise fail(f"the query on stdin is not UTF-8 text (byte {exc.start})", 2) from exc


def total_line(shown: int, total: int, clipped: bool) -> str:
    """The line under a table: how many rows there are and how to get all of them."""
    if shown < total:
        line = (
            f"전체 {total:,}행 중 앞의 {shown:,}행을 표시했습니다. "
            "모두 보려면 --limit 0, 파일로 받으려면 --format csv"
        )
    else:
        line = f"전체 {total:,}행"
    if clipped:
        line += " (긴 값은 …로 줄였습니다. 전체 값은 --format csv 또는 json)"
    return line


def query(
    sql: Annotated[
        str | None,
        typer.Argument(help="A read-only SQL query; `-` (or none, in a pipe) reads stdin."),
    ] = None,
    sql_file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from this file.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            help=f"At most this many rows; 0 for all (default: {TABLE_ROWS} for a table, "
            "all for csv and json).",
        ),
    ] = None,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Run one read-only query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE) and print it.

    The SQL is the argument, a file (-f FILE) or stdin (`-`, or piped in). A table shows the
    first 50 rows and the total (--limit N, 0 for all); csv and json print every row unless
    --limit is given. --json is --format json: a list of records. Nothing else runs: no
    COPY, ATTACH, INSTALL or SET, no second statement, no file outside the warehouse."""
    from warehouse.query import QueryFailed, QueryRefused, run_query

    if output not in FORMATS:
        raise fail(f"--format must be table, csv or json, not {output!r}", 2)
    if as_json:
        if output not in ("table", "json"):
            raise fail(f"--json and --format {output} ask for different outputs", 2)
        output = "json"
    if limit is not None and limit < 0:
        raise fail(f"--limit must be 0 (all rows) or more, not {limit}", 2)
    if limit is None:
        limit = TABLE_ROWS if output == "table" else 0
    text = read_sql(sql, sql_file)
    paths = paths_of(data_dir)
    require_warehouse(paths)
    try:
        result = run_query(paths, text, limit=limit)
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
        clipped = print_table(names, rows)
        result_line(total_line(len(rows), result.total, clipped))
        return
    if not result.complete and not quiet_flag(False):
        console.print(
            f"전체 {result.total:,}행 중 앞의 {len(rows):,}행만 출력했습니다 (모두: --limit 0)",
            highlight=False,
            soft_wrap=True,
        )
