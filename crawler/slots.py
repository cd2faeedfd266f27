"""One download slot per site (host and port), for every request, robots.txt included.

Scrapy keys download slots (and so DOWNLOAD_DELAY and per-domain concurrency) by host name
alone, and the robots.txt requests its RobotsTxtMiddleware makes carry no slot of their
own. Sites that share a host name on different ports (the simulated national web, or
several CMSs behind one address) would then be throttled as one: 243 robots.txt fetches
one delay apart. Keying by host:port is the politeness unit the crawler means.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import Request


class SiteSlotMiddleware:
    """Downloader middleware, before RobotsTxtMiddleware (100): sets `download_slot`."""

    def process_request(self, request: Request) -> None:
        request.meta["download_slot"] = urlsplit(request.url).netloc  # a redirect may change it
