"""HWP 5 (binary records in an OLE2 container) → Grids, read by python-hwpx.

Before the library sees the file, the container is checked here: the HWP signature, the
password flag (an encrypted body cannot be read, and says so), and every compressed
stream inflated under one shared budget. A section is raw deflate, and a few hundred KB
can inflate to gigabytes; the library caps each stream, not their sum.
"""

from __future__ import annotations

import struct

from hwpx import HwpxDocument

from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError
from transforms.readers.hwpdoc import open_document
from transforms.readers.ole import open_ole
from transforms.readers.safety import MAX_INFLATED_BYTES, MAX_UNZIPPED_BYTES, check_size, inflate

SIGNATURE = b"HWP Document File"
MAX_STREAMS = 2_000
_COMPRESSED, _PASSWORD = 0x01, 0x02


def _check_container(body: bytes) -> None:
    container = open_ole(body, "hwp")
    if not container.has_stream("FileHeader"):
        raise ReaderError("not an HWP document: no FileHeader stream")
    header = container.read("FileHeader")[:256]
    if not header.startswith(SIGNATURE) or len(header) < 40:
        raise ReaderError("not an HWP document: the FileHeader has no HWP signature")
    (flags,) = struct.unpack_from("<I", header, 36)
    if flags & _PASSWORD:
        raise ReaderError("password-protected HWP document: its text cannot be read")
    paths = container.stream_paths()
    if len(paths) > MAX_STREAMS:
        raise ReaderError(f"HWP container has {len(paths)} streams (limit {MAX_STREAMS})")
    if not any(path.startswith("BodyText/") for path in paths):
        raise ReaderError("not an HWP document: no BodyText section")
    if not flags & _COMPRESSED:
        return
    text_budget, data_budget = MAX_INFLATED_BYTES, MAX_UNZIPPED_BYTES
    for path in paths:
        top = path.split("/")[0]
        if top in ("BodyText", "DocInfo"):
            raw = container.read(path)
            text_budget -= len(inflate(raw, f"HWP stream {path}", text_budget))
        elif top == "BinData":
            # Pictures may be stored deflated or not; only their inflated size counts.
            raw = container.read(path)
            data_budget -= len(inflate(raw, f"HWP stream {path}", data_budget, lenient=True))


def read_hwp(body: bytes) -> tuple[list[Grid], list[Note]]:
    check_size(body, "hwp")
    try:
        _check_container(body)
    except ReaderError:
        raise
    except (struct.error, ValueError, IndexError) as exc:
        raise ReaderError(f"not a readable hwp (broken container): {exc}") from exc
    return open_document(lambda: HwpxDocument.open(body), "hwp")
