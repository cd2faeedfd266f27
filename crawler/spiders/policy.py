"""The generic policy spider: homepage → policy page (by link text) → attachments.

Driven by registry rows only; no per-site URLs. What it could not find is written to the
crawl log so that a missing policy is a finding, not a silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy.selector import Selector

from crawler.backoff import RetryLater
from crawler.registry import Institution, crawlable, load_registry
from transforms.encoding import decode_html
from transforms.links import (
    has_cctv_policy,
    is_attachment_link,
    is_earlier_version_link,
    is_privacy_link,
    is_sitemap_link,
    policy_link_score,
)
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
        self.policy_requested: set[str] = set()  # institutions whose policy is on its way
        self.policy_urls: set[str] = set()  # every policy page asked for, sub-pages included
        self.attachment_urls: set[str] = set()  # a file two policy tabs link is fetched once
        self.discovering: dict[str, int] = {}  # sitemap/privacy requests still out

    async def start(self) -> AsyncIterator[Request]:
        for inst in self.institutions:
            if inst.policy_url:  # the registry knows the page: no discovery needed
                yield self._policy_request(inst.policy_url, inst.inst_code, inst.homepage)
                continue
            yield _request(
                inst.homepage + "/",
                callback=self.parse_homepage,
                errback=self.fetch_failed,
                meta={"inst_code": inst.inst_code, "role": "homepage"},
            )

    def _links(self, response: Response) -> list[tuple[str, str, str]]:
        """(url, link text, the link's surroundings: its title and the enclosing element)."""
        links = []
        for a in _page(response).css("a[href]"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            text = " ".join(a.css("::text").getall()) or a.attrib.get("title", "")
            context = " ".join([a.attrib.get("title", ""), *a.xpath("../text()").getall()])
            links.append((response.urljoin(href), text, context))
        return links

    def parse_homepage(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        own_words = compact(self.by_code[inst_code].link_text or "")
        links = self._links(response)
        scored = sorted(
            (
                (
                    100 if own_words and own_words == compact(text) else policy_link_score(text),
                    url,
                    text,
                )
                for url, text, _ in links
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
        if response.meta["role"] != "homepage":  # the sitemap did not list it either
            self._discovery_done(inst_code, response.url)
            return
        sitemaps = [url for url, text, _ in links if is_sitemap_link(text)]
        privacy = [url for url, text, _ in links if is_privacy_link(text)]
        if not (sitemaps or privacy):
            self.crawl_log.event("policy_not_found", inst_code=inst_code, url=response.url)
            return
        # No policy link here: the sitemap may list it, and art. 25⑦ lets the CCTV items
        # sit in the 개인정보 처리방침 instead of a page of their own. Both are asked; the
        # policy counts as not found only when every one of them has answered without it.
        branches = [(u, "sitemap", self.parse_homepage) for u in sitemaps[:1]]
        branches += [(u, "privacy", self.parse_privacy) for u in privacy[:1]]
        self.discovering[inst_code] = len(branches)
        for url, role, callback in branches:
            yield _request(
                url,
                callback=callback,
                errback=self.fetch_failed,
                meta={"inst_code": inst_code, "role": role},
            )

    def _discovery_done(self, inst_code: str, url: str) -> None:
        """One sitemap/privacy branch ended without a policy; log when the last one has."""
        left = self.discovering.get(inst_code, 1) - 1
        self.discovering[inst_code] = left
        if left <= 0 and inst_code not in self.policy_requested:
            self.crawl_log.event("policy_not_found", inst_code=inst_code, url=url)

    def parse_privacy(self, response: Response) -> Iterator[Request]:
        """A 개인정보 처리방침 that holds the CCTV items is this institution's policy."""
        inst_code = response.meta["inst_code"]
        if inst_code not in self.policy_requested and has_cctv_policy(
            " ".join(_page(response).css("body ::text").getall())
        ):
            self.crawl_log.event("policy_in_privacy", inst_code=inst_code, url=response.url)
            yield self._policy_request(response.url, inst_code, response.url)
        else:
            self._discovery_done(inst_code, response.url)

    def _policy_request(
        self, url: str, inst_code: str, referer: str, *, sub_policy: bool = False
    ) -> Request:
        self.policy_requested.add(inst_code)
        self.policy_urls.add(url)
        return _request(
            url,
            callback=self.parse_policy,
            errback=self.fetch_failed,
            headers={"Referer": referer},
            meta={"inst_code": inst_code, "role": "policy", "sub_policy": sub_policy},
        )

    def parse_policy(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        self.policy_urls.add(response.url)  # where a redirect ended
        links = self._links(response)
        if not response.meta.get("sub_policy"):
            yield from self._sub_policies(response, inst_code, links)
        for url, text, _ in links:
            if url in self.attachment_urls or not is_attachment_link(url, text):
                continue
            self.attachment_urls.add(url)
            yield _request(
                url,
                callback=self.parse_attachment,
                errback=self.fetch_failed,
                headers={"Referer": response.url},
                meta={"inst_code": inst_code, "role": "attachment", "link_text": text.strip()},
            )

    def _sub_policies(
        self, response: Response, inst_code: str, links: list[tuple[str, str, str]]
    ) -> Iterator[Request]:
        """Further policies one link away on the same site: tabs such as 고정형 | 이동형,
        or a landing page that lists 본청 and 사업소 policies. One level only; links to
        earlier versions of the same policy are not followed."""
        host = urlsplit(response.url).netloc
        for url, text, context in links:
            url = url.split("#", 1)[0]
            if (
                url in self.policy_urls
                or urlsplit(url).netloc != host
                or is_attachment_link(url, text)
                or policy_link_score(text) <= 0
                or is_earlier_version_link(f"{text} {context}")
            ):
                continue
            self.crawl_log.event(
                "sub_policy", inst_code=inst_code, url=url, text=text.strip(), found_on=response.url
            )
            yield self._policy_request(url, inst_code, response.url, sub_policy=True)

    def parse_attachment(self, response: Response) -> None:
        self.crawl_log.event(
            "attachment",
            inst_code=response.meta["inst_code"],
            url=response.url,
            link_text=response.meta.get("link_text"),
            sha256=response.meta.get("capture_sha256"),
        )

    def fetch_failed(self, failure) -> None:
        if failure.check(RetryLater):  # this attempt's retry is on its way
            return
        request = failure.request
        if request.meta.get("role") in ("sitemap", "privacy"):
            self._discovery_done(request.meta.get("inst_code"), request.url)
        self.crawl_log.event(
            "request_failed",
            url=request.url,
            inst_code=request.meta.get("inst_code"),
            role=request.meta.get("role"),
            error=failure.type.__name__,
            message=str(failure.value)[:500],
            status=getattr(getattr(failure.value, "response", None), "status", None),
        )


def _page(response: Response) -> Selector:
    """The page as the parsers will read it: Korean sites often declare one charset and
    send another, and link texts read in the wrong one would hide the policy link."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return Selector(text=decode_html(response.body, content_type).text, type="html")


def _request(url: str, **kwargs: object) -> Request:
    """A request the duplicate filter lets through (its download slot, host:port, is set
    by crawler.slots.SiteSlotMiddleware)."""
    # Each of these is asked for once on purpose; without the filter a redirect loop runs to
    # Scrapy's redirect limit and is reported, instead of vanishing as a "duplicate".
    kwargs.setdefault("dont_filter", True)
    return Request(url, **kwargs)
