"""The generic policy spider: homepage → policy page (by link text) → attachments.

Driven by registry rows only; no per-site URLs. What it could not find is written to the
crawl log so that a missing policy is a finding, not a silence.

It follows nothing else: homepage → (its frames, the sitemap, the 개인정보 처리방침) →
policy page → further policies one link away → attachments. Every request it makes goes
through `_queue`, which spends the institution's page budget (crawler/budget.py) and
refuses a malformed URL or any scheme but http(s) with a crawl-log event;
crawler/egress.py checks the same again, with addresses and redirects, for every request
that reaches the downloader.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy.selector import Selector

from crawler.backoff import RetryLater
from crawler.budget import PageBudget
from crawler.egress import (
    REFUSED_EVENT,
    EgressRefused,
    host_of,
    malformed,
    registered_hosts,
    url_refusal,
    within_hosts,
)
from crawler.registry import Institution, crawlable, load_registry
from crawler.settings import CCTV_MAX_PAGES_PER_SITE
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
        self.discovering: dict[str, int] = {}  # sitemap/privacy/frame requests still out
        self.budget = PageBudget(CCTV_MAX_PAGES_PER_SITE)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PolicySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.budget = PageBudget(
            crawler.settings.getint("CCTV_MAX_PAGES_PER_SITE", CCTV_MAX_PAGES_PER_SITE)
        )
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for inst in self.institutions:
            if inst.policy_url:  # the registry knows the page: no discovery needed
                request = self._policy_request(inst.policy_url, inst.inst_code, inst.homepage)
            else:
                request = self._queue(
                    inst.homepage + "/", inst.inst_code, "homepage", self.parse_homepage
                )
            if request is not None:
                yield request

    def _queue(
        self,
        url: str,
        inst_code: str,
        role: str,
        callback: Callable[[Response], Any],
        found_on: str | None = None,
        **meta: Any,
    ) -> Request | None:
        """The one way the spider asks for a URL: within the institution's page budget,
        and only over http(s). What is not asked is in the crawl log, with where it was
        found; the request goes out with the page it was found on as its Referer."""
        reason = url_refusal(url)
        if reason is not None:
            self._refused(url, inst_code, role, found_on, reason)
            return None
        if not self.budget.take(inst_code):
            self.budget.log_cap(self.crawl_log, inst_code, url)
            return None
        return _request(
            url,
            callback=callback,
            errback=self.fetch_failed,
            headers={"Referer": found_on} if found_on else None,
            meta={"inst_code": inst_code, "role": role, **meta},
        )

    def _links(self, response: Response) -> list[tuple[str, str, str]]:
        """(url, link text, the link's surroundings: its title and the enclosing element)."""
        links = []
        for a in _page(response).css("a[href]"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            url = _joined(response, href)
            problem = malformed(url)
            if problem is not None:  # nothing downstream could read it: refused here
                self._refused(url, response.meta["inst_code"], "link", response.url, problem)
                continue
            text = " ".join(a.css("::text").getall()) or a.attrib.get("title", "")
            context = " ".join([a.attrib.get("title", ""), *a.xpath("../text()").getall()])
            links.append((url, text, context))
        return links

    def _refused(
        self, url: str, inst_code: str, role: str, found_on: str | None, reason: str
    ) -> None:
        """Record a link that will not be fetched. Refusals spend the page budget too, so a
        page of a million bad links costs the crawl log no more than the cap."""
        if not self.budget.take(inst_code):
            self.budget.log_cap(self.crawl_log, inst_code, url)
            return
        self.crawl_log.event(
            REFUSED_EVENT,
            url=url,
            inst_code=inst_code,
            role=role,
            found_on=found_on,
            reason=reason,
            message=reason,
        )

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
        role = response.meta["role"]
        if best and inst_code in self.policy_requested:  # another branch found it first
            self._discovery_done(inst_code, response.url)
            return
        for score, url, text in best:  # the best link that may be fetched
            request = self._policy_request(url, inst_code, response.url)
            if request is None:
                continue
            self.crawl_log.event(
                "policy_link",
                inst_code=inst_code,
                url=url,
                text=text.strip(),
                score=score,
                found_on=response.url,
            )
            yield request
            return
        if role not in ("homepage", "frame"):  # the sitemap did not list it either
            self._discovery_done(inst_code, response.url)
            return
        # No policy link here: the sitemap may list it, and art. 25⑦ lets the CCTV items
        # sit in the 개인정보 처리방침 instead of a page of their own; a homepage built of
        # frames has its menu in a frame. All are asked; the policy counts as not found only
        # when every one of them has answered without it.
        sitemap = [(u, "sitemap", self.parse_homepage) for u, t, _ in links if is_sitemap_link(t)]
        privacy = [(u, "privacy", self.parse_privacy) for u, t, _ in links if is_privacy_link(t)]
        branches = sitemap[:1] + privacy[:1]
        if role == "homepage":  # frames one level deep: a frame's own frames are not followed
            branches += [(u, "frame", self.parse_homepage) for u in self._frames(response)][:3]
        requests = [
            r
            for url, branch, callback in branches
            if (r := self._queue(url, inst_code, branch, callback, response.url)) is not None
        ]
        # A frame that leads on is replaced by its own branches.
        left = self.discovering.get(inst_code, 0) + len(requests) - (role == "frame")
        self.discovering[inst_code] = left
        if not requests:
            if left <= 0 and inst_code not in self.policy_requested:
                self.crawl_log.event("policy_not_found", inst_code=inst_code, url=response.url)
            return
        yield from requests

    def _frames(self, response: Response) -> list[str]:
        """Frame and iframe sources on the institution's own hosts (another host's frame is
        a map or a video, not the site's menu); other schemes are kept so that `_queue`
        records their refusal."""
        registered = registered_hosts(self.by_code[response.meta["inst_code"]])
        frames = []
        for src in _page(response).css("frame::attr(src), iframe::attr(src)").getall():
            url = _joined(response, src.strip()).split("#", 1)[0]
            if not src.strip() or url in frames:
                continue
            if url_refusal(url) is None and not within_hosts(host_of(url), registered):
                continue
            frames.append(url)
        return frames

    def _discovery_done(self, inst_code: str, url: str) -> None:
        """One sitemap, privacy or frame branch ended without a policy; log when the last
        one has."""
        left = self.discovering.get(inst_code, 1) - 1
        self.discovering[inst_code] = left
        if left <= 0 and inst_code not in self.policy_requested:
            self.crawl_log.event("policy_not_found", inst_code=inst_code, url=url)

    def parse_privacy(self, response: Response) -> Iterator[Request]:
        """A 개인정보 처리방침 that holds the CCTV items is this institution's policy."""
        inst_code = response.meta["inst_code"]
        request = None
        if inst_code not in self.policy_requested and has_cctv_policy(
            " ".join(_page(response).css("body ::text").getall())
        ):
            request = self._policy_request(response.url, inst_code, response.url)
        if request is None:
            self._discovery_done(inst_code, response.url)
            return
        self.crawl_log.event("policy_in_privacy", inst_code=inst_code, url=response.url)
        yield request

    def _policy_request(
        self, url: str, inst_code: str, referer: str, *, sub_policy: bool = False
    ) -> Request | None:
        request = self._queue(
            url, inst_code, "policy", self.parse_policy, referer, sub_policy=sub_policy
        )
        if request is not None:
            self.policy_requested.add(inst_code)
            self.policy_urls.add(url)
        return request

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
            request = self._queue(
                url,
                inst_code,
                "attachment",
                self.parse_attachment,
                response.url,
                link_text=text.strip(),
            )
            if request is not None:
                yield request

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
            request = self._policy_request(url, inst_code, response.url, sub_policy=True)
            if request is None:
                continue
            self.crawl_log.event(
                "sub_policy", inst_code=inst_code, url=url, text=text.strip(), found_on=response.url
            )
            yield request

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
        if request.meta.get("role") in ("sitemap", "privacy", "frame"):
            self._discovery_done(request.meta.get("inst_code"), request.url)
        if failure.check(EgressRefused):  # crawler/egress.py logged it, with the reason
            return
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


def _joined(response: Response, href: str) -> str:
    """The link's absolute URL; as written when it is too broken to join."""
    try:
        return response.urljoin(href)
    except ValueError:
        return href


def _request(url: str, **kwargs: object) -> Request:
    """A request the duplicate filter lets through (its download slot, host:port, is set
    by crawler.slots.SiteSlotMiddleware)."""
    # Each of these is asked for once on purpose; without the filter a redirect loop runs to
    # Scrapy's redirect limit and is reported, instead of vanishing as a "duplicate".
    kwargs.setdefault("dont_filter", True)
    return Request(url, **kwargs)
