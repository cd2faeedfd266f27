"""A table's cells judged column by column, each distinct text once.

Inventories run to thousands of rows and repeat their texts down each column (the same
department, purpose, 24시간, 30일): a grammar or a test asked once per cell would do the
same work thousands of times. Here a question is answered once per distinct text, and the
answers are spread down a column by lookups that run in C (`map` over a dict), so the cost
of a table is its distinct texts plus a few passes over its columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from operator import or_
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


def row_bits(
    rows: Sequence[Sequence[str]], bits: Callable[[str], int], columns: Iterable[int] | None = None
) -> list[int]:
    """Per row, the OR of `bits(text)` over its cells (or over `columns` only): "does any
    cell of this row say X" for several X at once, each distinct text judged once."""
    result = [0] * len(rows)
    if not rows:
        return result
    answer = memo(bits)
    if columns is None:
        transposed: Iterable[Sequence[str]] = zip(*rows, strict=True)
    else:
        transposed = ([row[c] for row in rows] for c in columns)
    for column in transposed:
        result = list(map(or_, result, map(answer, column)))
    return result
