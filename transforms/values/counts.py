"""Camera-count (설치대수) grammar: one integer per cell, or nothing.

Count cells hold "16대", "2,574대", "총 17 대", spreadsheet floats ("12.0") and template
markers ("00대"). A number found later in a sentence ("펌프장(용현:3대, …)") belongs to a
location text, not to the count column, so only a cell that starts with the number counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from domain.text import compact, nfkc
from transforms.values.placeholders import is_placeholder

MAX_COUNT = 100_000  # domain.md §6 rule 4: no institution runs more.

_BLANK = re.compile(r"[-‐‑‒–—―−_./·*]*|해당(사항)?없음|없음|n/?a|null|none|nan", re.IGNORECASE)
_TOTAL = r"총계|합계|소계|누계|총|계|합"
# Optional total marker, the number, optional unit; after that only an aside may follow.
_COUNT = re.compile(
    rf"(?P<total>{_TOTAL})?[:=]?\(?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(?P<frac>\d+))?\)?"
    r"(?P<unit>대|개(?!소)|台|ea|set|세트|식)?"
    r"(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL | re.ASCII,
)
# What may follow a bare number (no unit): nothing, or a bracketed/annotated aside.
_ASIDE = re.compile(r"\.?|[(\[※*].*", re.DOTALL)


@dataclass(frozen=True)
class Count:
    """A count cell: `value` is None unless the cell states a usable number of cameras."""

    value: int | None
    is_total: bool
    is_placeholder: bool
    raw: str | None


@lru_cache(maxsize=8192)  # pure, and inventories repeat cell texts
def parse_count(text: str | None) -> Count:
    """Read a camera-count cell; never raises, never negative, never above 100,000."""
    raw = nfkc(text)
    flat = compact(text)
    if not flat or _BLANK.fullmatch(flat):
        return Count(None, False, False, None)
    if is_placeholder(raw):
        return Count(None, False, True, raw)
    m = _COUNT.fullmatch(flat)
    if not m:
        return Count(None, False, False, raw)
    is_total = m.group("total") is not None
    if m.group("unit") is None and not _ASIDE.fullmatch(m.group("rest")):
        return Count(None, is_total, False, raw)
    if m.group("frac") and m.group("frac").strip("0"):
        return Count(None, is_total, False, raw)
    value = int(m.group("num").replace(",", ""))
    if value > MAX_COUNT:
        return Count(None, is_total, False, raw)
    return Count(value, is_total, False, raw)
