"""Standard-data cells → values, by the project's value grammars (transforms/values).

A standard-data column holds few distinct values among many rows, so each grammar here is
applied once per distinct cell (warehouse/standard/align.py aligns the answers back to the
rows); the same definitions read policy pages and inventories.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from domain.text import compact
from transforms.values import find_phones, parse_count, parse_date
from transforms.values.dates import MAX_YEAR, MIN_YEAR, parse_year_month
from transforms.values.purposes import ALIASES, CANONICAL_PURPOSES
from transforms.values.retention import stated_days


def standard_purpose(raw: str | None) -> str | None:
    """A 설치목적구분 cell → canonical purpose via the reviewed alias table only: the
    keyword reading used for policy sentences would be an unreviewed guess here."""
    flat = compact(raw)
    if not flat:
        return None
    return flat if flat in CANONICAL_PURPOSES else ALIASES.get(flat.casefold())


@dataclass(frozen=True)
class InstalledMonth:
    """A 설치연월 cell: how it is written, what is wrong with it, and the month it gives."""

    form: str  # "YYYY-MM", "YYYYMM" or "other"
    issue: str | None  # installed_unparsed | installed_excel_serial | installed_implausible
    ym: str | None  # "YYYY-MM" when the year is plausible


_FORMS = (
    ("YYYY-MM", re.compile(r"\d{4}-\d{2}", re.ASCII)),
    ("YYYYMM", re.compile(r"\d{6}", re.ASCII)),
)
# An Excel serial number (days since 1900) shown as a date reads as 1900–1909.
_EXCEL_SERIAL_YEARS = range(1900, 1910)
# A direction cell that is only a phone number: the column to its right slid into it.
_PHONE_START = ("0", "(", " ")
_PHONE_CHARS = re.compile(r"[\d\-.() ]+", re.ASCII)


def installed_month(text: str) -> InstalledMonth:
    """A 설치연월 cell (cleaned, not blank) by the year-month grammar."""
    form = next((name for name, pattern in _FORMS if pattern.fullmatch(text)), "other")
    parsed = parse_year_month(text)
    if parsed is None or not 1 <= parsed[1] <= 12:
        return InstalledMonth(form, "installed_unparsed", None)
    year, month = parsed
    if MIN_YEAR <= year <= MAX_YEAR:
        return InstalledMonth(form, None, f"{year:04d}-{month:02d}")
    issue = "installed_excel_serial" if year in _EXCEL_SERIAL_YEARS else "installed_implausible"
    return InstalledMonth(form, issue, None)


def whole_count(text: str) -> float | None:
    """카메라대수 or 카메라화소수: the count grammar's number (the checks judge its range)."""
    value = parse_count(text).value
    return None if value is None else float(value)


def retention_number(text: str) -> int | None:
    """보관일수: the days the cell states, uncapped (the checks flag over 365 and 0)."""
    return stated_days(text)


def reference_day(text: str) -> dt.date | None:
    """데이터기준일자 by the date grammar."""
    return parse_date(text)


def might_be_phone(raw: str) -> bool:
    """The cheap test before `is_phone_cell`: a phone number starts with 0, ( or a blank."""
    return raw[:1] in _PHONE_START


def is_phone_cell(raw: str) -> bool:
    """A cell (as read) that holds one phone number with an area code and nothing else."""
    text = raw.strip(" ")
    if not text.startswith(("0", "(0")) or not _PHONE_CHARS.fullmatch(text):
        return False
    phones = find_phones(text)
    return len(phones) == 1 and _digits(phones[0]) == _digits(text)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
