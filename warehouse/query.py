"""`cctv query`: someone's SQL on the warehouse, on a connection that can only read it.

Two locks, either of which holds alone. The statement must be one query (SELECT, WITH,
VALUES, FROM …, DESCRIBE, SHOW, SUMMARIZE: DuckDB parses all of them as SELECT), so COPY,
ATTACH, INSTALL, SET and PRAGMA never run. And the connection is opened read-only with
extension loading off, file access limited to the warehouse's own Parquet folder, and its
configuration locked, so even a query function that reads files (`read_csv('/etc/passwd')`)
or a statement the parser lets through cannot reach the rest of the machine.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from archive.paths import DataPaths

ALLOWED = "a single SELECT, WITH, VALUES, DESCRIBE, SHOW or SUMMARIZE statement"


class QueryRefused(ValueError):
    """The SQL is not one read-only query; nothing was run."""


class QueryFailed(RuntimeError):
    """DuckDB could not run the query (a syntax error, an unknown column, a refused file)."""


@dataclass(frozen=True)
class QueryResult:
    """The first rows of a query's answer and how many rows the whole answer has."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def check_statement(sql: str) -> str:
    """The one statement in `sql`, or QueryRefused saying why it cannot run."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(_first_line(exc)) from exc
    if not statements:
        raise QueryRefused(f"no statement given: cctv query runs {ALLOWED}")
    if len(statements) > 1:
        raise QueryRefused(f"{len(statements)} statements given: cctv query runs only {ALLOWED}")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryRefused(f"{statement.type.name} cannot run here: cctv query runs only {ALLOWED}")
    return statement.query


def read_only_connection(paths: DataPaths) -> duckdb.DuckDBPyConnection:
    """The warehouse, opened so that nothing outside its Parquet folder can be read and
    nothing at all written, downloaded or loaded; the settings cannot be changed back."""
    con = duckdb.connect(
        str(paths.duckdb),
        read_only=True,
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
        },
    )
    try:
        allowed = sorted({_folder(paths.parquet_dir), _folder(paths.parquet_dir.resolve())})
        con.execute("SET allowed_directories = ?", [allowed])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error:
        con.close()
        raise
    return con


def _folder(path: Path) -> str:
    return str(path).rstrip("/") + "/"


_COUNT_BATCH = 65_536


def _count_rows(con: duckdb.DuckDBPyConnection, statement: str, pending: Any, seen: int) -> int:
    """How many rows `statement` answers, `seen` of them already fetched from `pending`.

    DuckDB counts them (`count(*)` over the query, which reads only what the count needs);
    a statement it cannot nest (one ending in a comment after `;`) is counted by reading
    the rest of the answer as Arrow batches, never as Python rows."""
    nested = statement.rstrip().rstrip(";")
    try:
        (total,) = con.cursor().execute(f"SELECT count(*) FROM ({nested}\n)").fetchone() or (0,)
        return int(total)
    except duckdb.Error:
        with warnings.catch_warnings():  # DuckDB's note that Arrow copies the rows once
            warnings.simplefilter("ignore", UserWarning)
            reader = pending.to_arrow_reader(_COUNT_BATCH)
        return seen + sum(batch.num_rows for batch in reader)


def run_query(paths: DataPaths, sql: str, limit: int = 0) -> QueryResult:
    """Run one read-only query on the warehouse; QueryRefused or QueryFailed otherwise.

    With a `limit`, only the first `limit` rows become Python values; `total` still says
    how many the whole answer has. 0 is no limit."""
    if limit < 0:
        raise QueryRefused(f"the row limit must be 0 (all rows) or more, not {limit}")
    statement = check_statement(sql)
    try:
        con = read_only_connection(paths)
    except duckdb.Error as exc:
        raise QueryFailed(f"cannot open {paths.duckdb}: {_first_line(exc)}") from exc
    try:
        cursor = con.execute(statement)
        columns = [d[0] for d in cursor.description or []]
        if not limit:
            rows = cursor.fetchall()
            return QueryResult(columns, rows, len(rows))
        rows = cursor.fetchmany(limit + 1)
        if len(rows) <= limit:
            return QueryResult(columns, rows, len(rows))
        return QueryResult(columns, rows[:limit], _count_rows(con, statement, cursor, len(rows)))
    except duckdb.Error as exc:
        raise QueryFailed(_first_line(exc)) from exc
    finally:
        con.close()
