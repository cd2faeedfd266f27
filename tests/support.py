"""Helpers shared by tests: paths, the real third-party files (when present), the CLI, local
web servers on 127.0.0.1, archives written as a crawl writes them."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Self

import pytest

from crawler.sample_web.local_server import QuietServer, request_target
from tests.seeds import GIMCHEON, MICHUHOL

if TYPE_CHECKING:
    from archive.index import Capture
    from archive.writer import ArchiveWriter

PROJECT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT.parent / "shared" / "realdata"
SAMPLE_SITES = PROJECT / "crawler" / "sample_web" / "sites"
HTML_HEADERS = [("Content-Type", "text/html; charset=utf-8")]
XLSX_HEADERS = [
    ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
]
# What a build needs from the sample web: (기관코드, host, role, file under the host, headers).
SAMPLE_PAGES = [
    (MICHUHOL.code, MICHUHOL.host, "policy", "policy.html", HTML_HEADERS),
    (GIMCHEON.code, GIMCHEON.host, "policy", "policy.html", HTML_HEADERS),
    (GIMCHEON.code, GIMCHEON.host, "attachment", "files/cctv_status.xlsx", XLSX_HEADERS),
]


def realdata(*parts: str) -> Path:
    """A file under ../shared/realdata, or a skip that says why."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared/realdata is absent)")
    return path


def run_cctv(
    *args: str, data_dir: Path | None = None, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    env = {**os.environ, "COLUMNS": "160"}
    if data_dir is not None:
        env["CCTV_DATA_DIR"] = str(data_dir)
    cctv = Path(sys.executable).with_name("cctv")
    return subprocess.run(
        [str(cctv), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or PROJECT,
        timeout=timeout,
        check=False,
    )


def cctv_on_a_terminal(*args: str, timeout: int = 300) -> tuple[int, str]:
    """`cctv ARGS` with stdin, stdout and stderr on a pseudo-terminal, as in a shell: the exit
    code and what the screen showed (a pipe would hide the progress bars and escapes)."""
    main, child = pty.openpty()
    cctv = Path(sys.executable).with_name("cctv")
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    with subprocess.Popen(
        [str(cctv), *args], stdin=child, stdout=child, stderr=child, env=env
    ) as process:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=timeout)
    os.close(main)
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


def query_warehouse(data_dir: Path, sql: str) -> list[tuple]:
    """Rows of a read-only query on the warehouse in `data_dir`."""
    import duckdb

    from archive.paths import data_paths

    con = duckdb.connect(str(data_paths(data_dir).duckdb), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps no access log, so a test's output shows only its own
    failures."""

    def log_message(self, format: str, *args: object) -> None:
        """Silent."""

    def respond(
        self, status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        """One whole response; its Content-Length is the body's unless `headers` sets one."""
        headers = list(headers)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LocalServer:
    """A server on a free port of 127.0.0.1 answering in a thread while the `with` block
    runs, so tests never share a port and the crawler meets real sockets."""

    scheme = "http"

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        server_class: type[ThreadingHTTPServer] = QuietServer,
    ) -> None:
        self.server = server_class(("127.0.0.1", 0), handler)
        self.port: int = self.server.server_address[1]
        self.netloc = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    def url(self, target: str = "") -> str:
        """The address of `target` (a path and query) on this server."""
        return f"{self.scheme}://{self.netloc}{target}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


class RecordingSite(LocalServer):
    """A crawled site over HTTP/1.1 that keeps every target it was asked for (`/path?query`,
    the key the routes use), so a test can say what the crawler fetched and what it never
    did; `serve` answers each one."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                target = request_target(self.path)
                site.requests.append(target)
                site.serve(target, self)

        super().__init__(Handler)

    def serve(self, target: str, handler: QuietHandler) -> None:
        """Answer `target` through `handler` (its `respond`)."""
        raise NotImplementedError


def archive_response(
    writer: ArchiveWriter,
    url: str,
    body: bytes,
    *,
    inst_code: str,
    role: str,
    status: int = 200,
    headers: Iterable[tuple[str, str]] = HTML_HEADERS,
    fetched_at: dt.datetime | None = None,
    referer: str | None = None,
) -> Capture:
    """One GET and its response, archived as the crawler archives it, with the reason
    phrase that goes with `status`."""
    return writer.write_exchange(
        url=url,
        status=status,
        reason=HTTPStatus(status).phrase,
        response_headers=headers,
        body=body,
        fetched_at=fetched_at,
        inst_code=inst_code,
        role=role,
        referer=referer,
    )


def archive_sample_pages(writer: ArchiveWriter, fetched_at: dt.datetime | None = None) -> None:
    """SAMPLE_PAGES as a crawl of the sample web archives them: two policies to build from,
    one with its inventory file."""
    for code, host, role, file, headers in SAMPLE_PAGES:
        archive_response(
            writer,
            f"https://{host}/{file}",
            (SAMPLE_SITES / host / file).read_bytes(),
            inst_code=code,
            role=role,
            headers=headers,
            fetched_at=fetched_at,
        )
