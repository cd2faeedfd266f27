"""Every inventory format → the same Grid type.

`read_grids` is what the parse contract calls; `read_grids_with_notes` adds what a reader
noticed in a file it could still read (formulas without cached values, replaced bytes,
HWP parts the library skipped), for the document's issue list. A sheet printing one list
in several blocks side by side comes back as one grid per block. Format modules load on
first use: the crawler imports `transforms.sniff`, which needs none of pdfplumber,
python-hwpx or calamine.
"""

from __future__ import annotations

from importlib import import_module

from domain.formats import TABULAR_KINDS
from transforms.grid import Grid
from transforms.grid_blocks import split_side_by_side
from transforms.readers.errors import Note, ReaderError
from transforms.readers.safety import MAX_COLUMNS

# kind → (module, function, whether the function also returns notes)
_READERS = {
    "xlsx": ("xlsx", "read_xlsx", True),
    "xls": ("xls", "read_xls", False),
    "csv": ("csv", "read_csv", True),
    "hwp": ("hwp", "read_hwp", True),
    "hwpx": ("hwpx", "read_hwpx", True),
    "pdf": ("pdf", "read_pdf", False),
}
# The kinds domain.formats says are tabular; tests/unit/test_formats.py checks each has a reader.
READABLE = TABULAR_KINDS


def read_grids_with_notes(body: bytes, kind: str) -> tuple[list[Grid], list[Note]]:
    """The file's tables and the reader's notes; ReaderError when it cannot be read."""
    if kind not in _READERS:
        raise ReaderError(f"no reader for {kind} files")
    module, function, with_notes = _READERS[kind]
    reader = getattr(import_module(f"transforms.readers.{module}"), function)
    grids, notes = reader(body) if with_notes else (reader(body), [])
    notes = list(notes)
    for grid in grids:
        notes.extend(_bounded(grid))
    return [part for grid in grids for part in split_side_by_side(grid)], notes


def _bounded(grid: Grid) -> list[Note]:
    """Cut a grid to MAX_COLUMNS and remove NUL characters from its cells, in place: NUL is
    never text (a file that holds it is broken or hostile), and stored it breaks the CSV
    and Excel exports that read the warehouse."""
    notes = []
    if grid.width > MAX_COLUMNS:
        notes.append(
            Note(
                "columns_truncated",
                f"표({grid.name})의 열이 {grid.width:,}개라 앞의 {MAX_COLUMNS:,}개만 읽음",
                grid.name,
            )
        )
        grid.rows = [row[:MAX_COLUMNS] for row in grid.rows]
    nul_cells, first = 0, None
    if "\x00" not in "".join(map("".join, grid.rows)):  # one scan settles most grids
        return notes
    for index, row in enumerate(grid.rows):
        for col, cell in enumerate(row):
            if "\x00" in cell:
                row[col] = cell.replace("\x00", "")
                nul_cells += 1
                first = first or f"{grid.name}, row {grid.row_numbers[index]}"
    if nul_cells:
        notes.append(
            Note(
                "nul_characters",
                f"NUL 문자가 든 칸 {nul_cells:,}개에서 NUL 문자를 지움(처음: {first})",
                first,
            )
        )
    return notes


def read_grids(body: bytes, kind: str) -> list[Grid]:
    return read_grids_with_notes(body, kind)[0]


__all__ = ["READABLE", "Note", "ReaderError", "read_grids", "read_grids_with_notes"]
