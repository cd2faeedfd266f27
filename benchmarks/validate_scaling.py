"""`cctv validate` on a national-size warehouse against the same checks as plain SQL.

The warehouse is generated here in DuckDB (no crawl): 243 registered institutions with a
policy each, camera rows shaped like parsed inventories (Hangul units and places, the
standard purposes, retention texts and days, phones, KST capture times) and standard-data
points, with a few failures of each kind (long retention, a malformed phone, a template
row that kept its number, coordinates outside Korea, unreadable retention text) so the
failing-row paths are exercised. The baseline is one SQL query per rule on the same file,
counting failing rows per 기관코드: the floor for the same judgement where the data is.
Rounds alternate (benchmarks/_timing.py) and the medians are compared; CPU seconds (every
thread of the process, DuckDB's included) are printed beside wall time, which a shared
machine makes noisy, and the demo's validate time after them. The last line printed is one
JSON object.

    python benchmarks/validate_scaling.py [--rows 1000000] [--rounds 3] [--tree DIR]

`--tree` measures the code of another checkout of the project (an earlier revision) with
this script, so before and after are timed the same way.
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
import pyarrow as pa

from benchmarks._result import print_result
from benchmarks._timing import interleaved

TARGET_RATIO = 5.0
INSTITUTIONS = 243
STANDARD_SHARE = 0.1  # of the rows, standard-data points; the rest camera rows

_CAMERAS = """
INSERT INTO cameras BY NAME
SELECT
    printf('%07d', 3510500 + i % {inst}) AS inst_code,
    ['총무과', '교통행정과', '안전총괄과', '○○과'][1 + i % 4] AS unit,
    ['범죄 예방', '어린이 보호', '시설물 관리', '교통 단속'][1 + i % 4] AS purpose_raw,
    ['생활방범', '어린이보호', '시설물관리', '교통단속'][1 + i % 4] AS purpose,
    [2]::TINYINT[] AS legal_basis,
    CASE WHEN i % 4 = 3 THEN NULL ELSE 1 + i % 40 END AS camera_count,
    ['본청 전체(각층)', '어린이공원 놀이터 입구', '주차장', '○○동 000번지'][1 + i % 4]
        AS location,
    '24h' AS recording_hours,
    true AS recording,
    CASE WHEN i % 4 = 3 THEN NULL WHEN i % 97 = 0 THEN 90 ELSE 30 END AS retention_days,
    CASE WHEN i % 4 = 3 THEN NULL WHEN i % 97 = 0 THEN '촬영일로부터 90일'
         WHEN i % 5003 = 0 THEN '별도 지정' ELSE '촬영일로부터 30일' END AS retention_raw,
    '당직실' AS storage_location,
    'fixed' AS device_type,
    i % 4 = 3 AS is_template,
    CASE WHEN i % 1009 = 0 THEN '880-4032' ELSE '032-880-4032' END AS phone,
    CASE WHEN i % 2003 = 0 THEN 126.6 ELSE 37.4 + (i % 100) / 1000 END AS latitude,
    CASE WHEN i % 2003 = 0 THEN 37.4 ELSE 126.6 + (i % 100) / 1000 END AS longitude,
    'page' AS source_kind,
    printf('table 1, row %d', i % 500 + 1) AS row_ref,
    sha256(printf('page %d', i % {inst})) AS capture_sha256,
    printf('https://www.example%d.go.kr/cctv', i % {inst}) AS source_url,
    TIMESTAMPTZ '2026-11-03 00:30:00+09' AS fetched_at,
    '0.1.0' AS parser_version
