"""The SQLite copy of the warehouse that `cctv serve` shows.

Every public table goes over as it is, and the regulators' views as tables (so the browser
and DuckDB give the same numbers: DuckDB computes them once). Values SQLite has no type for
are written as text a person can read: lists, structs and maps as JSON, dates as
`YYYY-MM-DD`, times as ISO 8601 UTC. Two tables are added so Datasette can link rows:
`institution_directory` (one row per institution code) and `documents` (one row per
archived payload, with the WARC record that holds it); the code and digest columns of the
other tables are foreign keys into them. Rows of an institution also carry its 시·도
(`region`) and level in words (`institution_level`), and rows with a retention its class
(`retention_class`), which the facets group by.

The copy is written to a temporary file and renamed into place, and a stamp beside it names
the warehouse it was made from, so it is made again only when the warehouse changed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.labels import NOT_STATED, VALUES
from warehouse.safe_write import replacing
from warehouse.schema import TABLES

# Raised when the copy's layout changes, so a copy made by an older layout is made again.
LAYOUT = 2
DATABASE = "cctv"  # Datasette names the database by the file's stem: /cctv/policies
BATCH_ROWS = 50_000

# The views that answer the regulators' questions, copied as tables.
VIEWS = (
    "policy_scorecard",
    "item_coverage",
    "retention_by_institution",
    "retention_over_30_days",
    "retention_by_source",
    "policy_vs_standard",
    "standard_by_institution",
    "cameras_by_purpose",
)
DIRECTORY = "institution_directory"
# What `cctv validate` last found, when it has run on this warehouse.
VALIDATION = "validation_results"
DOCUMENTS = "documents"

# Which columns point at which table (Datasette turns them into links).
INSTITUTION_KEYS = ("inst_code", "parent_code", "successor_code")
DOCUMENT_KEYS = ("capture_sha256", "first_capture_sha256", "last_capture_sha256", "sha256")

# Where a row's retention class stands (after which column) and what it is read from.
RETENTION_OF = {
    "policies": ("retention_days_max", 't."retention_days_max"'),
    "cameras": ("retention_days", 't."retention_days"'),
    "standard_points": ("retention_days", 't."retention_days"'),
    "policy_scorecard": (
        "row_retention_days_max",
        "greatest(t.stated_retention_days_max, t.row_retention_days_max)",
    ),
    "retention_by_institution": ("retention_days_max", 't."retention_days_max"'),
}
UNDER_30, AT_30, OVER_30 = "30일 미만", "30일", "30일 초과"
RETENTION_CLASSES = (UNDER_30, AT_30, OVER_30, NOT_STATED)

_CONTENT_RECORDS = "('response', 'resource', 'conversion')"


class CopyFailed(RuntimeError):
    """The warehouse could not be read or the copy not written; the old copy is unchanged."""


@dataclass(frozen=True)
class CopySummary:
    """What `make_copy` did: the copy's path, whether it was made now, rows per table."""

    path: Path
    made: bool
    tables: dict[str, int]
    seconds: float


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in mapping.items())
    return f"CASE {column} {whens} ELSE {column} END"


def directory_sql() -> str:
    """One row per institution code under its latest name, with its 시·도 (itself for a
    광역, else its parent's name, else the first word of its name) and level in words."""
    level = _case("l.level", VALUES["institution_level"])
    return f"""
        WITH latest AS (
            SELECT * FROM institutions
            QUALIFY row_number() OVER (
                PARTITION BY inst_code ORDER BY coalesce(valid_from, DATE '0001-01-01') DESC
            ) = 1
        )
        SELECT l.inst_code, l.name, l.short_name,
            CASE WHEN l.level = 'sido' THEN l.name
                 ELSE coalesce(p.name, split_part(l.name, ' ', 1)) END AS region,
            {level} AS institution_level,
            l.parent_code, l.homepage, l.crawled
        FROM latest l LEFT JOIN latest p ON p.inst_code = l.parent_code
        ORDER BY l.inst_code
    """


def documents_sql() -> str:
    """One row per archived payload: where its bytes are (the first response, resource or
    conversion record that holds them; a revisit only when no such record exists), its
    first URL and fetch, and how many captures carry it."""
    return f"""
        SELECT sha256, url, media_type, size_bytes, fetched_at, inst_code, role,
            record_type, warc_file, warc_offset, warc_length, captures
        FROM (
            SELECT *, count(*) OVER (PARTITION BY sha256) AS captures
            FROM captures
            WHERE sha256 IS NOT NULL
            QUALIFY row_number() OVER (
                PARTITION BY sha256
                ORDER BY record_type NOT IN {_CONTENT_RECORDS}, fetched_at, warc_file,
                    warc_offset
            ) = 1
        )
        ORDER BY sha256
    """


