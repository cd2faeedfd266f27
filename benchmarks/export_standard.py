"""`export_standard` (the cameras in the national standard layout, cp949) on a national-size
warehouse against DuckDB's own `COPY (SELECT …) TO 'x.csv'` of the same rows, in the same
process.

The warehouse is generated as benchmarks/validate_scaling.py makes it. The floor writes the
same non-template camera rows, in the same order, as CSV by DuckDB: the cost of reading
and writing the rows with no per-cell work. Rounds alternate (benchmarks/_timing.py) and
the medians are compared; CPU seconds of the process are printed beside wall time, which a
shared machine makes noisy. The last line printed is one JSON object.

    python benchmarks/export_standard.py [--rows 1000000] [--rounds 3] [--tree DIR]

`--tree` times the export of another checkout of the project (an earlier revision) with
this script, so before and after are measured the same way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from benchmarks._result import print_result
from benchmarks._timing import interleaved

TARGET_RATIO = 5.0

_FLOOR_SQL = """
COPY (
    SELECT inst_code, row_ref, location, purpose, camera_count, retention_days, phone,
           latitude, longitude, fetched_at
    FROM cameras WHERE NOT is_template ORDER BY inst_code NULLS LAST, rowid
) TO '{out}' (FORMAT csv, HEADER)
"""


def copy_rows(db: Path, out: Path) -> None:
    """The floor: the same rows in the same order written as CSV by DuckDB."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(_FLOOR_SQL.format(out=out))
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, help="the project checkout whose code is timed")
    args = parser.parse_args()
    if args.tree is not None:
        sys.path.insert(0, str(args.tree.resolve()))
    # Imported after --tree is on the path, so the export timed is that checkout's.
    from benchmarks.validate_scaling import build
    from warehouse.exports import standard_csv

    print(f"export_standard from {Path(standard_csv.__file__).resolve()}")
    with tempfile.TemporaryDirectory(prefix="export-standard-") as tmp:
        root = Path(tmp)
        db = root / "cctv.duckdb"
        started = time.perf_counter()
        build(db, args.rows)
        print(f"warehouse of {args.rows:,} rows: {time.perf_counter() - started:.1f} s")
        cpu: dict[str, list[float]] = {"export": [], "copy": []}

        def timed(name: str, work: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                start = time.process_time()
                work()
                cpu[name].append(time.process_time() - start)

            return run

        written: list[int] = []
        target, baseline = interleaved(
            timed(
                "export",
                lambda: written.append(
                    standard_csv.export_standard(db, root / "standard.csv", encoding="cp949")
                ),
            ),
            timed("copy", lambda: copy_rows(db, root / "copy.csv")),
            args.rounds,
        )
        export_cpu = statistics.median(cpu["export"][1:])
        copy_cpu = statistics.median(cpu["copy"][1:])
        ratio = target / baseline
        print(
            f"export_standard (cp949): {target:.2f} s, CPU {export_cpu:.2f} s, "
            f"{written[-1]:,} rows, {(root / 'standard.csv').stat().st_size:,} bytes"
        )
        print(f"DuckDB COPY … TO csv of the same rows: {baseline:.2f} s, CPU {copy_cpu:.2f} s")
        print(f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}); CPU ratio {export_cpu / copy_cpu:.2f}")
        ok = print_result(
            "export_standard",
            ratio,
            TARGET_RATIO,
            rows=args.rows,
            export_seconds=round(target, 3),
            copy_seconds=round(baseline, 3),
            export_cpu_s=round(export_cpu, 3),
            copy_cpu_s=round(copy_cpu, 3),
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
