"""Crawl the simulated national web and compare the wall time with the politeness bound.

The bound is what politeness alone costs, as the target defines it: every site is asked at
most one request at a time, `delay` seconds apart, and at most CONCURRENT_REQUESTS sites are
in flight at once, so the crawl cannot finish sooner than Σ(requests per site × delay) /
concurrency, nor sooner than the busiest site's requests × delay. Target: within 1.5× of
that bound, and time growing linearly with sites (a second run with ~2,000 sites).

That definition charges a delay to every request, but a site's first request (its
robots.txt) waits for nothing, so for many small sites it overstates the floor (a ratio
below 1 is possible). `strict_bound_s` is the tighter floor: (requests − 1) × delay per
site, plus what the injected faults force on a site's own timeline (each timeout costs
DOWNLOAD_TIMEOUT, each retry its back-off wait), shared out over the concurrency. Both are
printed. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.crawl_log import read_crawl_log
from archive.paths import data_paths
from crawler import settings as crawler_settings
from pipelines.stages import crawl
from registry.dimension import COLUMNS as DIMENSION_COLUMNS
from tests.national_web import NationalWeb

DELAY = 0.1
TIMEOUT = 1.0


def synthetic_registry(path: Path, count: int) -> Path:
    """`count` institutions in the local-governments format, for runs beyond the 243."""
    fields = [*DIMENSION_COLUMNS, "source"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerow(
            {
                "inst_code": "6110000",
                "name": "서울특별시",
                "short_name": "서울특별시",
                "level": "sido",
                "sigungu_code5": "11000",
                "homepage": "https://www.seoul.go.kr",
            }
        )
        for n in range(1, count):
            writer.writerow(
                {
                    "inst_code": f"{7000000 + n:07d}",
                    "name": f"가상시 {n}구",
                    "short_name": f"{n}구",
                    "level": "gu",
                    "parent_code": "6110000",
                    "sigungu_code5": f"{50000 + n % 49999:05d}",
                    "homepage": f"https://site{n}.example.go.kr",
                }
            )
    return path


def strict_bound(per_site: Counter, events: list[dict], host_of: dict[str, str]) -> float:
    """(requests − 1) × delay per site plus the waits its faults force; see the docstring.
    Timeouts hold a download slot, so they share the concurrency; back-off waits do not
    (a waiting retry is kept outside the downloader) and only lengthen that site's path."""
    concurrency = crawler_settings.CONCURRENT_REQUESTS
    held = {host: (n - 1) * DELAY for host, n in per_site.items()}
    waits: Counter = Counter()
    for event in events:
        host = host_of.get(event.get("inst_code") or "")
        if host is None:
            continue
        if event["event"] == "fetch_failed" and event.get("error") == "DownloadTimeoutError":
            held[host] = held.get(host, 0.0) + TIMEOUT
        elif event["event"] == "retry_scheduled":
            waits[host] += event["wait_seconds"]
    path = max(held.get(h, 0.0) + waits[h] for h in set(held) | set(waits))
    return max(sum(held.values()) / concurrency, path)


def run(count: int | None, registry: Path | None, tmp: Path) -> dict:
    tmp.mkdir(parents=True, exist_ok=True)
    kwargs = {"registry": registry} if registry else {}
    paths = data_paths(tmp / "data")
    with NationalWeb(count=count, seed=7, timeout_delay=2.0, slow_delay=0.2, **kwargs) as web:
        registry_csv = web.write_registry(tmp / "registry.csv")
        started = time.perf_counter()
        crawl(paths, registry_path=registry_csv, download_timeout=TIMEOUT, delay=DELAY)
        wall = time.perf_counter() - started
        served = list(web.requests_served)
        host_of = dict(web.netlocs)
    per_site = Counter(host for host, _, _ in served)
    concurrency = crawler_settings.CONCURRENT_REQUESTS
    bound = max(sum(per_site.values()) * DELAY / concurrency, max(per_site.values()) * DELAY)
    strict = strict_bound(per_site, list(read_crawl_log(paths)), host_of)
    return {
        "sites": len(per_site),
        "requests": len(served),
        "wall_s": round(wall, 2),
        "politeness_bound_s": round(bound, 2),
        "ratio": round(wall / bound, 2),
        "strict_bound_s": round(strict, 2),
        "strict_ratio": round(wall / strict, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=int, default=2000, help="sites in the growth run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        national = run(None, None, Path(tmp) / "national")
    with tempfile.TemporaryDirectory() as tmp:
        registry = synthetic_registry(Path(tmp) / "institutions.csv", args.large)
        large = run(None, registry, Path(tmp) / "large")
    growth = (large["wall_s"] / large["sites"]) / (national["wall_s"] / national["sites"])
    print(f"national: {national}")
    print(f"large:    {large}")
    print(
        json.dumps(
            {
                "benchmark": "crawl_national",
                "delay_s": DELAY,
                "concurrency": crawler_settings.CONCURRENT_REQUESTS,
                "national": national,
                "large": large,
                "per_site_time_growth": round(growth, 2),
                "target_ratio": 1.5,
                "within_target": national["ratio"] <= 1.5 and large["ratio"] <= 1.5,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
