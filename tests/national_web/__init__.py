"""A synthetic national web: every local government's site, generated from a seed.

`generate` builds the pages and the fault plan as plain data (so a seed can be checked for
determinism without sockets); `server.NationalWeb` serves them on 127.0.0.1 for crawls,
tests and benchmarks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.national_web.server import NationalWeb

__all__ = ["NationalWeb"]


def __getattr__(name: str) -> Any:
    # Imported on first use so `python -m tests.national_web.server` runs the module once.
    if name == "NationalWeb":
        from tests.national_web.server import NationalWeb

        return NationalWeb
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
