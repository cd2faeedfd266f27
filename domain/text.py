"""Text normalisation shared by every matcher: NFKC first, then whitespace folded."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that NFKC leaves alone but that pages use interchangeably.
# NFKC turns the compatibility jamo ㆍ (U+318D) into U+119E; both are used as middle dots.
_FOLD = str.maketrans(
    {"ㆍ": "·", "\u119e": "·", "•": "·", "‧": "·", "∙": "·", "・": "·", "～": "~", "〜": "~"}
)


_FOLDED = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


@lru_cache(maxsize=32768)  # page chrome and table cells repeat the same strings a lot
def nfkc(text: str | None) -> str:
    """NFKC-normalise, unify middle dots and tildes, fold runs of whitespace to one space."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if _FOLDED.search(text):  # translate() is slow; most text has none of these
            text = text.translate(_FOLD)
    return " ".join(text.split())


@lru_cache(maxsize=32768)
def compact(text: str | None) -> str:
    """`nfkc` with all whitespace removed: the form header and keyword matching use."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if _FOLDED.search(text):
            text = text.translate(_FOLD)
    return "".join(text.split())


def fold(text: str | None) -> str:
    """Whitespace folded, nothing else changed: the form text is *kept* in. Records keep the
    source's characters (㈜, ㆍ, ①); only matching works on the NFKC form."""
    return " ".join(text.split()) if text else ""


def clean_cell(text: str | None) -> str | None:
    """A cell's text as kept in records: whitespace folded, or None when empty."""
    return fold(text) or None


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal or a spreadsheet: Hangul and other wide (W, F)
    characters take two, so columns of Korean text line up."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
