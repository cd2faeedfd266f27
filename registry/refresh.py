"""Rebuild `institutions.csv` from the reference list of local governments, keeping the
override columns already filled in: `python -m registry.refresh REFERENCE_CSV`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from registry import COLUMNS, OVERRIDE_COLUMNS, REGISTRY_CSV, load_registry


def refresh(reference: Path, registry: Path = REGISTRY_CSV) -> int:
    overrides = {}
    if registry.exists():
        with registry.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                overrides[(row["inst_code"], row.get("valid_from", ""))] = {
                    k: row.get(k, "") for k in OVERRIDE_COLUMNS
                }
    with reference.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    tmp = registry.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS + OVERRIDE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            kept = overrides.get((row["inst_code"], row.get("valid_from", "")), {})
            writer.writerow({**{k: row.get(k, "") for k in COLUMNS}, **kept})
    load_registry(tmp)  # never replace a good registry with one that does not load
    tmp.replace(registry)
    return len(rows)


if __name__ == "__main__":
    count = refresh(Path(sys.argv[1]))
    print(f"{REGISTRY_CSV}: {count} institutions")
