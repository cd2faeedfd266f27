"""xls (BIFF8 in an OLE2 container) → Grids through calamine, like xlsx.

calamine sizes each sheet from its DIMENSIONS record and the highest row and column a cell
record names, and aborts the process when that rectangle cannot be allocated. So the
Workbook stream's records are walked first, sheet by sheet, and a sheet larger than
MAX_CELLS is refused before calamine sees the file.
"""

from __future__ import annotations

import struct

from transforms.grid import Grid
from transforms.readers.errors import ReaderError
from transforms.readers.ole import open_ole
from transforms.readers.safety import check_size
from transforms.readers.spreadsheet import MAX_CELLS, read_workbook

_BOF, _DIMENSIONS, _ROW = 0x0809, 0x0200, 0x0208
# FORMULA, NUMBER, RK, LABELSST, BLANK, LABEL, BOOLERR, RSTRING: row and column come first.
_CELL = {0x0006, 0x0203, 0x027E, 0x00FD, 0x0201, 0x0204, 0x0205, 0x00D6}
_MULTIPLE = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column


def _extent(kind: int, data: bytes) -> tuple[int, int]:
    """(rows, columns) one record reaches, counted from 1; (0, 0) for other records."""
    if kind in _CELL and len(data) >= 4:
        row, col = struct.unpack_from("<HH", data)
        return row + 1, col + 1
    if kind in _MULTIPLE and len(data) >= 6:
        (row,) = struct.unpack_from("<H", data)
        (last,) = struct.unpack_from("<H", data, len(data) - 2)
        return row + 1, last + 1
    if kind == _ROW and len(data) >= 6:
        row, _, after_last = struct.unpack_from("<HHH", data)
        return row + 1, after_last
    if kind == _DIMENSIONS and len(data) >= 14:  # BIFF8: 32-bit rows
        _, after_row, _, after_col = struct.unpack_from("<IIHH", data)
        return after_row, after_col
    if kind == _DIMENSIONS and len(data) >= 8:  # BIFF5: 16-bit rows
        _, after_row, _, after_col = struct.unpack_from("<HHHH", data)
        return after_row, after_col
    return 0, 0


def check_extent(stream: bytes) -> None:
    """Refuse a sheet whose records reach past MAX_CELLS cells (rows × columns)."""
    view = memoryview(stream)
    at, sheet, rows, cols = 0, 0, 0, 0
    while at + 4 <= len(view):
        kind, length = struct.unpack_from("<HH", view, at)
        if kind == _BOF:
            sheet, rows, cols = sheet + 1, 0, 0
        else:
            reach_rows, reach_cols = _extent(kind, bytes(view[at + 4 : at + 4 + length]))
            rows, cols = max(rows, reach_rows), max(cols, reach_cols)
            if rows * cols > MAX_CELLS:
                raise ReaderError(
                    f"xls sheet {sheet - 1} reaches {rows} rows × {cols} columns; "
                    f"the limit is {MAX_CELLS} cells"
                )
        at += 4 + length


def read_xls(body: bytes) -> list[Grid]:
    check_size(body, "xls")
    container = open_ole(body, "xls")
    names = {path.split("/")[0] for path in container.stream_paths()}
    stream = next((name for name in ("Workbook", "Book") if name in names), None)
    if stream is None:
        found = ", ".join(sorted(names)) or "none"
        raise ReaderError(f"not an xls workbook: no Workbook stream (streams: {found})")
    check_extent(container.read(stream))
    return read_workbook(body, "xls")
