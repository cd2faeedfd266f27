"""What may leave the crawler: http(s) only, redirects within the host they came from or
the institution's own hosts, and no private, loopback or otherwise non-public address
unless the registry says the site lives there.

A crawled page is input nobody on the project wrote. Without these rules a link to
`file:///etc/passwd` ends up in the archive, `file:///dev/zero` fills the memory, an
`ftp://` link hangs the crawl, and a redirect to `http://169.254.169.254/` or
`http://127.0.0.1:5432/` turns the crawler into a probe of the machine it runs on.

The rules are checked twice: by `EgressMiddleware` when a request is about to be
downloaded (every request passes it: pages, attachments, robots.txt, redirect hops, frames),
and by `GuardedResolver` when a connection is made, so that a name that resolves to a
public address for the check and to a private one for the connection (DNS rebinding) is
still refused.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, threads
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from registry import Institution

WEB_SCHEMES = frozenset({"http", "https"})
REFUSED_EVENT = "request_refused"  # crawl-log event: a request that never left the crawler
OFFSITE_EVENT = "redirect_offsite"  # crawl-log event: a redirect to another institution's host
# What Scrapy's RedirectMiddleware follows; a 304 is an answer, not a redirect.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class EgressRefused(IgnoreRequest):
    """A request the egress rules refused; it is in the crawl log already."""


def malformed(url: str) -> str | None:
    """Why a URL cannot be read at all (a broken IPv6 host, a port out of range), or None."""
    try:
        parts = urlsplit(url)
        parts.hostname, parts.port  # noqa: B018 - both parse lazily, and raise here
    except ValueError as exc:
        return f"malformed URL ({exc})"
    return None


def url_refusal(url: str) -> str | None:
    """Why a URL may not be fetched, whatever its host: malformed, or not http(s)."""
    problem = malformed(url)
    if problem is not None:
        return problem
    scheme = urlsplit(url).scheme.lower()
    if scheme in WEB_SCHEMES:
        return None
    return f"scheme {scheme or '(none)'} is not http or https"


def address_kind(address: str) -> str | None:
    """What kind of not-public address this is ("a loopback address"), or None for a
    public one. IPv4-mapped and 6to4/Teredo IPv6 addresses are judged by the IPv4 address
    inside, so `::ffff:127.0.0.1` is loopback as `127.0.0.1` is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            kind = address_kind(str(inner))
            return f"{kind} ({inner} inside)" if kind else None
    for kind, flag in (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
    ):
        if flag:
            return f"{kind} address"
    if not ip.is_global:  # shared (100.64/10), documentation and benchmarking ranges
        return "not a public address"
    return None


def address_refusal(address: str) -> str | None:
    """Why a connection to this IP address is refused, or None for a public address."""
    kind = address_kind(address)
    return f"{address} is {kind}" if kind else None


def host_of(url: str) -> str:
    """The host name of a URL, lower-case, without port, brackets or a trailing dot; empty
    for a URL too broken to have one."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def netloc_of(url: str) -> str:
    """host:port as the registry writes it (lower-case), for matching registered sites."""
    try:
        return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()
    except ValueError:
        return ""


def registered_hosts(inst: Institution) -> set[str]:
    """The hosts an institution's registry row names: homepage and policy page."""
    return {host_of(u) for u in (inst.homepage, inst.policy_url) if u} - {""}


def within_hosts(host: str, registered: Iterable[str]) -> bool:
    """Whether `host` is one of the registered hosts or a subdomain of one. A leading
    `www.` is the site, not the domain: `www.seoul.go.kr` covers `news.seoul.go.kr`."""
    host = host.rstrip(".").lower()
    for name in registered:
        base = name.removeprefix("www.") if name.count(".") > 1 else name
        if host in (name, base) or host.endswith("." + base):
            return True
    return False


def local_netlocs(institutions: Iterable[Institution]) -> list[str]:
    """host:port of every site whose registry row says it lives on a local network."""
    return sorted(
        {
            netloc_of(u)
            for inst in institutions
            if inst.network == "local"
            for u in (inst.homepage, inst.policy_url)
            if u
        }
    )


