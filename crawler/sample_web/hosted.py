"""Which institutions the sample web serves: a registry homepage that one of the bundled
sites (`sites/*/routes.json`) answers for, read without starting a server."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from crawler.sample_web import SITES_DIR
from crawler.sample_web.server import normalise_homepage
from registry import Institution


def sample_homepages(sites_dir: Path = SITES_DIR) -> frozenset[str]:
    """The homepage each bundled site stands in for, normalised as the server does."""
    return frozenset(
        normalise_homepage(json.loads(p.read_text(encoding="utf-8"))["homepage"])
        for p in sites_dir.glob("*/routes.json")
    )


def on_sample_web(
    institutions: Iterable[Institution], sites_dir: Path = SITES_DIR
) -> list[Institution]:
    """The institutions whose homepage the sample web serves, in the order given."""
    homepages = sample_homepages(sites_dir)
    return [i for i in institutions if i.homepage and normalise_homepage(i.homepage) in homepages]
