"""Template placeholders: the example rows that policy templates ship with.

Pages copy a ministry template and sometimes never fill it in ("○○○ | 00대 | 000실 |
02-000-0000 | 홍길동"). Such values must never reach a numeric column (domain.md §6 rule 3),
so every grammar asks this module first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from domain.text import nfkc

# Runs of circles/squares/jamo that templates use for "fill in here": ○○, ◯◯, 〇〇, ㅇㅇ, △△.
# NFKC turns the compatibility jamo ㅇ into the conjoining ᄋ (U+110B), so both are listed.
_SYMBOL_RUN = re.compile(r"([○◯〇ㅇ\u110b△□◇])\1")
# OO / XXX as a word of their own ("OO대", "xxx"), not inside a Latin word ("ZOO", "BOX").
_LATIN_RUN = re.compile(r"(?<![A-Za-z])(?:[Oo]{2,}|[Xx]{2,})(?![A-Za-z])")
# Two or more zeros that do not belong to a real number ("00대", "000실", "0000", "000-0000"),
# while "100대", "2,000대", "09:00" and "1.00" are real. A zero run after "-" is judged by
# _ZERO_EXCHANGE instead, so "054-420-0000" stays a real number.
_ZERO_RUN = re.compile(r"(?<![\d.,:\-])0{2,}(?![\d.,:])")
# A phone whose exchange is all zeros ("02-000-0000", "010-0000-0000"): no real exchange
# starts with 0.
_ZERO_EXCHANGE = re.compile(r"(?<!\d)0\d{0,2}\s*[-.)]\s*0{3,4}\s*[-.]\s*\d{4}(?!\d)")
# The template's sample person and the "예시" (example) row label, as a word ("공예시설" is real).
_SAMPLE_WORDS = re.compile(r"홍\s?길\s?동|(?<![가-힣])예시")

_PATTERNS = (_SYMBOL_RUN, _LATIN_RUN, _ZERO_RUN, _ZERO_EXCHANGE, _SAMPLE_WORDS)
# All of them in one pass over the text. _SYMBOL_RUN comes first, so its back-reference
# still names group 1 (the others capture nothing).
_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _PATTERNS))
# Text made only of ASCII and Hangul syllables is its own NFKC form, so it holds a marker
# only if it holds one of these (a zero run or a zero exchange has two zeros in a row):
# every other text is read in full. Most cells (numbers, places, departments) are settled
# by this one scan. It matches no newline, so a whole column can be scanned at once.
MAY_HOLD_MARKER = re.compile(r"00|[OoXx홍예]|[^\x00-\x7f가-힣]")


def is_placeholder(text: str | None) -> bool:
    """True when the text still holds a template's fill-in marker, so its value is unknown."""
    if not text or MAY_HOLD_MARKER.search(text) is None:
        return False
    return _holds_marker(text)


@lru_cache(maxsize=8192)  # pure, and inventories repeat cell texts
def _holds_marker(text: str) -> bool:
    value = nfkc(text)
    if not value:
        return False
    return _ANY.search(value) is not None
