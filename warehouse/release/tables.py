"""The public tables written out of the warehouse: Parquet and CSV, byte for byte the same
every time the same warehouse is released.

DuckDB writes both (`COPY … TO`), on one thread and in a fixed row order (the table's key,
or every column where it has none), so a release's bytes depend on the data alone. The CSV is UTF-8
with a BOM (Excel reads it as UTF-8 only then), lists as JSON arrays, times as ISO 8601
UTC, and every text cell a spreadsheet would run as a formula given a leading `'`, by the
same rule as the exports (`warehouse.exports.shared.inert`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.dictionary import field_doc
from warehouse.exports.shared import inert
from warehouse.labels import VALUES, column_label
from warehouse.schema import TABLES

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
PARQUET_DIR = "parquet"
CSV_DIR = "csv"

# The tables a release publishes: every table the build writes. `validation_results`
# is summarised in the README and kept in the DuckDB file.
PUBLIC_TABLES: tuple[str, ...] = tuple(TABLES)

# What identifies a row, where the build makes one unique and never null: the release
# sorts by it and datapackage.json declares it (frictionless checks that it holds). Tables
# without one are sorted by every column.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "captures": ("warc_file", "warc_offset"),
    "policies": ("capture_sha256",),
    "cameras": ("capture_sha256", "row_ref"),
    "policy_versions": ("inst_code", "first_capture_sha256"),
    "crawl_reports": ("crawl_id", "inst_code"),
}

# Korean names of the tables the labels do not name yet.
_TABLE_TITLES = {
    "institutions": "기관",
    "captures": "수집 기록",
    "policy_versions": "방침 변경 이력",
    "aggregates": "공개 집계표",
    "crawl_reports": "수집 보고",
}


def table_title(name: str) -> str:
    """The table's Korean name, as the release's README and datapackage.json give it."""
    return VALUES["table_name"].get(name) or _TABLE_TITLES[name]


@dataclass(frozen=True)
class TableFiles:
    """One table as released: its rows and the two files, relative to the release."""

    name: str
    rows: int
    parquet: str
    csv: str


@cache
def formula_starts() -> tuple[str, ...]:
    """Every first character `inert` neutralises, found by asking it about each character
    of the Basic Multilingual Plane (the characters NFKC folds into `= + - @` all live
    there), so the SQL below follows the exports' rule rather than restating it."""
    found = []
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if inert(char) != char:
            found.append(char)
    return tuple(found)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_cell(f: pa.Field) -> str:
    """The SELECT expression of one CSV column."""
    col = _quoted(f.name)
    if pa.types.is_string(f.type):
        starts = ", ".join(_literal(c) for c in formula_starts())
        return f"CASE WHEN left({col}, 1) IN ({starts}) THEN '''' || {col} ELSE {col} END"
    if pa.types.is_list(f.type) or pa.types.is_struct(f.type):
        return f"CAST(to_json({col}) AS VARCHAR)"
    if pa.types.is_timestamp(f.type):
        return f"strftime({col}, '%Y-%m-%dT%H:%M:%S.%fZ')"
    return col


def _order(name: str) -> str:
    """The key, which orders the rows totally; for a table without one, every column, so
    only identical rows can tie (and their order cannot show)."""
    key = PRIMARY_KEYS.get(name) or tuple(f.name for f in TABLES[name])
    return ", ".join(_quoted(c) for c in key)


def deterministic(con: duckdb.DuckDBPyConnection) -> None:
    """One thread and UTC: DuckDB's output then depends on the rows alone."""
    con.execute("SET threads = 1")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET TimeZone = 'UTC'")


def _parquet_metadata(name: str) -> str:
    """The table's Korean name and each column's Korean name, unit and description, as the
    file's key-value metadata: a Parquet file that travels alone still says what it holds."""
    columns = {}
    for f in TABLES[name]:
        unit, description = field_doc(f)
        columns[f.name] = {"title": column_label(name, f.name), "description": description}
        if unit:
            columns[f.name]["unit"] = unit
    pairs = {
        "cctv:table": name,
        "cctv:title": table_title(name),
        "cctv:columns": json.dumps(columns, ensure_ascii=False),
    }
    return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in pairs.items()) + "}"


def write_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    """One table as Parquet (zstd), rows in key order, its columns described."""
    columns = ", ".join(_quoted(f.name) for f in TABLES[name])
    con.execute(
        f"COPY (SELECT {columns} FROM {_quoted(name)} ORDER BY {_order(name)}) "
        f"TO {_literal(str(path))} (FORMAT parquet, COMPRESSION zstd, "
        f"KV_METADATA {_parquet_metadata(name)})"
    )


def write_csv(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    """One table as CSV for people: UTF-8 with a BOM, header row, formula cells inert.

    The BOM is the first character of the first column's name in the header DuckDB writes,
    so the file is written once, never copied behind a BOM."""
    fields = list(TABLES[name])
    cells = ", ".join(
        f"{_csv_cell(f)} AS {_quoted(BOM + f.name if n == 0 else f.name)}"
        for n, f in enumerate(fields)
    )
    con.execute(
        f"COPY (SELECT {cells} FROM {_quoted(name)} ORDER BY {_order(name)}) "
        f"TO {_literal(str(path))} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')"
    )


def write_tables(con: duckdb.DuckDBPyConnection, root: Path) -> list[TableFiles]:
    """Every public table under `root` as `parquet/<table>.parquet` and `csv/<table>.csv`.

    `con` is the warehouse, opened read-only; a table an older warehouse lacks is written
    empty with its schema (the exports' `read_only_warehouse` stands it in)."""
    deterministic(con)
    (root / PARQUET_DIR).mkdir()
    (root / CSV_DIR).mkdir()
    written = []
    for name in PUBLIC_TABLES:
        parquet = f"{PARQUET_DIR}/{name}.parquet"
        csv = f"{CSV_DIR}/{name}.csv"
        write_parquet(con, name, root / parquet)
        write_csv(con, name, root / csv)
        rows = con.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()
        written.append(TableFiles(name, int(rows[0]) if rows else 0, parquet, csv))
    return written
