"""OLE2 compound files (xls, hwp): which streams they hold, and their bytes.

Both formats share the container, so the stream names tell them apart and are what a
reader checks before parsing (a `.xls` that is really an HWP document, a Word file
named `.hwp`). The container is read with python-hwpx's compound-file reader, the one
its HWP parser uses: a guard that read the streams with another library could be shown
different bytes than the parser gets.
"""

from __future__ import annotations

from typing import Any

from transforms.readers.errors import ReaderError

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_ole(body: bytes, what: str) -> Any:
    """The parsed container (hwpx.hwp5.cfb.CompoundFile); imported here, on first use,
    so that sniffing a web page never loads python-hwpx."""
    from hwpx.hwp5.cfb import CompoundFile

    if not body.startswith(MAGIC):
        raise ReaderError(f"not a {what} file: no OLE2 compound-file signature")
    try:
        return CompoundFile(body)
    except Exception as exc:  # the reader raises its own errors plus struct/index errors
        raise ReaderError(f"not a readable {what} (broken or truncated container): {exc}") from exc


def stream_names(body: bytes) -> set[str]:
    """Top-level stream and storage names ("FileHeader", "BodyText", "Workbook");
    empty when the container cannot be read."""
    try:
        container = open_ole(body, "OLE2")
        return {path.split("/")[0] for path in container.stream_paths()}
    except ReaderError:
        return set()
