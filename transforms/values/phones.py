"""Phone grammar: contact numbers in one canonical form, "0AA-NNN(N)-NNNN".

Pages write the same number as "054)420-6012", "054.420.6012", "0544206012" or, inside one
city's own table, without the area code ("(880-4031)"). The area code of such a local number
is taken from the institution's 광역 (domain.md §6 rule 11); where that is ambiguous the
number is left out rather than guessed.
"""

from __future__ import annotations

import re

from domain.text import nfkc

_GEOGRAPHIC = {"02", "031", "032", "033", "041", "042", "043", "044"}
_GEOGRAPHIC |= {"051", "052", "053", "054", "055", "061", "062", "063", "064"}
_NON_GEOGRAPHIC = {"010", "011", "016", "017", "018", "019", "070", "080"}
_AREA = r"02|0[3-6][1-5]|01[016-9]|070|080"
_DASH = r"[-‐‑‒–—―−]"
_SEP = rf"(?:\s*(?:{_DASH}|\.|\))\s*|\s+)"
# With area code: "054-420-6012", "(054) 420-6012", "054)420-6012", "02 731 2120".
_FULL = re.compile(
    rf"(?<![\d\-])\(?({_AREA})\)?{_SEP}(\d{{3,4}}){_SEP}(\d{{4}})(?![\d\-])", re.ASCII
)
# With area code, no separators: "0544206012", "0221483033".
_PACKED = re.compile(rf"(?<![\d\-])({_AREA})(\d{{3,4}})(\d{{4}})(?![\d\-])", re.ASCII)
# 전국대표번호: "1588-1234", "1661-2345".
_NATIONAL = re.compile(rf"(?<![\d\-])(1[568]\d{{2}}){_DASH}?(\d{{4}})(?![\d\-])", re.ASCII)
# Without area code: "(880-4031)", "880-4031".
_LOCAL = re.compile(rf"(?<![\d\-.])(\d{{3,4}})\s*{_DASH}\s*(\d{{4}})(?![\d\-])", re.ASCII)
_YEAR = re.compile(r"(19|20)\d{2}", re.ASCII)
# What follows a full number and shares its prefix: "760-4154, 4171" (a second line),
# "760-4154 / 761-2000" (a second exchange), "2133-0000~1" (a run of lines).
_CONTINUATION = re.compile(
    rf"\s*([,/~∼～])\s*(?:(\d{{3,4}}){_DASH})?(\d{{1,4}})(?![\d\-.년월일])", re.ASCII
)
_MAX_RUN = 10


def _clean_area(area_code: str | None) -> str | None:
    digits = re.sub(r"[^0-9]", "", nfkc(area_code))
    if digits and not digits.startswith("0"):
        digits = "0" + digits
    return digits if digits in _GEOGRAPHIC else None


def _valid(area: str, exchange: str) -> bool:
    """Korean exchanges never start with 0; geographic ones not with 1 either."""
    if exchange.startswith("0"):
        return False
    return area in _NON_GEOGRAPHIC or not exchange.startswith("1")


def _matches(text: str, area_code: str | None) -> list[tuple[int, int, str]]:
    """(start, end, formatted) for every number found, overlapping ones included."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_FULL, _PACKED):
        for m in pattern.finditer(text):
            area, exchange, line = m.groups()
            if _valid(area, exchange):
                found.append((m.start(), m.end(), f"{area}-{exchange}-{line}"))
                found.extend(_continued(text, m.end(), area, exchange, line))
    for m in _NATIONAL.finditer(text):
        found.append((m.start(), m.end(), f"{m.group(1)}-{m.group(2)}"))
    if area_code:
        for m in _LOCAL.finditer(text):
            exchange, line = m.groups()
            if _YEAR.fullmatch(exchange) and _YEAR.fullmatch(line):
                continue  # "2013-2014" is a span of years
            if _valid(area_code, exchange):
                found.append((m.start(), m.end(), f"{area_code}-{exchange}-{line}"))
    return found


def _continued(
    text: str, pos: int, area: str, exchange: str, line: str
) -> list[tuple[int, int, str]]:
    """Numbers written after a full one with its prefix left out: "032) 760-4154, 4171"
    is two numbers, "02-2133-0000~1" two, "02-2133-0000~3" four."""
    found: list[tuple[int, int, str]] = []
    while m := _CONTINUATION.match(text, pos):
        sep, new_exchange, digits = m.groups()
        if new_exchange:
            if len(digits) != 4 or not _valid(area, new_exchange):
                break
            exchange, line = new_exchange, digits
            found.append((m.start(1), m.end(), f"{area}-{exchange}-{line}"))
        elif sep in "~∼～":
            last = line[: 4 - len(digits)] + digits
            if not 0 < int(last) - int(line) < _MAX_RUN:
                break
            # One span, read in order: the run's numbers joined, split again by the caller.
            run = [f"{area}-{exchange}-{n:04d}" for n in range(int(line) + 1, int(last) + 1)]
            found.append((m.start(1), m.end(), " ".join(run)))
            line = last
        elif len(digits) == 4 and sep in ",/":
            line = digits
            found.append((m.start(1), m.end(), f"{area}-{exchange}-{line}"))
        else:
            break
        pos = m.end()
    return found


def find_phones(text: str | None, area_code: str | None = None) -> list[str]:
    """Every phone number in the text, canonical, in order of appearance, without repeats."""
    value = nfkc(text)
    if not value:
        return []
    found = sorted(_matches(value, _clean_area(area_code)), key=lambda f: (f[0], -f[1]))
    phones: list[str] = []
    end = -1
    for start, stop, phone in found:
        if start < end:
            continue  # inside a number already taken
        end = stop
        for one in phone.split():
            if one not in phones:
                phones.append(one)
    return phones


def normalize_phone(text: str | None, area_code: str | None = None) -> str | None:
    """The first phone number in the text, canonical; None when there is none."""
    phones = find_phones(text, area_code)
    return phones[0] if phones else None