def retention_class_sql(expression: str) -> str:
    return (
        f"CASE WHEN ({expression}) IS NULL THEN {_text(NOT_STATED)} "
        f"WHEN ({expression}) < 30 THEN {_text(UNDER_30)} "
        f"WHEN ({expression}) = 30 THEN {_text(AT_30)} ELSE {_text(OVER_30)} END"
    )


def _readable(name: str, kind: str) -> str:
    """A DuckDB column as a value SQLite stores: text for what it has no type for."""
    column = f"t.{_quote(name)}"
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION")):
        return f"to_json({column})::VARCHAR"
    if kind.startswith("TIMESTAMP"):
        zoned = f"timezone('UTC', {column})" if "TIME ZONE" in kind else column
        return f"strftime({zoned}, '%Y-%m-%dT%H:%M:%S.%fZ')"
    if kind == "DATE":
        return f"strftime({column}, '%Y-%m-%d')"
    if kind.startswith("DECIMAL"):
        return f"{column}::DOUBLE"
    if kind in ("HUGEINT", "UHUGEINT", "UBIGINT"):  # sums of counts: far inside 64 bits
        return f"{column}::BIGINT"
    return column


_INTEGERS = frozenset(
    [
        "BOOLEAN",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
    ]
)


def _sqlite_type(kind: str) -> str:
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION", "TIMESTAMP", "DATE")):
        return "TEXT"
    if kind in _INTEGERS:
        return "INTEGER"
    if kind.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL")):
        return "REAL"
    return "TEXT"


@dataclass(frozen=True)
class Plan:
    """One table of the copy: the DuckDB query that fills it and its SQLite shape."""

    name: str
    select: str
    columns: tuple[tuple[str, str], ...]  # (name, SQLite type)
    primary_key: str | None

    def create(self) -> str:
        parts = []
        for column, kind in self.columns:
            extra = " PRIMARY KEY" if column == self.primary_key else ""
            parts.append(f"{_quote(column)} {kind}{extra}")
        for column, _kind in self.columns:
            target = _target(self.name, column)
            if target is not None:
                table, key = target
                parts.append(
                    f"FOREIGN KEY ({_quote(column)}) REFERENCES {_quote(table)}({_quote(key)})"
                )
        return f"CREATE TABLE {_quote(self.name)} ({', '.join(parts)})"

    def indexes(self) -> list[str]:
        """Indexes on the linked and faceted columns: Datasette counts and filters on them,
        and a facet over a million rows without one runs out of its time limit."""
        wanted = [c for c, _ in self.columns if c != self.primary_key and _indexed(self.name, c)]
        return [
            f"CREATE INDEX {_quote(f'{self.name}__{c}')} ON {_quote(self.name)}({_quote(c)})"
            for c in wanted
        ]


def _target(table: str, column: str) -> tuple[str, str] | None:
    if (column in INSTITUTION_KEYS and table != DIRECTORY) or column == "parent_code":
        return (DIRECTORY, "inst_code")
    if column in DOCUMENT_KEYS and table != DOCUMENTS:
        return (DOCUMENTS, "sha256")
    return None


FACETED = ("region", "institution_level", "retention_class", "purpose", "level", "code")


def _indexed(table: str, column: str) -> bool:
    return _target(table, column) is not None or column in FACETED


