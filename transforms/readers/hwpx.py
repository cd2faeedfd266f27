"""HWPX (a zip of OWPML XML) → Grids, read by python-hwpx after the zip guard.

python-hwpx places merged cells correctly and refuses DTDs itself; the shared zip guard
runs first anyway so that xlsx and hwpx meet the same limits and messages.
"""

from __future__ import annotations

from hwpx import HwpxDocument

from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError
from transforms.readers.hwpdoc import open_document
from transforms.readers.safety import open_zip, read_member

MIMETYPE = b"application/hwp+zip"


def read_hwpx(body: bytes) -> tuple[list[Grid], list[Note]]:
    book = open_zip(body, "hwpx")
    names = set(book.namelist())
    if "mimetype" in names and read_member(book, "mimetype").strip() != MIMETYPE:
        raise ReaderError("not an HWPX document: its mimetype entry is not application/hwp+zip")
    if not any(n.startswith("Contents/") for n in names):
        raise ReaderError("not an HWPX document: no Contents/ part")
    return open_document(lambda: HwpxDocument.open(body), "hwpx")
