"""Retries that back off: a 5xx or a timeout is retried after base × 2^(n-1) seconds
(capped), or after the server's Retry-After when that is longer, never at once.

A municipal server that answers 503 is usually overloaded; asking again immediately, as
Scrapy's stock RetryMiddleware does, adds to the load that caused it.

Where the wait is spent matters for speed. A request that sleeps inside the downloader
(in a middleware or a slot queue) counts against CONCURRENT_REQUESTS, so a few waiting
retries would stall every other site. Here the retry is kept out of the downloader until
it is due: the failed attempt ends with `RetryLater` (which the spider does not report as a
failure), the retry is handed to the engine when its wait is over, and the spider is kept
open while retries are waiting.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import call_later

BACKOFF_META = "retry_backoff"  # request.meta key: seconds waited before this retry


class RetryLater(IgnoreRequest):
    """This attempt failed and its retry is scheduled: not a failure of the request."""


def backoff_seconds(
    attempt: int, base: float, cap: float, retry_after: float | None = None
) -> float:
    """Wait before retry number `attempt` (1 for the first retry)."""
    wait = min(cap, base * 2 ** max(0, attempt - 1))
    if retry_after is not None:
        wait = max(wait, min(cap, retry_after))
    return wait


def parse_retry_after(value: bytes | str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (same settings) with the wait added; it takes that
    middleware's place. `RETRY_BACKOFF_BASE` and `RETRY_BACKOFF_MAX` are in seconds."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.waiting = 0  # retries scheduled but not yet handed back to the engine

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        return middleware

    def spider_idle(self) -> None:
        if self.waiting:
            raise DontCloseSpider

    def process_response(self, request: Request, response: Response) -> Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._hold(result, parse_retry_after(response.headers.get("Retry-After")))
        return result

    def process_exception(self, request: Request, exception: Exception) -> None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._hold(result, None)
        return result

    def _hold(self, retry: Request, retry_after: float | None) -> None:
        """Schedule the retry after its wait and end this attempt with RetryLater."""
        wait = backoff_seconds(retry.meta.get("retry_times", 1), self.base, self.cap, retry_after)
        retry.meta[BACKOFF_META] = wait
        log = getattr(self.crawler.spider, "crawl_log", None)
        if log is not None:  # the wait is part of what the crawl did, and why it took long
            log.event(
                "retry_scheduled",
                url=retry.url,
                inst_code=retry.meta.get("inst_code"),
                role=retry.meta.get("role"),
                attempt=retry.meta.get("retry_times"),
                wait_seconds=round(wait, 3),
            )
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("cctv/retry_backoff_seconds", wait)
        self.schedule(retry, wait)
        raise RetryLater(f"retry {retry.meta.get('retry_times')} of {retry.url} in {wait:.1f}s")

    def schedule(self, retry: Request, wait: float) -> None:
        self.waiting += 1

        def release() -> None:
            self.waiting -= 1
            self.crawler.engine.crawl(retry)

        call_later(wait, release)
