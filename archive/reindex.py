"""The capture index rebuilt from the WARC files alone, and the check that it covers them.

The WARC files are the archive; the index is a map into them. A crawl killed before its
index was finished, an index file deleted or damaged: `cctv reindex` reads every record
back (each record is one gzip member, so a damaged member is skipped and reading resumes
at the next one) and writes the index again. The build calls `unindexed_records` first and
refuses to run on an index that lags its WARC files, since it would silently leave out
what the archive holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from archive.fields import (
    NOT_MODIFIED_PROFILE,
    PROVENANCE_FIELDS,
    filename_from_disposition,
    import_disposition,
    provenance_value,
    sha256_of_digest,
)
from archive.index import CONTENT_RECORDS, JOURNAL_SUFFIX, PAYLOAD_RECORDS, Capture, write_index
from archive.paths import DataPaths
from transforms.sniff import media_type_of

_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_ESCAPED_RUN = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


@dataclass(frozen=True)
class Member:
    """One gzip member of a WARC file: one record, or None where its bytes are damaged."""

    offset: int
    length: int
    record: bytes | None


@dataclass
class ReindexReport:
    warc_files: int = 0
    captures: int = 0
    index_files: list[Path] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # where, and what could not be read
    without_provenance: int = 0  # records written before the WARC carried inst_code/role


def gzip_members(fh: BinaryIO, start: int = 0) -> Iterator[Member]:
    """Each gzip member from `start` on, inflated. A member that fails to inflate (flipped
    bytes, a bad CRC, cut short) is given as damaged, and reading resumes at the next gzip
    header after it, so one bad record never hides the records that follow."""
    offset = start
    while True:
        fh.seek(offset)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        parts: list[bytes] = []
        consumed = 0
        damaged = False
        while not inflater.eof:
            chunk = fh.read(_CHUNK)
            if not chunk:
                damaged = consumed > 0  # cut short inside the member
                break
            try:
                parts.append(inflater.decompress(chunk))
            except zlib.error:
                damaged = True
                break
            consumed += len(chunk) - len(inflater.unused_data)
        if inflater.eof:
            yield Member(offset, consumed, b"".join(parts))
            offset += consumed
            continue
        if not damaged:
            return  # end of file
        following = _next_member(fh, offset + 1)
        end = following if following is not None else fh.seek(0, io.SEEK_END)
        yield Member(offset, end - offset, None)
        if following is None:
            return
        offset = following


def _next_member(fh: BinaryIO, after: int) -> int | None:
    """Where the next gzip header starts at or after `after`."""
    position = after
    while True:
        fh.seek(position)
        window = fh.read(_CHUNK + len(_GZIP_MAGIC))
        if len(window) < len(_GZIP_MAGIC):
            return None
        found = window.find(_GZIP_MAGIC)
        if found >= 0:
            return position + found
        position += _CHUNK


def _iri(uri: str) -> str:
    """The URL as first written, for records that predate CCTV-Source-URL: the archive
    percent-encodes non-ASCII characters in WARC-Target-URI, and only those runs are
    decoded back (an escape the site itself used, like %2F, stays as it was)."""

    def decode(match: re.Match[str]) -> str:
        raw = bytes.fromhex(match.group(0).replace("%", ""))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)

    return _ESCAPED_RUN.sub(decode, uri)


def _warc_date(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.fromtimestamp(0, dt.UTC)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def _record_capture(
    raw: bytes, member: Member, warc_name: str, crawl_id: str
) -> tuple[Capture | None, str | None, bool]:
    """(capture, problem, has_provenance) for one record; requests and warcinfo give None."""
    record = next(iter(ArchiveIterator(io.BytesIO(raw))), None)
    if record is None or record.rec_type not in CONTENT_RECORDS:
        return None, None, True
    headers = record.rec_headers
    own = {name: provenance_value(headers.get_header(f)) for name, f in PROVENANCE_FIELDS.items()}
    target = headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    lower = {k.lower(): v for k, v in http.headers} if http is not None else {}
    declared = sha256_of_digest(headers.get_header("WARC-Payload-Digest"))
    problem = None
    if record.rec_type in PAYLOAD_RECORDS:
        body = record.content_stream().read()
        sha256 = hashlib.sha256(body).hexdigest()
        if declared and declared != sha256:
            problem = f"{warc_name}@{member.offset}: payload does not match its digest"
            sha256 = declared  # reading it later fails loudly, as it must
        size = len(body)
        if http is not None:
            content_type = lower.get("content-type")
            media_type = media_type_of(body, content_type)
        elif record.rec_type == "conversion":  # a rendered page: typed as it was written
            content_type = headers.get_header("Content-Type")
            media_type = media_type_of(body, content_type)
        else:  # a file brought in by hand: typed by its bytes, as when it was imported
            content_type = media_type = media_type_of(body, None) or "application/octet-stream"
    else:
        if declared is None:
            return None, f"{warc_name}@{member.offset}: revisit without a payload digest", True
        sha256, size, media_type = declared, 0, None  # filled from the copy it refers to
        content_type = lower.get("content-type")
    status = int(http.get_statuscode()) if http is not None else None
    if record.rec_type == "revisit" and headers.get_header("WARC-Profile") == NOT_MODIFIED_PROFILE:
        status = 304
    resource = http is None
    filename = (
        own["filename"] if resource else filename_from_disposition(lower.get("content-disposition"))
    )
    capture = Capture(
        sha256=sha256,
        url=own["url"] or _iri(target),
        status=status,
        content_type=content_type,
        content_disposition=import_disposition(filename)
        if resource
        else lower.get("content-disposition"),
        filename=filename,
        last_modified=lower.get("last-modified"),
        etag=lower.get("etag"),
        media_type=media_type,
        size_bytes=size,
        fetched_at=_warc_date(headers.get_header("WARC-Date")),
        inst_code=own["inst_code"],
        role=own["role"] or ("import" if resource else None),
        referer=own["referer"],
        warc_file=warc_name,
        warc_offset=member.offset,
        warc_length=member.length,
        record_type=record.rec_type,
        crawl_id=crawl_id,
    )
    return capture, problem, own["role"] is not None


def _resolve_revisits(captures: list[Capture], report: ReindexReport) -> list[Capture]:
    """A revisit stands for the first copy of its payload: its size and type are that
    copy's (and a 304's headers too, where it sent none)."""
    first: dict[str, Capture] = {}
    for c in sorted(captures, key=lambda c: (c.fetched_at, c.warc_file, c.warc_offset)):
        if c.record_type in PAYLOAD_RECORDS:
            first.setdefault(c.sha256, c)
    resolved = []
    for c in captures:
        if c.record_type != "revisit":
            resolved.append(c)
            continue
        prior = first.get(c.sha256)
        if prior is None:
            report.damaged.append(
                f"{c.warc_file}@{c.warc_offset}: revisit of {c.sha256[:12]}…, "
                "whose copy is not in the archive"
            )
            resolved.append(c)
            continue
        changes: dict[str, object] = {"size_bytes": prior.size_bytes}
        changes["media_type"] = prior.media_type
        if c.status == 304:
            changes |= {
                "content_type": prior.content_type,
                "content_disposition": prior.content_disposition,
                "filename": prior.filename,
                "last_modified": c.last_modified or prior.last_modified,
                "etag": c.etag or prior.etag,
            }
        resolved.append(dataclasses.replace(c, **changes))
    return resolved


def warc_captures(path: Path, report: ReindexReport) -> list[Capture]:
    """The index rows of one WARC file (revisits not yet resolved)."""
    crawl_id = path.name.removesuffix(".warc.gz")
    captures = []
    with path.open("rb") as fh:
        for member in gzip_members(fh):
            if member.record is None:
                report.damaged.append(
                    f"{path.name}@{member.offset}: {member.length} bytes cannot be inflated"
                )
                continue
            try:
                capture, problem, has_provenance = _record_capture(
                    member.record, member, path.name, crawl_id
                )
            except Exception as exc:  # warcio's parse errors have no common base class
                report.damaged.append(f"{path.name}@{member.offset}: not a WARC record ({exc})")
                continue
            if problem:
                report.damaged.append(problem)
            if capture is not None:
                captures.append(capture)
                report.without_provenance += not has_provenance
    return captures


def reindex(paths: DataPaths) -> ReindexReport:
    """Write the capture index again from every WARC file; journals of crawls that did not
    close are replaced by the index of what their WARC holds."""
    report = ReindexReport()
    by_file: dict[Path, list[Capture]] = {}
    for path in sorted(paths.warc_dir.glob("*.warc.gz")):
        by_file[path] = warc_captures(path, report)
        report.warc_files += 1
    everything = _resolve_revisits([c for cs in by_file.values() for c in cs], report)
    grouped: dict[str, list[Capture]] = {}
    for capture in everything:
        grouped.setdefault(capture.warc_file, []).append(capture)
    for path in by_file:
        crawl_id = path.name.removesuffix(".warc.gz")
        rows = grouped.get(path.name, [])
        report.index_files.append(write_index(paths, crawl_id, rows))
        (paths.index_dir / f"{crawl_id}{JOURNAL_SUFFIX}").unlink(missing_ok=True)
        report.captures += len(rows)
    return report


def unindexed_records(paths: DataPaths, captures: Iterable[Capture]) -> list[str]:
    """WARC files holding content records that the index does not list, each as one
    line. Only what follows each file's last indexed record is read, so this is cheap."""
    indexed_end: dict[str, int] = {}
    for c in captures:
        indexed_end[c.warc_file] = max(
            indexed_end.get(c.warc_file, 0), c.warc_offset + c.warc_length
        )
    lagging = []
    for path in sorted(paths.warc_dir.glob("*.warc.gz")) if paths.warc_dir.exists() else []:
        missing = 0
        with path.open("rb") as fh:
            for member in gzip_members(fh, indexed_end.get(path.name, 0)):
                if member.record is None:
                    continue  # a record cut short by a kill: it was never finished
                record = next(iter(ArchiveIterator(io.BytesIO(member.record))), None)
                if record is not None and record.rec_type in CONTENT_RECORDS:
                    missing += 1
        if missing:
            lagging.append(f"{path.name}: {missing} records")
    return lagging
