"""The immutable archive: every fetched response as WARC 1.1 records, plus a capture index.

WARC is what web archives replay (ISO 28500), so a capture can be checked with standard
tools years later. The index maps the sha256 of each payload to where its bytes sit, and an
identical payload is stored once: later fetches become revisit records pointing at it.
Everything downstream is rebuilt from here and nothing downstream reads the live web.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.fields import (
    NOT_MODIFIED_PROFILE,
    PROVENANCE_FIELDS,
    URI_SAFE,
    filename_from_disposition,
    header_safe,
    import_disposition,
    warc_digest,
    warc_timestamp,
)
from archive.index import (
    JOURNAL_SUFFIX,
    PAYLOAD_RECORDS,
    ArchiveError,
    Capture,
    as_utc,
    capture_row,
    read_index,
    write_index,
)
from archive.paths import DataPaths
from transforms.sniff import media_type_of


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
                record.rec_headers.add_header(field, header_safe(value))
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
                "WARC-Date": warc_timestamp(fetched_at),
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
        fetched_at = as_utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=URI_SAFE)  # WARC-Target-URI and request lines are ASCII
        warc_date = warc_timestamp(fetched_at)
        sha256 = hashlib.sha256(body).hexdigest()
        headers = [
            (k, v)
            for k, v in response_headers
            if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")
        ]
        headers.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        common = {"WARC-Date": warc_date, "WARC-Payload-Digest": warc_digest(sha256)}

        first = self._known.get(sha256)
        if first is not None:
            record = self._writer.create_revisit_record(
                uri,
                warc_digest(sha256),
                quote(first.url, safe=URI_SAFE),
                warc_timestamp(first.fetched_at),
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
        fetched_at = as_utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=URI_SAFE)
        headers = list(response_headers)
        http_headers = StatusAndHeaders(f"304 {reason}".strip(), headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            uri,
            "revisit",
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_timestamp(fetched_at)},
        )
        for name, value in (
            ("WARC-Profile", NOT_MODIFIED_PROFILE),
            ("WARC-Refers-To-Target-URI", quote(prior.url, safe=URI_SAFE)),
            ("WARC-Refers-To-Date", warc_timestamp(prior.fetched_at)),
            ("WARC-Payload-Digest", warc_digest(prior_sha256)),
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
        fetched_at = as_utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(url, safe=URI_SAFE)
        sha256 = hashlib.sha256(body).hexdigest()
        media_type = media_type_of(body, None) or "application/octet-stream"
        disposition = import_disposition(filename)
        first = self._known.get(sha256)
        warc_headers = {"WARC-Date": warc_timestamp(fetched_at)}
        if first is not None:
            record = self._writer.create_revisit_record(
                uri,
                warc_digest(sha256),
                quote(first.url, safe=URI_SAFE),
                warc_timestamp(first.fetched_at),
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
                warc_headers_dict={**warc_headers, "WARC-Payload-Digest": warc_digest(sha256)},
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
        fetched_at = as_utc(fetched_at or dt.datetime.now(dt.UTC))
        uri = quote(refers_to.url, safe=URI_SAFE)
        sha256 = hashlib.sha256(body).hexdigest()
        record = self._writer.create_warc_record(
            uri,
            "conversion",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={
                "WARC-Date": warc_timestamp(fetched_at),
                "WARC-Payload-Digest": warc_digest(sha256),
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
