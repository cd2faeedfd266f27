"""xlsx → Grids, one per sheet, merged ranges filled, cached formula values read.

openpyxl keeps a merged range's value in its top-left cell only; inventories merge
department and purpose cells over many rows, so every covered cell gets the value.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

from openpyxl import load_workbook

from transforms.grid import Grid
from transforms.text import nfkc

MAX_CELLS = 5_000_000


class ReaderError(ValueError):
    """The file cannot be read as the format it claims to be."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return nfkc(str(value))


def read_xlsx(body: bytes) -> list[Grid]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = load_workbook(io.BytesIO(body), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for broken zips and XML
        raise ReaderError(f"not a readable xlsx workbook: {type(exc).__name__}: {exc}") from exc
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ReaderError(f"sheet {sheet.title!r} has more than {MAX_CELLS} cells")
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = _text(sheet.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = value
        keep = [i for i, row in enumerate(rows) if any(row)]
        grids.append(
            Grid(
                name=f"sheet {sheet.title}",
                rows=[rows[i] for i in keep],
                row_numbers=[i + 1 for i in keep],
            )
        )
    return grids
