"""Retention (보관기간) grammar: how many days footage is kept.

The law fixes no period; each page states its own in free text ("촬영일로부터 30일 이내",
"(20)일", "1개월", "녹화무"). Rows that do not record must be told apart from rows whose
period is simply missing, so the result carries a status besides the number
(parse-contract: "0 only when recording is false; null when not stated").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from domain.text import compact, nfkc
from transforms.values.placeholders import is_placeholder

MAX_DAYS = 365  # domain.md §6 rule 5: more than a year is an error, not a value.

# Cells that say "nothing here" rather than "no recording".
_BLANK = re.compile(r"[-‐‑‒–—―−_./·*]*|해당(사항)?없음|없음|n/?a|null|none|nan", re.IGNORECASE)
_NOT_RECORDED = re.compile(
    r"녹화[를은]?(무|x|안함|안됨|안합니다|하지않|없|미실시|불가|기능없)|미녹화|무녹화"
    r"|(저장|보관)[을은]?(안함|하지않|없음)|미저장"
    r"|실시간(모니터링|감시|관제)(만|용)"
    r"|^실시간(모니터링|감시|관제)?$",
    re.IGNORECASE,
)
# "영구보관", "준영구" — but not the "영구 삭제" that describes destruction.
_PERMANENT = re.compile(r"영구(?!적?(으로)?(삭제|파기|소거|폐기))")
# Calendar dates are not periods: "2023년 1월 1일부터 30일" must not yield 2023 years.
_DATES = re.compile(
    r"(?<!\d)(19|20)\d{2}(년|[./-])(\d{1,2}(월|[./-])(\d{1,2}일?)?)?"
    r"|(?<!\d)\d{1,2}월\d{1,2}일",
    re.ASCII,
)
_NUM = r"(\d{1,3}(?:,\d{3})+|\d{1,7})(?:\.(\d{1,3}))?"
_UNIT = r"(일|日|days?|개월|달|months?|주일?|weeks?|년|年|years?|시간|hours?)"
_RANGE = re.compile(
    rf"(?<![\d.]){_NUM}\)?{_UNIT}?(?:~|∼|-|–|—|부터|에서|내지){_NUM}\)?{_UNIT}",
    re.IGNORECASE | re.ASCII,
)
_PERIOD = re.compile(rf"(?<![\d.]){_NUM}\)?{_UNIT}", re.IGNORECASE | re.ASCII)
_BARE = re.compile(rf"\(?{_NUM}\)?(일|日)?\.?", re.ASCII)
# Periods written in words (the text is compacted, so no spaces inside).
_WORD_PERIODS = (
    (re.compile(r"(?<!\d)한달"), 30),
    (re.compile(r"(?<!\d)두달"), 60),
    (re.compile(r"(?<!\d)세달"), 90),
    (re.compile(r"(?<!\d)일주일"), 7),
    (re.compile(r"보름"), 15),
)
# Hours count as a period only where the text talks about keeping footage.
_KEEP_WORDS = re.compile(r"보관|보존|저장|삭제|파기")


@dataclass(frozen=True)
class Retention:
    """A parsed retention cell; `days` is the longest period stated, `days_min` the shortest."""

    days: int | None
    recording: bool | None
    status: str  # "stated" | "not_recorded" | "blank" | "template" | "unparsed" | "absurd"
    raw: str | None
    days_min: int | None = None


def _number(whole: str, frac: str | None) -> float:
    value = float(whole.replace(",", ""))
    if frac:
        value += float(f"0.{frac}")
    return value


def _to_days(amount: float, unit: str | None) -> int:
    unit = (unit or "일").lower()
    if unit in ("개월", "달") or unit.startswith("month"):
        factor = 30.0
    elif unit.startswith(("주", "week")):
        factor = 7.0
    elif unit in ("년", "年") or unit.startswith("year"):
        factor = 365.0
    elif unit in ("시간",) or unit.startswith("hour"):
        return math.ceil(amount / 24)
    else:
        factor = 1.0
    return round(amount * factor)


def _periods(text: str) -> list[int]:
    """Every period stated in a compacted cell, in days."""
    text = _DATES.sub("#", text)
    found: list[int] = []
    for m in _RANGE.finditer(text):
        unit = m.group(6)
        found.append(_to_days(_number(m.group(1), m.group(2)), m.group(3) or unit))
        found.append(_to_days(_number(m.group(4), m.group(5)), unit))
    text = _RANGE.sub("#", text)
    keeps = bool(_KEEP_WORDS.search(text))
    for m in _PERIOD.finditer(text):
        unit = m.group(3).lower()
        if (unit == "시간" or unit.startswith("hour")) and not keeps:
            continue
        found.append(_to_days(_number(m.group(1), m.group(2)), unit))
    for pattern, days in _WORD_PERIODS:
        if pattern.search(text):
            found.append(days)
    return found


def _stated(days: list[int], raw: str) -> Retention:
    longest, shortest = max(days), min(days)
    if longest > MAX_DAYS:
        return Retention(None, True, "absurd", raw)
    return Retention(longest, True, "stated", raw, shortest if shortest != longest else None)


@lru_cache(maxsize=8192)  # pure, and inventories repeat cell texts
def parse_retention(text: str | None) -> Retention:
    """Read a retention cell; never raises, never returns a negative or > 365-day period."""
    raw = nfkc(text)
    flat = compact(text)
    if not flat or _BLANK.fullmatch(flat):
        return Retention(None, None, "blank", None)
    if is_placeholder(raw):
        return Retention(None, None, "template", raw)
    bare = _BARE.fullmatch(flat)
    if bare:
        amount = _number(bare.group(1), bare.group(2))
        if amount == 0:
            return Retention(0, None, "stated", raw)  # standard data: 0 means "unknown"
        return _stated([round(amount)], raw)
    periods = _periods(flat)
    if periods and max(periods) > 0:
        return _stated(periods, raw)
    if _NOT_RECORDED.search(flat):
        return Retention(0, False, "not_recorded", raw)
    if _PERMANENT.search(flat):
        return Retention(None, True, "absurd", raw)
    if periods:  # only zero periods ("0일 보관")
        return Retention(0, None, "stated", raw)
    return Retention(None, None, "unparsed", raw)


def stated_days(text: str | None) -> int | None:
    """The longest period a cell states, in days, before the one-year cap: a check that
    reports "over 365 days" (the standard data's 보관일수) needs the number it caps. None
    for a blank, a placeholder or a cell that states no period."""
    flat = compact(text)
    if not flat or _BLANK.fullmatch(flat) or is_placeholder(nfkc(text)):
        return None
    bare = _BARE.fullmatch(flat)
    if bare:
        return round(_number(bare.group(1), bare.group(2)))
    periods = _periods(flat)
    return max(periods) if periods else None