FROM range({n}) t(i)
"""

_STANDARD = """
INSERT INTO standard_points BY NAME
SELECT
    printf('%07d', 3510500 + i % {inst}) AS inst_code,
    '인천광역시 미추홀구' AS inst_name_raw,
    printf('%d-%d', i % {inst}, i) AS mgmt_no,
    '인천광역시 미추홀구 소성로 163' AS address_road,
    '생활방범' AS purpose_raw,
    CASE WHEN i % 3001 = 0 THEN NULL ELSE '생활방범' END AS purpose,
    CASE WHEN i % 1999 = 0 THEN 0 ELSE 1 + i % 6 END AS camera_count,
    CASE WHEN i % 11 = 0 THEN 0 ELSE 30 END AS retention_days,
    '30' AS retention_raw,
    CASE WHEN i % 4001 = 0 THEN '2027-01' ELSE printf('20%02d-%02d', 10 + i % 15, 1 + i % 12)
        END AS installed_ym,
    37.4 + (i % 100) / 1000 AS latitude,
    CASE WHEN i % 2999 = 0 THEN 12.6 ELSE 126.6 + (i % 100) / 1000 END AS longitude,
    DATE '2025-06-30' AS reference_date,
    'G4' AS schema_generation,
    i + 2 AS row_number,
    printf('row %d', i + 2) AS row_ref,
    sha256('standard') AS capture_sha256,
    'https://www.data.go.kr/cctv.csv' AS source_url,
    TIMESTAMPTZ '2026-11-03 00:30:00+09' AS fetched_at,
    '0.1.0' AS parser_version
FROM range({n}) t(i)
"""

_INSTITUTIONS = """
INSERT INTO institutions BY NAME
SELECT printf('%07d', 3510500 + i) AS inst_code, printf('기관 %d', i) AS name,
       CASE WHEN i < 17 THEN 'sido' ELSE 'gu' END AS level,
       DATE '2000-01-01' AS valid_from, false AS crawled
FROM range({inst}) t(i)
"""

_POLICIES = """
INSERT INTO policies BY NAME
SELECT printf('%07d', 3510500 + i) AS inst_code, '영상정보처리기기 운영·관리 방침' AS title,
       'fixed' AS device_scope, [1, 2, 3, 4, 5, 6, 7]::TINYINT[] AS items_present,
       '24h' AS recording_hours, 7 AS retention_days_min,
       CASE WHEN i % 10 = 0 THEN 60 ELSE 30 END AS retention_days_max,
       ['CCTV 통합관제센터'] AS storage_locations, DATE '2012-03-30' AS enacted_on,
       DATE '2022-02-22' AS revised_on, false AS is_template, 0 AS attachment_count,
       4000 AS camera_rows, sha256(printf('page %d', i)) AS capture_sha256,
       printf('https://www.example%d.go.kr/cctv', i) AS source_url,
       TIMESTAMPTZ '2026-11-03 00:30:00+09' AS fetched_at, '0.1.0' AS parser_version
FROM range({inst}) t(i)
"""

# The floor: each rule as one query counting failing rows per 기관코드.
_CAMERA_RULES = [
    "retention_days NOT BETWEEN 0 AND 365",
    "retention_days > 30",
    "(recording OR recording IS NULL) AND retention_days < 1",
    "NOT is_template AND camera_count < 1",
    "camera_count > 20000",
    "is_template AND camera_count IS NOT NULL",
    "is_template AND retention_days IS NOT NULL",
    "purpose NOT IN ('생활방범', '어린이보호', '시설물관리', '교통단속', '다목적')",
    "NOT is_template AND purpose IS NULL",
    "recording_hours NOT IN ('24h', 'scheduled', 'none')",
    "device_type NOT IN ('fixed', 'mobile')",
    "retention_days > 0 AND storage_location IS NULL",
    "NOT regexp_full_match(phone, '0\\d{1,2}-\\d{3,4}-\\d{4}')",
    "latitude NOT BETWEEN 33 AND 39",
    "longitude NOT BETWEEN 124 AND 132",
    "inst_code IS NULL OR NOT regexp_full_match(inst_code, '\\d{7}')",
    "source_url IS NULL",
    "inst_code NOT IN (SELECT inst_code FROM institutions)",
    "retention_raw NOT LIKE '촬영일로부터%'",
    "unit LIKE '%○○%' AND NOT is_template",
]
_STANDARD_RULES = [
    "latitude NOT BETWEEN 33 AND 39",
    "longitude NOT BETWEEN 124 AND 132",
    "retention_days NOT BETWEEN 0 AND 365",
    "purpose <> '교통정보수집' AND retention_days < 1",
    "purpose IS NULL",
    "camera_count < 1",
    "strptime(installed_ym, '%Y-%m') > date_trunc('month', reference_date)",
]


def build(path: Path, rows: int) -> None:
    """The warehouse file: every table of the schema, the validated ones filled."""
    from warehouse.schema import TABLES

    con = duckdb.connect(str(path))
    try:
        for name, schema in TABLES.items():
            con.register("empty", pa.Table.from_pylist([], schema=schema))
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
            con.unregister("empty")
        standard = int(rows * STANDARD_SHARE)
        fill = {"inst": INSTITUTIONS}
        con.execute(_INSTITUTIONS.format(**fill))
        con.execute(_POLICIES.format(**fill))
        con.execute(_CAMERAS.format(n=rows - standard, **fill))
        con.execute(_STANDARD.format(n=standard, **fill))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def plain_sql(path: Path) -> int:
    """Every rule as SQL on the file, read-only: failing rows per 기관코드."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        failing = 0
        for table, rules in (("cameras", _CAMERA_RULES), ("standard_points", _STANDARD_RULES)):
            for rule in rules:
                found = con.execute(
                    f"SELECT inst_code, count(*) FROM {table} WHERE {rule} GROUP BY inst_code"
                ).fetchall()
                failing += sum(n for _, n in found)
        con.execute("SELECT count(*), max(camera_count) FROM cameras GROUP BY inst_code")
        return failing
    finally:
        con.close()


