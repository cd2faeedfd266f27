"""`cctv query`: someone's SQL on the warehouse, on a connection that can only read it.

Two locks, either of which holds alone. The statement must be one query (SELECT, WITH,
VALUES, FROM …, DESCRIBE, SHOW, SUMMARIZE: DuckDB parses all of them as SELECT), so COPY,
ATTACH, INSTALL, SET and PRAGMA never run. And the connection is opened read-only with
extension loading off, file access limited to the warehouse's own Parquet folder, and its
configuration locked, so even a query function that reads files (`read_csv('/etc/passwd')`)
or a statement the parser lets through cannot reach the rest of the machine.
"""

from __future__ import annotations

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
    columns: list[str]
    rows: list[tuple[Any, ...]]


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


def run_query(paths: DataPaths, sql: str) -> QueryResult:
    """Run one read-only query on the warehouse; QueryRefused or QueryFailed otherwise."""
    statement = check_statement(sql)
    try:
        con = read_only_connection(paths)
    except duckdb.Error as exc:
        raise QueryFailed(f"cannot open {paths.duckdb}: {_first_line(exc)}") from exc
    try:
        cursor = con.execute(statement)
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(columns, cursor.fetchall())
    except duckdb.Error as exc:
        raise QueryFailed(_first_line(exc)) from exc
    finally:
        con.close()
