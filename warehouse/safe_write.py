"""Writing a file someone named on the command line without destroying what is there.

The bytes go to a temporary file beside the target, which is renamed onto it only when
writing finished, so a failed write (disk full, a file-size limit) leaves the old file as
it was. The rename happens only onto a regular file or a new path: a rename would replace
a device (`/dev/full`), a FIFO, a socket or a symbolic link with a regular file, and a
directory cannot take one, so each of those is refused before anything is written. A
missing folder is refused too rather than created, since a typo in a path should not
leave a new tree behind. The new file gets the permissions a plain `open()` would have
given it (0666 less the umask), or the mode of the file it replaces.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a path is, in words, from its stat mode ("a regular file" for one)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class TargetError(Exception):
    """The path named cannot take a written file (a directory, a device, a FIFO, a socket,
    a symbolic link, a missing folder): a usage error, and nothing was written."""


class WriteFailed(Exception):
    """Writing failed (read-only file system, disk full, no permission); the target is
    as it was and no temporary file is left."""


@dataclass(frozen=True)
class Target:
    """A path that may be written: new, or a regular file with this mode and owner."""

    path: Path
    mode: int | None = None
    owner: tuple[int, int] | None = None

    @property
    def replaces(self) -> bool:
        return self.mode is not None


def check_target(path: Path) -> Target:
    """What writing `path` would do, or TargetError saying why it must not be written."""
    path = Path(path)
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        _check_folder(path)
        return Target(path)
    except NotADirectoryError:
        raise TargetError(_not_a_folder(path)) from None
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}") from exc
    if stat.S_ISREG(found.st_mode):
        return Target(path, stat.S_IMODE(found.st_mode), (found.st_uid, found.st_gid))
    if stat.S_ISLNK(found.st_mode):
        raise TargetError(
            f"{path} is a symbolic link (to {os.readlink(path)}){_pointing_at(path)}: "
            "give the file's own path, or remove the link; nothing written"
        )
    kind = file_kind(found.st_mode)
    if kind == "a directory":
        raise TargetError(f"{path} is a directory: give a file name; nothing written")
    raise TargetError(f"{path} is {kind}, not a regular file; nothing written")


def _pointing_at(link: Path) -> str:
    """What the link leads to, since replacing it would not write there."""
    try:
        return ", a regular file" if stat.S_ISREG(os.stat(link).st_mode) else ""
    except OSError:
        return ", which leads nowhere"


def _check_folder(path: Path) -> None:
    folder = path.parent
    try:
        if stat.S_ISDIR(os.stat(folder).st_mode):
            return
    except FileNotFoundError:
        raise TargetError(
            f"cannot write {path}: the folder {folder} does not exist (create it first); "
            "nothing written"
        ) from None
    except NotADirectoryError:
        pass
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}") from exc
    raise TargetError(_not_a_folder(path))


def _not_a_folder(path: Path) -> str:
    """The message for a path whose folder part runs through a file."""
    blocking = next(
        (p for p in reversed(path.parents) if p.exists() and not p.is_dir()), path.parent
    )
    return f"cannot write {path}: {blocking} is a file, not a folder; nothing written"


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, renamed onto it when the block finishes.

    The caller writes the temporary file by name. On any error the temporary file is
    removed and `path` keeps its old content; an OSError becomes WriteFailed."""
    target = check_target(path)
    path = target.path
    try:
        # The name's start only: a long name plus the suffix would pass NAME_MAX (bytes).
        prefix = f".{path.name[:32]}-"
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing written") from exc
    tmp = Path(name)
    unchanged = f"{path} is unchanged" if target.replaces else "nothing written"
    try:
        try:
            _take_over(fd, target)
        finally:
            os.close(fd)
        yield tmp
        _flush(tmp)
        if check_target(path).replaces != target.replaces:  # something appeared meanwhile
            raise TargetError(f"{path} changed while it was being written; {unchanged}")
        os.replace(tmp, path)
        with suppress(OSError):  # not every file system syncs a directory; the file is in
            _flush(path.parent)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror or exc}; {unchanged}") from exc
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()


def _take_over(fd: int, target: Target) -> None:
    """Give the temporary file the mode (and, for root, the owner) it will end up with:
    mkstemp makes it 0600, which would lock others out of a file that was readable."""
    os.fchmod(fd, target.mode if target.mode is not None else 0o666 & ~current_umask())
    if target.owner is not None and os.geteuid() == 0:
        with suppress(OSError):
            os.fchown(fd, *target.owner)


def _flush(path: Path) -> None:
    """Data (or a directory entry) on disk before the rename is relied on."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
