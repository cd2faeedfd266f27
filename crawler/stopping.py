"""A crawl that stops promptly and cleanly when told to.

Scrapy stops gracefully on SIGTERM and SIGINT: no new request starts, the spider is closed
(the archive writer then finishes the WARC file and the capture index), but only after
every download in progress has ended, which a slow or hostile server can drag out to the
download timeout, and longer with retries. Here the first stop signal also cancels the
downloads in progress, so the crawl closes within moments; what was fetched is kept.

SIGHUP (a closed terminal) stops the crawl like SIGTERM, and so does the disappearance of
the process that started the crawl: a `cctv crawl` killed with SIGKILL cannot pass a
signal on, and a crawl nobody waits for must not go on alone.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

# Sent (crawler.signals) when a stop has been asked for; download handlers cancel.
crawl_stopping = object()


class CrawlStopped(Exception):
    """A download cancelled, or never started, because the crawl is stopping."""


class StoppableDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler (http and https) whose downloads in progress are
    cancelled when the crawl stops, instead of being waited for."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.stopping = False
        self._running: set[asyncio.Future[Response]] = set()
        crawler.signals.connect(self.stop, signal=crawl_stopping)

    async def download_request(self, request: Request) -> Response:
        if self.stopping:
            raise CrawlStopped(f"not fetched, the crawl is stopping: {request.url}")
        download = asyncio.ensure_future(super().download_request(request))
        self._running.add(download)
        try:
            return await download
        except asyncio.CancelledError:
            if not self.stopping:  # cancelled by someone else: theirs to handle
                raise
            message = f"download cancelled, the crawl is stopping: {request.url}"
            raise CrawlStopped(message) from None
        finally:
            self._running.discard(download)

    def stop(self) -> None:
        self.stopping = True
        for download in list(self._running):
            download.cancel()


def stop_promptly(crawler: Crawler) -> None:
    """Make SIGTERM and SIGINT cancel the downloads in progress as well as stop the crawl,
    and SIGHUP and a vanished parent act as SIGTERM. Call before the reactor starts."""
    from twisted.internet import reactor

    def chain_handlers() -> None:  # after Scrapy has installed its own
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, _then_cancel(signal.getsignal(signum), crawler))

    signal.signal(signal.SIGHUP, _as_sigterm)
    reactor.callWhenRunning(reactor.callLater, 0, chain_handlers)
    _stop_when_orphaned(os.getppid())


def _then_cancel(scrapy_handler: Any, crawler: Crawler) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        if callable(scrapy_handler):
            scrapy_handler(signum, frame)  # the graceful stop, scheduled in the reactor
        reactor.callFromThread(crawler.signals.send_catch_log, crawl_stopping)

    return handler


def _as_sigterm(signum: int, frame: object) -> None:
    """A hang-up stops the crawl as cleanly as SIGTERM does."""
    os.kill(os.getpid(), signal.SIGTERM)


def _stop_when_orphaned(parent: int, every: float = 1.0) -> None:
    """Stop the crawl cleanly once the process that started it is gone."""
    from twisted.internet import task

    def check() -> None:
        if os.getppid() != parent:
            watch.stop()
            os.kill(os.getpid(), signal.SIGTERM)

    watch = task.LoopingCall(check)
    watch.start(every, now=False)
