"""Dates in policy text: real calendar dates in 1990–2100 only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.values import find_dates, parse_date

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
FRAGMENTS = ["2012", "2022", ".", "-", "/", " ", "년", "월", "일", "03", "3", "30", "~", "20130711"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2012. 03. 30", dt.date(2012, 3, 30)),
        ("2012.03.30.", dt.date(2012, 3, 30)),
        ("2012. 3. 30.", dt.date(2012, 3, 30)),
        ("2022년 2월 22일", dt.date(2022, 2, 22)),
        ("2012년 3월 30일에 제정되었으며", dt.date(2012, 3, 30)),
        ("2014년 3월25일", dt.date(2014, 3, 25)),
        ("2013-07-11", dt.date(2013, 7, 11)),
        ("2016.6.30", dt.date(2016, 6, 30)),
        ("이 개인정보 처리방침은 2016.6.30 부터 적용됩니다.", dt.date(2016, 6, 30)),
        ("2016/06/30", dt.date(2016, 6, 30)),
        ("20130711", dt.date(2013, 7, 11)),
        ("시행 (20130711)", dt.date(2013, 7, 11)),
        ("최종수정일 : 2023-03-31", dt.date(2023, 3, 31)),
        ("2026-05-19 22:58:23", dt.date(2026, 5, 19)),
        ("２０２４-０４-１８", dt.date(2024, 4, 18)),
        ("2023-02-30 또는 2023-02-28", dt.date(2023, 2, 28)),
    ],
)
def test_parse(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-30",
        "1989-12-31",
        "2101-01-01",
        "2019-11",
        "201905",
        "a20130711",
        "202630000000800463",
        "CCTV_20190312.csv",
        "054-420-6012",
        "",
        None,
    ],
)
def test_not_dates(text: str | None) -> None:
    assert parse_date(text) is None


def test_range_gives_both_ends() -> None:
    assert find_dates("2012. 03. 30 ~ 2018. 03. 31.") == [
        dt.date(2012, 3, 30),
        dt.date(2018, 3, 31),
    ]
    assert find_dates("2022-06-08 ~ 2023-03-31") == [dt.date(2022, 6, 8), dt.date(2023, 3, 31)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seoul_seed_history() -> None:
    text = (SEEDS / "001_112affc0cf1e836e.txt").read_text(encoding="utf-8")
    assert find_dates(text) == [
        dt.date(2012, 3, 30),
        dt.date(2012, 3, 30),
        dt.date(2018, 3, 31),
        dt.date(2018, 4, 1),
        dt.date(2020, 6, 7),
    ]


def _check(dates: list[dt.date]) -> None:
    assert all(1990 <= d.year <= 2100 for d in dates)


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(find_dates(text))
    assert parse_date(text) == (find_dates(text) or [None])[0]


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join))
def test_fragments(text: str) -> None:
    _check(find_dates(text))
