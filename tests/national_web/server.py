"""Serve the synthetic national web on 127.0.0.1: one listening socket per site, one thread.

Choice: one `ThreadingHTTPServer` per site rather than one server routing by path prefix.
Each site then has its own origin (`127.0.0.1:PORT`), so root-relative links, `/robots.txt`
and per-site state work exactly as on the real hosts and the pages need no rewriting. 243
sites cost 243 listening sockets (well under the 1,024 descriptor default) and bind in a few
milliseconds. Instead of one `serve_forever` thread per socket, a single dispatcher thread
waits on all of them with `selectors` and hands each accepted connection to its own thread,
as `ThreadingHTTPServer` always does.

Note for crawls: Scrapy's default download slot is the hostname without the port, so all
sites share one slot unless the spider sets `download_slot` per netloc.

Faults are applied when a request arrives (5xx bursts count requests, delays sleep); a site
behind a User-Agent gate answers clients that are not browsers with a 403 or a "browser not
supported" page; every response sent is logged in `requests_served`. Pages carry an ETag
(from their bytes) and a Last-Modified date, and a conditional GET that still matches gets
`304 Not Modified`, as the Apache and IIS servers in front of government CMSs do; `revise()`
changes a site's policy while the web is running. A `timeout` response is still sent,
late, after the client has likely given up, and is logged like any other.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import selectors
import sys
import threading
from collections import Counter
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from crawler.sample_web.local_server import QuietServer, request_target, serve_until_interrupted
from registry import COLUMNS
from tests.national_web.generate import (
    LOCAL_GOVERNMENTS,
    Answer,
    SiteSpec,
    generate,
    load_institutions,
)
from tests.national_web.truth import SiteTruth

__all__ = ["REGISTRY_COLUMNS", "NationalWeb"]

# The format of registry/institutions.csv, the override that lets the crawler
# connect to these sites on 127.0.0.1 (crawler/egress.py), the policy URL of the sites
# whose route is the registry's own (`override`), and `render=js` for the sites whose policy
# only a browser can read, when a crawl is to render them (crawler/render.py).
REGISTRY_COLUMNS = (*COLUMNS, "policy_url", "network", "render")
_TRUNCATED_EXTRA = 4096  # bytes promised in Content-Length but never sent


def _error_answer(status: int) -> Answer:
    phrase = HTTPStatus(status).phrase
    body = (
        f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{status} {phrase}'
        f"</title></head><body><h1>{status} {phrase}</h1></body></html>"
    ).encode()
    return Answer(status=status, body=body, content_type="text/html; charset=utf-8")


_NOT_FOUND = _error_answer(404)
_UNAVAILABLE = _error_answer(503)
_BROWSER = re.compile(r"Mozilla/\d.*\b(Chrome|Firefox|Safari|Edg)/")


def is_browser(user_agent: str) -> bool:
    """Whether a User-Agent is a browser's, as the firewalls of some sites judge it."""
    return bool(_BROWSER.search(user_agent))


