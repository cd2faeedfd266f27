"""Reading a file someone named on the command line (`cctv parse`, `cctv import`).

Only a regular file is opened: a device such as /dev/zero never ends, and a named pipe
blocks until something writes to it. A file over the readers' size limit is refused by
its size, unread; the file is opened without blocking and checked again once open, since
the path may have been swapped in between.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from transforms.readers.safety import MAX_BODY_BYTES
from warehouse.safe_write import file_kind


class UnreadableFile(Exception):
    """The named file is not a regular file, is too large, or cannot be opened."""


def _check(path: Path, mode: int, size: int, limit: int) -> None:
    if not stat.S_ISREG(mode):
        raise UnreadableFile(f"cannot read {path}: it is {file_kind(mode)}; give a saved file")
    if size > limit:
        raise UnreadableFile(f"cannot read {path}: {size:,} bytes is over the {limit:,}-byte limit")


def read_named_file(path: Path, limit: int = MAX_BODY_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UnreadableFile."""
    try:
        found = path.stat()
        _check(path, found.st_mode, found.st_size, limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            opened = os.fstat(handle.fileno())
            _check(path, opened.st_mode, opened.st_size, limit)
            body = handle.read(limit + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile(f"cannot read {path}: {reason}") from exc
    _check(path, stat.S_IFREG, len(body), limit)  # a file that grew while it was read
    return body
