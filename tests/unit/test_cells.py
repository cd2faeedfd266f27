"""The shortcuts that judge cells column by column give the answers of the full tests."""

from __future__ import annotations

import random

from domain.text import compact
from transforms.cells import down, flat, memo, row_bits
from transforms.totals import _is_subtotal, _label_bits, is_total_label
from transforms.values.placeholders import _holds_marker, is_placeholder

# Plain characters (ASCII, Hangul syllables) including every one the shortcuts look for,
# and a few that NFKC changes (full-width, compatibility jamo, circled, middle dots).
_ALPHABET = (
    list("0123456789 OoXxab-.,:()|  \t")
    + list("홍길동예시계총합전체소중누작성례가나다라교차로인근과실")
    + list("○◯〇ㅇ△□◇ＯＸ０①㈜ㆍ・～\u3000\u00a0")
)


def _texts(seed: int, count: int = 20_000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_ALPHABET, k=rng.randint(0, 8))) for _ in range(count)]


def test_placeholder_shortcut_agrees_with_the_full_test():
    for text in _texts(1):
        assert is_placeholder(text) == (bool(text) and _holds_marker(text)), text


def test_flat_is_compact():
    for text in _texts(2):
        assert flat(text) == compact(text), text


def test_total_label_shortcut_agrees_with_the_full_test():
    for text in _texts(3):
        full = bool(text.strip()) and (is_total_label(text) or _is_subtotal(text))
        assert bool(_label_bits(text)) == full, text


def test_row_bits_is_the_or_of_each_cell_and_asks_once_per_text():
    asked: list[str] = []

    def bits(text: str) -> int:
        asked.append(text)
        return {"a": 1, "b": 2}.get(text, 0)

    rows = [["a", "x"], ["x", "b"], ["a", "b"], ["x", "x"]]
    assert row_bits(rows, bits) == [1, 2, 3, 0]
    assert sorted(asked) == ["a", "b", "x"]
    assert row_bits(rows, bits, columns=[1]) == [0, 2, 2, 0]
    assert row_bits([], bits) == []


def test_down_answers_each_distinct_value_once():
    calls: list[str] = []
    answer = memo(lambda v: calls.append(v) or v.upper())
    assert down(["a", "b", "a"], answer) == ["A", "B", "A"]
    assert calls == ["a", "b"]
