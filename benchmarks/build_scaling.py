"""Build time and peak memory against the number of institutions (122 / 243 / 486 / 972).

Each size is its own archive (build_incremental.py's generator: a policy page and a CSV
inventory per institution, the same rows each), built in a child process so that its peak
RSS is its own, next to the bare floor of the same inputs (build_floor.py). Time should grow
linearly with the institutions and the ratio to the floor stay put; peak memory should stay
flat, since camera rows are written to Parquet as each document is read.

`--tree DIR` measures another checkout of the project with this same script. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=HERE, help="project checkout to measure")
    parser.add_argument("--sizes", default="122,243,486,972", help="institution counts")
    parser.add_argument("--rows", type=int, default=1000, help="inventory rows each")
    parser.add_argument("--standard", type=int, default=20_000, help="standard-data rows")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))
    sys.path.insert(1, str(HERE))
    os.environ.setdefault("CCTV_PARSE_SECONDS", "600")
    # This checkout's measurement, whichever tree is measured: another tree's copy of
    # build_floor.py may measure differently (its peak memory, for one).
    spec = importlib.util.spec_from_file_location(
        "build_floor", HERE / "benchmarks" / "build_floor.py"
    )
    assert spec is not None and spec.loader is not None
    build_floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_floor)
    measure = build_floor.measure

    results = []
    for count in (int(n) for n in args.sizes.split(",")):
        result = measure(tree, count, args.rows, args.standard, args.rounds)
        results.append(result)
        print(
            f"{count:>4} institutions, {result['camera_rows']:>9,} camera rows: build "
            f"{result['build_s']:>7.1f}s, floor {result['floor_s']:>5.1f}s "
            f"({result['ratio']:>5.1f}x; CPU {result['cpu_ratio']:>5.1f}x), peak RSS "
            f"{result['peak_rss_mb']:>5} MB (parse worker {result['worker_peak_rss_mb']} MB)",
            flush=True,
        )
    first, last = results[0], results[-1]
    print(
        json.dumps(
            {
                "benchmark": "build_scaling",
                "tree": str(tree),
                "sizes": results,
                "memory_growth": round(last["peak_rss_mb"] / first["peak_rss_mb"], 2),
                "institution_growth": round(last["institutions"] / first["institutions"], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
