"""The summary a person reads after `cctv demo`: per crawled institution what was read
from its site, and the totals. The SQL lives in warehouse/sql/summary/, beside the views,
but outside the files the build runs (those are the top level of warehouse/sql/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from warehouse.build import SQL_DIR

SUMMARY_DIR = SQL_DIR / "summary"


def _records(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    cursor = con.execute((SUMMARY_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def summary(duckdb_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-institution rows and overall totals, read back from the built warehouse."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        rows = _records(con, "institutions")
        (totals,) = _records(con, "totals")
    finally:
        con.close()
    return rows, totals
