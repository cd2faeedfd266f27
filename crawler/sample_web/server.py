"""Serve the bundled sample sites over real HTTP on 127.0.0.1, one server per site.

Each site gets its own port so that root-relative links and `/robots.txt` behave as on the
real host, and the crawler is exercised over sockets, headers and encodings rather than
against saved responses. Routes match path and query string exactly, like a CMS would.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from crawler.sample_web import SITES_DIR
from crawler.sample_web.local_server import QuietServer, request_target, serve_until_interrupted
from domain.formats import MEDIA_TYPES, NAMED

__all__ = ["SITES_DIR", "SampleWeb"]

# Last-Modified for a site whose routes.json names no date: fixed, so captures stay
# byte-stable between runs.
_DEFAULT_LAST_MODIFIED = "2024-01-01"

# What a server sends for a file it holds: the document kinds' own media types, plus the
# site chrome the pipeline never reads.
_CONTENT_TYPES = {f".{ext}": MEDIA_TYPES[kind] for ext, kind in NAMED.items()} | {
    ".css": "text/css",
}
_TEXT_SUFFIXES = {".html", ".htm", ".txt", ".css", ".csv"}

_ERROR_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head><meta charset="utf-8"><title>{code} {reason}</title></head>
<body><h1>{code} {reason}</h1><p>{message}</p></body>
</html>
"""
_ERROR_MESSAGES = {
    404: "요청하신 페이지를 찾을 수 없습니다.",
    500: "시스템 오류가 발생하였습니다. 잠시 후 다시 이용해 주십시오.",
}


@dataclass(frozen=True)
class Response:
    """A fully prepared answer: computed once at start so every request is byte-identical."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def _error_response(status: int) -> Response:
    phrase = HTTPStatus(status).phrase
    message = _ERROR_MESSAGES.get(status, phrase)
    body = _ERROR_PAGE.format(code=status, reason=phrase, message=message).encode("utf-8")
    headers = (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))))
    return Response(status, headers, body)


def _content_disposition(download_name: str, fallback: str) -> str:
    """RFC 6266 form: an ASCII name for old clients, the Korean name in `filename*`."""
    ascii_name = "".join(c for c in fallback if c.isascii() and c not in '"\\') or "download"
    return (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download_name, safe='')}"
    )


def _prepare(site_dir: Path, spec: dict[str, Any], last_modified: str) -> Response:
    status = int(spec.get("status", 200))
    if status != 200:
        return _error_response(status)
    path = site_dir / spec["file"]
    suffix = path.suffix.lower()
    encoding = spec.get("encoding", "utf-8")
    body = path.read_bytes()
    if suffix in _TEXT_SUFFIXES and encoding.lower().replace("_", "-") != "utf-8":
        # Files are kept as UTF-8 in the repository; legacy sites send EUC-KR on the wire.
        body = body.decode("utf-8").encode(encoding)
    content_type = spec.get("content_type") or _CONTENT_TYPES.get(
        suffix, "application/octet-stream"
    )
    if suffix in _TEXT_SUFFIXES and "charset=" not in content_type:
        content_type = f"{content_type}; charset={encoding}"
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Last-Modified", last_modified),
        ("ETag", '"' + hashlib.sha256(body).hexdigest()[:32] + '"'),
    ]
    if "download_name" in spec:
        headers.append(
            ("Content-Disposition", _content_disposition(spec["download_name"], path.name))
        )
    return Response(200, tuple(headers), body)


@dataclass(frozen=True)
class Site:
    """One institution's website as loaded from `sites/<host>/routes.json`."""

    homepage: str
    directory: Path
    responses: dict[str, Response]

    @classmethod
    def load(cls, directory: Path) -> Site:
        config = json.loads((directory / "routes.json").read_text(encoding="utf-8"))
        day = datetime.fromisoformat(config.get("last_modified", _DEFAULT_LAST_MODIFIED))
        last_modified = format_datetime(day.replace(tzinfo=UTC), usegmt=True)
        responses = {
            target: _prepare(directory, spec, last_modified)
            for target, spec in config["routes"].items()
        }
        return cls(normalise_homepage(config["homepage"]), directory, responses)


def normalise_homepage(url: str) -> str:
    """`https://www.x.go.kr/` and `https://www.x.go.kr` name the same site."""
    return url.strip().rstrip("/").lower()


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    not_found = _error_response(404)

    class Handler(BaseHTTPRequestHandler):
        server_version = "Apache"
        protocol_version = "HTTP/1.1"
        timeout = 15  # idle keep-alive connections are dropped, as real servers do

        def _answer(self, send_body: bool) -> None:
            response = site.responses.get(request_target(self.path), not_found)
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(response.body)

        def version_string(self) -> str:
            return self.server_version

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: tests and `make demo` print their own progress."""

    return Handler


class SampleWeb:
    """All sample sites, each on its own free port of 127.0.0.1."""

    def __init__(self, sites_dir: Path | str = SITES_DIR) -> None:
        self.sites_dir = Path(sites_dir)
        self.homepages: dict[str, str] = {}
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(self) -> Self:
        if self._servers:
            return self
        site_dirs = sorted(p.parent for p in self.sites_dir.glob("*/routes.json"))
        if not site_dirs:
            raise FileNotFoundError(f"no sites (*/routes.json) under {self.sites_dir}")
        try:
            for directory in site_dirs:
                site = Site.load(directory)
                server = QuietServer(("127.0.0.1", 0), _handler_for(site))
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.1},  # quick stop() for test teardown
                    name=f"sample-web {directory.name}",
                    daemon=True,
                )
                thread.start()
                self._servers.append((server, thread))
                host, port = server.server_address[:2]
                self.homepages[site.homepage] = f"http://{host}:{port}/"
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()
        self.homepages.clear()

    def local_url(self, homepage: str) -> str:
        """The local address that stands in for a real homepage."""
        key = normalise_homepage(homepage)
        try:
            return self.homepages[key]
        except KeyError:
            known = ", ".join(sorted(self.homepages)) or "none (is the sample web started?)"
            raise KeyError(f"no sample site for {homepage!r}; known homepages: {known}") from None

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
    parser = argparse.ArgumentParser(description="Serve the sample government sites locally.")
    parser.add_argument("--sites-dir", type=Path, default=SITES_DIR)
    args = parser.parse_args(argv)
    with SampleWeb(args.sites_dir) as web:
        print(json.dumps(web.homepages, ensure_ascii=False), flush=True)
        serve_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
