"""`cctv release` of a national-size warehouse against DuckDB's own `COPY … TO parquet` of
the same tables, in the same process.

The warehouse is generated in DuckDB as benchmarks/validate_scaling.py makes it (243
institutions with a policy each, camera rows shaped like parsed inventories, standard-data
points). The release writes every public table as Parquet (sorted, one thread) and as CSV
with formula cells made inert, the cameras in the cp949 standard layout, copies the
DuckDB file and hashes everything; the baseline only copies the tables to Parquet. Rounds
alternate (benchmarks/_timing.py) and the medians are compared. The release's size is
printed beside the ratio; the last line is one JSON object.

    python benchmarks/release.py [--rows 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from benchmarks._result import print_result
from benchmarks._timing import interleaved
from benchmarks.validate_scaling import build

TARGET_RATIO = 2.0


def copy_tables(db: Path, out: Path) -> None:
    """The floor: every public table copied to Parquet by DuckDB, nothing else."""
    from warehouse.release.tables import PUBLIC_TABLES

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name in PUBLIC_TABLES:
            con.execute(f"COPY {name} TO '{out / name}.parquet' (FORMAT parquet)")
    finally:
        con.close()


def breakdown(db: Path, work: Path) -> dict[str, float]:
    """Where one release's time goes, each part alone: the tables as sorted Parquet and as
    CSV (both by DuckDB, on one thread), the cp949 standard layout (the export, row by row
    in Python), and hashing every file."""
    from warehouse.exports.shared import read_only_warehouse
    from warehouse.exports.standard_csv import export_standard
    from warehouse.release.checksums import file_sha256
    from warehouse.release.tables import PUBLIC_TABLES, deterministic, write_csv, write_parquet

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    parts = {}
    with read_only_warehouse(db) as (con, _):
        deterministic(con)
        for part, write, suffix in (
            ("parquet", write_parquet, "parquet"),
            ("csv", write_csv, "csv"),
        ):
            started = time.perf_counter()
            for name in PUBLIC_TABLES:
                write(con, name, work / f"{name}.{suffix}")
            parts[part] = time.perf_counter() - started
    started = time.perf_counter()
    export_standard(db, work / "standard.csv", encoding="cp949")
    parts["standard_layout"] = time.perf_counter() - started
    started = time.perf_counter()
    for path in sorted(work.iterdir()):
        file_sha256(path)
    parts["hashing"] = time.perf_counter() - started
    return parts


def release(db: Path, out: Path) -> Path:
    from warehouse.release.build import make_release

    shutil.rmtree(out, ignore_errors=True)
    return make_release(db, out).path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cctv-release-bench-") as tmp:
        root = Path(tmp)
        db = root / "cctv.duckdb"
        started = time.perf_counter()
        build(db, args.rows)
        print(f"warehouse of {args.rows:,} rows: {time.perf_counter() - started:.1f} s")
        out = root / "releases"
        target, baseline = interleaved(
            lambda: release(db, out), lambda: copy_tables(db, root / "copy"), args.rounds
        )
        path = release(db, out)
        files = [p for p in path.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        copied = sum(p.stat().st_size for p in (root / "copy").glob("*.parquet"))
        parts = breakdown(db, root / "parts")
        ratio = target / baseline
        parquet_ratio = parts["parquet"] / baseline
        print(f"release: {target:.2f} s, {size:,} bytes in {len(files)} files ({path.name})")
        print(f"DuckDB COPY … TO parquet of the same tables: {baseline:.2f} s, {copied:,} bytes")
        print("one release, by part: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))
        print(f"the release's Parquet alone (sorted, one thread) / COPY: {parquet_ratio:.2f}")
        print(f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO})")
        ok = print_result(
            "release",
            ratio,
            TARGET_RATIO,
            rows=args.rows,
            release_seconds=round(target, 3),
            copy_seconds=round(baseline, 3),
            release_bytes=size,
            copy_bytes=copied,
            parquet_ratio=round(parquet_ratio, 3),
            **{f"{k}_seconds": round(v, 3) for k, v in parts.items()},
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
