"""What the two local webs (the sample web and the simulated national web) share: how a
request line maps to a route, a server that stays quiet when a crawler hangs up, and a
foreground mode that `kill` ends as cleanly as Ctrl-C."""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


def request_target(raw: str) -> str:
    """`/path?query` of a request line's target, the key the sites' routes use."""
    parts = urlsplit(raw)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-response is normal for a crawler; say nothing."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_until_interrupted() -> None:
    """Block until Ctrl-C or SIGTERM; the caller's `with` block then stops the servers."""
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        while True:  # sleep() wakes at once for a signal; a lock wait may not
            time.sleep(3600)