def run_validate(path: Path, out: Path) -> bool:
    from warehouse.validation import validate

    return validate(path, out / "docs", out / "results").ok


def demo_validate_seconds(demo: Path, out: Path) -> float | None:
    """The demo warehouse's validate time (on a copy), when `make demo` has built one."""
    if not demo.exists():
        return None
    copy = out / "demo.duckdb"
    copy.write_bytes(demo.read_bytes())
    start = time.perf_counter()
    run_validate(copy, out / "demo")
    return time.perf_counter() - start


def cpu_timed(work: Callable[[], object], seconds: list[float]) -> Callable[[], object]:
    """`work`, noting the CPU seconds of each call in `seconds`."""

    def timed() -> object:
        start = time.process_time()
        try:
            return work()
        finally:
            seconds.append(time.process_time() - start)

    return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, help="the project checkout whose code is timed")
    parser.add_argument(
        "--demo",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "warehouse" / "cctv.duckdb",
        help="the demo warehouse to time validate on (default: the one `make demo` leaves)",
    )
    args = parser.parse_args()
    if args.tree is not None:
        sys.path.insert(0, str(args.tree.resolve()))
    with tempfile.TemporaryDirectory(prefix="validate-scaling-") as tmp:
        out = Path(tmp)
        db = out / "cctv.duckdb"
        start = time.perf_counter()
        build(db, args.rows)
        built = time.perf_counter() - start
        target_cpu: list[float] = []
        floor_cpu: list[float] = []
        target, floor = interleaved(
            cpu_timed(lambda: run_validate(db, out), target_cpu),
            cpu_timed(lambda: plain_sql(db), floor_cpu),
            rounds=args.rounds,
        )
        # the first call of each is the warm-up, outside the measurement
        cpu, cpu_floor = statistics.median(target_cpu[1:]), statistics.median(floor_cpu[1:])
        demo = demo_validate_seconds(args.demo, out)
    ratio = target / floor
    print(
        f"{args.rows:,} rows (generated in {built:.1f} s): validate {target:.2f} s, "
        f"plain SQL {floor:.3f} s, ratio {ratio:.1f}×; CPU {cpu:.2f} s against {cpu_floor:.3f} s "
        f"({cpu / cpu_floor:.1f}×)" + (f"; demo validate {demo:.2f} s" if demo is not None else "")
    )
    within = print_result(
        "validate_scaling",
        ratio,
        TARGET_RATIO,
        rows=args.rows,
        validate_s=round(target, 3),
        plain_sql_s=round(floor, 3),
        validate_cpu_s=round(cpu, 3),
        plain_sql_cpu_s=round(cpu_floor, 3),
        demo_validate_s=None if demo is None else round(demo, 3),
    )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
