"""Conditional GET on recrawls: ask with the validators the archive already holds, and turn
a `304 Not Modified` back into the archived page so the spider can follow its links.

A recrawl of 243 sites that mostly have not changed then costs a header exchange per page
instead of the page, which is kinder to small municipal servers than any delay setting.
The 304 itself is archived (a `server-not-modified` revisit record, see
`archive.writer.ArchiveWriter.write_not_modified`) before this middleware rewrites it.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes

from archive.index import Capture, read_index
from archive.paths import data_paths
from archive.reader import ArchiveReader

PRIOR_META = "conditional_prior"  # request.meta key: sha256 of the archived copy asked about


def validators_by_url(captures: list[Capture]) -> dict[str, Capture]:
    """The latest capture with content and a validator, per URL (captures oldest first)."""
    latest: dict[str, Capture] = {}
    for capture in captures:
        if capture.has_content and (capture.etag or capture.last_modified):
            latest[capture.url] = capture
    return latest


class ConditionalGetMiddleware:
    """Downloader middleware: adds If-None-Match / If-Modified-Since, answers 304 from the
    archive. Off with ``CCTV_CONDITIONAL_GET = False`` (a full refetch)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.enabled = settings.getbool("CCTV_CONDITIONAL_GET", True)
        paths = data_paths(settings.get("CCTV_DATA_DIR"))
        captures = read_index(paths) if self.enabled else []
        self.prior = validators_by_url(captures)
        self._by_sha256 = {c.sha256: c for c in self.prior.values()}
        self._reader = ArchiveReader(paths, captures) if self.prior else None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        capture = self.prior.get(request.url)
        if capture is None or request.method != "GET":
            # A redirect copies the headers of the request it follows; they were about
            # another URL's copy.
            for name in ("If-None-Match", "If-Modified-Since"):
                request.headers.pop(name, None)
            request.meta.pop(PRIOR_META, None)
            return
        if capture.etag:
            request.headers.setdefault("If-None-Match", capture.etag)
        if capture.last_modified:
            request.headers.setdefault("If-Modified-Since", capture.last_modified)
        request.meta[PRIOR_META] = capture.sha256

    def process_response(self, request: Request, response: Response) -> Response:
        sha256 = request.meta.get(PRIOR_META)
        if response.status != 304 or sha256 is None or self._reader is None:
            return response
        capture = self._by_sha256[sha256]
        body = self._reader.payload(sha256)
        headers = response.headers.copy()
        for name, value in (
            ("Content-Type", capture.content_type),
            ("Content-Disposition", capture.content_disposition),
        ):
            if value and name not in headers:
                headers[name] = value
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        if self.stats is not None:
            self.stats.inc_value("cctv/not_modified")
        return cls(
            url=response.url,
            status=200,
            headers=headers,
            body=body,
            flags=[*response.flags, "not_modified"],
            request=request,
            protocol=response.protocol,
        )
