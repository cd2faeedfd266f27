"""Inventory files of every format → camera rows, compared with gold written by hand.

Each folder under tests/files/inventories holds one small file (rebuilt by
make_fixtures.py), a meta.json naming it and its quirks, and gold.json: the camera rows a
person reads off the file. Every mismatch is reported at once, so one run shows the
whole picture.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms import contract
from transforms.sniff import sniff_kind

FOLDER = Path(__file__).resolve().parent.parent / "files" / "inventories"
FIELDS = (
    "unit",
    "purpose",
    "camera_count",
    "location",
    "recording_hours",
    "retention_days",
    "storage_location",
    "is_template",
)
CASES = sorted(p.name for p in FOLDER.iterdir() if (p / "gold.json").exists())


def _mismatches(got: list[dict], want: list[dict]) -> list[str]:
    problems = []
    if len(got) != len(want):
        problems.append(f"{len(got)} camera rows, gold has {len(want)}")
    for index, (row, gold) in enumerate(zip(got, want, strict=False), start=1):
        for field in FIELDS:
            if row.get(field) != gold[field]:
                where = row.get("row_ref", f"row {index}")
                problems.append(f"{where}: {field} = {row.get(field)!r}, gold {gold[field]!r}")
    return problems


def test_there_are_gold_cases_for_every_format() -> None:
    kinds = {json.loads((FOLDER / c / "meta.json").read_text("utf-8"))["kind"] for c in CASES}
    assert len(CASES) >= 10
    assert {"xlsx", "xls", "csv", "hwp", "hwpx", "pdf"} <= kinds


@pytest.mark.parametrize("case", CASES)
def test_inventory_matches_gold(case: str) -> None:
    meta = json.loads((FOLDER / case / "meta.json").read_text("utf-8"))
    body = (FOLDER / case / meta["file"]).read_bytes()
    kind = sniff_kind(body, None, meta["file"])
    assert kind == meta["kind"]
    result = contract.parse_document(body, filename=meta["file"])
    gold = json.loads((FOLDER / case / "gold.json").read_text("utf-8"))["cameras"]
    problems = _mismatches(result["cameras"], gold)
    assert not problems, "\n".join(problems)
