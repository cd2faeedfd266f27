"""Failures of the machine or the data (a full disk, a read-only folder, a damaged archive,
a warehouse another program holds) said as one line with what to do, whatever the command."""

from __future__ import annotations

import errno
import re

_WHAT_TO_DO = {
    errno.ENOSPC: "free some space and run it again; what was stored before is unchanged",
    errno.EDQUOT: "free some space and run it again; what was stored before is unchanged",
    errno.EROFS: "the data directory must be writable: choose another with --data-dir",
    errno.EACCES: "the data directory must be writable: choose another with --data-dir",
    errno.EPERM: "the data directory must be writable: choose another with --data-dir",
    errno.ENOTDIR: "a path inside the data directory is a file where a folder belongs",
}


def os_error_line(exc: OSError) -> str:
    """An operating-system failure as one line: what, where, and what to do."""
    where = f": {exc.filename}" if exc.filename else ""
    line = f"{exc.strerror or exc}{where}"
    if (advice := _WHAT_TO_DO.get(exc.errno or 0)) is not None:
        line += f" ({advice})"
    return line


def _held_lock_line(exc: Exception) -> str | None:
    """DuckDB's lock conflict, said as what to do: another program has the file open."""
    text = str(exc)
    if "Conflicting lock" not in text:
        return None
    file = re.search(r'lock on file "([^"]+)"', text)
    pid = re.search(r"PID (\d+)", text)
    return (
        f"{file.group(1) if file else 'the warehouse'} is open for writing in another "
        f"program{f' (PID {pid.group(1)})' if pid else ''}: close it (a notebook, a DuckDB "
        "shell) and run this again"
    )


def error_line(exc: Exception) -> str | None:
    """The one line for a failure that is the machine's or the data's, not the code's:
    a full disk, a read-only folder, an archive that cannot be read, a warehouse that
    another program holds. None for anything else (a bug, which keeps its traceback)."""
    import duckdb

    from archive.index import ArchiveError

    if isinstance(exc, OSError):
        return os_error_line(exc)
    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        return _held_lock_line(exc) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return None
