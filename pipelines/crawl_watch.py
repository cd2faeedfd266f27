"""Watching a crawler that runs in a process of its own: how far it is, read from its
growing event log, and the stop signals passed on to it, once, so it closes its WARC
file and index cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from registry import REGISTRY_CSV, load_registry


@dataclass(frozen=True)
class CrawlProgress:
    """How far a running crawl is, from its event log: institutions whose policy search
    has an outcome (a policy link, not found, or a failed homepage/policy request), out of
    those crawled; documents found and problems so far."""

    institutions_done: int
    institutions_total: int | None
    documents: int
    problems: int


class CrawlTally:
    """Reads a growing crawl log from where it stopped last time: complete lines only."""

    SETTLED = frozenset({"policy_link", "policy_in_privacy", "policy_not_found"})
    # A request that ended without a response; for a homepage or policy, the search too.
    FAILED = frozenset({"request_failed", "request_refused", "redirect_offsite"})
    PROBLEMS = FAILED | {"fetch_failed", "policy_not_found", "page_cap_reached"}

    def __init__(self, path: Path, total: int | None) -> None:
        self.path, self.total, self.offset = path, total, 0
        self.settled: set[str] = set()
        self.documents = self.problems = 0

    def read(self) -> CrawlProgress:
        if self.path.exists():
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]
            self.offset += len(complete)
            for line in complete.splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                self._count(event)
        return CrawlProgress(len(self.settled), self.total, self.documents, self.problems)

    def _count(self, event: dict) -> None:
        kind, code = event.get("event"), event.get("inst_code")
        if kind in ("attachment", "policy_link"):
            self.documents += 1
        elif kind in self.PROBLEMS:
            self.problems += 1
        if code and (
            kind in self.SETTLED
            or (kind in self.FAILED and event.get("role") in ("homepage", "policy"))
        ):
            self.settled.add(code)


def crawl_total(registry_path: Path | None, institutions: list[str] | None) -> int | None:
    """How many institutions a crawl visits; None when the registry cannot tell."""
    from registry import RegistryError, crawlable

    try:
        rows = crawlable(load_registry(registry_path or REGISTRY_CSV))
    except (RegistryError, OSError):
        return None
    wanted = set(institutions or ())
    return sum(1 for i in rows if not wanted or i.inst_code in wanted)


# Signals that stop a crawl. The crawler runs in a process group of its own (a Ctrl-C in
# the terminal reaches it once, through this process, not twice: Scrapy takes a second
# SIGINT as "stop now, uncleanly"); SIGHUP is passed on as SIGTERM, which Scrapy handles.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Seconds a stopped crawler has to close its spider and finish the WARC and index (open
# downloads are cancelled, so it needs far less) before it is killed.
STOP_GRACE = 30.0


class StopForwarder:
    """While a crawl runs, a stop signal to this process is passed on, once, to the
    crawler's process group; a second one is not (the crawler is already stopping)."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.received: int | None = None
        self.at = 0.0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopForwarder:
        if threading.current_thread() is threading.main_thread():  # handlers live there
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._forward)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _forward(self, signum: int, frame: object) -> None:
        if self.received is not None:
            return
        self.received, self.at = signum, time.monotonic()
        self.stop(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

    def stop(self, signum: int) -> None:
        """Send `signum` to the crawler and anything it started."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended in the meantime
                os.killpg(self.process.pid, signum)

    def overdue(self) -> bool:
        return self.received is not None and time.monotonic() - self.at > STOP_GRACE

    def end(self) -> None:
        """Leaving before the crawler has ended (an error here): stop it cleanly if it
        does so within the grace period, otherwise kill it. It never outlives the crawl."""
        if self.process.poll() is not None:
            return
        self.stop(signal.SIGTERM)
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.stop(signal.SIGKILL)
            self.process.wait()
