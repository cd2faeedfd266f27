"""Pages only a browser can read: on a registry row with `render = js`, every page that
discovery reads on the site is rendered by headless Chromium before the spider reads it.

Some CMSs send an empty shell and fill it from a JSON endpoint by script: read as served,
the page holds no policy. Such a page is fetched like every other (the raw response is
archived as it came), then loaded into the browser from those very bytes, and the DOM the
browser builds is archived beside it as a WARC `conversion` record that refers to the raw
response (`ArchiveWriter.write_conversion`). The spider then reads the rendered page, and
the build parses it as the policy: the rendered policy page keeps the role `policy`, the
raw one is archived as `policy_raw`, so a page is never read twice.

The browser is the system's Chromium (Debian's package), driven by Playwright; Playwright
never downloads a browser of its own. Nothing leaves the browser by itself:

- every request it makes meets Playwright's route API. The page's own document is answered
  from the archived response; images, styles, fonts and media are not fetched (the DOM does
  not need them); scripts, XHR/fetch calls and frames on the institution's own hosts are
  fetched by Scrapy, so the egress rules (crawler/egress.py), robots.txt, the politeness
  per site, the page cap (crawler/budget.py) and the archive apply as to any request;
  anything else is refused;
- what the route API does not see (WebSockets, preconnects) meets a proxy that does not
  exist through a resolver that resolves nothing;
- a render ends after `CCTV_RENDER_TIMEOUT` seconds (20), an endless script included.

Each refusal, each render cut short and each render done is a crawl-log event; a render
that fails leaves the spider reading the page as served.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import math
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response

from archive.fields import RAW_POLICY_ROLE
from archive.index import Capture
from crawler.egress import (
    EgressRefused,
    host_of,
    log_refusal,
    registered_hosts,
    url_refusal,
    within_hosts,
)
from crawler.stopping import crawl_stopping
from transforms.encoding import decode_html
from transforms.sniff import sniff_kind

# The pages discovery reads (crawler/spiders/policy.py roles); attachments are files.
RENDER_ROLES = frozenset({"homepage", "redirect", "frame", "sitemap", "privacy", "policy"})
RESOURCE_ROLE = "render"  # what a page's scripts fetched while it was rendered
DEFAULT_TIMEOUT = 20.0
TIMEOUT_ENV = "CCTV_RENDER_TIMEOUT"
CHROMIUM_ENV = "CCTV_CHROMIUM"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser")
INSTALL_HINT = "apt-get install chromium"
# Requests that can change the DOM; the rest (images, styles, fonts, media, beacons) are
# not fetched, which also keeps a render to a handful of requests to the site.
_FETCHED_TYPES = frozenset({"document", "script", "xhr", "fetch"})
# Whatever the route API does not see goes to a proxy that does not exist, through a
# resolver that maps every name to nothing: no connection leaves the browser by itself.
_BROWSER_ARGS = (
    "--proxy-server=http://egress.invalid:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
_FORWARDED = frozenset({"accept", "content-type", "x-requested-with"})
_NOT_PASSED = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"}
)
_CONTENT_RESERVE = 2.0  # seconds of a render kept for reading the DOM after loading
_CLOSE_TIMEOUT = 5.0
_CONCURRENT_RENDERS = 2


def find_chromium(environ: Mapping[str, str] = os.environ) -> str | None:
    """The system Chromium to drive: $CCTV_CHROMIUM when set, else Debian's."""
    explicit = environ.get(CHROMIUM_ENV)
    candidates = (
        [explicit]
        if explicit
        else [*CHROMIUM_PATHS, shutil.which("chromium"), shutil.which("chromium-browser")]
    )
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def chromium_missing(environ: Mapping[str, str] = os.environ) -> str:
    """One line saying where no browser was found and how to install one."""
    looked = environ.get(CHROMIUM_ENV) or ", ".join(CHROMIUM_PATHS)
    return f"no Chromium at {looked} (install it with `{INSTALL_HINT}`, or set {CHROMIUM_ENV})"


