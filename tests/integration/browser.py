"""Headless Chromium for tests that must see pages the way a reader's browser does.

Debian's `chromium` is installed on first use when the tests run as root with apt-get
(CI does); elsewhere the browser tests skip and say why. Every run blocks the network:
names resolve to nothing and any connection goes to a dead local proxy, so a page that
tried to load something off-machine would render without it, not fetch it.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ("chromium", "fonts-nanum")  # fonts-nanum: Hangul glyphs instead of boxes
INSTALL_TIMEOUT = 1800  # seconds; a cold apt-get of chromium fetches ~100 MB
RUN_TIMEOUT = 120
WORK = Path(tempfile.gettempdir())
INSTALL_LOCK = WORK / "cctv-chromium-install.lock"
INSTALL_LOG = WORK / "cctv-chromium-install.log"

OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI containers has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # file:// pages need no resolver
    "--proxy-server=127.0.0.1:9",  # second guard: the discard port, nothing listens
    "--proxy-bypass-list=<-loopback>",
)

unavailable_reason = ""  # set when `ensure_chromium` returns None, for the skip message


def _install() -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with INSTALL_LOG.open("a", encoding="utf-8") as log:
        for command in (
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
        ):
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            subprocess.run(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=INSTALL_TIMEOUT,
                check=True,
            )


@functools.cache  # one attempt per test session, whatever its outcome
def ensure_chromium() -> Path | None:
    """Debian's chromium binary, installing it first when that is possible."""
    global unavailable_reason
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        unavailable_reason = (
            f"{CHROMIUM} is missing and cannot be installed here (needs root and apt-get): "
            f"apt-get install {' '.join(PACKAGES)}"
        )
        return None
    with INSTALL_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a parallel session may be installing it now
        if not CHROMIUM.exists():
            try:
                _install()
            except (OSError, subprocess.SubprocessError) as exc:
                unavailable_reason = (
                    f"installing {' '.join(PACKAGES)} failed ({exc}); see {INSTALL_LOG}"
                )
                return None
    if not CHROMIUM.exists():
        unavailable_reason = f"apt-get ran but {CHROMIUM} is still missing; see {INSTALL_LOG}"
        return None
    return CHROMIUM


def run_chromium(
    binary: Path, url: str, *extra: str, profile: Path
) -> subprocess.CompletedProcess[str]:
    """One headless run on `url` with the network blocked and a throw-away profile."""
    return subprocess.run(
        [str(binary), *OFFLINE_FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def screenshot(binary: Path, page: Path, png: Path, profile: Path) -> None:
    result = run_chromium(
        binary, page.as_uri(), f"--screenshot={png}", "--window-size=1280,1600", profile=profile
    )
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot ({result.returncode}):\n{result.stderr}")


def dump_dom(binary: Path, page: Path, profile: Path, net_log: Path | None = None) -> str:
    """The DOM after rendering; with `net_log`, Chromium also records its network events."""
    extra = ["--dump-dom"]
    if net_log is not None:
        extra += [f"--log-net-log={net_log}", "--net-log-capture-mode=Everything"]
    result = run_chromium(binary, page.as_uri(), *extra, profile=profile)
    if result.returncode != 0 or "<html" not in result.stdout:
        raise RuntimeError(f"chromium dumped no DOM ({result.returncode}):\n{result.stderr}")
    return result.stdout


def _net_events(net_log: Path) -> tuple[list[dict], dict[int, str], dict[int, str]]:
    log = json.loads(net_log.read_text(encoding="utf-8"))
    constants = log["constants"]
    events = {v: k for k, v in constants["logEventTypes"].items()}
    sources = {v: k for k, v in constants["logSourceType"].items()}
    return log["events"], events, sources


def page_requests(net_log: Path) -> list[str]:
    """URLs the rendered page asked the network stack for. Chromium's own background
    requests (update checks, the clock) carry no origin; a page's carry its own, which for
    a file:// page is the opaque "null"."""
    found = []
    log, events, _ = _net_events(net_log)
    for event in log:
        params = event.get("params") or {}
        started = events.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params
        if started and params.get("initiator") != "not an origin":
            found.append(params["url"])
    return found


def tcp_destinations(net_log: Path) -> set[str]:
    """Every address a TCP socket was opened to, and every proxy decision, as logged."""
    found = set()
    log, events, sources = _net_events(net_log)
    for event in log:
        params = event.get("params") or {}
        kind = events.get(event["type"])
        source = sources.get(event["source"]["type"])
        if kind == "SOCKET_CONNECT" and source == "TCP_CLIENT_SOCKET" and "address" in params:
            found.add(params["address"])
        if kind == "PROXY_RESOLUTION_SERVICE_RESOLVED_PROXY_LIST":
            found.add(params.get("proxy_info", ""))
    return found
