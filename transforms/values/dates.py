"""Date grammar: enactment, revision and validity dates written in policy text.

Pages write dates as "2012. 03. 30", "2022년 2월 22일", "2013-07-11", "2016.6.30" or "20130711",
and version histories as ranges ("2012. 03. 30 ~ 2018. 03. 31."). Only real calendar dates in
1990–2100 are kept, so a typo never becomes a date (domain.md §6 rule 10).
"""

from __future__ import annotations

import datetime as dt
import re

from domain.text import nfkc

MIN_YEAR, MAX_YEAR = 1990, 2100

# Year, month, day with dots, dashes, slashes or 년/월/일, spaces allowed around them.
_YMD = re.compile(
    r"(?<!\d)(\d{4})\s*(?:년|[./-])\s*(\d{1,2})\s*(?:월|[./-])\s*(\d{1,2})(?!\d)",
    re.ASCII,
)
# A year and month and nothing else: "2019-01", "201901", "2019.1.", "2019년 1월", "2019-01-15".
_YM = re.compile(
    r"(\d{4})\s*(?:[-./]|년)?\s*(\d{1,2})\s*(?:월|[-./]\s*(?:\d{1,2})?\s*\.?)?", re.ASCII
)
# Eight digits only as a whole token: "20130711", "(20130711)", "20130711." — not inside
# an identifier or a longer number.
_PACKED = re.compile(r"(?<![^\s(\[])(\d{4})(\d{2})(\d{2})(?=$|[\s)\],;:]|\.(?!\d))", re.ASCII)


def _date(year: str, month: str, day: str) -> dt.date | None:
    y = int(year)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        return None


def find_dates(text: str | None) -> list[dt.date]:
    """Every valid date in the text, in order of appearance (repeats kept)."""
    value = nfkc(text)
    if not value:
        return []
    hits: list[tuple[int, dt.date]] = []
    for pattern in (_YMD, _PACKED):
        for m in pattern.finditer(value):
            date = _date(*m.groups())
            if date is not None:
                hits.append((m.start(), date))
    return [date for _, date in sorted(hits, key=lambda hit: hit[0])]


def parse_date(text: str | None) -> dt.date | None:
    """The first valid date in the text, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


def parse_year_month(text: str | None) -> tuple[int, int] | None:
    """(year, month) of a cell that holds only a year and month (a day may follow), as
    written: the year is not range-checked here, since a check may want to say why it is
    implausible (an Excel serial shown as 1905-07). None when the cell is anything else."""
    m = _YM.fullmatch(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None
