"""The immutable archive: every fetched response as WARC 1.1 records, plus a capture index.

WARC is what web archives replay (ISO 28500), so a capture can be checked with standard
tools years later. The index maps the sha256 of each payload to where its bytes sit, and an
identical payload is stored once: later fetches become revisit records pointing at it.
Everything downstream is rebuilt from here and nothing downstream reads the live web.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.captures import CAPTURES
from archive.paths import DataPaths
from transforms.sniff import media_type_of

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([\w-]+)''([^;]+)", re.I)
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# Records that hold a payload; "resource" is a file brought in by hand (no HTTP exchange),
# "conversion" a page as a browser rendered it from the response it refers to.
CONTENT_RECORDS = ("response", "resource", "revisit", "conversion")
PAYLOAD_RECORDS = ("response", "resource", "conversion")
# WARC 1.1 §6.7.2: the server said the copy the crawler holds is still current.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)
# WARC extension fields (ISO 28500 §5: any other named field is allowed) that carry what the
# capture index knows beyond the record itself, so `cctv reindex` can rebuild it from the
# WARC files alone.
PROVENANCE_FIELDS = {
    "url": "CCTV-Source-URL",
    "inst_code": "CCTV-Inst-Code",
    "role": "CCTV-Role",
    "referer": "CCTV-Referer",
    "filename": "CCTV-Filename",
}
JOURNAL_SUFFIX = ".journal.jsonl"
# A policy page as served, when its rendered DOM (a `conversion` record) is the policy.
RAW_POLICY_ROLE = "policy_raw"


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


def filename_from_disposition(value: str | None) -> str | None:
    """The download name a server gave, decoding RFC 5987 `filename*` first."""
    if not value:
        return None
    if m := _FILENAME_STAR.search(value):
        charset, encoded = m.group(1), m.group(2).strip().strip('"')
        try:
            return unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            return unquote(encoded, errors="replace")
    if m := _FILENAME.search(value):
        return unquote(m.group(1).strip())
    return None


def _warc_digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def sha256_of_digest(digest: str | None) -> str | None:
    """The hex sha256 a `WARC-Payload-Digest` of ours names (None for other algorithms)."""
    if not digest or not digest.lower().startswith("sha256:"):
        return None
    try:
        return base64.b32decode(digest[7:].strip().upper()).hex()
    except ValueError:
        return None


def import_disposition(filename: str | None) -> str | None:
    """The Content-Disposition an imported file is indexed with: the name it came with."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}" if filename else None


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _warc_date(moment: dt.datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ArchiveWriter:
    """Appends one crawl's records to its own WARC file and indexes them as it goes.

    One file per crawl keeps crawls independent: a crashed crawl leaves earlier files
    untouched. Each record is flushed to the WARC and then its index row to the crawl's
    journal (JSON lines), so a crawl killed at any moment leaves an index that lags its
    WARC by at most the record being written; `close` turns the journal into Parquet.
    """

    def __init__(self, paths: DataPaths, crawl_id: str) -> None:
        self.paths = paths
        self.crawl_id = crawl_id
        paths.warc_dir.mkdir(parents=True, exist_ok=True)
        paths.index_dir.mkdir(parents=True, exist_ok=True)
        self.warc_name = f"{crawl_id}.warc.gz"
        self._path = paths.warc_dir / self.warc_name
        if self._path.exists():
            raise ArchiveError(f"{self._path} exists: crawl ids must be unique")
        self._fh = self._path.open("wb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        self._known = {c.sha256: c for c in read_index(paths) if c.record_type in PAYLOAD_RECORDS}
        self.captures: list[Capture] = []
        self._journal_path = paths.index_dir / f"{crawl_id}{JOURNAL_SUFFIX}"
        self._journal = self._journal_path.open("a", encoding="utf-8")
        self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        info = {
            "software": "cctv-disclosures",
            "format": "WARC File Format 1.1",
            "crawl-id": self.crawl_id,
        }
        self._writer.write_record(self._writer.create_warcinfo_record(self.warc_name, info))

    def _index(self, *, offset: int, length: int, **fields: object) -> Capture:
        """The capture index row of a record just written; a payload stored for the first
        time becomes what later identical payloads are revisits of."""
        capture = Capture(
            **fields,
            warc_file=self.warc_name,
            warc_offset=offset,
            warc_length=length,
            crawl_id=self.crawl_id,
        )
        if capture.record_type in PAYLOAD_RECORDS:
            self._known.setdefault(capture.sha256, capture)
        self.captures.append(capture)
        self._fh.flush()  # the record (and its request record) reach the file first
        self._journal.write(json.dumps(capture_row(capture), ensure_ascii=False) + "\n")
        self._journal.flush()
        return capture

    def _write(self, record, **provenance: str | None) -> tuple[int, int]:
        for name, value in provenance.items():
            if value is not None and (field := PROVENANCE_FIELDS.get(name)):
                record.rec_headers.add_header(field, _header_safe(value))
        offset = self._fh.tell()
        self._writer.write_record(record)
        return offset, self._fh.tell() - offset

    def _write_request(
        self,
        uri: str,
        response_record,
        method: str,
        headers: Iterable[tuple[str, str]],
        fetched_at: dt.datetime,
    ) -> None:
        """The request record that goes with a response or revisit record."""
        parts = urlsplit(uri)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._writer.create_warc_record(
            uri,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{method} {target} HTTP/1.1", list(headers), is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": _warc_date(fetched_at),
                "WARC-Concurrent-To": response_record.rec_headers["WARC-Record-ID"],
            },
        )
        self._write(request)

    def write_exchange(
        self,
        *,
        url: str,
        status: int,
        reason: str,
        response_headers: Iterable[tuple[str, str]],
        body: bytes,
        request_method: str = "GET",
        request_headers: Iterable[tuple[str, str]] = (),
        fetched_at: dt.datetime | None = None,
        inst_code: str | None = None,
        role: str | None = None,
        referer: str | None = None,
    ) -> Capture:
        """Archive one HTTP request/response pair; identical payloads become revisits."""
        fetched_at = _utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=_URI_SAFE)  # WARC-Target-URI and request lines are ASCII
        warc_date = _warc_date(fetched_at)
        sha256 = hashlib.sha256(body).hexdigest()
        headers = [
            (k, v)
            for k, v in response_headers
            if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")
        ]
        headers.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        common = {"WARC-Date": warc_date, "WARC-Payload-Digest": _warc_digest(sha256)}

        first = self._known.get(sha256)
        if first is not None:
            record = self._writer.create_revisit_record(
                uri,
                _warc_digest(sha256),
                quote(first.url, safe=_URI_SAFE),
                _warc_date(first.fetched_at),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": warc_date},
            )
            record_type = "revisit"
        else:
            record = self._writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict=common,
            )
            record_type = "response"
        offset, length = self._write(
            record, url=url, inst_code=inst_code, role=role, referer=referer
        )
        self._write_request(uri, record, request_method, request_headers, fetched_at)

        lower = {k.lower(): v for k, v in headers}
        return self._index(
            sha256=sha256,
            url=url,
            status=status,
            content_type=lower.get("content-type"),
            content_disposition=lower.get("content-disposition"),
            filename=filename_from_disposition(lower.get("content-disposition")),
            last_modified=lower.get("last-modified"),
            etag=lower.get("etag"),
            media_type=media_type_of(body, lower.get("content-type")),
            size_bytes=len(body),
            fetched_at=fetched_at,
            inst_code=inst_code,
            role=role,
            referer=referer,
            record_type=record_type,
            offset=offset,
            length=length,
        )

    def write_not_modified(
        self,
        *,
        url: str,
        prior_sha256: str,
        reason: str,
        response_headers: Iterable[tuple[str, str]],
        request_headers: Iterable[tuple[str, str]] = (),
        fetched_at: dt.datetime | None = None,
        inst_code: str | None = None,
        role: str | None = None,
        referer: str | None = None,
    ) -> Capture:
        """Archive a `304 Not Modified` as a revisit of the copy it confirms.

        The index row carries that copy's sha256, type and size, so everything downstream
        reads an unchanged page exactly as if it had been fetched again.
        """
        prior = self._known.get(prior_sha256)
        if prior is None:
            raise ArchiveError(f"a 304 for {url} confirms {prior_sha256}, which is not archived")
        fetched_at = _utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=_URI_SAFE)
        headers = list(response_headers)
        http_headers = StatusAndHeaders(f"304 {reason}".strip(), headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            uri,
            "revisit",
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": _warc_date(fetched_at)},
        )
        for name, value in (
            ("WARC-Profile", NOT_MODIFIED_PROFILE),
            ("WARC-Refers-To-Target-URI", quote(prior.url, safe=_URI_SAFE)),
            ("WARC-Refers-To-Date", _warc_date(prior.fetched_at)),
            ("WARC-Payload-Digest", _warc_digest(prior_sha256)),
        ):
            record.rec_headers.add_header(name, value)
        offset, length = self._write(
            record, url=url, inst_code=inst_code, role=role, referer=referer
        )
        self._write_request(uri, record, "GET", request_headers, fetched_at)
        lower = {k.lower(): v for k, v in headers}
        return self._index(
            sha256=prior_sha256,
            url=url,
            status=304,
            content_type=prior.content_type,
            content_disposition=prior.content_disposition,
            filename=prior.filename,
            last_modified=lower.get("last-modified") or prior.last_modified,
            etag=lower.get("etag") or prior.etag,
            media_type=prior.media_type,
            size_bytes=prior.size_bytes,
            fetched_at=fetched_at,
            inst_code=inst_code,
            role=role,
            referer=referer,
            record_type="revisit",
            offset=offset,
            length=length,
        )

    def write_file(
        self,
        body: bytes,
        *,
        url: str,
        inst_code: str | None = None,
        role: str = "import",
        filename: str | None = None,
        fetched_at: dt.datetime | None = None,
    ) -> Capture:
        """Archive a file brought in by hand as a WARC `resource` record (WARC 1.1 §6.4:
        content with no protocol exchange around it), indexed like a crawled file. Its
        index row has no HTTP status; the name it came with is kept in `filename`."""
        fetched_at = _utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=_URI_SAFE)
        sha256 = hashlib.sha256(body).hexdigest()
        media_type = media_type_of(body, None) or "application/octet-stream"
        disposition = import_disposition(filename)
        first = self._known.get(sha256)
        warc_headers = {"WARC-Date": _warc_date(fetched_at)}
        if first is not None:
            record = self._writer.create_revisit_record(
                uri,
                _warc_digest(sha256),
                quote(first.url, safe=_URI_SAFE),
                _warc_date(first.fetched_at),
                warc_headers_dict=warc_headers,
            )
            record_type = "revisit"
        else:
            record = self._writer.create_warc_record(
                uri,
                "resource",
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type=media_type,
                warc_headers_dict={**warc_headers, "WARC-Payload-Digest": _warc_digest(sha256)},
            )
            record_type = "resource"
        offset, length = self._write(
            record, url=url, inst_code=inst_code, role=role, filename=filename
        )
        return self._index(
            sha256=sha256,
            url=url,
            status=None,
            content_type=media_type,
            content_disposition=disposition,
            filename=filename,
            last_modified=None,
            etag=None,
            media_type=media_type,
            size_bytes=len(body),
            fetched_at=fetched_at,
            inst_code=inst_code,
            role=role,
            referer=None,
            record_type=record_type,
            offset=offset,
            length=length,
        )

    def write_conversion(
        self,
        body: bytes,
        *,
        refers_to: Capture,
        content_type: str = "text/html; charset=utf-8",
        inst_code: str | None = None,
        role: str | None = None,
        referer: str | None = None,
        fetched_at: dt.datetime | None = None,
    ) -> Capture:
        """Archive what a response became (the DOM a browser built from it) as a WARC
        `conversion` record (WARC 1.1 §6.7) whose `WARC-Refers-To` is the response's
        record, so the page as served and the page as read sit side by side. Indexed
        without an HTTP status, like a resource: there was no exchange of its own."""
        fetched_at = _utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(refers_to.url, safe=_URI_SAFE)
        sha256 = hashlib.sha256(body).hexdigest()
        record = self._writer.create_warc_record(
            uri,
            "conversion",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={
                "WARC-Date": _warc_date(fetched_at),
                "WARC-Payload-Digest": _warc_digest(sha256),
                "WARC-Refers-To": self._record_id(refers_to),
            },
        )
        offset, length = self._write(
            record, url=refers_to.url, inst_code=inst_code, role=role, referer=referer
        )
        return self._index(
            sha256=sha256,
            url=refers_to.url,
            status=None,
            content_type=content_type,
            content_disposition=None,
            filename=None,
            last_modified=None,
            etag=None,
            media_type=media_type_of(body, content_type),
            size_bytes=len(body),
            fetched_at=fetched_at,
            inst_code=inst_code,
            role=role,
            referer=referer,
            record_type="conversion",
            offset=offset,
            length=length,
        )

    def _record_id(self, capture: Capture) -> str:
        """The WARC-Record-ID of an indexed record, read back from its (flushed) file."""
        try:
            with (self.paths.warc_dir / capture.warc_file).open("rb") as fh:
                fh.seek(capture.warc_offset)
                record = next(iter(ArchiveIterator(fh)))
                return record.rec_headers.get_header("WARC-Record-ID")
        except Exception as exc:  # warcio, gzip and zlib each raise their own on bad bytes
            raise ArchiveError(
                f"{capture.warc_file}@{capture.warc_offset}: the record a conversion refers "
                f"to cannot be read ({type(exc).__name__})"
            ) from exc

    def close(self) -> Path | None:
        """Finish the WARC and write this crawl's index; returns the index path."""
        if self._fh.closed:
            return None
        self._fh.close()
        self._journal.close()
        index_path = write_index(self.paths, self.crawl_id, self.captures)
        self._journal_path.unlink(missing_ok=True)
        return index_path

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _header_safe(value: str) -> str:
    """A provenance value as a WARC header: percent-encoded, so a CR or LF in a crawled
    name cannot end the field and the value comes back exactly (`provenance_value`)."""
    return quote(value, safe=_URI_SAFE.replace("%", "") + " ")


