"""How many requests one institution may cost one crawl.

A policy takes a handful of requests: homepage, perhaps a sitemap or the 개인정보
처리방침, the policy page and its tabs, the files it links. A site that answers 200 with a
page full of links to every URL it is asked for would otherwise keep the crawler busy for
hours (22,800 requests on one such site). The cap is `CCTV_MAX_PAGES_PER_SITE`; every
request the spider decides to make counts (refused ones too, so a hostile page cannot fill
the crawl log either), and so does every redirect hop.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

CAP_EVENT = "page_cap_reached"  # crawl-log event, written once per institution and crawl


class EventLog(Protocol):
    def event(self, event: str, **fields: object) -> None: ...


class PageBudget:
    """Requests left per institution; the first refusal is logged, the rest are silent."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"CCTV_MAX_PAGES_PER_SITE must be at least 1, not {limit}")
        self.limit = limit
        self.spent: Counter[str] = Counter()
        self.capped: set[str] = set()

    def take(self, inst_code: str) -> bool:
        """Spend one request of `inst_code`'s budget; False when none is left."""
        if self.spent[inst_code] >= self.limit:
            return False
        self.spent[inst_code] += 1
        return True

    def log_cap(self, log: EventLog | None, inst_code: str, url: str) -> None:
        """Record, once per institution, that its cap stopped the crawl of its site."""
        if inst_code in self.capped or log is None:
            return
        self.capped.add(inst_code)
        log.event(
            CAP_EVENT,
            inst_code=inst_code,
            url=url,
            limit=self.limit,
            message=f"{self.limit} requests made; no more are queued for this site "
            "(CCTV_MAX_PAGES_PER_SITE)",
        )
