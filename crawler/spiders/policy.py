"""The generic policy spider: homepage → policy page (by link text) → attachments.

Driven by registry rows only; no per-site URLs. What it could not find is written to the
crawl log so that a missing policy is a finding, not a silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response

from crawler.registry import Institution, crawlable, load_registry
from transforms.links import is_attachment_link, is_sitemap_link, policy_link_score
from transforms.text import compact


class PolicySpider(scrapy.Spider):
    name = "policy"

    def __init__(
        self,
        registry: str | None = None,
        institutions: str | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        rows = crawlable(load_registry(registry) if registry else load_registry())
        wanted = {c.strip() for c in institutions.split(",")} if institutions else None
        self.institutions: list[Institution] = [
            i for i in rows if wanted is None or i.inst_code in wanted
        ]
        if wanted and len(self.institutions) != len(wanted):
            known = {i.inst_code for i in self.institutions}
            raise ValueError(f"not in the registry: {', '.join(sorted(wanted - known))}")
        self.inst_by_host = {urlsplit(i.homepage).netloc: i.inst_code for i in self.institutions}
        self.by_code = {i.inst_code: i for i in self.institutions}
        self.found_policy: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        for inst in self.institutions:
            if inst.policy_url:  # the registry knows the page: no discovery needed
                yield self._policy_request(inst.policy_url, inst.inst_code, inst.homepage)
                continue
            yield Request(
                inst.homepage + "/",
                callback=self.parse_homepage,
                errback=self.fetch_failed,
                meta={"inst_code": inst.inst_code, "role": "homepage"},
            )

    def _links(self, response: Response) -> list[tuple[str, str]]:
        links = []
        for a in response.css("a[href]"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            text = " ".join(a.css("::text").getall()) or a.attrib.get("title", "")
            links.append((response.urljoin(href), text))
        return links

    def parse_homepage(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        own_words = compact(self.by_code[inst_code].link_text or "")
        scored = sorted(
            (
                (
                    100 if own_words and own_words == compact(text) else policy_link_score(text),
                    url,
                    text,
                )
                for url, text in self._links(response)
            ),
            key=lambda t: -t[0],
        )
        best = [s for s in scored if s[0] > 0]
        if best:
            score, url, text = best[0]
            self.crawl_log.event(
                "policy_link",
                inst_code=inst_code,
                url=url,
                text=text.strip(),
                score=score,
                found_on=response.url,
            )
            yield self._policy_request(url, inst_code, response.url)
            return
        sitemaps = [url for url, text in self._links(response) if is_sitemap_link(text)]
        if sitemaps and response.meta["role"] == "homepage":
            yield Request(
                sitemaps[0],
                callback=self.parse_homepage,
                errback=self.fetch_failed,
                meta={"inst_code": inst_code, "role": "sitemap"},
            )
            return
        self.crawl_log.event("policy_not_found", inst_code=inst_code, url=response.url)

    def _policy_request(self, url: str, inst_code: str, referer: str) -> Request:
        return Request(
            url,
            callback=self.parse_policy,
            errback=self.fetch_failed,
            headers={"Referer": referer},
            meta={"inst_code": inst_code, "role": "policy"},
        )

    def parse_policy(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        self.found_policy.add(inst_code)
        seen: set[str] = set()
        for url, text in self._links(response):
            if url in seen or not is_attachment_link(url, text):
                continue
            seen.add(url)
            yield Request(
                url,
                callback=self.parse_attachment,
                errback=self.fetch_failed,
                headers={"Referer": response.url},
                meta={"inst_code": inst_code, "role": "attachment", "link_text": text.strip()},
            )

    def parse_attachment(self, response: Response) -> None:
        self.crawl_log.event(
            "attachment",
            inst_code=response.meta["inst_code"],
            url=response.url,
            link_text=response.meta.get("link_text"),
            sha256=response.meta.get("capture_sha256"),
        )

    def fetch_failed(self, failure) -> None:
        request = failure.request
        self.crawl_log.event(
            "request_failed",
            url=request.url,
            inst_code=request.meta.get("inst_code"),
            role=request.meta.get("role"),
            error=failure.type.__name__,
            message=str(failure.value)[:500],
            status=getattr(getattr(failure.value, "response", None), "status", None),
        )
