"""The demo path, stage by stage, against the bare cost of the same work in the same run.

Target: `cctv demo` (crawl → build → validate → notebooks of the sample web) in at most 15 s
on a quiet 2-core machine. Two floors, timed in the same rounds so a noisy moment slows both
sides: fetching the crawled URLs with urllib one by one and parsing the HTML with bare lxml
(the least any crawler-and-parser must spend), and the notebooks' code run top to bottom in
one plain Python process with no kernel (the least the analysis itself costs). Each figure is
the median of ``--rounds`` rounds; the last line printed is one JSON object.

``--project DIR`` times another checkout of this project (e.g. an older one) the same way:
its packages are imported instead of this folder's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

TARGET_SECONDS = 15.0
STAGES = ("crawl", "build", "validate", "notebooks")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--project",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the checkout to time (default: the one this script is in)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


ARGS = _arguments()
PROJECT = ARGS.project.resolve()
sys.path.insert(0, str(PROJECT))

import lxml.html  # noqa: E402
import nbformat  # noqa: E402

from archive.index import read_index  # noqa: E402
from archive.paths import data_paths  # noqa: E402
from crawler.sample_web import SampleWeb  # noqa: E402
from pipelines.notebooks import run_notebooks  # noqa: E402
from pipelines.stages import crawl_sample, run_build, run_validate  # noqa: E402


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


def notebooks_as_script(notebooks_dir: Path) -> str:
    """Every notebook's code cells as one script, each notebook in its own namespace; the
    only IPython syntax they use, ``%matplotlib inline``, is dropped (Agg draws instead)."""
    parts = []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        code = "\n".join(
            line
            for cell in cells
            if cell.cell_type == "code"
            for line in cell.source.splitlines()
            if not line.lstrip().startswith("%")
        )
        parts.append(f"exec(compile({code!r}, {path.name!r}, 'exec'), {{}})")
    return "\n".join(parts)


def bare_notebooks(data_dir: Path, figures_dir: Path) -> float:
    """The notebooks' code in one plain Python process: no kernel, no messages, no outputs."""
    env = {
        **os.environ,
        "CCTV_DATA_DIR": str(data_dir),
        "CCTV_FIGURES_DIR": str(figures_dir),
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(PROJECT),
    }
    script = notebooks_as_script(PROJECT / "notebooks")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=figures_dir)
    return time.perf_counter() - started


def one_round(web: SampleWeb) -> dict[str, float]:
    """The demo's stages on a new data folder, then both floors on what they produced."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = data_paths(tmp)
        times = {}
        started = time.perf_counter()
        crawl_sample(paths, web=web)
        times["crawl"] = time.perf_counter() - started
        started = time.perf_counter()
        run_build(paths)
        times["build"] = time.perf_counter() - started
        started = time.perf_counter()
        run_validate(paths)
        times["validate"] = time.perf_counter() - started
        started = time.perf_counter()
        run_notebooks(paths.root, paths.root / "notebooks")
        times["notebooks"] = time.perf_counter() - started
        times["floor_fetch_parse"] = bare_fetch_and_parse([c.url for c in read_index(paths)])
        bare_dir = Path(tmp) / "bare"
        bare_dir.mkdir()
        times["floor_notebooks"] = bare_notebooks(paths.root, bare_dir)
    return times


def main() -> int:
    rounds = ARGS.rounds
    with SampleWeb() as web:
        runs = [one_round(web) for _ in range(rounds)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    total = sum(median[stage] for stage in STAGES)
    floor = median["floor_fetch_parse"] + median["floor_notebooks"]
    print(
        ", ".join(f"{stage} {median[stage]:.2f}s" for stage in STAGES)
        + f"; total {total:.2f}s (median of {rounds} rounds, {PROJECT})"
    )
    print(
        f"floors: bare fetch+parse {median['floor_fetch_parse']:.2f}s, notebooks' code in one "
        f"plain process {median['floor_notebooks']:.2f}s; notebooks "
        f"{median['notebooks'] / median['floor_notebooks']:.2f}x their floor, "
        f"total {total / floor:.2f}x"
    )
    print(
        json.dumps(
            {
                "benchmark": "demo_pipeline",
                "project": str(PROJECT),
                "rounds": rounds,
                **{f"{stage}_s": round(median[stage], 2) for stage in STAGES},
                "total_s": round(total, 2),
                "floor_fetch_parse_s": round(median["floor_fetch_parse"], 3),
                "floor_notebooks_s": round(median["floor_notebooks"], 2),
                "notebooks_ratio": round(median["notebooks"] / median["floor_notebooks"], 2),
                "ratio": round(total / floor, 2),
                "target_total_s": TARGET_SECONDS,
                "within_target": total <= TARGET_SECONDS,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
