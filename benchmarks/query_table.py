"""`cctv query`'s table against its CSV for the same rows: the table a person reads must
cost at most twice the CSV a program reads, so `--limit 0` on a long answer is never slow.

The rows are shaped like the warehouse's camera rows (a code, a Hangul place that is
sometimes long enough to be cut, a purpose, counts, a missing retention now and then,
coordinates, a KST capture time), generated here so the figure does not depend on a
crawl. Both sides write to an in-memory stdout, as in a pipe; rounds alternate and the
medians are compared (benchmarks/_timing.py). The last line printed is one JSON object.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._result import print_result
from benchmarks._timing import interleaved
from domain.constants import KST
from pipelines.console import print_csv, print_table

ROWS = 20_000
TARGET_RATIO = 2.0
COLUMNS = [
    "inst_code",
    "location",
    "purpose",
    "camera_count",
    "retention_days",
    "latitude",
    "longitude",
    "fetched_at",
]
PLACES = ["주차장", "본청 전체(각층), 종합민원실", "어린이공원 놀이터 입구", "수송동 123"]
PURPOSES = ["생활방범", "어린이보호", "시설물관리", "교통단속", "다목적"]


def camera_rows(n: int) -> list[tuple]:
    pick = random.Random(15)
    at = dt.datetime(2026, 11, 3, 0, 30, tzinfo=KST)
    rows = []
    for i in range(n):
        place = pick.choice(PLACES) * (3 if i % 50 == 0 else 1)  # now and then, too long
        retention = None if i % 7 == 0 else pick.choice([14, 30, 60])
        rows.append(
            (
                f"{3510500 + i % 243:07d}",
                place,
                pick.choice(PURPOSES),
                pick.randint(1, 40),
                retention,
                37 + pick.random(),
                126 + pick.random(),
                at,
            )
        )
    return rows


def main() -> bool:
    rows = camera_rows(ROWS)

    def as_table() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            print_table(COLUMNS, rows)

    def as_csv() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            print_csv([COLUMNS, *rows])

    table, csv = interleaved(as_table, as_csv)
    return print_result(
        "query_table",
        table / csv,
        TARGET_RATIO,
        rows=ROWS,
        table_seconds=round(table, 4),
        csv_seconds=round(csv, 4),
    )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
