"""The tables great-expectations validates, made where the data is.

An in-memory DuckDB attaches the warehouse read-only and holds one table per validated
table: the warehouse's columns in their order, then the derived columns (`derived.py`),
rows in the warehouse's order. great-expectations' SQL engine queries it through
`engine.SCHEME`, so each expectation is a query over DuckDB. The tables are made once per
run: the derived columns' joins would otherwise run again in every expectation's queries.

Dates are held as timestamps, as pandas holds them for the derived functions, so a failing
date reads the same in every result.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from warehouse.validation.derived import DERIVED, REFERENCE_SQL, InSql, PerGroup, PerValue, Refs
from warehouse.validation.suites import VALIDATED_TABLES

WAREHOUSE = "warehouse"  # the name the warehouse is attached under
MISSING = "table_missing_from_warehouse"  # the one column of a table the warehouse lacks

_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


@dataclass
class ValidationTables:
    """Where great-expectations finds the tables, and what was read beside them."""

    url: str  # the SQLAlchemy URL of the in-memory database
    refs: Refs  # the reference frames (`derived.REFERENCE_SQL`)
    row_counts: dict[str, int] = field(default_factory=dict)  # 0 for a missing table
    columns: dict[str, list[str]] = field(default_factory=dict)  # of the tables made


def to_pandas(arrow: pa.Table) -> pd.DataFrame:
    """Arrow as the derived functions read it: nullable ints and bools, dates as timestamps."""
    return arrow.to_pandas(types_mapper=_NULLABLE.get, date_as_object=False)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reference(con: Any, sql: str) -> pd.DataFrame:
    """A reference frame; empty when its tables are missing (a bare warehouse), so the
    rules that need it are reported as not judged."""
    try:
        return to_pandas(con.sql(sql).to_arrow_table())
    except duckdb.CatalogException:
        return pd.DataFrame()


def _columns(con: Any, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main' AND table_name = ? "
        "ORDER BY column_index",
        [WAREHOUSE, table],
    ).fetchall()


def _verdicts(con: Any, source: str, name: str, spec: PerValue, refs: Refs) -> pa.Table:
    """`spec` run once per distinct combination of its sources: the combinations (as DuckDB
    returns them, so they join back exactly) with the derived value beside them."""
    sources = ", ".join(_quoted(s) for s in spec.sources)
    distinct = con.sql(f"SELECT DISTINCT {sources} FROM {source}").to_arrow_table()
    values = pa.array(spec.derive(to_pandas(distinct), refs))
    if pa.types.is_timestamp(values.type):
        values = values.cast(pa.timestamp("us"))
    return distinct.append_column(name, values)


def _make(con: Any, database: str, table: str, refs: Refs) -> tuple[int, list[str]]:
    """The table with its derived columns in `database`, its row count and columns. When
    the warehouse lacks the table, an empty one stands in whose one column says so (DuckDB
    has no table without columns): every expectation on it fails, naming its column."""
    found = _columns(con, table)
    if not found:
        con.execute(f"CREATE TABLE {database}.main.{_quoted(table)} ({MISSING} BOOLEAN)")
        return 0, []
    source = f"{WAREHOUSE}.main.{_quoted(table)}"
    present = {name for name, _ in found}
    select = [
        f"CAST(t.{_quoted(c)} AS TIMESTAMP) AS {_quoted(c)}"
        if kind == "DATE"
        else f"t.{_quoted(c)}"
        for c, kind in found
    ]
    joins: list[str] = []
    for name, spec in DERIVED.get(table, {}).items():
        if not set(spec.sources) <= present:
            continue  # a source column is missing: the contract check reports it
        if isinstance(spec, InSql):
            select.append(f"{spec.sql} AS {_quoted(name)}")
            continue
        lookup = f"{database}.main.{_quoted(f'{table}__{name}')}"
        if isinstance(spec, PerGroup):
            keys = ", ".join(_quoted(c) for c in spec.by)
            con.execute(
                f"CREATE TABLE {lookup} AS SELECT {keys}, {spec.sql} AS {_quoted(name)} "
                f"FROM {source} GROUP BY ALL"
            )
            on_columns = spec.by
        else:
            con.register("verdicts", _verdicts(con, source, name, spec, refs))
            con.execute(f"CREATE TABLE {lookup} AS SELECT * FROM verdicts")
            con.unregister("verdicts")
            on_columns = spec.sources
        alias = f"d{len(joins)}"
        on = " AND ".join(
            f"t.{_quoted(s)} IS NOT DISTINCT FROM {alias}.{_quoted(s)}" for s in on_columns
        )
        joins.append(f"LEFT JOIN {lookup} AS {alias} ON {on}")
        select.append(f"{alias}.{_quoted(name)}")
    made = f"{database}.main.{_quoted(table)}"
    con.execute(
        f"CREATE TABLE {made} AS SELECT {', '.join(select)} "
        f"FROM {source} AS t {' '.join(joins)} ORDER BY t.rowid"
    )
    count = con.execute(f"SELECT count(*) FROM {made}").fetchone()[0]
    return int(count), [row[0] for row in con.execute(f"DESCRIBE {made}").fetchall()]


@contextmanager
def validation_tables(db_path: Path) -> Iterator[ValidationTables]:
    """The validated tables in a fresh in-memory DuckDB, for the length of the block; the
    warehouse is attached read-only and detached on the way out, so it can be written again
    (`store_results`) as soon as the block ends."""
    # SQLAlchemy and duckdb-engine are loaded here, when a run needs them, so importing the
    # package stays cheap.
    from warehouse.validation import engine

    name = f":memory:cctv-validation-{uuid.uuid4().hex}"
    con = engine.connect(name)
    try:
        database = con.execute("SELECT current_database()").fetchone()[0]
        path = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS {WAREHOUSE} (READ_ONLY)")
        try:
            con.execute(f"USE {WAREHOUSE}")
            refs = {ref: _reference(con, sql) for ref, sql in REFERENCE_SQL.items()}
            con.execute(f"USE {database}")
            tables = ValidationTables(url=f"{engine.SCHEME}:///{name}", refs=refs)
            for table in VALIDATED_TABLES:
                count, columns = _make(con, database, table, refs)
                tables.row_counts[table] = count
                if columns:
                    tables.columns[table] = columns
            yield tables
        finally:
            con.execute(f"USE {database}")
            con.execute(f"DETACH {WAREHOUSE}")
            for table in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                con.execute(f"DROP TABLE IF EXISTS {_quoted(table[0])}")
    finally:
        con.close()
