"""Camera counts: the number a count cell starts with, or nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.seeds import MICHUHOL
from transforms.values import Count, parse_count

FRAGMENTS = [
    "총",
    "합계",
    "계",
    "소계",
    " ",
    "대",
    ",",
    ".",
    "0",
    "00",
    "○○",
    "(",
    ")",
    "개소",
    "-",
]


@pytest.mark.parametrize(
    ("text", "value", "is_total"),
    [
        ("16대", 16, False),
        ("2,574대", 2574, False),
        ("51대", 51, False),
        ("총 17 대", 17, True),
        ("총11대", 11, True),
        ("총12대", 12, True),
        ("합계 12", 12, True),
        ("계 30", 30, True),
        ("소계 5", 5, True),
        ("4 대", 4, False),
        ("12", 12, False),
        ("12.0", 12, False),
        ("3대(고정2, 회전1)", 3, False),
        ("10 (고정 8, 회전 2)", 10, False),
        ("0", 0, False),
        ("１６대", 16, False),
        ("100000", 100000, False),
    ],
)
def test_counts(text: str, value: int, is_total: bool) -> None:
    c = parse_count(text)
    assert (c.value, c.is_total, c.is_placeholder) == (value, is_total, False)


@pytest.mark.parametrize("text", ["00대", "○○대", "OO대", "000"])
def test_placeholders(text: str) -> None:
    assert parse_count(text) == Count(None, False, True, text)


@pytest.mark.parametrize(
    "text",
    [
        "펌프장(용현:3대, 백운:3대)",
        "미추홀구 단속차량 탑재형",
        "12.5",
        "2019-01",
        "5개소",
        "1층",
        "30일",
        "(880-4031)",
        "100001",
        "-3",
        "계단 3대",
        "약간",
    ],
)
def test_not_counts(text: str) -> None:
    c = parse_count(text)
    assert c.value is None and not c.is_placeholder and c.raw == text


@pytest.mark.parametrize("text", ["-", "", None, "해당없음"])
def test_blank(text: str | None) -> None:
    assert parse_count(text) == Count(None, False, False, None)


def test_michuhol_counts_sum() -> None:
    # The 25 count cells of the 미추홀구 seed table (domain.md §4: they sum to 2,855).
    cells = ["16", "20", "5", "4", "3", "21", "16", "6", "16", "4", "6", "14", "10"]
    cells += ["2", "1", "18", "1", "2", "3", "6", "39", "2,574", "51", "8", "9"]
    assert len(cells) == MICHUHOL.camera_rows
    assert sum(parse_count(f"{c}대").value or 0 for c in cells) == MICHUHOL.page_cameras


def _check(c: Count) -> None:
    assert c.value is None or 0 <= c.value <= 100_000
    if c.is_placeholder:
        assert c.value is None


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(parse_count(text))


@settings(max_examples=200, database=None, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 10**12).map(str)), max_size=6
    ).map("".join)
)
def test_fragments(text: str) -> None:
    _check(parse_count(text))
