"""`load_standard` on a national-size file vs a bare DuckDB `read_csv` of the same file.

The national bulk file (~370,000 rows, CP949, 18 columns) is not stored here, so one is
built: the real regional rows of ../shared/realdata/std_data (without them, the test
fixtures) are repeated in the newest (G4) column order with its YYYYMM 설치연월, each copy
with new 관리번호 and coordinates moved by about a metre (copies stay distinct points and
only the real dummy points cluster), and written as CP949.

Both sides start from the file's bytes in memory and include the same decode step
(`transforms.encoding.decode_text`; DuckDB has no CP949 decoder without a downloaded
extension). The baseline then runs DuckDB `read_csv` (header, every column VARCHAR, as the
mixed cells need) on a UTF-8 copy written before timing, to Arrow. The target is all of
`load_standard`: parse, checks, flags, issue rows, Arrow output. Rounds alternate and
medians are compared (benchmarks/_timing.py).

Peak memory is the peak resident set (VmHWM) of a child process that imports the project
and runs `load_standard` once: the whole process, interpreter and libraries included. The
last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from benchmarks._timing import interleaved
from registry.dimension import load_institutions
from registry.institutions import InstitutionResolver
from transforms.encoding import decode_text
from transforms.standard import GENERATIONS, LABELS, StandardHeaderError, detect_layout
from warehouse.standard import StandardLoad, load_standard

PROJECT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT.parent / "shared" / "realdata" / "std_data"
FIXTURES = PROJECT / "tests" / "files" / "standard"
TARGET_ROWS = 370_000
TARGET_RATIO = 2.0
MEMORY_LIMIT_MB = 2048
G4 = GENERATIONS["G4"]
HEADER = [
    {"installed_ym": "설치연월", "latitude": "WGS84위도", "longitude": "WGS84경도"}.get(
        c, LABELS[c]
    )
    for c in G4
]


def source_files() -> list[Path]:
    root = REALDATA if REALDATA.exists() else FIXTURES
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def regional_rows() -> list[dict[str, str]]:
    """Every record of every standard CSV, as canonical column → cell text."""
    rows: list[dict[str, str]] = []
    for path in source_files():
        text = decode_text(path.read_bytes()).text.lstrip("\ufeff")
        records = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
        header = next(records, [])
        try:
            layout = detect_layout(header)
        except StandardHeaderError:
            continue
        for record in records:
            if len(record) == len(header):
                rows.append({c: v for c, v in zip(layout.columns, record, strict=True) if c})
    return rows


def _moved(value: str, copy: int) -> str:
    """A coordinate moved by `copy` × 1e-5 degrees (about a metre), keeping odd values odd."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number == 0 or number > 200:
        return value
    return f"{number + copy * 1e-5:.8f}"


def build_national(path: Path, rows: list[dict[str, str]]) -> int:
    resolver = InstitutionResolver(load_institutions())
    codes: dict[str, str] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    written = copy = 0
    while written < TARGET_ROWS:
        copy += 1
        for row in rows:
            name = row.get("inst_name", "")
            if name not in codes:
                codes[name] = resolver.resolve(name or None).inst_code or ""
            code = row.get("open_inst_code") or codes[name] or "0000000"
            record = dict(row)
            record["open_inst_code"] = code
            record["mgmt_no"] = f"2026{code}{copy:03d}{written:08d}"
            record["installed_ym"] = row.get("installed_ym", "").replace("-", "")
            record["latitude"] = _moved(row.get("latitude", ""), copy)
            record["longitude"] = _moved(row.get("longitude", ""), copy)
            writer.writerow([record.get(c, "") for c in G4])
            written += 1
            if written >= TARGET_ROWS:
                break
    path.write_bytes(out.getvalue().encode("cp949", errors="replace"))
    return written


_CHILD = """
import json, resource, sys
sys.path.insert(0, {project!r})
from registry.dimension import load_institutions
from warehouse.standard import load_standard


def hwm_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


institutions = load_institutions()
body = open({path!r}, "rb").read()
before = hwm_kib()
loaded = load_standard(body, filename="national.csv", capture_sha256="0" * 64,
                       source_url=None, fetched_at=None, institutions=institutions)
print(json.dumps({{"rows": loaded.table.num_rows, "before_kib": before, "peak_kib": hwm_kib(),
                  "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def child_peak(path: Path) -> dict:
    """One load in a fresh process; its peak resident memory before and after the load.

    VmHWM (the peak RSS of the process image) is read rather than `ru_maxrss`, because on
    Linux `ru_maxrss` carries the parent's high-water mark across fork and exec, which
    here would report the benchmark's own memory instead of the load's."""
    code = _CHILD.format(project=str(PROJECT), path=str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"memory probe failed: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    rows = regional_rows()
    if not rows:
        print("no standard-data rows to build from", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        national = Path(tmp) / "national.csv"
        started = time.perf_counter()
        count = build_national(national, rows)
        body = national.read_bytes()
        utf8 = Path(tmp) / "national-utf8.csv"
        utf8.write_text(decode_text(body).text, encoding="utf-8")
        print(
            f"built {count} rows ({len(body) / 1e6:.1f} MB CP949) from {len(rows)} regional "
            f"rows in {time.perf_counter() - started:.1f}s"
        )
        institutions = InstitutionResolver(load_institutions())
        con = duckdb.connect()

        def target() -> StandardLoad:
            return load_standard(
                body,
                filename="national.csv",
                capture_sha256="0" * 64,
                source_url=None,
                fetched_at=None,
                institutions=institutions,
            )

        def baseline() -> None:
            decode_text(body)
            con.sql(
                f"SELECT * FROM read_csv('{utf8}', header = true, all_varchar = true)"
            ).to_arrow_table()

        loaded = target()
        target_s, baseline_s = interleaved(target, baseline, rounds=5)
        memory = child_peak(national)
    ratio = target_s / baseline_s
    peak_mb = memory["peak_kib"] / 1024
    print(
        f"load_standard      {target_s:.2f} s  ({loaded.table.num_rows} points, "
        f"{loaded.issue_table.num_rows} issues)"
    )
    print(f"decode + read_csv  {baseline_s:.2f} s")
    print(
        f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}); child peak RSS {peak_mb:.0f} MB "
        f"(after imports {memory['before_kib'] / 1024:.0f} MB; limit {MEMORY_LIMIT_MB} MB)"
    )
    print(
        json.dumps(
            {
                "benchmark": "standard_import",
                "rows": count,
                "bytes": len(body),
                "load_standard_s": round(target_s, 3),
                "duckdb_read_csv_s": round(baseline_s, 3),
                "ratio": round(ratio, 2),
                "target_ratio": TARGET_RATIO,
                "issues": loaded.issue_table.num_rows,
                "peak_rss_mb": round(peak_mb, 1),
                "peak_rss_method": "VmHWM of a child process running one load",
                "baseline": "decode_text + duckdb read_csv(all_varchar) of a UTF-8 copy, to Arrow",
            }
        )
    )
    return 0 if ratio <= TARGET_RATIO and peak_mb < MEMORY_LIMIT_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
