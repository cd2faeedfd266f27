"""Workbooks (xlsx and xls alike) → Grids, one per sheet, merged ranges filled.

calamine reads both formats, takes cached formula values, and is ~16× faster than
openpyxl on the real 61,543-row 안심이 workbook (0.33 s against 5.4 s). It keeps a merged
range's value in the top-left cell only; inventories merge department and purpose cells
over many rows, so every covered cell gets the value here.
"""

from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineWorkbook, SheetTypeEnum

from domain.text import fold
from transforms.grid import Grid
from transforms.readers.errors import ReaderError

# Cells of one sheet, rows × columns: calamine fills the whole rectangle, so the readers
# check a sheet's extent against this before calamine sees the file.
MAX_CELLS = 10_000_000


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 8.0 → "8", midnight datetimes → the date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return fold(str(value))


def _fill_merges(
    rows: list[list[str]], merges: list[tuple[tuple[int, int], tuple[int, int]]]
) -> dict[tuple[int, int], int]:
    """Copy each range's top-left value over the range, clipped to the cells that exist
    (a hostile range such as A1:XFD1048576 costs no more than the sheet itself). Returns
    the covered cells with the merge they belong to: a merged count is one count."""
    covered: dict[tuple[int, int], int] = {}
    for merge, ((top, left), (bottom, right)) in enumerate(merges):
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                row[c] = value
                covered[(r, c)] = merge
    return covered


def _grid(name: str, rows: list[list[str]], covered: dict[tuple[int, int], int]) -> Grid:
    keep = [i for i, row in enumerate(rows) if any(row)]
    width = max((c + 1 for i in keep for c, v in enumerate(rows[i]) if v), default=0)
    # Cells of one merge share its id (negative); every other cell is its own source.
    ids = None
    if covered:
        ids = [
            [-1 - covered[(i, c)] if (i, c) in covered else i * width + c for c in range(width)]
            for i in keep
        ]
    return Grid(
        name=f"sheet {name}",
        rows=[rows[i][:width] for i in keep],
        row_numbers=[i + 1 for i in keep],
        cell_ids=ids or [],
    )


def read_workbook(body: bytes, what: str) -> list[Grid]:
    """Every worksheet as a Grid; row numbers are the sheet's own (1 = the first row)."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        grids = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no table
            name = meta.name
            sheet = book.get_sheet_by_name(name)
            rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            covered = _fill_merges(rows, sheet.merged_cell_ranges or [])
            grids.append(_grid(name, rows, covered))
    except ReaderError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own types, ValueError, and pyo3's PanicException
        raise ReaderError(f"not a readable {what} workbook: {type(exc).__name__}: {exc}") from exc
    return grids
