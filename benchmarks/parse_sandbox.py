"""What the parse sandbox costs: the build's documents parsed through the sandboxed worker
(`warehouse.sandbox.parse_untrusted`, what the build and `cctv parse` call) against the
same `parse_with_text` run in this process, interleaved in the same run.

Input: the documents of benchmarks/build_incremental.py (a per-department policy page and
a CSV inventory per institution). The worker is forked once and reused, so the cost is
sending each document and its records between the processes (~20 ms for 4,100 camera
records). Target: within 1.25× of the in-process parse; a whole build spends most of its
time elsewhere (measured: 1.03× with 40 institutions). The last line printed is one JSON
object.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._result import print_result
from benchmarks._timing import interleaved
from benchmarks.build_incremental import institutions, inventory_csv, policy_page
from transforms.contract import parse_with_text
from warehouse.sandbox import ParseSandbox

TARGET_RATIO = 1.25


def documents(count: int, rows: int) -> list[tuple[str, bytes, str]]:
    """(name, body, content type) of `count` policy pages and `count` CSV inventories."""
    rng = random.Random(7)
    docs = []
    for inst in institutions(count):
        docs.append((f"{inst.inst_code}.html", policy_page(inst, rng), "text/html"))
        docs.append((f"{inst.inst_code}.csv", inventory_csv(rows, rng), "text/csv"))
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=4100, help="inventory rows each")
    args = parser.parse_args()
    docs = documents(args.institutions, args.rows)
    with ParseSandbox() as sandbox:

        def sandboxed() -> None:
            for name, body, kind in docs:
                sandbox.parse(body, name=name, filename=name, content_type=kind)

        def in_process() -> None:
            for name, body, kind in docs:
                parse_with_text(body, filename=name, content_type=kind)

        t_sandbox, t_plain = interleaved(sandboxed, in_process, rounds=5)
    ratio = t_sandbox / t_plain
    size = sum(len(body) for _, body, _ in docs)
    print(f"{len(docs)} documents ({size:,} bytes)")
    print(f"sandboxed {t_sandbox:.2f} s; in process {t_plain:.2f} s; ratio {ratio:.3f}")
    print_result(
        "parse_sandbox",
        ratio,
        TARGET_RATIO,
        documents=len(docs),
        sandboxed_s=round(t_sandbox, 3),
        in_process_s=round(t_plain, 3),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
