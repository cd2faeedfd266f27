"""The SQLite copy `cctv serve` makes, on a national-size warehouse, against DuckDB reading
the same tables and views to Arrow.

The warehouse is the one benchmarks/validate_scaling.py generates (a million camera and
standard-data rows over 243 institutions), with the build's views added. The copy reads
every public table and the regulators' views from DuckDB as Arrow batches and writes them,
with their links, facet columns and indexes, into a new SQLite file; the baseline is DuckDB
reading the same queries to Arrow tables in the same process: what any copy has to pay
before it writes a row. Rounds alternate (benchmarks/_timing.py) and the medians are
compared. The last line printed is one JSON object.

    python benchmarks/serve_copy.py [--rows 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from benchmarks._result import print_result
from benchmarks._timing import interleaved
from benchmarks.validate_scaling import build

# Writing rows one by one through SQLite (each value a Python object on the way) and
# building its indexes costs a multiple of DuckDB's columnar read: 16–25× measured on a
# shared 2-core machine (about 14 s for the million rows). Above 30× the copy has become
# the slow part of starting `cctv serve`.
TARGET_RATIO = 30.0


def add_views(path: Path) -> None:
    """The build's views over the generated tables, as `cctv build` creates them."""
    from warehouse.build import view_files

    con = duckdb.connect(str(path))
    try:
        for sql in view_files():
            con.execute(sql.read_text(encoding="utf-8"))
    finally:
        con.close()


def read_to_arrow(path: Path) -> int:
    """The baseline: DuckDB reads every query the copy reads into Arrow tables."""
    from warehouse.serve.copy import plans

    con = duckdb.connect(str(path), read_only=True)
    try:
        return sum(con.sql(plan.select).to_arrow_table().num_rows for plan in plans(con))
    finally:
        con.close()


def make_copy(path: Path, out: Path) -> int:
    from warehouse.serve.copy import write_copy

    target = out / "cctv.db"
    target.unlink(missing_ok=True)
    return sum(write_copy(path, target).values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-copy-") as tmp:
        out = Path(tmp)
        db = out / "cctv.duckdb"
        start = time.perf_counter()
        build(db, args.rows)
        add_views(db)
        built = time.perf_counter() - start
        rows = make_copy(db, out)
        assert rows == read_to_arrow(db), "the copy holds every row DuckDB reads"
        target, floor = interleaved(
            lambda: make_copy(db, out), lambda: read_to_arrow(db), rounds=args.rounds
        )
        size = (out / "cctv.db").stat().st_size
        source = db.stat().st_size
    ratio = target / floor
    print(
        f"{args.rows:,} generated rows ({built:.1f} s), {rows:,} rows copied: SQLite copy "
        f"{target:.2f} s, DuckDB to Arrow {floor:.2f} s, ratio {ratio:.1f}×; copy "
        f"{size / 1e6:,.0f} MB from a {source / 1e6:,.0f} MB warehouse"
    )
    within = print_result(
        "serve_copy",
        ratio,
        TARGET_RATIO,
        rows=args.rows,
        copied_rows=rows,
        copy_s=round(target, 3),
        arrow_s=round(floor, 3),
        copy_mb=round(size / 1e6, 1),
        warehouse_mb=round(source / 1e6, 1),
    )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
