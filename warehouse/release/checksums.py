"""SHA-256 of every file of a release: `SHA256SUMS` (the format `sha256sum -c` reads) and
the content hash that names the release.

The name hashes the data files only (the tables as Parquet and CSV, the standard-layout
CSV), so two releases of the same data get the same name whatever else differs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS = "SHA256SUMS"
NAME_DIGITS = 12  # hex digits of the content hash in a release's name
_BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks (a national table does not fit memory twice)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def sums_text(hashes: dict[str, str]) -> str:
    """`SHA256SUMS`: one `<hex>  <path>` line per file, in path order."""
    return "".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes))


def content_hash(data_hashes: dict[str, str]) -> str:
    """The hash over the data files' SHA-256s (and their paths), which names the release."""
    return hashlib.sha256(sums_text(data_hashes).encode("utf-8")).hexdigest()


def verify(root: Path) -> list[str]:
    """Paths whose bytes no longer match `SHA256SUMS` (or are missing); empty when whole."""
    wrong = []
    for line in (Path(root) / SUMS).read_text(encoding="utf-8").splitlines():
        expected, _, path = line.partition("  ")
        target = Path(root) / path
        if not target.is_file() or file_sha256(target) != expected:
            wrong.append(path)
    return wrong