def _literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class EgressMiddleware:
    """Downloader middleware, first in the chain: refuses what may not leave the crawler
    and writes each refusal to the crawl log with its URL, institution, role, the page it
    was found on and why. The refused request ends with `EgressRefused`; a redirect hop
    counts against the institution's page budget like any page."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.local = {n.lower() for n in settings.getlist("CCTV_LOCAL_NETLOCS")}
        self.dns_timeout = settings.getfloat("DNS_TIMEOUT", 60.0)
        self._resolved: dict[str, list[str]] = {}
        self.hosts: dict[str, set[str]] = {}  # inst_code → registered hosts
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EgressMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.hosts = {i.inst_code: registered_hosts(i) for i in getattr(spider, "institutions", [])}

    async def process_request(self, request: Request) -> None:
        reason = url_refusal(request.url)
        event = REFUSED_EVENT
        if reason is None and request.meta.get("redirect_urls"):
            reason, event = self._redirect_refusal(request)
        if reason is None:
            reason = await self._address_refusal(request.url)
        if reason is not None:
            _refuse(self.crawler, request, reason, event)

    def _redirect_refusal(self, request: Request) -> tuple[str | None, str]:
        spider = self.crawler.spider
        inst_code = request.meta.get("inst_code")
        budget = getattr(spider, "budget", None)
        if inst_code and budget is not None and not budget.take(inst_code):
            budget.log_cap(spider.crawl_log, inst_code, request.url)
            return "the institution's page cap is reached", "page_cap_reached"
        registered = self.hosts.get(inst_code or "")
        host, came_from = host_of(request.url), host_of(request.meta["redirect_urls"][-1])
        if registered and host != came_from and not within_hosts(host, registered):
            return (
                f"redirect leaves the institution's hosts ({', '.join(sorted(registered))})",
                OFFSITE_EVENT,
            )
        return None, REFUSED_EVENT

    async def _address_refusal(self, url: str) -> str | None:
        """Why the URL's host is not a public server (every address it resolves to is
        checked), unless the registry registers that very host:port as a local site."""
        if netloc_of(url) in self.local:
            return None
        host = host_of(url)
        if not host:
            return "no host in the URL"
        literal = _literal_ip(host)
        addresses = [literal] if literal else await self._resolve(host)
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                return (
                    f"{address} is {kind}" if literal else f"{host} resolves to {address}, {kind}"
                )
        return None

    async def _resolve(self, host: str) -> list[str]:
        """Every address (IPv4 and IPv6) the host resolves to; none when it does not
        resolve, which the download then reports as a DNS failure, as before."""
        if host not in self._resolved:
            lookup = threads.deferToThread(socket.getaddrinfo, host, None, 0, socket.SOCK_STREAM)
            lookup.addTimeout(self.dns_timeout, _reactor())
            try:
                infos = await maybe_deferred_to_future(lookup)
            except (OSError, defer.TimeoutError, UnicodeError):
                infos = []
            self._resolved[host] = sorted({info[4][0] for info in infos})
        return self._resolved[host]


def _refuse(
    crawler: Crawler, request: Request, reason: str, event: str, target: str | None = None
) -> None:
    """Log the refusal (url, institution, role, where it was found, why) and end the
    request with EgressRefused. `target` is where a refused redirect pointed."""
    log = getattr(crawler.spider, "crawl_log", None)
    if log is not None and event != "page_cap_reached":  # the budget logged that once
        redirects = request.meta.get("redirect_urls") or []
        referer = (request.headers.get("Referer") or b"").decode("utf-8", "replace")
        log_refusal(
            log,
            url=target or request.url,
            inst_code=request.meta.get("inst_code"),
            role=request.meta.get("role"),
            found_on=(redirects[-1] if redirects else (request.url if target else referer)) or None,
            reason=reason,
            event=event,
        )
    raise EgressRefused(f"{target or request.url}: {reason}")


def log_refusal(
    log: Any,
    *,
    url: str,
    inst_code: str | None,
    role: str | None,
    found_on: str | None,
    reason: str,
    event: str = REFUSED_EVENT,
) -> None:
    """One crawl-log line for a request that never left the crawler, whoever refused it
    (this middleware, the spider's link reader, the renderer's route handler)."""
    log.event(
        event,
        url=url,
        inst_code=inst_code,
        role=role,
        found_on=found_on,
        reason=reason,
        message=reason,
    )


class RedirectSchemeMiddleware:
    """Downloader middleware between the redirect archiver (650) and Scrapy's redirects
    (600): a 3xx whose Location is not http(s) is a refusal, recorded like any other.
    Scrapy would either hand the 3xx on, to be read as an HTTP error, or fail on a URL it
    cannot build (`javascript:`). The 3xx itself is archived already."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectSchemeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status in REDIRECT_STATUSES and location:
            target = response.urljoin(location.decode("latin-1").strip())
            reason = url_refusal(target)
            if reason is not None:
                _refuse(self.crawler, request, f"redirect to {reason}", REFUSED_EVENT, target)
        return response


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


@implementer(IResolverSimple)
class GuardedResolver:
    """Scrapy's caching resolver (TWISTED_DNS_RESOLVER), refusing at connection time any
    address that is not public, unless the host is registered as a local site. The check at
    request time is `EgressMiddleware`; this one holds when a name changes its answer in
    between. A refused name fails like a name that does not resolve."""

    def __init__(self, inner: Any, local_hosts: Iterable[str]) -> None:
        self.inner = inner
        self.local_hosts = {h.lower() for h in local_hosts}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        netlocs = crawler.settings.getlist("CCTV_LOCAL_NETLOCS")
        hosts = {host_of(f"http://{n}") for n in netlocs}
        # A proxy from the environment (http_proxy, …) is the user's own choice of where
        # connections go, often on their own network.
        hosts |= {host_of(url) for url in urllib.request.getproxies().values()}
        return cls(CachingThreadedResolver.from_crawler(crawler, reactor), hosts - {""})

    def install_on_reactor(self) -> None:
        self.inner.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        lookup = self.inner.getHostByName(name, timeout)
        lookup.addCallback(self._check, name)
        return lookup

    def _check(self, address: str, name: str) -> str:
        if name.rstrip(".").lower() in self.local_hosts:
            return address
        kind = address_kind(address)
        if kind is not None:
            raise DNSLookupError(f"{name} resolves to {address}, {kind}: refused")
        return address
