"""Template placeholders must be caught; real values must pass."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.values import is_placeholder

FRAGMENTS = ["○○", "OO", "00", "000", "0", "대", "실", "일", "-", " ", "홍길동", "예시", "30", "1"]


@pytest.mark.parametrize(
    "text",
    [
        "○○",
        "○○○",
        "OO",
        "00대",
        "○○대",
        "OO대",
        "000실",
        "○○실",
        "0000",
        "000",
        "02-000-0000",
        "000-0000",
        "010-0000-0000",
        "홍길동",
        "000시스템",
        "예시",
        "xxx",
        "XXX-XXXX",
        "ㅇㅇ과",
        "ＯＯ대",  # full-width letters, NFKC folds them
        "영상정보처리기기 운영 현황 예시",
        "00일",
        "(00)일",
    ],
)
def test_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "16대",
        "2,574대",
        "100대",
        "10대",
        "30일",
        "054-420-6012",
        "02-2100-0000",
        "김천시 통합관제센터",
        "",
        None,
        "0",
        "0대",
        "09:00~18:00",
        "00:00~24:00",
        "2012. 03. 30",
        "1.00",
        "공예시설",
        "ZOO",
        "촬영일로부터 30일",
        "○ 검진 안내",
        "2,000대",
    ],
)
def test_real_values(text: str | None) -> None:
    assert not is_placeholder(text)


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    assert isinstance(is_placeholder(text), bool)


@settings(max_examples=200, database=None, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join))
def test_fragments_never_raise(text: str) -> None:
    assert isinstance(is_placeholder(text), bool)