class _SiteServer(QuietServer):
    request_queue_size = 64

    def __init__(self, web: NationalWeb, site: SiteSpec) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.web = web
        self.site = site
        host, port = self.server_address[:2]
        self.netloc = f"{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    server_version = "Apache"
    protocol_version = "HTTP/1.1"
    timeout = 15  # idle keep-alive connections are dropped, as real servers do

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is `NationalWeb.requests_served`."""

    def _not_modified(self, answer: Answer, etag: str) -> bool:
        """Whether the client's copy is current (RFC 9110 §13.1: ETag first, then date)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in (tag.strip() for tag in if_none_match.split(",")) or (
                if_none_match.strip() == "*"
            )
        since = self.headers.get("If-Modified-Since")
        modified = dict(answer.headers).get("Last-Modified")
        if not since or not modified:
            return False
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False  # an unreadable date: answer in full, as servers do

    def _answer(self, send_body: bool) -> None:
        web, site, netloc = self.server.web, self.server.site, self.server.netloc
        target = request_target(self.path)
        answer = site.answers.get(target, _NOT_FOUND)
        if site.gate is not None and not is_browser(self.headers.get("User-Agent", "")):
            kind, instead = site.gate
            if kind == "block" or target != "/robots.txt":
                answer = instead
        seen = web._count(netloc, target)
        if answer.fault == "server_error_burst" and seen <= answer.burst:
            answer = _UNAVAILABLE
        elif answer.fault == "timeout":
            web._stopping.wait(web.timeout_delay)
        elif answer.fault == "slow":
            web._stopping.wait(web.slow_delay)
        body = answer.body
        status = answer.status
        headers = list(answer.headers)
        if status == 200 and answer.fault != "truncated_file":
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            headers.append(("ETag", etag))
            if self._not_modified(answer, etag):
                status, body = 304, b""
        length = len(body)
        if answer.fault == "truncated_file":
            length, body = len(body) + _TRUNCATED_EXTRA, body[: len(body) // 2]
            self.close_connection = True
        # Logged before anything is sent: a client that has its answer finds it in the log.
        web._log(netloc, target, status)
        self.send_response(status)
        if status != 304:  # a 304 has no body, so no type or length of its own
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(length))
        for name, value in headers:
            if status != 304 or name in ("ETag", "Last-Modified"):
                self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class NationalWeb:
    """`count` registry institutions' synthetic sites, with seeded faults, on 127.0.0.1.

    `timeout_delay` is how late a `timeout` fault answers (just over the crawler's 30 s
    DOWNLOAD_TIMEOUT by default; tests pass less); `slow_delay` stays under any timeout.
    """

    def __init__(
        self,
        count: int | None = None,
        seed: int = 7,
        *,
        registry: Path | str = LOCAL_GOVERNMENTS,
        timeout_delay: float = 35.0,
        slow_delay: float = 0.5,
    ) -> None:
        rows = load_institutions(registry)
        self._rows = {row["inst_code"]: row for row in rows}
        self._served_rows = rows if count is None else rows[:count]
        self._revisions: dict[str, int] = {}
        self.specs = generate(self._served_rows, seed)
        self.seed = seed
        self.timeout_delay = timeout_delay
        self.slow_delay = slow_delay
        self.homepages: dict[str, str] = {}
        self.netlocs: dict[str, str] = {}
        self._servers: list[_SiteServer] = []
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._served: list[tuple[str, str, int]] = []
        self._seen: Counter[tuple[str, str]] = Counter()

    @property
    def sites(self) -> dict[str, SiteSpec]:
        return {spec.inst_code: spec for spec in self.specs}

    @property
    def faults(self) -> dict[str, list[str]]:
        """Local host (`127.0.0.1:PORT`) -> fault kinds, for every site with a fault."""
        return {
            self.netlocs[s.inst_code]: list(s.faults)
            for s in self.specs
            if s.faults and s.inst_code in self.netlocs
        }

    @property
    def truth(self) -> dict[str, SiteTruth]:
        """inst_code -> what a careful reader finds on that site: the policies in force,
        earlier versions and decoys that must not be counted, files, camera totals, and
        why a miss is right where it is (targets are `path?query` on the site's origin)."""
        return {s.inst_code: s.truth for s in self.specs}

    @property
    def routes(self) -> dict[str, str]:
        """inst_code -> the route by which the site leads to its policy."""
        return {s.inst_code: s.route for s in self.specs}

    @property
    def requests_served(self) -> list[tuple[str, str, int]]:
        """(host, path?query, status) of every response sent so far, in order."""
        with self._lock:
            return list(self._served)

    def url(self, inst_code: str, target: str = "/") -> str:
        return f"http://{self.netlocs[inst_code]}{target}"

    def _count(self, netloc: str, target: str) -> int:
        with self._lock:
            self._seen[netloc, target] += 1
            return self._seen[netloc, target]

    def _log(self, netloc: str, target: str, status: int) -> None:
        with self._lock:
            self._served.append((netloc, target, status))

    def revise(self, inst_code: str) -> SiteSpec:
        """The institution publishes a revised policy (one more camera in its first row):
        its pages change bytes, ETag and Last-Modified from the next request on."""
        self._revisions[inst_code] = self._revisions.get(inst_code, 0) + 1
        self.specs = generate(self._served_rows, self.seed, self._revisions)
        spec = self.sites[inst_code]
        for server in self._servers:
            if server.site.inst_code == inst_code:
                server.site = spec
        return spec

    def write_registry(self, path: Path | str, *, render: bool = False) -> Path:
        """A registry CSV like `institutions.csv`, pointing at the local homepages; with
        `render`, the sites whose policy is drawn by script are marked `render=js`."""
        path = Path(path)
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, REGISTRY_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for spec in self.specs:
                row = dict(self._rows[spec.inst_code])
                row["homepage"] = self.homepages[spec.inst_code]
                row["network"] = "local"
                if spec.route == "override":
                    row["policy_url"] = self.url(spec.inst_code, spec.policy_target)
                if render and spec.truth.outcome == "browser":
                    row["render"] = "js"
                writer.writerow(row)
        return path

    def start(self) -> Self:
        if self._servers:
            return self
        self._stopping.clear()
        try:
            for spec in self.specs:
                server = _SiteServer(self, spec)
                self._servers.append(server)
                self.netlocs[spec.inst_code] = server.netloc
                self.homepages[spec.inst_code] = f"http://{server.netloc}/"
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self._dispatch, name="national-web", daemon=True)
        self._thread.start()
        return self

    def _dispatch(self) -> None:
        with selectors.DefaultSelector() as selector:
            for server in self._servers:
                selector.register(server, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=0.1):
                    key.fileobj.handle_request()  # type: ignore[union-attr]

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for server in self._servers:
            server.server_close()
        self._servers.clear()
        self.homepages.clear()
        self.netlocs.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the synthetic national web locally.")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--registry-out", type=Path, default=None)
    args = parser.parse_args(argv)
    with NationalWeb(args.count, args.seed) as web:
        if args.registry_out:
            web.write_registry(args.registry_out)
        print(json.dumps({"homepages": web.homepages, "faults": web.faults}), flush=True)
        serve_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
