"""How numbers, dates and times read on the site's pages: integers with thousands
separators, dates in Korean style (2024년 3월 1일), times in KST, and "–" or "미기재" for what
is missing, so no page ever shows None, NaN or 12.0."""

from __future__ import annotations

import datetime as dt
import re

from domain.constants import KST
from warehouse.labels import MISSING, NOT_STATED, is_missing


def count(value: object, unit: str = "") -> str:
    """An integer as people write it (2,855), with `unit` after it (2,855대); "–" if none."""
    if is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    text = f"{int(number):,}" if number.is_integer() else f"{number:,.1f}"
    return f"{text}{unit}"


def days(value: object, *, stated: bool = True) -> str:
    """A retention in days (30일); "미기재" when a policy states none, "–" when there is no
    data to state it (`stated=False`)."""
    if is_missing(value):
        return NOT_STATED if stated else MISSING
    return count(value, "일")


def day_range(low: object, high: object, *, stated: bool = True) -> str:
    """ "30일" when both ends agree, "30–60일" otherwise."""
    if is_missing(low) and is_missing(high):
        return NOT_STATED if stated else MISSING
    if is_missing(low) or is_missing(high) or low == high:
        return days(high if not is_missing(high) else low)
    return f"{count(low)}–{days(high)}"


def korean_date(value: object) -> str:
    """2024년 3월 1일; a timestamp gives its KST date."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime):
        value = as_kst(value).date()
    if not isinstance(value, dt.date):
        return str(value)
    return f"{value.year}년 {value.month}월 {value.day}일"


def kst_time(value: object) -> str:
    """2026년 12월 7일 16:51 (KST): the warehouse keeps UTC, people read Korean time."""
    if is_missing(value) or not isinstance(value, dt.datetime):
        return MISSING
    local = as_kst(value)
    return f"{korean_date(local.date())} {local:%H:%M} (KST)"


def as_kst(value: dt.datetime) -> dt.datetime:
    """A timestamp in KST; a naive one is taken as UTC, as the warehouse stores it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(KST)


def ratio(value: object) -> str:
    """A ratio as 1.25배; "–" when there is none."""
    if is_missing(value):
        return MISSING
    return f"{float(value):,.2f}배"  # type: ignore[arg-type]


# Where in a document a row was read, as the readers write it (warehouse `row_ref`).
_ROW_REF = re.compile(r"^(table|sheet|csv|json)\b\s*(.*?)(?:,\s*row\s+(\d+))?$", re.S)
_PLACES = {"table": "표 {}", "sheet": "시트 ‘{}’", "csv": "CSV", "json": "JSON"}


def row_place(row_ref: str | None) -> str:
    """`table 1, row 3` → `표 1, 3행`; `sheet 설치현황, row 12` → `시트 ‘설치현황’, 12행`. Anything
    else (the URL a crawl finding names) is shown as written."""
    if not row_ref:
        return ""
    found = _ROW_REF.match(row_ref.strip())
    if found is None:
        return row_ref
    kind, name, row = found.groups()
    where = _PLACES[kind].format(name.strip()) if "{}" in _PLACES[kind] else _PLACES[kind]
    return f"{where}, {int(row):,}행" if row else where


def percent(part: object, whole: object) -> float:
    """`part` as a share of `whole` in percent (0–100), for the width of a bar."""
    if is_missing(part) or is_missing(whole) or not whole:
        return 0.0
    return max(0.0, min(100.0, 100.0 * float(part) / float(whole)))  # type: ignore[arg-type]


__all__ = [
    "as_kst",
    "count",
    "day_range",
    "days",
    "korean_date",
    "kst_time",
    "percent",
    "ratio",
    "row_place",
]
