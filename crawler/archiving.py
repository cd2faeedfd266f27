"""Downloader middleware that puts every response into the WARC archive before anything
else looks at it, and every failed fetch into the crawl log with its URL and institution."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spiders import Spider

from archive.crawl_log import CrawlLog
from archive.paths import data_paths
from archive.writer import ArchiveWriter
from crawler.conditional import PRIOR_META
from crawler.egress import REDIRECT_STATUSES, EgressRefused


def header_text(value: bytes) -> str:
    """A header value as text. Korean servers put raw UTF-8 or raw EUC-KR bytes in
    Content-Disposition filenames; both are tried strictly before Latin-1, which keeps
    any other bytes one-to-one instead of replacing them."""
    for encoding in ("utf-8", "cp949"):
        try:
            return value.decode(encoding)
        except UnicodeDecodeError:
            continue
    return value.decode("latin-1")


def _headers(raw) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, values in raw.items():
        name = key.decode("latin-1")
        for value in values:
            pairs.append((name, header_text(value)))
    return pairs


class ArchiveMiddleware:
    """Owns the crawl's ArchiveWriter and CrawlLog (one of each per crawl)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.cctv_archive = self  # the redirect middleware writes through this one
        settings = crawler.settings
        paths = data_paths(settings.get("CCTV_DATA_DIR"))
        self.crawl_id: str = settings.get("CCTV_CRAWL_ID") or dt.datetime.now(dt.UTC).strftime(
            "crawl-%Y%m%dT%H%M%S%fZ"
        )
        self.writer = ArchiveWriter(paths, self.crawl_id)
        self.log = CrawlLog(paths, self.crawl_id)
        self.archived = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        spider.crawl_log = self.log  # the spider records what it found (or did not) here

    def spider_closed(self, spider: Spider, reason: str) -> None:
        index = self.writer.close()
        self.log.event("crawl_closed", reason=reason, archived=self.archived, index=str(index))
        self.log.close()

    def _inst_code(self, request: Request) -> str | None:
        code = request.meta.get("inst_code")
        if code is None:  # robots.txt and other requests Scrapy makes on its own
            hosts = getattr(self.crawler.spider, "inst_by_host", {})
            code = hosts.get(urlsplit(request.url).netloc)
        return code

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in REDIRECT_STATUSES and request.meta.get("redirect_archived"):
            return response  # RedirectArchiveMiddleware has it already
        # A page read as rendered (crawler/render.py) is archived as served under a role
        # of its own, so that only its rendered copy is read as the policy.
        role = (
            request.meta.get("archive_role")
            or request.meta.get("role")
            or ("robots" if urlsplit(request.url).path == "/robots.txt" else "other")
        )
        referer = (request.headers.get("Referer") or b"").decode("utf-8", "replace") or None
        if response.status == 304 and request.meta.get(PRIOR_META):
            capture = self.writer.write_not_modified(
                url=response.url,
                prior_sha256=request.meta[PRIOR_META],
                reason="Not Modified",
                response_headers=_headers(response.headers),
                request_headers=_headers(request.headers),
                inst_code=self._inst_code(request),
                role=role,
                referer=referer,
            )
            self.archived += 1
            request.meta["capture_sha256"] = capture.sha256
            return response
        capture = self.writer.write_exchange(
            url=response.url,
            status=response.status,
            reason="",
            response_headers=_headers(response.headers),
            body=response.body,
            request_method=request.method,
            request_headers=_headers(request.headers),
            inst_code=self._inst_code(request),
            role=role,
            referer=referer,
        )
        self.archived += 1
        if response.status >= 400:
            self.log.event(
                "http_error",
                url=response.url,
                status=response.status,
                inst_code=capture.inst_code,
                role=role,
                sha256=capture.sha256,
            )
        request.meta["capture_sha256"] = capture.sha256
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, EgressRefused):  # never fetched; logged with its reason
            return
        self.log.event(
            "fetch_failed",
            url=request.url,
            inst_code=self._inst_code(request),
            role=request.meta.get("role"),
            error=type(exception).__name__,
            message=str(exception)[:500],
            attempt=request.meta.get("retry_times", 0) + 1,
        )


class RedirectArchiveMiddleware:
    """Archives redirect responses, which Scrapy's RedirectMiddleware consumes before the
    archive middleware sees them: every response the server sent is then in the WARC."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectArchiveMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in REDIRECT_STATUSES:
            archive: ArchiveMiddleware = self.crawler.cctv_archive
            request.meta["redirect_archived"] = False
            archive.process_response(request, response)
            request.meta["redirect_archived"] = True
        return response