def render_timeout(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds one render may take: $CCTV_RENDER_TIMEOUT, else 20."""
    value = environ.get(TIMEOUT_ENV)
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= 600:
        raise ValueError(f"{TIMEOUT_ENV} must be a number of seconds from 0 to 600, not {value!r}")
    return seconds


def _is_html(response: Response) -> bool:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return sniff_kind(response.body, content_type) == "html"


def _header_pairs(headers: Any) -> dict[str, str]:
    """Scrapy headers as the one-value strings Playwright takes."""
    pairs = {}
    for key, values in headers.items():
        name = key.decode("latin-1")
        if name.lower() not in _NOT_PASSED:
            pairs[name] = ", ".join(v.decode("latin-1") for v in values)
    return pairs


@dataclass
class _Render:
    """One page being rendered: what it is, and what its requests came to."""

    url: str
    inst_code: str
    role: str
    document: bytes  # the archived page as the parsers read it, re-encoded as UTF-8
    hosts: frozenset[str]
    served: bool = False  # the page's own document was answered from the archive
    fetched: int = 0
    refused: int = 0
    failed: int = 0
    not_fetched: int = 0
    network_busy: bool = False


class Renderer:
    """Renders the pages of `render = js` sites in one headless Chromium per crawl, started
    when the first such page arrives and closed with the spider."""

    def __init__(
        self, crawler: Crawler, spider: Any, *, executable: str | None, timeout: float
    ) -> None:
        self.crawler = crawler
        self.spider = spider
        self.executable = executable
        self.timeout = timeout
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 64 * 1024 * 1024)
        self.user_agent = crawler.settings.get("USER_AGENT")
        self.unavailable: str | None = None if executable else chromium_missing()
        if importlib.util.find_spec("playwright") is None:
            self.unavailable = "Playwright is not installed (it is in requirements.lock)"
        self._told: set[str] = set()  # institutions told that no render is possible
        self._playwright: Any = None
        self._browser: Any = None
        self._launch = asyncio.Lock()
        self._slots = asyncio.Semaphore(_CONCURRENT_RENDERS)
        self._closing: asyncio.Future[None] | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.stop, signal=crawl_stopping)

    @classmethod
    def from_crawler(cls, crawler: Crawler, spider: Any) -> Renderer:
        return cls(crawler, spider, executable=find_chromium(), timeout=render_timeout())

    # --- what the spider asks ---------------------------------------------------------

    def wants(self, inst_code: str, role: str) -> bool:
        """Whether this page of this institution is to be rendered. Where no browser can
        be started, the institution's pages are read as served, and the log says so."""
        inst = self.spider.by_code.get(inst_code)
        if inst is None or inst.render != "js" or role not in RENDER_ROLES:
            return False
        if self.unavailable is None:
            return True
        if inst_code not in self._told:
            self._told.add(inst_code)
            self._log(
                "render_unavailable",
                inst_code=inst_code,
                url=inst.homepage or inst.policy_url,
                message=f"render=js, but {self.unavailable}: pages are read as served",
            )
        return False

    @staticmethod
    def archive_role(role: str) -> str:
        """The role a page to be rendered is archived under as served."""
        return RAW_POLICY_ROLE if role == "policy" else role

    def rendering(self, callback: Callable[[Response], Any]) -> Callable[[Response], Any]:
        """`callback`, given the rendered page instead of the page as served."""

        async def rendered(response: Response) -> AsyncIterator[Any]:
            result = callback(await self.render(response))
            if hasattr(result, "__aiter__"):
                async for item in result:
                    yield item
            elif result is not None:
                for item in result:
                    yield item

        rendered.__name__ = f"rendered_{getattr(callback, '__name__', 'callback')}"
        return rendered

    # --- one render -------------------------------------------------------------------

    async def render(self, response: Response) -> Response:
        """The page as the browser rendered it, archived as a conversion of the response;
        the response itself when it cannot be rendered (the log says why)."""
        meta = response.meta
        inst_code, role = meta["inst_code"], meta["role"]
        where = {"inst_code": inst_code, "url": response.url, "role": role}
        if not _is_html(response):
            self._log("render_skipped", **where, message="not an HTML page: read as served")
            return response
        raw = self._raw_capture(response)
        if raw is None:
            self._log("render_failed", **where, message="the page as served is not archived")
            return response
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        inst = self.spider.by_code[inst_code]
        job = _Render(
            url=response.url,
            inst_code=inst_code,
            role=role,
            document=decode_html(response.body, content_type).text.encode("utf-8"),
            hosts=frozenset(registered_hosts(inst) | {host_of(response.url)}),
        )
        async with self._slots:
            started = time.monotonic()
            html = await self._rendered_html(job)
            seconds = round(time.monotonic() - started, 3)
        if html is None:
            return response
        body = html.encode("utf-8")
        try:
            capture = self.crawler.cctv_archive.writer.write_conversion(
                body,
                refers_to=raw,
                inst_code=inst_code,
                role=role,
                referer=raw.referer,
            )
        except (OSError, ValueError) as exc:  # the crawl closed its archive meanwhile
            self._log("render_failed", **where, error=type(exc).__name__, message=str(exc)[:300])
            return response
        self._log(
            "page_rendered",
            **where,
            route="rendered",
            raw_sha256=raw.sha256,
            sha256=capture.sha256,
            seconds=seconds,
            fetched=job.fetched,
            refused=job.refused,
            failed=job.failed,
            not_fetched=job.not_fetched,
            network_busy=job.network_busy,
        )
        meta["raw_sha256"] = raw.sha256
        meta["capture_sha256"] = capture.sha256
        return HtmlResponse(
            url=response.url,
            status=response.status,
            headers={"Content-Type": "text/html; charset=utf-8"},
            body=body,
            encoding="utf-8",
            request=response.request,
            flags=[*response.flags, "rendered"],
            protocol=response.protocol,
        )

    def _raw_capture(self, response: Response) -> Capture | None:
        archive = getattr(self.crawler, "cctv_archive", None)
        sha256 = response.meta.get("capture_sha256")
        if archive is None or sha256 is None:
            return None
        for capture in reversed(archive.writer.captures):
            if capture.sha256 == sha256 and capture.url == response.url:
                return capture
        return None

    async def _rendered_html(self, job: _Render) -> str | None:
        """The DOM after the page loaded and its network went quiet, within the time
        limit; None (logged) when the render failed or ran out of time."""
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        where = {"inst_code": job.inst_code, "url": job.url, "role": job.role}
        browser = await self._browser_ready(job)
        if browser is None:
            return None
        contexts: list[Any] = []
        try:
            return await asyncio.wait_for(self._open(browser, job, contexts), self.timeout)
        except (TimeoutError, PlaywrightTimeout):
            self._log(
                "render_timeout",
                **where,
                seconds=self.timeout,
                message=f"the page did not finish rendering within {self.timeout:g} s (a "
                "script that never ends, or a page that never stops loading): read as served",
            )
        except (PlaywrightError, RenderRefused) as exc:
            self._log(
                "render_failed",
                **where,
                error=type(exc).__name__,
                message=_first_line(exc),
            )
        finally:
            for context in contexts:
                await self._close_context(context)
        return None

    async def _open(self, browser: Any, job: _Render, contexts: list[Any]) -> str:
        """A fresh context (no cookies, storage or cache from other pages) whose every
        request meets `_route`, the page opened in it, its DOM read."""
        deadline = asyncio.get_running_loop().time() + self.timeout
        context = await browser.new_context(
            user_agent=self.user_agent, service_workers="block", accept_downloads=False
        )
        contexts.append(context)

        async def answer(route: Any) -> None:
            await self._route(route, job)

        await context.route("**/*", answer)
        page = await context.new_page()
        page.on("requestfailed", lambda request: self._request_failed(request, job))
        page.on("websocket", lambda socket: self._websocket(socket.url, job))
        return await self._load(page, job, deadline)

    async def _load(self, page: Any, job: _Render, deadline: float) -> str:
        """Open the page and wait until its network is quiet (500 ms without a request),
        then read the DOM. The load event is not waited for: a script that starts another
        navigation (refused) stops it from ever firing."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        loop = asyncio.get_running_loop()
        await page.goto(job.url, wait_until="commit", timeout=self.timeout * 1000)
        quiet = deadline - loop.time() - _CONTENT_RESERVE
        try:
            if quiet <= 0:
                raise PlaywrightTimeout("no time left")
            await page.wait_for_load_state("networkidle", timeout=quiet * 1000)
        except PlaywrightTimeout:
            job.network_busy = True  # read what is there: the page keeps polling
        if not page.url.startswith(("http://", "https://")):  # an error page took its place
            raise RenderRefused(f"the browser shows {page.url.split('/')[0]} instead of the page")
        size = await page.evaluate(
            "document.documentElement ? document.documentElement.outerHTML.length : 0"
        )
        if size * 4 > self.max_size:
            raise RenderRefused(f"the rendered page is larger than {self.max_size} bytes")
        return await page.content()

    async def _close_context(self, context: Any) -> None:
        """Close the page's context; a browser that cannot (a renderer stuck in a loop it
        does not give up) is closed whole and started again for the next render."""
        try:
            await asyncio.wait_for(context.close(), _CLOSE_TIMEOUT)
        except Exception:  # any failure to close means the browser goes
            await self._discard_browser()

    # --- the browser's requests -------------------------------------------------------

    async def _route(self, route: Any, job: _Render) -> None:
        """Answer one request the browser makes: the page from the archive, the DOM's own
        requests through Scrapy, nothing else."""
        from playwright.async_api import Error as PlaywrightError

        request = route.request
        try:
            if request.is_navigation_request() and not job.served:
                job.served = True
                await route.fulfill(
                    status=200,
                    headers={"Content-Type": "text/html; charset=utf-8"},
                    body=job.document,
                )
                return
            if request.resource_type not in _FETCHED_TYPES:
                job.not_fetched += 1
                await route.abort("blockedbyclient")
                return
            reason = self._refusal(request, job)
            if reason is not None:
                self._refuse(request.url, job, reason)
                # A navigation ended as "aborted" leaves the page as it is; any other error
                # would put the browser's error page in its place.
                await route.abort(
                    "aborted" if request.is_navigation_request() else "blockedbyclient"
                )
                return
            fetched = await self._fetch(request, job)
            if fetched is None:
                await route.abort("failed")
                return
            await route.fulfill(
                status=fetched.status, headers=_header_pairs(fetched.headers), body=fetched.body
            )
        except PlaywrightError:
            pass  # the page was closed meanwhile (a render cut short): nothing to answer

    def _refusal(self, request: Any, job: _Render) -> str | None:
        """Why the browser may not have this URL fetched, before the egress rules that every
        download meets: another scheme, another host, the page leaving itself."""
        url = request.url
        reason = url_refusal(url)
        if reason is not None:
            return reason
        if request.is_navigation_request() and request.frame.parent_frame is None:
            return "the page navigates away while it is rendered"
        host = host_of(url)
        if not within_hosts(host, job.hosts):
            hosts = ", ".join(sorted(job.hosts))
            return f"a render reaches only the institution's hosts ({hosts}), not {host}"
        return None

    async def _fetch(self, request: Any, job: _Render) -> Response | None:
        """One request of the page's, downloaded by Scrapy (every downloader middleware:
        egress, robots.txt, the site's slot, the archive) within the page cap."""
        budget = self.spider.budget
        if not budget.take(job.inst_code):
            budget.log_cap(self.spider.crawl_log, job.inst_code, request.url)
            job.refused += 1
            return None
        headers = {k: v for k, v in request.headers.items() if k.lower() in _FORWARDED}
        headers["Referer"] = job.url
        download = Request(
            request.url,
            method=request.method,
            body=request.post_data_buffer or b"",
            headers=headers,
            meta={
                "inst_code": job.inst_code,
                "role": RESOURCE_ROLE,
                "rendered_page": job.url,
                "dont_retry": True,  # a render has no time to wait for a retry
            },
            dont_filter=True,
        )
        try:
            response = await self.crawler.engine.download_async(download)
        except EgressRefused:  # logged by the egress middleware, with the reason
            job.refused += 1
            return None
        except IgnoreRequest as exc:  # robots.txt
            self._refuse(request.url, job, _first_line(exc) or "not fetched")
            return None
        except Exception:  # a failed download is in the crawl log already (the archive's)
            job.failed += 1
            return None
        job.fetched += 1
        return response

    def _request_failed(self, request: Any, job: _Render) -> None:
        """A request the route API never saw (a file: URL the browser gave up on itself)."""
        url = request.url
        reason = url_refusal(url)
        if reason is not None and not url.startswith(("data:", "blob:", "about:")):
            self._refuse(url, job, reason)

    def _websocket(self, url: str, job: _Render) -> None:
        self._refuse(url, job, "a render opens no WebSocket")

    def _refuse(self, url: str, job: _Render, reason: str) -> None:
        job.refused += 1
        log = getattr(self.spider, "crawl_log", None)
        if log is not None:
            log_refusal(
                log,
                url=url,
                inst_code=job.inst_code,
                role=RESOURCE_ROLE,
                found_on=job.url,
                reason=reason,
            )

    # --- the browser ------------------------------------------------------------------

    async def _browser_ready(self, job: _Render) -> Any:
        async with self._launch:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if self.unavailable is None and self._closing is None:
                try:
                    from playwright.async_api import async_playwright

                    if self._playwright is None:
                        self._playwright = await async_playwright().start()
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.executable,
                        args=list(_BROWSER_ARGS),
                        timeout=30_000,
                    )
                    return self._browser
                except Exception as exc:  # no browser: pages are read as served
                    self.unavailable = f"Chromium at {self.executable} did not start"
                    self.unavailable += f" ({_first_line(exc)[:200]})"
        self._log(
            "render_failed",
            inst_code=job.inst_code,
            url=job.url,
            role=job.role,
            message=f"{self.unavailable or 'the crawl is stopping'}: read as served",
        )
        return None

    async def _discard_browser(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            # A browser that will not close is killed by the driver when the driver stops.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), _CLOSE_TIMEOUT)

    async def close(self) -> None:
        """Close the browser and the Playwright driver."""
        await self._discard_browser()
        driver, self._playwright = self._playwright, None
        if driver is not None:
            with contextlib.suppress(Exception):  # its process ends with the crawl anyway
                await asyncio.wait_for(driver.stop(), _CLOSE_TIMEOUT)

    def stop(self) -> None:
        """The crawl is stopping: renders in progress end now (their pages are read as
        served) and no new one starts."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self.close())

    async def spider_closed(self, spider: Any, reason: str) -> None:
        if self._closing is not None:
            await self._closing
        else:
            await self.close()

    def _log(self, event: str, **fields: Any) -> None:
        log = getattr(self.spider, "crawl_log", None)
        if log is not None:
            log.event(event, **fields)


class RenderRefused(RuntimeError):
    """A rendered page the crawl does not keep."""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
