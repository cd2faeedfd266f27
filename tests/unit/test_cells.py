"""The shortcuts that judge cells column by column give the answers of the full tests."""

from __future__ import annotations

import random
import re

from domain.text import compact
from transforms.cells import down, flat, flats, matching, memo, rows_with, undecided
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


def test_matching_finds_every_text_a_scan_of_each_finds():
    pattern = re.compile(r"00|[OoXx홍예]|[^\x00-\x7f가-힣]")
    for seed in (4, 5):
        column = _texts(seed, 3_000)
        expected = {text for text in column if pattern.search(text)}
        assert matching(column, pattern) == expected
        assert rows_with(column, expected) == [
            i for i, text in enumerate(column) if text in expected
        ]
    # A text holding a newline: texts read one by one, same answer.
    assert matching(["a\n00", "b", "X", "b"], pattern) == {"a\n00", "X"}
    assert matching([], pattern) == set()
    assert matching(["가", "나"], pattern) == set()
    assert rows_with(["a", "b"], set()) == []


def test_flats_is_compact_of_each():
    texts = _texts(6, 3_000)
    assert flats(texts) == [compact(t) for t in texts]


def test_undecided_rows_are_those_no_cell_settles_and_each_text_is_asked_once():
    asked: list[str] = []

    def settles(text: str) -> bool:
        asked.append(text)
        return text == "y"

    columns = [("y", "n", "n", "y"), ("n", "n", "y", "n")]
    assert undecided(4, columns, memo(settles)) == [1]
    assert sorted(asked) == ["n", "y"]
    assert undecided(3, [], memo(settles)) == [0, 1, 2]


def test_down_answers_each_distinct_value_once():
    calls: list[str] = []
    answer = memo(lambda v: calls.append(v) or v.upper())
    assert down(["a", "b", "a"], answer) == ["A", "B", "A"]
    assert calls == ["a", "b"]
