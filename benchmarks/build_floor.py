"""A full `cctv build` against its floor: the same archived inputs read bare and loaded once.

Input: N institutions (default 243), each a policy page and a CSV inventory, plus a national
standard-data file (default 100,000 points), archived as a crawl would archive them (the
generator of build_incremental.py). The floor reads the same payloads from the archive and
does the least a warehouse needs: lxml parses each page, csv reads each inventory, Arrow
reads the standard CSV, then one DuckDB `CREATE TABLE AS` from Arrow and one Parquet write.
The build runs in a child process (a fresh parse cache each round) so its peak RSS is its
own: the building process's high-water mark (VmHWM; `ru_maxrss` would carry over this
script's own memory at the moment it started the child), and `ru_maxrss` of its parse
workers. CPU seconds are
compared too (the build's with its worker's, the floor's), since wall time on a shared
machine also measures the neighbours. Build and floor alternate
and the medians are compared. Target: build ≤ 3× floor; peak memory < 1 GB.

`--tree DIR` measures the code of another checkout of the project (its benchmarks and
packages first on sys.path), so an older tree is measured by this same script. The last
line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {tree!r})
from archive.paths import data_paths
from benchmarks.build_incremental import institutions
import warehouse.sandbox
from warehouse.build import build
registry = institutions({count})
start = time.perf_counter()
report = build(data_paths({root!r}), registry, reparse=True)
seconds = time.perf_counter() - start
if warehouse.sandbox._shared is not None:  # the parse worker, waited for: its usage counts
    warehouse.sandbox._shared.close()
own = resource.getrusage(resource.RUSAGE_SELF)
worker = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + worker.ru_utime + worker.ru_stime
# The peak of this process's own memory (VmHWM): ru_maxrss would also count the benchmark's
# memory at the moment it started this child (Linux keeps the larger across fork and exec).
try:
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
except (OSError, StopIteration):
    peak_kb = own.ru_maxrss
print(json.dumps({{"seconds": seconds, "cpu_s": cpu, "rss_mb": peak_kb / 1024,
                  "worker_rss_mb": worker.ru_maxrss / 1024, "rows": report.rows}}))
"""


def run_build(tree: Path, root: Path, count: int) -> dict:
    """One full build (every document parsed again) in a child; its own figures."""
    code = _CHILD.format(tree=str(tree), count=count, root=str(root))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tree, check=False
    )
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"the build failed in {tree}: {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor(root: Path) -> int:
    """The same payloads read bare, one Arrow table per kind, one DuckDB load and one
    Parquet write; returns the rows loaded."""
    import duckdb
    import lxml.html
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from archive.index import read_index
    from archive.paths import data_paths
    from archive.reader import ArchiveReader

    paths = data_paths(root)
    captures = read_index(paths)
    reader = ArchiveReader(paths, captures)
    cells: dict[str, list] = {"inst_code": [], "unit": [], "location": [], "count": []}
    standard = None
    for capture in captures:
        body = reader.payload(capture.sha256)
        if capture.role == "standard":
            standard = pacsv.read_csv(
                io.BytesIO(body), read_options=pacsv.ReadOptions(encoding="cp949")
            )
        elif (capture.content_type or "").startswith("text/html"):
            tree = lxml.html.fromstring(body)
            for tr in tree.iter("tr"):
                texts = [td.text_content() for td in tr.iter("td")]
                if len(texts) >= 4:
                    cells["inst_code"].append(capture.inst_code)
                    cells["unit"].append(texts[0])
                    cells["location"].append(texts[3])
                    cells["count"].append(texts[2])
        else:
            rows = csv.reader(io.StringIO(body.decode("utf-8")))
            next(rows, None)
            for row in rows:
                cells["inst_code"].append(capture.inst_code)
                cells["unit"].append(row[1])
                cells["location"].append(row[3])
                cells["count"].append(row[4])
    cameras = pa.table(cells)
    with tempfile.TemporaryDirectory() as out:
        con = duckdb.connect(str(Path(out) / "floor.duckdb"))
        con.register("incoming", cameras)
        con.execute("CREATE TABLE cameras AS SELECT * FROM incoming")
        con.unregister("incoming")
        if standard is not None:
            con.register("incoming", standard)
            con.execute("CREATE TABLE standard_points AS SELECT * FROM incoming")
            con.unregister("incoming")
        con.execute("CHECKPOINT")
        con.close()
        pq.write_table(cameras, Path(out) / "cameras.parquet")
        if standard is not None:
            pq.write_table(standard, Path(out) / "standard_points.parquet")
    return cameras.num_rows + (standard.num_rows if standard is not None else 0)


def measure(tree: Path, count: int, rows_each: int, standard: int, rounds: int) -> dict:
    """Generate the archive once, then alternate floor and build for `rounds` rounds."""
    from benchmarks.build_incremental import generate, institutions

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, institutions(count), rows_each, standard)
        floors, floor_cpu, builds = [], [], []
        for _ in range(rounds):
            start, cpu = time.perf_counter(), time.process_time()
            loaded = floor(root)
            floors.append(time.perf_counter() - start)
            floor_cpu.append(time.process_time() - cpu)
            builds.append(run_build(tree, root, count))
    seconds = statistics.median(b["seconds"] for b in builds)
    floor_s = statistics.median(floors)
    # CPU seconds too: on a shared machine wall time measures the neighbours as well.
    cpu_s = statistics.median(b["cpu_s"] for b in builds)
    floor_cpu_s = statistics.median(floor_cpu)
    return {
        "institutions": count,
        "camera_rows": builds[-1]["rows"].get("cameras", 0),
        "standard_points": builds[-1]["rows"].get("standard_points", 0),
        "floor_rows": loaded,
        "build_s": round(seconds, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(seconds / floor_s, 2),
        "build_cpu_s": round(cpu_s, 2),
        "floor_cpu_s": round(floor_cpu_s, 2),
        "cpu_ratio": round(cpu_s / floor_cpu_s, 2),
        "peak_rss_mb": round(max(b["rss_mb"] for b in builds)),
        "worker_peak_rss_mb": round(max(b["worker_rss_mb"] for b in builds)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=HERE, help="project checkout to measure")
    parser.add_argument("--institutions", type=int, default=243)
    parser.add_argument("--rows", type=int, default=4100, help="inventory rows each")
    parser.add_argument("--standard", type=int, default=100_000, help="standard-data rows")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))
    os.environ.setdefault("CCTV_PARSE_SECONDS", "600")
    result = measure(tree, args.institutions, args.rows, args.standard, args.rounds)
    print(
        f"{tree}: {result['camera_rows']:,} camera rows + {result['standard_points']:,} "
        f"standard points from {args.institutions} institutions: build {result['build_s']}s "
        f"vs floor {result['floor_s']}s = {result['ratio']}x (target 3x); CPU "
        f"{result['build_cpu_s']}s vs {result['floor_cpu_s']}s = {result['cpu_ratio']}x; peak "
        f"RSS {result['peak_rss_mb']} MB (parse worker {result['worker_peak_rss_mb']} MB)"
    )
    print(json.dumps({"benchmark": "build_floor", "tree": str(tree), **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
