"""xls (BIFF8 in an OLE2 container) → Grids through calamine, like xlsx."""

from __future__ import annotations

from transforms.grid import Grid
from transforms.readers.errors import ReaderError
from transforms.readers.ole import open_ole
from transforms.readers.safety import check_size
from transforms.readers.spreadsheet import read_workbook


def read_xls(body: bytes) -> list[Grid]:
    check_size(body, "xls")
    names = {path.split("/")[0] for path in open_ole(body, "xls").stream_paths()}
    if not names & {"Workbook", "Book"}:
        found = ", ".join(sorted(names)) or "none"
        raise ReaderError(f"not an xls workbook: no Workbook stream (streams: {found})")
    return read_workbook(body, "xls")
