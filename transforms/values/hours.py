"""Recording-hours (촬영시간) grammar: continuous, on a schedule, or not at all.

Pages write the same fact many ways ("24시간", "상시(24시간)", "24H", "연중무휴"); the
warehouse keeps one of three values so hours can be compared across institutions
(domain.md §6 rule 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from domain.text import compact, nfkc

_BLANK = re.compile(r"[-‐‑‒–—―−_./·*]*|해당(사항)?없음|없음|미상|n/?a|null|none|nan", re.IGNORECASE)
# Stated out of service: wins over anything else in the cell.
_NONE = re.compile(
    r"촬영(안함|안됨|하지않|중지|중단)|미촬영|미운영|미가동|미사용"
    r"|(운영|가동|작동|사용)(중지|중단|안함|하지않)|철거|폐쇄|고장"
)
# Seasonal operation: filming only part of the year, even if 24 hours a day then.
_SEASONAL = re.compile(
    r"산불|동절기|하절기|성수기|비수기|피서|해수욕|축제|행사기간|운영기간|감시기간"
    r"|\d{1,2}월~\d{1,2}월",
    re.ASCII,
)
_ALWAYS = re.compile(
    r"24시간|24hours?|24hrs?|24h|24/7|24x7|상시|항시|연중무휴|365일|종일|하루종일|전일|연속촬영",
    re.IGNORECASE | re.ASCII,
)
# A clock range: "09:00~18:00", "09시~18시", "9~18시".
_RANGE = re.compile(r"(\d{1,2})(?::(\d{2})|시)?~(\d{1,2})(?::(\d{2})|시)?", re.ASCII)
_SCHEDULED = re.compile(
    r"주간|야간|심야|업무시간|근무시간|일과시간|운영시간|개방시간|개관시간|이용시간|영업시간"
    r"|업무중|근무중|일출|일몰|평일|주말|휴일|공휴일|시간대|필요시|수시|행사시|감지시|야간에|일과중"
    r"|운용시|운행시|사용시|출동시|비행시|작동시|단속시"
)
_DAY_CLOCK = re.compile(r"(?<!\d)24시(?!\d)", re.ASCII)


@dataclass(frozen=True)
class Hours:
    """A recording-hours cell: "24h", "scheduled", "none", or None when unknown."""

    value: str | None
    raw: str | None


def _clock_value(flat: str) -> str | None:
    """'24h' for a clock range covering the whole day, 'scheduled' for any other range."""
    m = _RANGE.search(flat)
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(3))
    end_min = int(m.group(4) or 0)
    if start == 0 and (end == 24 or (end == 23 and end_min >= 59)):
        return "24h"
    return "scheduled"


@lru_cache(maxsize=8192)  # pure, and inventories repeat cell texts
def parse_recording_hours(text: str | None) -> Hours:
    """Classify a recording-hours cell; unknown or blank cells give value None."""
    raw = nfkc(text)
    flat = compact(text)
    if not flat or _BLANK.fullmatch(flat):
        return Hours(None, None)
    if _NONE.search(flat):
        return Hours("none", raw)
    if _SEASONAL.search(flat):
        return Hours("scheduled", raw)
    if _ALWAYS.search(flat):
        return Hours("24h", raw)
    clock = _clock_value(flat)
    if clock:
        return Hours(clock, raw)
    if _DAY_CLOCK.search(flat):
        return Hours("24h", raw)
    if _SCHEDULED.search(flat):
        return Hours("scheduled", raw)
    return Hours(None, raw)
