"""The capture index: one row per archived record, saying what it holds and where it sits.

A crawl appends rows to its journal as it writes (so a killed crawl is still indexed) and
turns them into Parquet when it closes; readers see both.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from archive.captures import CAPTURES
from archive.paths import DataPaths

# Records that hold a payload; "resource" is a file brought in by hand (no HTTP exchange),
# "conversion" a page as a browser rendered it from the response it refers to.
CONTENT_RECORDS = ("response", "resource", "revisit", "conversion")


PAYLOAD_RECORDS = ("response", "resource", "conversion")


JOURNAL_SUFFIX = ".journal.jsonl"


class ArchiveError(RuntimeError):
    """The archive cannot give back what its index promises."""


@dataclass
class Capture:
    """One row of the capture index (see `archive.captures.CAPTURES`)."""

    sha256: str
    url: str
    status: int | None
    content_type: str | None
    content_disposition: str | None
    filename: str | None
    last_modified: str | None
    etag: str | None
    media_type: str | None
    size_bytes: int
    fetched_at: dt.datetime
    inst_code: str | None
    role: str | None
    referer: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    record_type: str
    crawl_id: str

    @property
    def has_content(self) -> bool:
        """A page or file as served (a 200), a 304 that stands for the archived copy (its
        sha256 is that copy's), or a file brought in by hand (a resource record, no status)."""
        if self.status is None:
            return self.record_type in CONTENT_RECORDS
        return self.status == 200 or (self.status == 304 and self.record_type == "revisit")


def as_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def capture_row(capture: Capture) -> dict:
    """An index row as JSON-ready values (the journal's line format)."""
    row = asdict(capture)
    row["fetched_at"] = as_utc(capture.fetched_at).isoformat()
    return row


def write_index(paths: DataPaths, crawl_id: str, captures: list[Capture]) -> Path:
    """One crawl's index as Parquet, replacing any earlier one in a single rename."""
    paths.index_dir.mkdir(parents=True, exist_ok=True)
    index_path = paths.index_dir / f"{crawl_id}.parquet"
    table = pa.Table.from_pylist([asdict(c) for c in captures], schema=CAPTURES)
    tmp = index_path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    tmp.replace(index_path)
    return index_path


def _read_journal(file: Path) -> list[Capture]:
    """The rows of a crawl that did not close (still running, or killed). A last line cut
    short by the kill is the record that was being written: it is not indexed yet."""
    captures = []
    with file.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                break
            row["fetched_at"] = dt.datetime.fromisoformat(row["fetched_at"])
            captures.append(Capture(**row))
    return captures


def read_index(paths: DataPaths) -> list[Capture]:
    """Every capture of every crawl, oldest first: finished crawls from their Parquet
    index, crawls that did not close from their journal. An index file that cannot be
    read is an ArchiveError that names it (never an archive silently smaller)."""
    if not paths.index_dir.exists():
        return []
    captures: list[Capture] = []
    finished = set()
    for file in sorted(paths.index_dir.glob("*.parquet")):
        try:
            rows = pq.read_table(file, schema=CAPTURES).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            raise ArchiveError(
                f"capture index {file} cannot be read ({first_line(exc)}): "
                "run `cctv reindex` to rebuild it from the WARC files"
            ) from exc
        captures.extend(Capture(**row) for row in rows)
        finished.add(file.name.removesuffix(".parquet"))
    for file in sorted(paths.index_dir.glob(f"*{JOURNAL_SUFFIX}")):
        if file.name.removesuffix(JOURNAL_SUFFIX) not in finished:
            try:
                captures.extend(_read_journal(file))
            except (OSError, UnicodeDecodeError, TypeError, KeyError, ValueError) as exc:
                raise ArchiveError(
                    f"capture journal {file} cannot be read ({first_line(exc)}): "
                    "run `cctv reindex` to rebuild the index from the WARC files"
                ) from exc
    captures.sort(key=lambda c: (c.fetched_at, c.warc_file, c.warc_offset))
    return captures


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
