"""`fetch_standard` and `import_files` against a real HTTP server on 127.0.0.1: the bulk
file lands in the archive with role "standard"; errors, silence, trickling and oversized
bodies are clear errors that archive nothing and leave an event in the crawl log."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import DataPaths, data_paths
from archive.reader import ArchiveReader
from pipelines.standard import (
    DEFAULT_URL,
    URL_ENV,
    ImportFailed,
    StandardFetchError,
    fetch_standard,
    import_files,
    standard_url,
)
from registry.dimension import load_institutions
from tests.support import LocalServer, QuietHandler
from warehouse.standard import load_standard

pytestmark = pytest.mark.server

FILES = Path(__file__).resolve().parent.parent / "files" / "standard"
BODY = (FILES / "g4_daejeon_utf8bom_lf.csv").read_bytes()
STOP = threading.Event()


class Handler(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/cctv_info/info":
            self.respond(
                200,
                BODY,
                [
                    ("Content-Type", "text/csv"),
                    ("Content-Disposition", "attachment; filename*=UTF-8''cctv_info.csv"),
                ],
            )
        elif self.path == "/moved":
            self.respond(302, headers=[("Location", "/cctv_info/info")])
        elif self.path == "/error":
            self.respond(500, b"internal error")
        elif self.path == "/silent":
            STOP.wait(3)  # says nothing until the client has given up
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(40):
                if STOP.wait(0.05):
                    return
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(10**10))
            self.end_headers()
        elif self.path.startswith("/to-scheme/"):
            # a redirect off the web: file://, ftp://, data:
            location = self.path.removeprefix("/to-scheme/").replace("|", "/")
            self.respond(302, headers=[("Location", location)])
        elif self.path == "/unannounced":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        else:
            self.respond(404, b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    STOP.clear()
    with LocalServer(Handler) as httpd:
        try:
            yield httpd.url()
        finally:
            STOP.set()  # the silent and trickling answers end before the server stops


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    return data_paths(tmp_path / "data")


def test_the_bulk_file_is_archived_with_role_standard_and_loads(server: str, paths) -> None:
    capture = fetch_standard(paths, f"{server}/cctv_info/info", timeout=5)
    assert capture.role == "standard"
    assert capture.status == 200
    assert capture.filename == "cctv_info.csv"
    assert [c.sha256 for c in read_index(paths)] == [capture.sha256]
    body = ArchiveReader(paths).payload(capture.sha256)
    assert body == BODY
    loaded = load_standard(
        body,
        filename=capture.filename,
        capture_sha256=capture.sha256,
        source_url=capture.url,
        fetched_at=capture.fetched_at,
        institutions=load_institutions(),
    )
    assert loaded.generation == "G4" and loaded.table.num_rows == 4


def test_a_redirect_is_followed_and_the_final_url_recorded(server: str, paths) -> None:
    capture = fetch_standard(paths, f"{server}/moved", timeout=5)
    assert capture.url == f"{server}/cctv_info/info"


def test_the_url_comes_from_the_environment_when_not_given(
    server: str, paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"{server}/cctv_info/info")
    assert standard_url() == f"{server}/cctv_info/info"
    assert fetch_standard(paths, timeout=5).url == f"{server}/cctv_info/info"
    monkeypatch.delenv(URL_ENV)
    assert standard_url() == DEFAULT_URL
    assert standard_url("https://example.org/x") == "https://example.org/x"


def _failed(paths: DataPaths) -> list[dict]:
    return [e for e in read_crawl_log(paths) if e["event"] == "fetch_failed"]


def test_an_http_error_is_a_clear_error_and_archives_nothing(server: str, paths) -> None:
    with pytest.raises(StandardFetchError, match="HTTP 500"):
        fetch_standard(paths, f"{server}/error", timeout=5)
    assert read_index(paths) == []
    assert [(e["status"], e["role"]) for e in _failed(paths)] == [(500, "standard")]


def test_a_server_that_never_answers_times_out(server: str, paths) -> None:
    started = time.monotonic()
    with pytest.raises(StandardFetchError, match=r"no answer within 0\.3s"):
        fetch_standard(paths, f"{server}/silent", timeout=0.3)
    assert time.monotonic() - started < 2.5
    assert read_index(paths) == []
    assert len(_failed(paths)) == 1


def test_a_trickling_download_meets_the_overall_time_limit(server: str, paths) -> None:
    with pytest.raises(StandardFetchError, match="took over"):
        fetch_standard(paths, f"{server}/trickle", timeout=5, max_seconds=0.3)
    assert read_index(paths) == []


@pytest.mark.parametrize("path", ["/huge", "/unannounced"])
def test_a_body_over_the_size_cap_is_refused(server: str, paths, path: str) -> None:
    with pytest.raises(StandardFetchError, match="limit"):
        fetch_standard(paths, f"{server}{path}", timeout=5, max_bytes=1000)
    assert read_index(paths) == []


def test_an_unreachable_host_is_a_clear_error(paths) -> None:
    with pytest.raises(StandardFetchError, match=r"127\.0\.0\.1:9"):
        fetch_standard(paths, "http://127.0.0.1:9/info", timeout=2)


def test_import_gives_standard_files_their_role_and_other_files_import(paths) -> None:
    files = [FILES / "g1_mapo_cp949_cr.csv", FILES / "api_gimhae.json", FILES / "not_standard.csv"]
    captures = import_files(paths, files, institution="3130000")
    assert [c.role for c in captures] == ["standard", "standard", "import"]
    assert all(c.inst_code == "3130000" for c in captures)
    assert captures[0].url == files[0].resolve().as_uri()
    assert [c.sha256 for c in read_index(paths)] == [c.sha256 for c in captures]


def test_import_of_a_missing_file_archives_nothing(paths, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="cannot read"):
        import_files(paths, [FILES / "g1_mapo_cp949_cr.csv", tmp_path / "missing.csv"])
    assert read_index(paths) == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1:9/info.csv", "data:text/csv,a,b", "gopher://x/"],
)
def test_only_http_urls_are_fetched(paths, url: str) -> None:
    with pytest.raises(StandardFetchError, match="only http and https"):
        fetch_standard(paths, url, timeout=2)
    assert read_index(paths) == []
    assert _failed(paths)[0]["url"] == url


@pytest.mark.parametrize("target", ["file:||etc|passwd", "ftp:||127.0.0.1:9|x.csv"])
def test_a_redirect_off_the_web_is_refused(server: str, paths, target: str) -> None:
    started = time.monotonic()
    with pytest.raises(StandardFetchError, match=r"not an http|is not allowed"):
        fetch_standard(paths, f"{server}/to-scheme/{target}", timeout=2)
    assert time.monotonic() - started < 5
    assert read_index(paths) == []
