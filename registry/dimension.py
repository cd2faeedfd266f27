"""The institution dimension: every 광역 and 기초 자치단체 with its 기관코드 and validity.

`local_governments.csv` holds the facts of ../shared/reference/local_governments.csv
(codes, names, levels, parents, 법정동 prefixes, homepages, SCD-2 validity, successors,
and a source note per row). Unlike `institutions.csv`, which lists what is crawled, this
covers both eras of the 2026-07-01 reorganisation and older renamed codes, because
standard-data files of any year must resolve to a code valid on their date. Rows are
checked on load; a bad row is an error naming its line.
"""

from __future__ import annotations

import re
from pathlib import Path

from registry import iso_date, read_rows
from registry.institutions import InstitutionRow

DIMENSION_CSV = Path(__file__).with_name("local_governments.csv")
COLUMNS = (
    "inst_code",
    "name",
    "short_name",
    "level",
    "parent_code",
    "sigungu_code5",
    "homepage",
    "valid_from",
    "valid_to",
    "successor_code",
)
LEVELS = ("sido", "si", "gun", "gu")
_CODE = re.compile(r"^\d{7}$")
_CODE5 = re.compile(r"^\d{5}$")


class DimensionError(ValueError):
    """A dimension row that cannot be trusted; the message names file and line."""


def _row(raw: dict[str, str], where: str) -> InstitutionRow:
    v = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if not _CODE.match(v["inst_code"]):
        raise DimensionError(f"{where}: inst_code {v['inst_code']!r} is not a 7-digit 기관코드")
    if not v["name"]:
        raise DimensionError(f"{where}: name is empty")
    if v["level"] not in LEVELS:
        raise DimensionError(f"{where}: level {v['level']!r} is not one of {', '.join(LEVELS)}")
    if (v["level"] == "sido") == bool(v["parent_code"]):
        raise DimensionError(f"{where}: only a non-sido row has a parent_code")
    if v["parent_code"] and not _CODE.match(v["parent_code"]):
        raise DimensionError(f"{where}: parent_code {v['parent_code']!r} is not a 기관코드")
    if v["sigungu_code5"] and not _CODE5.match(v["sigungu_code5"]):
        raise DimensionError(f"{where}: sigungu_code5 {v['sigungu_code5']!r} is not 5 digits")
    if v["homepage"] and not v["homepage"].startswith(("https://", "http://")):
        raise DimensionError(f"{where}: homepage {v['homepage']!r} is not an http(s) URL")
    successors = [c for c in v["successor_code"].split(";") if c]
    if any(not _CODE.match(c) for c in successors):
        raise DimensionError(f"{where}: successor_code {v['successor_code']!r} is not 기관코드s")
    valid_from = iso_date(v["valid_from"], "valid_from", where, DimensionError)
    valid_to = iso_date(v["valid_to"], "valid_to", where, DimensionError)
    if valid_from and valid_to and valid_to < valid_from:
        raise DimensionError(f"{where}: valid_to is before valid_from")
    return InstitutionRow(
        inst_code=v["inst_code"],
        name=v["name"],
        short_name=v["short_name"] or v["name"].split()[-1],
        level=v["level"],
        parent_code=v["parent_code"] or None,
        sigungu_code5=v["sigungu_code5"] or None,
        homepage=v["homepage"] or None,
        valid_from=valid_from,
        valid_to=valid_to,
        successor_code=v["successor_code"] or None,
    )


def load_institutions(path: Path | str = DIMENSION_CSV) -> list[InstitutionRow]:
    """Read and check the dimension; DimensionError names the first bad row."""
    path = Path(path)
    rows = read_rows(path, COLUMNS, _row, DimensionError)
    codes = {row.inst_code for row in rows}
    for line, row in enumerate(rows, start=2):
        if row.parent_code and row.parent_code not in codes:
            raise DimensionError(f"{path}:{line}: parent {row.parent_code} is not in the file")
    return rows
