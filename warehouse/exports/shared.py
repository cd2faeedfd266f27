"""What both exports need: the warehouse opened read-only (a missing table reads as empty,
so an export always produces a well-formed file), its rows as records, capture times in
KST, institution names as of a date, and text made inert for a spreadsheet.

Both exports open the warehouse read-only and never change it. The text comes from
crawled pages, so nothing in it may run when the file is opened: a text cell that a
spreadsheet would read as a formula is neutralised (:func:`inert`), and each file is
written through :mod:`warehouse.safe_write`, which never replaces anything but a regular
file.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from domain.constants import KST
from warehouse.build import add_table
from warehouse.schema import TABLES

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@contextmanager
def read_only_warehouse(db_path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, set[str]]]:
    """A read-only connection and the relations the file really holds; missing tables are
    stood in by empty temporary ones (allowed on a read-only connection)."""
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `cctv build` first")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog <> 'temp'"
            ).fetchall()
        }
        for name, schema in TABLES.items():
            if name not in present:
                add_table(con, name, schema.empty_table(), temporary=True)
        yield con, present
    finally:
        con.close()


def records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """A query's rows as dicts by column name: the sheets and rows pick columns by name."""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def relation_records(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """Every row of a relation whose columns we do not control; zoned timestamps are read
    as text because the driver needs pytz to turn them into Python values."""
    columns = con.execute(f'DESCRIBE "{name}"').fetchall()
    select = ", ".join(
        f'CAST("{c[0]}" AS VARCHAR) AS "{c[0]}"' if "TIME ZONE" in c[1] else f'"{c[0]}"'
        for c in columns
    )
    return records(con, f'SELECT {select} FROM "{name}"')


def kst_time(epoch_us: int | None) -> dt.datetime | None:
    """A capture time read as epoch microseconds (no pytz needed), in Korean time."""
    if epoch_us is None:
        return None
    return (_EPOCH + dt.timedelta(microseconds=epoch_us)).astimezone(KST)


@dataclass
class InstitutionNames:
    """Institution names by code as of a date: `institutions` is SCD-2, and a row should
    carry the name the institution had when the data was taken."""

    eras: dict[str, list[tuple[dt.date, dt.date, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> InstitutionNames:
        names = cls()
        rows = con.execute(
            "SELECT inst_code, name, valid_from, valid_to FROM institutions "
            "ORDER BY valid_from NULLS FIRST"
        ).fetchall()
        for code, name, start, end in rows:
            names.eras.setdefault(code, []).append((start or dt.date.min, end or dt.date.max, name))
        return names

    def on(self, code: str | None, day: dt.date | None = None) -> str:
        eras = self.eras.get(code or "", [])
        day = day or dt.datetime.now(KST).date()
        for start, end, name in eras:
            if start <= day < end:
                return name
        return eras[-1][2] if eras else ""


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, and TAB or CR, which some of them skip
# before looking. The full-width and small forms (＝＋－＠, ﹦﹢﹣﹫), which NFKC folds into
# these, are treated the same: an IME or an import may fold them too, and the cost is an
# apostrophe on a rare cell.
FORMULA_START = frozenset("=+-@\t\r")


def inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text by a leading `'`.

    Only text is touched: numbers (a negative count included) stay numbers. The apostrophe
    is OWASP's remedy; it shows in the cell and tells the reader the text began with a
    formula character (a page title like `=HYPERLINK(...)`), and it survives a save as CSV
    from the spreadsheet, where a cell style would not."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in FORMULA_START or unicodedata.normalize("NFKC", first)[:1] in FORMULA_START:
        return "'" + value
    return value
