"""The Datasette plugin that keeps the copy read-only whatever SQL someone types.

Datasette already opens an immutable database read-only and runs only statements that
start like a SELECT. This adds SQLite's own authorizer on every connection to the copy, so
the engine itself refuses what a query must never do, however it is written: attach
another file, write, change the schema or a setting, or call a function that reads or
writes files or loads code. Introspection pragmas that Datasette runs itself still work.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils import allowed_pragmas

from warehouse.serve.copy import DATABASE

# Pragmas that only read (Datasette's own allowed list, and those it runs itself).
READ_PRAGMAS = frozenset({*allowed_pragmas, "query_only", "cache_size", "compile_options"})
# Functions that reach outside the database (SQLite's shell, extensions) or load code.
REFUSED_FUNCTIONS = frozenset(
    {
        "load_extension",
        "readfile",
        "writefile",
        "edit",
        "fts3_tokenizer",
        "sqlite_dbpage",
        "zipfile",
        "fsdir",
    }
)
_READING = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_RECURSIVE,
        sqlite3.SQLITE_TRANSACTION,
    }
)


def authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
    """SQLite's question "may this statement do this?": reads yes, everything else no."""
    if action in _READING:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        name = (arg2 or "").lower()
        return sqlite3.SQLITE_DENY if name in REFUSED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        # SQLite asks this itself when a pragma function (pragma_table_info) is first used;
        # a statement cannot write the schema table (writable_schema is a refused pragma).
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        return sqlite3.SQLITE_OK if name in READ_PRAGMAS else sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_DENY


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
    """Every connection Datasette opens to the copy answers to `authorize`."""
    if database == DATABASE:
        conn.set_authorizer(authorize)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSAL = "읽기 전용 데이터베이스입니다: 내용을 바꾸는 요청은 받지 않습니다.".encode()


@hookimpl
def asgi_wrapper() -> Any:
    """Every request that is not a read (POST, PUT, DELETE, …) ends here with 405, before
    any view sees it: there is nothing to write, and no form to sign in to."""

    def wrap(app: Any) -> Any:
        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 405,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"allow", b"GET, HEAD, OPTIONS"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": REFUSAL})
                return
            await app(scope, receive, send)

        return read_only

    return wrap