def provenance_value(header: str | None) -> str | None:
    return unquote(header) if header is not None else None


def capture_row(capture: Capture) -> dict:
    """An index row as JSON-ready values (the journal's line format)."""
    row = asdict(capture)
    row["fetched_at"] = _utc(capture.fetched_at).isoformat()
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
                f"capture index {file} cannot be read ({_first_line(exc)}): "
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
                    f"capture journal {file} cannot be read ({_first_line(exc)}): "
                    "run `cctv reindex` to rebuild the index from the WARC files"
                ) from exc
    captures.sort(key=lambda c: (c.fetched_at, c.warc_file, c.warc_offset))
    return captures


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class ArchiveReader:
    """Gives back payload bytes by sha256, following revisits to the first capture."""

    def __init__(self, paths: DataPaths, captures: Iterable[Capture] | None = None) -> None:
        """`captures`: the index when the caller has read it already (read here otherwise)."""
        self.paths = paths
        self._first = {}
        for capture in read_index(paths) if captures is None else captures:
            if capture.record_type in PAYLOAD_RECORDS:
                self._first.setdefault(capture.sha256, capture)

    def payload(self, sha256: str) -> bytes:
        """The bytes, checked against the sha256 they are filed under; flipped or missing
        bytes raise ArchiveError (gzip and WARC parse failures included), never worse."""
        capture = self._first.get(sha256)
        if capture is None:
            raise ArchiveError(f"no response record holds payload {sha256}")
        path = self.paths.warc_dir / capture.warc_file
        body = None
        try:
            with path.open("rb") as fh:
                fh.seek(capture.warc_offset)
                for record in ArchiveIterator(fh):
                    if record.rec_type in PAYLOAD_RECORDS:
                        body = record.content_stream().read()
                        headerless = record.rec_type == "response" and record.http_headers is None
                    break
        except Exception as exc:  # warcio, gzip and zlib each raise their own on bad bytes
            raise ArchiveError(
                f"{path}@{capture.warc_offset}: the record cannot be read, corrupt or "
                f"truncated ({type(exc).__name__})"
            ) from exc
        if body is None:
            raise ArchiveError(f"{path}@{capture.warc_offset}: no response record there")
        if headerless and body.startswith(b"HTTP/"):
            # Archives written before imports became resource records: warcio parses HTTP
            # headers only for http(s) URIs, so a file:// import keeps the header block in
            # front of its payload.
            body = body.split(b"\r\n\r\n", 1)[-1]
        if hashlib.sha256(body).hexdigest() != sha256:
            raise ArchiveError(f"{path}@{capture.warc_offset}: payload digest mismatch")
        return body


class CrawlLog:
    """Crawl events that have no response to archive (timeouts, refusals, not-found links).

    JSON lines, one file per crawl, so a failed fetch is kept with where it happened.
    """

    def __init__(self, paths: DataPaths, crawl_id: str) -> None:
        paths.crawl_log_dir.mkdir(parents=True, exist_ok=True)
        self.path = paths.crawl_log_dir / f"{crawl_id}.jsonl"
        self.crawl_id = crawl_id
        self._fh = self.path.open("a", encoding="utf-8")

    def event(self, event: str, **fields: object) -> None:
        row = {
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "crawl_id": self.crawl_id,
            "event": event,
            **fields,
        }
        self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_crawl_log(paths: DataPaths) -> Iterator[dict]:
    if not paths.crawl_log_dir.exists():
        return
    for file in sorted(paths.crawl_log_dir.glob("*.jsonl")):
        with file.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                line = line.strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield {"event": "log_unreadable", "file": file.name, "line": number}
