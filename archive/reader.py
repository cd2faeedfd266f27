"""Payload bytes back by sha256, checked against it: what every later stage reads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from warcio.archiveiterator import ArchiveIterator

from archive.index import (
    PAYLOAD_RECORDS,
    ArchiveError,
    Capture,
    read_index,
)
from archive.paths import DataPaths


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
