"""What readers report: a file they cannot read, and things worth a reviewer's look."""

from __future__ import annotations

from dataclasses import dataclass


class ReaderError(ValueError):
    """The file cannot be read as the format it claims to be, or is too large or hostile
    to read safely. The message says which, for the document's issue list."""


@dataclass(frozen=True)
class Note:
    """Something a reader noticed while the file stayed readable: a formula with no
    cached value reads as "", replaced bytes read as U+FFFD. Each may hide a number."""

    code: str
    message: str
    where: str | None = None
