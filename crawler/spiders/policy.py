"""The generic policy spider: homepage → policy page(s) → attachments, as a person clicking
through the site would find them.

Driven by registry rows only; no per-site URLs. Links are read as the page writes them
(`<a href>`, image alt texts and image maps, onclick and javascript: links through the
site's own helper functions, read from its inline and linked scripts, never run); a
homepage that only redirects (a script, a meta refresh, frames) is followed; with no
policy link on the homepage, its sitemap, its 개인정보 처리방침 and its frames are read, and
a policy linked from any of them is followed. Every distinct current policy a page links
(고정형 and 이동형, 본청 and 사업소) is asked for, earlier versions never.

A page reached as the policy is judged (transforms/discovery/verdict.py) before it is
taken: a wrapper leads on to its frames or links, a login page, an error page, a "browser
not supported" page or an empty script shell is a finding, and the next candidate link is
tried. What could not be found is written to the crawl log with its reason, so that a
missing policy is a finding, not a silence.

Every request goes through `_queue`, which spends the institution's page budget
(crawler/budget.py) and refuses a malformed URL or any scheme but http(s) with a crawl-log
event; crawler/egress.py checks the same again, with addresses and redirects, for every
request that reaches the downloader.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.backoff import RetryLater
from crawler.budget import PageBudget
from crawler.discovery import Deferred, SiteDiscovery, stronger_route
from crawler.egress import (
    EgressRefused,
    host_of,
    log_refusal,
    malformed,
    registered_hosts,
    url_refusal,
    within_hosts,
)
from crawler.render import Renderer
from crawler.settings import CCTV_MAX_PAGES_PER_SITE, DEPTH_LIMIT
from registry import Institution, crawlable, load_registry
from transforms.discovery.candidates import (
    Candidate,
    earlier_versions,
    newest_dated,
    policy_candidates,
    revision_history,
)
from transforms.discovery.markup import Link, Page, read_page, resolve_links
from transforms.discovery.scripts import helpers
from transforms.discovery.verdict import WRAPPERS, Verdict, document_verdict, judge
from transforms.encoding import decode_html
from transforms.links import (
    is_attachment_link,
    is_earlier_version_link,
    is_privacy_link,
    is_sitemap_link,
    names_file,
    policy_link_score,
)

# Discovery pages, by role: how a policy found from one of them was reached.
_PAGE_ROUTES = {
    "redirect": "redirect",
    "frame": "frame",
    "sitemap": "sitemap",
    "privacy": "privacy_page",
}
_BRANCHING = ("homepage", "redirect", "frame")  # pages whose sitemap, privacy and frames count
_MAX_FRAMES = 3
_MAX_SCRIPTS = 3  # a site's own scripts read for its helpers, per crawl
_LIBRARY = re.compile(
    r"jquery|bootstrap|swiper|slick|polyfill|analytics|gtag|googletag|kakao|naver|daum|"
    r"moment|lodash|vue|react|angular|html5shiv|respond|modernizr|datepicker|owl\.|aos|gsap|"
    r"lightbox|fancybox|chart|babel|core-js|axios|select2|easing|cookie|mousewheel|wow\.|"
    r"isotope|masonry|magnific|bxslider|flexslider|json2|pdfjs|xlsx\.",
    re.I,
)
_LIKELY_HELPERS = re.compile(r"common|menu|link|cmm|egov|site|front|ui|util|fn|script|main|file")
_DOWNLOAD_HELPER = re.compile(r"down|file|attach", re.I)
_FIRST_REQUEST_PRIORITY = 10
_MAX_WRAPPERS = 3  # frames of frames, redirects of redirects: as deep as a person would click
# Findings the homepage itself gives when it links nothing.
_SITE_REASONS = ("needs_js", "blocked_user_agent", "browser_unsupported")
_FINDING_EVENTS = {
    "needs_js": "policy_needs_js",
    "blocked_user_agent": "blocked_user_agent",
    "browser_unsupported": "browser_unsupported",
    "not_a_policy": "not_a_policy",
}


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
        self.sites: dict[str, SiteDiscovery] = {i.inst_code: SiteDiscovery() for i in rows}
        self.policy_urls: set[str] = set()  # every policy page asked for, sub-pages included
        self.attachment_urls: set[str] = set()  # a file two policy tabs link is fetched once
        self.budget = PageBudget(CCTV_MAX_PAGES_PER_SITE)
        self.depth_limit = DEPTH_LIMIT
        self.renderer: Renderer | None = None  # pages of render=js sites, read as rendered

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PolicySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.budget = PageBudget(
            crawler.settings.getint("CCTV_MAX_PAGES_PER_SITE", CCTV_MAX_PAGES_PER_SITE)
        )
        spider.depth_limit = crawler.settings.getint("DEPTH_LIMIT", DEPTH_LIMIT)
        spider.renderer = Renderer.from_crawler(crawler, spider)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for inst in self.institutions:
            if inst.policy_url:  # the registry knows the page: no discovery needed
                request = self._candidate(
                    inst.inst_code, inst.policy_url, inst.homepage, 0, "override", text=""
                )
            else:
                request = self._queue(
                    _front_door(inst.homepage),
                    inst.inst_code,
                    "homepage",
                    self.parse_page,
                    None,
                    0,
                )
            if request is not None:
                yield request
            else:
                for follow in self._settled(inst.inst_code, counted=False):
                    yield follow

    # --- requests ---------------------------------------------------------------------

    def _queue(
        self,
        url: str,
        inst_code: str,
        role: str,
        callback: Callable[[Response], Any],
        found_on: str | None,
        depth: int,
        *,
        counted: bool = True,
        **meta: Any,
    ) -> Request | None:
        """The one way the spider asks for a URL: within the institution's page budget and
        the crawl's depth, and only over http(s). What is not asked is in the crawl log,
        with where it was found; the request goes out with the page it was found on as its
        Referer. A counted request keeps the institution's discovery open until it ends."""
        site = self.sites[inst_code]
        reason = url_refusal(url)
        if reason is None and self.depth_limit and depth > self.depth_limit:
            reason = f"deeper than DEPTH_LIMIT ({self.depth_limit}) links from the homepage"
        if reason is not None:
            self._refused(url, inst_code, role, found_on, reason)
            if counted:
                site.found(role, "request_refused", url)
            return None
        if not self.budget.take(inst_code):
            self.budget.log_cap(self.crawl_log, inst_code, url)
            if counted:
                site.found("policy", "page_cap", url)
            return None
        if counted:
            site.pending += 1
        if self.renderer is not None and self.renderer.wants(inst_code, role):
            callback = self.renderer.rendering(callback)  # crawler/render.py
            meta["archive_role"] = self.renderer.archive_role(role)
        return _request(
            url,
            callback=callback,
            errback=self.fetch_failed,
            headers={"Referer": found_on} if found_on else None,
            # Every site is begun before any is followed further: a site whose pages time
            # out and back off then waits beside the others, not after them.
            priority=_FIRST_REQUEST_PRIORITY if depth == 0 else 0,
            meta={"inst_code": inst_code, "role": role, "counted": counted, "depth": depth, **meta},
        )

    def _refused(
        self, url: str, inst_code: str, role: str, found_on: str | None, reason: str
    ) -> None:
        """Record a link that will not be fetched. Refusals spend the page budget too, so a
        page of a million bad links costs the crawl log no more than the cap."""
        if not self.budget.take(inst_code):
            self.budget.log_cap(self.crawl_log, inst_code, url)
            return
        log_refusal(
            self.crawl_log,
            url=url,
            inst_code=inst_code,
            role=role,
            found_on=found_on,
            reason=reason,
        )

    def _schedule(self, request: Request | None) -> None:
        """Send a fallback or deferred request straight to the engine: it belongs to the
        page it was found on, not to whichever response happens to release it."""
        if request is not None:
            self.crawler.engine.crawl(request)

    def _candidate(
        self,
        inst_code: str,
        url: str,
        found_on: str,
        depth: int,
        route: str | None,
        *,
        text: str,
        score: int | None = None,
        fallbacks: list[Candidate] | None = None,
        sub_policy: bool = False,
        hops: int = 0,
    ) -> Request | None:
        """Ask for a page that may be the policy; when it cannot be asked (refused, the
        cap), the next fallback is. Sub-policies do not keep discovery open."""
        fallbacks = list(fallbacks or [])
        while True:
            if url in self.policy_urls:
                request = None
            else:
                request = self._queue(
                    url,
                    inst_code,
                    "policy",
                    self.parse_policy,
                    found_on,
                    depth,
                    counted=not sub_policy,
                    route=route,
                    fallbacks=fallbacks,
                    link_text=text,
                    sub_policy=sub_policy,
                    hops=hops,
                )
            if request is not None:
                self.policy_urls.add(url)
                self.sites[inst_code].asked.add(url)
                event = "sub_policy" if sub_policy else "policy_link"
                self.crawl_log.event(
                    event,
                    inst_code=inst_code,
                    url=url,
                    text=text,
                    score=score,
                    route=route,
                    found_on=found_on,
                )
                return request
            if not fallbacks:
                return None
            nxt = fallbacks.pop(0)
            url, text, score = nxt.url, nxt.text, nxt.score
            route = stronger_route(_base_route(route), nxt.how)

    # --- reading pages ------------------------------------------------------------------

    def _read(self, response: Response) -> Page:
        """The page as the parsers will read it (Korean sites often declare one charset and
        send another, and link texts read in the wrong one would hide the policy link),
        its script links resolved through every helper the site's scripts define."""
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        page = read_page(decode_html(response.body, content_type).text, response.url)
        site = self.sites[response.meta["inst_code"]]
        if site.helpers:
            known = {**site.helpers, **page.helpers}
            page.links = resolve_links(page.links, known, page.base)
        return page

    def _guessed(self, response: Response, page: Page) -> Page:
        """With no more of the site's scripts to read, a call whose helper is still unknown
        leads where an argument that is itself an address says."""
        known = {**self.sites[response.meta["inst_code"]].helpers, **page.helpers}
        page.links = resolve_links(page.links, known, page.base, guess=True)
        return page

    def _usable(self, page: Page, inst_code: str, role: str) -> list[Link]:
        """The page's links the crawl may follow; broken ones are refused in the log."""
        links = []
        for link in page.links:
            if link.url is None:
                continue
            problem = malformed(link.url)
            if problem is not None:  # nothing downstream could read it: refused here
                self._refused(link.url, inst_code, "link", page.url, problem)
                continue
            links.append(link)
        return links

    def _scripts_for(
        self, response: Response, page: Page, wanted: Callable[[Link], bool], then: str
    ) -> Request | None:
        """When links the crawl needs call helpers the page does not define, ask for the
        site's own scripts that may define them (a few per site, libraries skipped); the
        page is read again when they are in."""
        if response.meta.get("scripts_read"):
            return None
        if not any(link.url is None and link.call and wanted(link) for link in page.links):
            return None
        inst_code = response.meta["inst_code"]
        site = self.sites[inst_code]
        registered = registered_hosts(self.by_code[inst_code])
        scripts = [
            s
            for s in page.scripts
            if s not in site.scripts_asked
            and within_hosts(host_of(s), registered | {host_of(response.url)})
            and not _LIBRARY.search(urlsplit(s).path)
        ]
        scripts.sort(key=lambda s: not _LIKELY_HELPERS.search(urlsplit(s).path.lower()))
        scripts = scripts[: max(0, _MAX_SCRIPTS - len(site.scripts_asked))]
        if not scripts:
            return None
        response.meta["scripts_read"] = True
        return self._script_request(response, scripts, then)

    def _script_request(self, page: Response, scripts: list[str], then: str) -> Request | None:
        inst_code = page.meta["inst_code"]
        while scripts:
            url = scripts.pop(0)
            self.sites[inst_code].scripts_asked.add(url)
            request = self._queue(
                url,
                inst_code,
                "script",
                self.parse_script,
                page.url,
                page.meta.get("depth", 0) + 1,
                page_response=page,
                scripts_left=scripts,
                then=then,
            )
            if request is not None:
                return request
        return None

    def parse_script(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        found = helpers(decode_html(response.body, content_type).text)
        self.sites[inst_code].helpers.update(found)
        self.crawl_log.event(
            "script_helpers", inst_code=inst_code, url=response.url, helpers=sorted(found)
        )
        self._after_script(response.meta)
        yield from self._settled(inst_code)

    def _after_script(self, meta: dict) -> None:
        """The next script, or, when all are in (or failed), the page they were read for,
        read again with the helpers they define."""
        page: Response = meta["page_response"]
        scripts = list(meta["scripts_left"])
        request = self._script_request(page, scripts, meta["then"]) if scripts else None
        if request is not None:
            self._schedule(request)
            return
        read = self._policy_page if meta["then"] == "policy" else self._discovery_page
        for follow in read(page):
            self._schedule(follow)

    # --- discovery pages: homepage, redirect, frames, sitemap, privacy ------------------

    def parse_page(self, response: Response) -> Iterator[Request]:
        yield from self._discovery_page(response)
        yield from self._settled(response.meta["inst_code"])

    def _discovery_page(self, response: Response) -> Iterator[Request]:
        inst_code, role = response.meta["inst_code"], response.meta["role"]
        site = self.sites[inst_code]
        site.asked.add(response.url)
        page = self._read(response)
        route = response.meta.get("route") or _PAGE_ROUTES.get(role)
        if "meta refresh" in (response.meta.get("redirect_reasons") or []):
            route = stronger_route(route, "redirect")
        script = self._scripts_for(response, page, _leads_on, "discover")
        if script is not None:
            yield script
            return
        page = self._guessed(response, page)
        verdict = judge(page)
        links = self._usable(page, inst_code, role)
        self._log_earlier(inst_code, links, response.url)
        own = self.by_code[inst_code].link_text if role == "homepage" else None
        groups = policy_candidates(links, own, frozenset(site.asked))
        depth = response.meta.get("depth", 0) + 1
        for group in groups:
            head, rest = group[0], group[1:]
            request = self._candidate(
                inst_code,
                head.url,
                response.url,
                depth,
                stronger_route(route, head.how),
                text=head.text,
                score=head.score,
                fallbacks=rest,
            )
            if request is not None:
                yield request
        if not groups and role in ("homepage", "redirect") and verdict.reason in _SITE_REASONS:
            self._finding(response, verdict, role)  # the homepage itself says why
        later: list[Deferred] = []
        if role == "privacy" and verdict.accepted:
            # The 개인정보 처리방침 sets out the CCTV items itself: it is the policy, unless a
            # separate policy it links is found first.
            self.crawl_log.event("policy_in_privacy", inst_code=inst_code, url=response.url)
            later.append(
                Deferred(0, inst_code, response.url, "policy", "privacy_page", response.url, depth)
            )
        if role in _BRANCHING:
            later += self._branches(response, page, links, route, depth)
        if groups:  # the policy link may be a wrong one: these come next
            site.deferred.extend(later)
        else:
            yield from self._deferred(later)

    def _branches(
        self, response: Response, page: Page, links: list[Link], route: str | None, depth: int
    ) -> list[Deferred]:
        """Where to look when the page links no policy: its script redirect, its frames
        (the site's own; another host's frame is a map or a video), its sitemap and its
        개인정보 처리방침."""
        role = response.meta["role"]
        inst_code = response.meta["inst_code"]
        here = response.url

        def later(url: str, kind: str, to: str | None) -> Deferred:
            return Deferred(1, inst_code, url, kind, to, here, depth)

        out = [
            later(url, "redirect", stronger_route(route, "redirect"))
            for url in page.redirects[:1]
            if url.split("#", 1)[0] != here
        ]
        if role in ("homepage", "redirect"):
            out += [
                later(url, "frame", stronger_route(route, "frame"))
                for url in self._own_frames(inst_code, page)
            ]
        sitemap = [link.url for link in links if link.url and is_sitemap_link(link.text)][:1]
        privacy = [link.url for link in links if link.url and is_privacy_link(link.text)][:1]
        out += [later(url, "sitemap", "sitemap") for url in sitemap]
        out += [later(url, "privacy", "privacy_page") for url in privacy]
        return out

    def _own_frames(self, inst_code: str, page: Page) -> list[str]:
        """Frame and iframe sources on the institution's own hosts; other schemes are kept
        so that `_queue` records their refusal."""
        registered = registered_hosts(self.by_code[inst_code]) | {host_of(page.url)}
        frames = [
            url
            for url in page.frames
            if url_refusal(url) is not None or within_hosts(host_of(url), registered)
        ]
        return frames[:_MAX_FRAMES]

    def _deferred(self, items: list[Deferred]) -> Iterator[Request]:
        """Ask for deferred pages now (discovery pages already read are skipped)."""
        for item in items:
            site = self.sites[item.inst_code]
            if item.role == "policy":
                request = self._candidate(
                    item.inst_code,
                    item.url,
                    item.found_on,
                    item.depth,
                    item.route,
                    text=item.text,
                    score=item.score,
                    fallbacks=item.fallbacks,
                )
            elif item.url in site.asked:
                continue
            else:
                site.asked.add(item.url)
                request = self._queue(
                    item.url,
                    item.inst_code,
                    item.role,
                    self.parse_page,
                    item.found_on,
                    item.depth,
                    route=item.route,
                )
            if request is not None:
                yield request

    # --- policy pages --------------------------------------------------------------------

    def parse_policy(self, response: Response) -> Iterator[Request]:
        yield from self._policy_page(response)
        if response.meta.get("counted"):
            yield from self._settled(response.meta["inst_code"])

    def _accept(self, response: Response, route: str, verdict: Verdict) -> None:
        """The page (or file) is a policy in force: recorded as taken, with its route."""
        inst_code = response.meta["inst_code"]
        self.sites[inst_code].accepted.append(response.url)
        self.crawl_log.event(
            "policy_accepted",
            inst_code=inst_code,
            url=response.url,
            route=route,
            kind=verdict.kind,
            sub_policy=bool(response.meta.get("sub_policy")),
            sha256=response.meta.get("capture_sha256"),
        )

    def _policy_page(self, response: Response) -> Iterator[Request]:
        inst_code = response.meta["inst_code"]
        route = response.meta.get("route") or "link"
        self.policy_urls.add(response.url)  # where a redirect ended
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        document = document_verdict(response.body, content_type)
        if document is not None:  # a file: no page to judge or follow
            self._accept(response, route, document)
            return
        page = self._read(response)
        verdict = judge(page)

        if verdict.accepted or verdict.kind == "landing":
            script = self._scripts_for(response, page, _wanted_on_policy, "policy")
            if script is not None:
                yield script
                return
        page = self._guessed(response, page)
        links = self._usable(page, inst_code, "link")
        if not verdict.accepted:
            yield from self._not_the_policy(response, page, links, verdict)
            return
        sub = bool(response.meta.get("sub_policy"))
        if verdict.kind == "board_post":
            route = stronger_route(route, "board")
        self._accept(response, route, verdict)
        self._log_earlier(inst_code, links, response.url)
        if not sub:
            yield from self._sub_policies(response, inst_code, links, route)
        yield from self._attachments(response, inst_code, links)
        unresolved = [link for link in page.links if link.url is None and link.call]
        if unresolved:
            self.crawl_log.event(
                "script_link_unresolved",
                inst_code=inst_code,
                url=response.url,
                calls=sorted({link.call.name for link in unresolved if link.call})[:20],
                message="links written as calls of helpers the site's scripts do not define",
            )

    def _not_the_policy(
        self, response: Response, page: Page, links: list[Link], verdict: Verdict
    ) -> Iterator[Request]:
        """A page asked for as the policy that is not one: a wrapper leads on (its frames,
        its redirect, the policies it lists); anything else is a finding, and the next
        candidate link is tried."""
        inst_code = response.meta["inst_code"]
        sub = bool(response.meta.get("sub_policy"))
        route = response.meta.get("route")
        depth = response.meta.get("depth", 0) + 1
        hops = response.meta.get("hops", 0)
        follow: list[tuple[str, str | None, str, int | None]] = []  # url, route, text, score
        if verdict.kind in WRAPPERS:
            self.crawl_log.event(
                "policy_wrapper",
                inst_code=inst_code,
                url=response.url,
                kind=verdict.kind,
                message=verdict.detail,
            )
        if verdict.kind == "frames" and hops < _MAX_WRAPPERS:
            to = stronger_route(route, "frame")
            follow += [(url, to, "", None) for url in self._own_frames(inst_code, page)]
        elif verdict.kind == "redirect" and hops < _MAX_WRAPPERS:
            to = stronger_route(route, "redirect")
            follow += [(url, to, "", None) for url in page.redirects[:1]]
        elif verdict.kind == "landing" and hops < 1:
            asked = frozenset(self.sites[inst_code].asked)
            heads = [group[0] for group in policy_candidates(links, None, asked)]
            if not heads and (newest := newest_dated(links, asked)) is not None:
                heads = [newest]  # a board of posts titled like the policy: the newest
            for head in heads:
                follow.append((head.url, stronger_route(route, head.how), head.text, head.score))
        if verdict.kind == "frames" and not follow:
            verdict = Verdict("not_a_policy", "its frames are on other hosts", "not_a_policy")
        if verdict.kind not in WRAPPERS:
            self._finding(response, verdict, "policy")
        asked_now = False
        for url, to, text, score in follow:
            request = self._candidate(
                inst_code,
                url,
                response.url,
                depth,
                to,
                text=text,
                score=score,
                sub_policy=sub,
                hops=hops + 1,
            )
            if request is not None:
                asked_now = True
                yield request
        fallbacks = list(response.meta.get("fallbacks") or [])
        if not fallbacks or sub:
            return
        head = fallbacks[0]
        referer = (response.request.headers.get("Referer") or b"").decode("utf-8", "replace")
        item = Deferred(
            0,
            inst_code,
            head.url,
            "policy",
            stronger_route(_base_route(route), head.how),
            referer or response.url,
            response.meta.get("depth", 0),
            head.text,
            head.score,
            fallbacks[1:],
        )
        if asked_now:  # the wrapper's own way on comes first
            self.sites[inst_code].deferred.append(item)
        else:
            yield from self._deferred([item])

    def _finding(self, response: Response, verdict: Verdict, role: str) -> None:
        """A page that is not what was asked for, as a crawl-log finding with its reason."""
        inst_code = response.meta["inst_code"]
        reason = verdict.reason or "not_a_policy"
        if not response.meta.get("sub_policy"):
            self.sites[inst_code].found(role, reason, response.url)
        self.crawl_log.event(
            _FINDING_EVENTS[reason],
            inst_code=inst_code,
            url=response.url,
            role=role,
            kind=verdict.kind,
            reason=reason,
            message=f"{verdict.kind}: {verdict.detail}",
            sha256=response.meta.get("capture_sha256"),
            link_text=response.meta.get("link_text"),
        )

    def _sub_policies(
        self, response: Response, inst_code: str, links: list[Link], route: str
    ) -> Iterator[Request]:
        """Further policies one link away on the same site: tabs such as 고정형 | 이동형,
        or a landing page that lists 본청 and 사업소 policies. One level only; links to
        earlier versions of the same policy are not followed."""
        host = urlsplit(response.url).netloc
        depth = response.meta.get("depth", 0) + 1
        for link in links:
            url = (link.url or "").split("#", 1)[0]
            if (
                not url
                or url in self.policy_urls
                or urlsplit(url).netloc != host
                or is_attachment_link(url, link.text)
                or policy_link_score(link.text) <= 0
                or is_earlier_version_link(f"{link.text} {link.context}")
            ):
                continue
            request = self._candidate(
                inst_code,
                url,
                response.url,
                depth,
                stronger_route(_base_route(route), link.how),
                text=link.text.strip(),
                sub_policy=True,
            )
            if request is not None:
                yield request

    def _attachments(
        self, response: Response, inst_code: str, links: list[Link]
    ) -> Iterator[Request]:
        depth = response.meta.get("depth", 0) + 1
        # The files of a revision history (dated .hwp versions of the policy) are earlier
        # versions: logged by _log_earlier, never read into the current policy's rows.
        earlier = {link.url for link in revision_history(links)}
        for link in links:
            url = link.url or ""
            if (
                url in self.attachment_urls
                or url in earlier
                or not is_attachment_link(url, link.text)
            ):
                continue
            self.attachment_urls.add(url)
            request = self._queue(
                url,
                inst_code,
                "attachment",
                self.parse_attachment,
                response.url,
                depth,
                counted=False,
                link_text=link.text.strip(),
            )
            if request is not None:
                yield request

    def _log_earlier(self, inst_code: str, links: list[Link], found_on: str) -> None:
        """Earlier versions of the policy: noted, never counted as a current policy."""
        site = self.sites[inst_code]
        for link in earlier_versions(links):
            if link.url and link.url not in site.earlier_seen:
                site.earlier_seen.add(link.url)
                self.crawl_log.event(
                    "earlier_version",
                    inst_code=inst_code,
                    url=link.url,
                    text=link.text,
                    context=link.context,
                    found_on=found_on,
                )

    def parse_attachment(self, response: Response) -> None:
        self.crawl_log.event(
            "attachment",
            inst_code=response.meta["inst_code"],
            url=response.url,
            link_text=response.meta.get("link_text"),
            sha256=response.meta.get("capture_sha256"),
        )

    # --- the end of a request -------------------------------------------------------------

    def fetch_failed(self, failure) -> Iterator[Request]:
        if failure.check(RetryLater):  # this attempt's retry is on its way
            return
        request = failure.request
        meta = request.meta
        inst_code, role = meta.get("inst_code"), meta.get("role")
        refused = failure.check(EgressRefused)
        if not refused:  # crawler/egress.py logged a refusal, with the reason
            self.crawl_log.event(
                "request_failed",
                url=request.url,
                inst_code=inst_code,
                role=role,
                error=failure.type.__name__,
                message=str(failure.value)[:500],
                status=_status(failure),
            )
        if inst_code not in self.sites or not meta.get("counted"):
            return
        site = self.sites[inst_code]
        reason = _failure_reason(failure)
        if reason == "blocked_user_agent":
            self.crawl_log.event(
                "blocked_user_agent",
                inst_code=inst_code,
                url=request.url,
                role=role,
                status=403,
                reason=reason,
                message="refused to this crawler's User-Agent: the site may serve browsers "
                "only (the crawler does not pretend to be one)",
            )
        if not meta.get("sub_policy"):
            site.found(role, reason, request.url)
        if role == "script":
            self._after_script(meta)
        elif role == "policy" and meta.get("fallbacks") and not meta.get("sub_policy"):
            head, rest = meta["fallbacks"][0], meta["fallbacks"][1:]
            self._schedule(
                self._candidate(
                    inst_code,
                    head.url,
                    (request.headers.get("Referer") or b"").decode("utf-8", "replace"),
                    meta.get("depth", 0),
                    stronger_route(_base_route(meta.get("route")), head.how),
                    text=head.text,
                    score=head.score,
                    fallbacks=rest,
                )
            )
        yield from self._settled(inst_code)

    def _settled(self, inst_code: str, *, counted: bool = True) -> Iterator[Request]:
        """One counted request of the institution has ended. When none is left and no
        policy was accepted, the deferred requests are asked for; when none are left
        either, the miss is logged once, with its reason."""
        site = self.sites[inst_code]
        if counted:
            site.pending -= 1
        if site.pending > 0 or site.concluded:
            return
        if site.accepted:
            site.concluded = True
            return
        while site.deferred:
            for request in self._deferred(site.next_batch()):
                self._schedule(request)
            if site.pending > 0:
                return
        site.concluded = True
        reason, where = site.reason()
        homepage = self.by_code[inst_code].homepage if inst_code in self.by_code else None
        self.crawl_log.event(
            "policy_not_found",
            inst_code=inst_code,
            url=where or homepage,
            reason=reason,
            message=f"{reason}: {_REASON_TEXT[reason]}",
        )
        yield from ()


_REASON_TEXT = {
    "needs_js": "the policy page's content is rendered by script",
    "blocked_user_agent": "the site refuses this crawler's User-Agent (403)",
    "robots": "robots.txt forbids the pages that lead to the policy",
    "not_a_policy": "the policy link leads to a page that is not a policy",
    "browser_unsupported": "the site answers this crawler with a 'browser not supported' page",
    "http_status": "the site answered with an HTTP error",
    "timeout": "the site did not answer in time",
    "redirect_loop": "the site's redirects go round in a loop",
    "fetch_failed": "the site could not be reached (timeout, DNS, connection)",
    "request_refused": "the link leads where the crawler may not go",
    "page_cap": "the site's request cap was spent first",
    "no_link": "no page the crawl read links a CCTV policy",
}


def _leads_on(link: Link) -> bool:
    """A link discovery follows: the policy, the sitemap, the 개인정보 처리방침."""
    text = link.text
    return bool(policy_link_score(text)) or is_privacy_link(text) or is_sitemap_link(text)


def _wanted_on_policy(link: Link) -> bool:
    """A link a policy page's reader follows: a file, or a further policy (a tab)."""
    name = link.call.name if link.call else ""
    files = names_file(link.text) or bool(_DOWNLOAD_HELPER.search(name))
    return files or bool(policy_link_score(link.text))


def _base_route(route: str | None) -> str | None:
    """A route without how the last link was written: the page kind it came through."""
    return None if route in ("link", "image_link", "script_link") else route


def _status(failure) -> int | None:
    return getattr(getattr(failure.value, "response", None), "status", None)


def _failure_reason(failure) -> str:
    """What a failed request says about why the policy was not reached."""
    if failure.check(EgressRefused):
        return "request_refused"
    if failure.check(HttpError):
        return "blocked_user_agent" if _status(failure) == 403 else "http_status"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "robots" in message:
            return "robots"
        return "redirect_loop" if "redirect" in message else "request_refused"
    if re.search(r"timeout|timedout", failure.type.__name__, re.I):
        return "timeout"
    return "fetch_failed"


def _request(url: str, **kwargs: object) -> Request:
    """A request the duplicate filter lets through (its download slot, host:port, is set
    by crawler.slots.SiteSlotMiddleware)."""
    # Each of these is asked for once on purpose; without the filter a redirect loop runs to
    # Scrapy's redirect limit and is reported, instead of vanishing as a "duplicate".
    kwargs.setdefault("dont_filter", True)
    return Request(url, **kwargs)


def _front_door(homepage: str) -> str:
    """The homepage as requested: a bare host gets its "/", a page keeps its own path
    (`https://www.dangjin.go.kr/kor.do`, not `/kor.do/`)."""
    parts = urlsplit(homepage)
    return homepage if parts.path not in ("", "/") else f"{parts.scheme}://{parts.netloc}/"
