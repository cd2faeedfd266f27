"""The demo path, stage by stage, against the bare cost of the same work in the same run.

Target (issue: the whole path): crawl → build → validate of the sample web well under
5 minutes on 2 cores. Baseline: fetching the same URLs with urllib one by one and parsing
the HTML with bare lxml, which is the least any crawler-and-parser must spend. The last line
printed is one JSON object.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.index import read_index
from archive.paths import data_paths
from crawler.sample_web import SampleWeb
from pipelines.stages import crawl_sample, run_build, run_validate

TARGET_SECONDS = 300.0


def bare_fetch_and_parse(urls: list[str]) -> float:
    started = time.perf_counter()
    for url in urls:
        try:
            body = urllib.request.urlopen(url, timeout=5).read()
        except urllib.error.HTTPError as error:
            body = error.read()
        if body.lstrip()[:1] == b"<":
            lxml.html.fromstring(body)
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, SampleWeb() as web:
        paths = data_paths(tmp)
        t0 = time.perf_counter()
        crawl_sample(paths, web=web)
        t1 = time.perf_counter()
        report = run_build(paths)
        t2 = time.perf_counter()
        validation = run_validate(paths)
        t3 = time.perf_counter()
        urls = [c.url for c in read_index(paths)]
        baseline = bare_fetch_and_parse(urls)
    total = t3 - t0
    print(
        f"crawl {t1 - t0:.2f}s, build {t2 - t1:.2f}s ({report.parsed} documents), "
        f"validate {t3 - t2:.2f}s; bare fetch+parse of {len(urls)} URLs {baseline:.2f}s"
    )
    print(
        json.dumps(
            {
                "benchmark": "demo_pipeline",
                "urls": len(urls),
                "crawl_s": round(t1 - t0, 2),
                "build_s": round(t2 - t1, 2),
                "validate_s": round(t3 - t2, 2),
                "total_s": round(total, 2),
                "baseline_fetch_parse_s": round(baseline, 3),
                "ratio": round(total / baseline, 1),
                "expectations_passed": validation.passed,
                "target_total_s": TARGET_SECONDS,
                "within_target": total <= TARGET_SECONDS,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