def _described(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE {sql}").fetchall()]


def _plan(con: duckdb.DuckDBPyConnection, name: str, source: str) -> Plan:
    """The copy of one table or view: its columns made readable, and after `inst_code`
    (or the institution's name beside it) the 시·도 and level; after the retention the
    class facets group by."""
    described = _described(con, f"SELECT * FROM {source}")
    names = [c for c, _ in described]
    picks: list[tuple[str, str, str]] = []  # (name, DuckDB expression, SQLite type)
    joined = "inst_code" in names and name not in ("institutions", DIRECTORY)
    after_code = next(
        (c for c in ("institution", "name", "institution_name") if c in names), "inst_code"
    )
    retention_after, retention = RETENTION_OF.get(name, (None, ""))
    for column, kind in described:
        picks.append((column, _readable(column, kind), _sqlite_type(kind)))
        if joined and column == after_code:
            picks.append(("region", "d.region", "TEXT"))
            picks.append(("institution_level", "d.institution_level", "TEXT"))
        if column == retention_after:
            picks.append(("retention_class", retention_class_sql(retention), "TEXT"))
    select = ", ".join(f"{expression} AS {_quote(column)}" for column, expression, _ in picks)
    frm = f"({source}) t" if source.lstrip().startswith("(") else f"{source} t"
    if joined:
        frm += f" LEFT JOIN ({directory_sql()}) d ON d.inst_code = t.inst_code"
    key = {DIRECTORY: "inst_code", DOCUMENTS: "sha256"}.get(name)
    return Plan(name, f"SELECT {select} FROM {frm}", tuple((c, k) for c, _, k in picks), key)


def plans(con: duckdb.DuckDBPyConnection) -> list[Plan]:
    """Every table of the copy, the link targets first."""
    found = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    found |= {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    out = [
        _plan(con, DIRECTORY, f"({directory_sql()})"),
        _plan(con, DOCUMENTS, f"({documents_sql()})"),
    ]
    out += [_plan(con, name, _quote(name)) for name in [*TABLES, VALIDATION] if name in found]
    out += [_plan(con, name, _quote(name)) for name in VIEWS if name in found]
    return out


def _batches(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[list[tuple[object, ...]]]:
    reader = con.sql(sql).to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        columns = [column.to_pylist() for column in batch.columns]
        yield list(zip(*columns, strict=True))


def write_copy(duckdb_path: Path, target: Path) -> dict[str, int]:
    """Write the SQLite copy of the warehouse at `duckdb_path` to the new file `target`;
    the rows written per table."""
    try:
        con = duckdb.connect(str(duckdb_path), read_only=True)
    except duckdb.Error as exc:
        raise CopyFailed(f"cannot open {duckdb_path}: {_first_line(exc)}") from exc
    out = sqlite3.connect(target, isolation_level=None)
    rows: dict[str, int] = {}
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE"):
            out.execute(f"PRAGMA {pragma}")
        out.execute("BEGIN")
        for plan in plans(con):
            out.execute(plan.create())
            insert = (
                f"INSERT INTO {_quote(plan.name)} VALUES ({', '.join('?' * len(plan.columns))})"
            )
            count = 0
            for batch in _batches(con, plan.select):
                out.executemany(insert, batch)
                count += len(batch)
            for statement in plan.indexes():
                out.execute(statement)
            rows[plan.name] = count
        out.execute("COMMIT")
        out.execute("ANALYZE")
    except duckdb.Error as exc:
        raise CopyFailed(f"cannot read {duckdb_path}: {_first_line(exc)}") from exc
    except sqlite3.Error as exc:
        raise CopyFailed(f"cannot write {target}: {_first_line(exc)}") from exc
    finally:
        out.close()
        con.close()
    return rows


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def stamp_of(duckdb_path: Path) -> dict[str, int]:
    """What identifies the warehouse file as it is now: a build writes a new file (a new
    inode and time), so an unchanged stamp means an unchanged warehouse."""
    found = os.stat(duckdb_path)
    return {
        "layout": LAYOUT,
        "size": found.st_size,
        "mtime_ns": found.st_mtime_ns,
        "inode": found.st_ino,
    }


def copy_path(folder: Path) -> Path:
    return folder / f"{DATABASE}.db"


def _stamp_path(folder: Path) -> Path:
    return folder / f"{DATABASE}.db.json"


def make_copy(duckdb_path: Path, folder: Path, *, rebuild: bool = False) -> CopySummary:
    """The SQLite copy of the warehouse in `folder`: reused when it was made from the
    warehouse as it is now (and `rebuild` is not asked), else made again and put in place
    whole. CopyFailed or the safe writer's errors otherwise; the old copy stays."""
    started = time.perf_counter()
    path, stamp_file = copy_path(folder), _stamp_path(folder)
    stamp = stamp_of(duckdb_path)
    if not rebuild and path.is_file() and _read_stamp(stamp_file) == {**stamp, "tables": None}:
        tables = _read_tables(stamp_file)
        return CopySummary(path, False, tables, time.perf_counter() - started)
    folder.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        rows = write_copy(duckdb_path, tmp)
    with replacing(stamp_file) as tmp:
        tmp.write_text(json.dumps({**stamp, "tables": rows}, ensure_ascii=False), "utf-8")
    return CopySummary(path, True, rows, time.perf_counter() - started)


def _read_stamp(stamp_file: Path) -> dict[str, object] | None:
    try:
        found = json.loads(stamp_file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict):
        return None
    return {**found, "tables": None}


def _read_tables(stamp_file: Path) -> dict[str, int]:
    found = json.loads(stamp_file.read_text("utf-8")).get("tables") or {}
    return {str(k): int(v) for k, v in found.items()}
