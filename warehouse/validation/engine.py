"""The SQLAlchemy dialect great-expectations' SQL engine reaches DuckDB through.

duckdb-engine's DBAPI cursor is the DuckDB connection itself. great-expectations returns a
query's result after leaving the `with` block of its connection, and SQLAlchemy then rolls
the transaction back, which discards DuckDB's pending result: every metric would read an
empty answer. This dialect fetches each result while the statement is still current, so the
rows outlive the connection's reset. Results of validation queries are counts and samples of
failing rows, so holding them in memory costs little.

The dialect is registered as `duckdb.buffered`: `duckdb+buffered:///<database>`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import duckdb_engine
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import registry
from sqlalchemy.engine import cursor as _cursor

SCHEME = "duckdb+buffered"


class BufferedContext(duckdb_engine.Dialect.execution_ctx_cls):  # type: ignore[misc,name-defined]
    """Reads a statement's rows as soon as it ran (see the module's docstring)."""

    def post_exec(self) -> None:
        super().post_exec()
        description = self.cursor.description
        if description is not None:
            # Type codes by name: SQLAlchemy caches result processors by type code for the
            # life of the process, and DuckDB's type objects must not outlive the module.
            named = [(d[0], str(d[1]), *d[2:]) for d in description]
            self.cursor_fetch_strategy = _cursor.FullyBufferedCursorFetchStrategy(
                self.cursor, named, self.cursor.fetchall()
            )


class BufferedDialect(duckdb_engine.Dialect):
    """duckdb-engine with results buffered at execution."""

    execution_ctx_cls = BufferedContext
    # DuckDB's lists (legal_basis, items_present…) reflect as type "list", which SQLAlchemy
    # has no type for: great-expectations reads only such a column's name (the contract
    # check), so it is reflected as untyped instead of warning on every reflection.
    ischema_names: ClassVar[dict[str, Any]] = {
        **duckdb_engine.Dialect.ischema_names,
        "list": sqltypes.NullType,
    }
    # As duckdb-engine declares it; stating it here keeps SQLAlchemy from warning that a
    # subclass left it unset.
    supports_statement_cache = False


# great-expectations picks its regular-expression operator by looking for a dialect module's
# `dialect` class: from duckdb-engine's base it takes PostgreSQL's `~`, which DuckDB reads the
# same way (a search with RE2, as pandas' `str.contains` searches).
BufferedDialect.dialect = BufferedDialect  # type: ignore[attr-defined]


def connect(database: str) -> Any:
    """A DBAPI connection opened the way the dialect opens its own, so a named in-memory
    database made here is the one `SCHEME:///<database>` reaches in this process (DuckDB
    shares an instance only between connections opened with the same settings)."""
    return BufferedDialect().connect(database=database)


registry.register(SCHEME.replace("+", "."), __name__, "BufferedDialect")
