"""Standard data into the archive: files brought by hand (`cctv import`) and the national
bulk file downloaded from its public URL (`cctv fetch-standard`).

Both only archive bytes; `warehouse.standard` reads them at build time, like every other
capture. A file whose header is a standard-data generation gets the role "standard" (the
build loads it into `standard_points`); anything else keeps the role "import" (the policy
parser reads it). A failed download leaves no capture, only an event in the crawl log.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from archive.crawl_log import CrawlLog
from archive.index import Capture
from archive.paths import DataPaths
from archive.writer import ArchiveWriter
from crawler.settings import USER_AGENT
from warehouse.safe_read import UnreadableFile, read_named_file
from warehouse.standard import sniff_standard

# The localdata.go.kr bulk file of 행정안전부_CCTV정보 (domain.md §2.1): ~79 MB, CP949.
DEFAULT_URL = "https://file.localdata.go.kr/file/download/cctv_info/info"
URL_ENV = "CCTV_STANDARD_URL"
MAX_BYTES = 512 * 1024 * 1024
MAX_SECONDS = 1800
_CHUNK = 1024 * 1024


class StandardFetchError(RuntimeError):
    """The bulk file could not be downloaded; the message says what happened and where."""


class ImportFailed(RuntimeError):
    """A file given to `import_files` could not be read."""


_WEB_SCHEMES = ("http", "https")


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib follows redirects to ftp:// too; only http(s) may be followed here."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme.lower() not in _WEB_SCHEMES:
            raise StandardFetchError(
                f"{req.full_url}: redirected to {newurl}, which is not an http(s) URL"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# No file://, ftp:// or data: handlers: the opener only speaks http(s).
_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _WebOnlyRedirects(),
):
    _OPENER.add_handler(_handler)


def _batch_id(kind: str) -> str:
    return dt.datetime.now(dt.UTC).strftime(f"{kind}-%Y%m%dT%H%M%S%fZ")


def standard_url(url: str | None = None) -> str:
    """The URL to fetch: the one given, else $CCTV_STANDARD_URL, else the public file."""
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def import_files(
    paths: DataPaths,
    files: list[Path],
    *,
    institution: str | None = None,
    url: str | None = None,
    progress: Callable[[Path, int, int], None] | None = None,
) -> list[Capture]:
    """Archive hand-collected files; standard-data files get the role "standard".
    `progress(file, n, total)` is called before each file is archived."""
    bodies = []
    for file in files:
        try:
            bodies.append((file, read_named_file(file)))
        except UnreadableFile as exc:
            raise ImportFailed(str(exc)) from exc
    captures = []
    with ArchiveWriter(paths, _batch_id("import")) as writer:
        for number, (file, body) in enumerate(bodies, start=1):
            if progress:
                progress(file, number, len(bodies))
            role = "standard" if sniff_standard(body, file.name) is not None else "import"
            captures.append(
                writer.write_file(
                    body,
                    url=url or file.resolve().as_uri(),
                    inst_code=institution,
                    role=role,
                    filename=file.name,
                )
            )
    return captures


def _download(
    url: str, timeout: float, max_bytes: int, max_seconds: float
) -> tuple[int, str, list[tuple[str, str]], bytes, str]:
    """(status, reason, headers, body, final URL), streamed in chunks under both limits."""
    if urlsplit(url).scheme.lower() not in _WEB_SCHEMES:
        raise StandardFetchError(f"{url}: only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    started = time.monotonic()
    with _OPENER.open(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise StandardFetchError(
                f"{url}: the server announces {int(declared)} bytes, over the "
                f"{max_bytes}-byte limit"
            )
        chunks, size = [], 0
        # read1: whatever has arrived, so a trickling server meets the time limit too.
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise StandardFetchError(f"{url}: body exceeds the {max_bytes}-byte limit")
            if time.monotonic() - started > max_seconds:
                raise StandardFetchError(f"{url}: download took over {max_seconds:.0f}s")
            chunks.append(chunk)
        return (
            response.status,
            response.reason or "",
            list(response.headers.items()),
            b"".join(chunks),
            response.geturl(),
        )


def fetch_standard(
    paths: DataPaths,
    url: str | None = None,
    *,
    timeout: float = 60,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
) -> Capture:
    """Download the national standard file into the archive (role "standard").

    `timeout` bounds each network wait, `max_seconds` the whole download. HTTP errors,
    timeouts and oversized bodies raise StandardFetchError and are logged; nothing is
    archived for them."""
    url = standard_url(url)
    batch = _batch_id("standard")
    fetched_at = dt.datetime.now(dt.UTC)
    try:
        status, reason, headers, body, final_url = _download(url, timeout, max_bytes, max_seconds)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket
        error = StandardFetchError(f"{url}: HTTP {exc.code} {exc.reason}")
        _log_failure(paths, batch, url, str(error), status=exc.code)
        raise error from exc
    except TimeoutError as exc:
        error = StandardFetchError(f"{url}: no answer within {timeout:g}s")
        _log_failure(paths, batch, url, str(error))
        raise error from exc
    except urllib.error.URLError as exc:
        reason_text = exc.reason
        if isinstance(reason_text, TimeoutError):
            message = f"{url}: no answer within {timeout:g}s"
        else:
            message = f"{url}: {reason_text}"
        _log_failure(paths, batch, url, message)
        raise StandardFetchError(message) from exc
    except StandardFetchError as exc:
        _log_failure(paths, batch, url, str(exc))
        raise
    except OSError as exc:
        message = f"{url}: {exc}"
        _log_failure(paths, batch, url, message)
        raise StandardFetchError(message) from exc
    with ArchiveWriter(paths, batch) as writer:
        return writer.write_exchange(
            url=final_url,
            status=status,
            reason=reason,
            response_headers=headers,
            body=body,
            request_headers=[("User-Agent", USER_AGENT)],
            fetched_at=fetched_at,
            role="standard",
        )


def _log_failure(
    paths: DataPaths, batch: str, url: str, message: str, status: int | None = None
) -> None:
    log = CrawlLog(paths, batch)
    try:
        log.event("fetch_failed", url=url, role="standard", status=status, message=message)
    finally:
        log.close()
