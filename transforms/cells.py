"""A table's cells judged column by column, each distinct text once.

Inventories run to thousands of rows and repeat their texts down each column (the same
department, purpose, 24시간, 30일): a grammar or a test asked once per cell would do the
same work thousands of times. Here a question is answered once per distinct text, and the
answers are spread down a column by lookups that run in C (`map` over a dict), so the cost
of a table is its distinct texts plus a few passes over its columns.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import TypeVar

from domain.text import compact

V = TypeVar("V")
R = TypeVar("R")


# Any character but ASCII and the precomposed Hangul syllables: text without one is its own
# NFKC form and holds none of the characters `compact` unifies.
NOT_PLAIN = re.compile(r"[^\x00-\x7f가-힣]")


def flat(text: str) -> str:
    """`compact(text)`, worked out without NFKC for plain text (ASCII and Hangul syllables,
    what most cells are made of), which it leaves as it is: only whitespace goes."""
    if NOT_PLAIN.search(text) is None:
        return "".join(text.split())
    return compact(text)


class Answers(dict):
    """A function's answers by argument, computed on the first lookup of each."""

    def __init__(self, function: Callable) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, value: object) -> object:
        result = self[value] = self.function(value)
        return result


def memo(function: Callable[[V], R]) -> Callable[[V], R]:
    """`function` answered once per distinct argument, for the length of one table: a
    table-sized cache never evicts what it needs, and a repeat is a plain dict lookup."""
    return Answers(function).__getitem__


def down(column: Iterable[V], answer: Callable[[V], R]) -> list[R]:
    """`answer` for every cell of `column`, in order (`answer` is a `memo`)."""
    return list(map(answer, column))


def matching(column: Iterable[str], pattern: re.Pattern[str]) -> set[str]:
    """The distinct texts of `column` in which `pattern` finds a match, from scans of the
    distinct texts joined by newlines: a column whose texts cannot hold what a test looks
    for is cleared at the speed of one regex scan. `pattern` must not match a newline, so
    that no match spans two texts; texts that hold one are read one by one."""
    texts = list(set(column))
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return {text for text in texts if pattern.search(text)}
    found: set[str] = set()
    match = pattern.search(joined)
    if match is None:
        return found
    # Where each text starts in `joined`: its length and a newline after each one before it.
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))
    while match is not None:
        index = bisect_right(starts, match.start()) - 1
        found.add(texts[index])
        match = pattern.search(joined, starts[index + 1])
    return found


def rows_with(column: Iterable[str], texts: set[str]) -> list[int]:
    """Indexes of the cells of `column` whose text is one of `texts`."""
    return [index for index, text in enumerate(column) if text in texts] if texts else []


def flats(texts: Iterable[str]) -> list[str]:
    """`flat` of each text, the plain ones without a call per text."""
    texts = list(texts)
    return [
        compact(text) if special else "".join(text.split())
        for text, special in zip(texts, map(NOT_PLAIN.search, texts), strict=True)
    ]


def undecided(
    count: int, columns: Iterable[Sequence[str]], settles: Callable[[str], bool]
) -> list[int]:
    """Rows (of `count`) none of whose cells in `columns` `settles` (a `memo`): "is any
    cell of this row X", asked of the columns with the fewest distinct texts first, and of
    each only for the rows still open, so that one column that settles every row ends it."""
    rows = list(range(count))
    for column in sorted(columns, key=lambda column: len(set(column))):
        if not rows:
            break
        rows = [i for i in rows if not settles(column[i])]
    return rows
