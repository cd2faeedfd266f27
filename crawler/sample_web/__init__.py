"""Four institutions' websites, bundled so the crawler can be run and tested offline.

The pages carry the real policy texts (typos included) inside shortened site chrome; the
spreadsheets are synthetic and say so. `SampleWeb` serves them on 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

SITES_DIR = Path(__file__).resolve().parent / "sites"

if TYPE_CHECKING:
    from crawler.sample_web.server import SampleWeb

__all__ = ["SITES_DIR", "SampleWeb"]


def __getattr__(name: str) -> Any:
    # Imported on first use so that `python -m crawler.sample_web.server` runs the module
    # once, as __main__, instead of finding it already imported by this package.
    if name == "SampleWeb":
        from crawler.sample_web.server import SampleWeb

        return SampleWeb
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
