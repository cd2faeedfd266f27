"""Retention cells: stated periods, non-recording, blanks, templates and nonsense."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.values import Retention, parse_retention

FRAGMENTS = [
    "촬영일로부터", "촬영일로 부터", "최대", "이내", "일", "개월", "주", "년", "시간", "~", "-",
    ",", "(", ")", "녹화무", "보관", "영구", "00", "○○", " ", "자동삭제", "0", "7", "30", "365",
    "99999", "2023년", "1월", "한달",
]  # fmt: skip
korean_cells = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 10**12).map(str), st.text(max_size=2)),
    max_size=8,
).map("".join)


@pytest.mark.parametrize(
    ("text", "days", "days_min"),
    [
        ("촬영일로부터 30일", 30, None),
        ("촬영일로 부터 30일", 30, None),
        ("촬영일로부터 7일", 7, None),
        ("촬영일로부터 14일", 14, None),
        ("촬영일로부터 20일", 20, None),
        ("촬영일로부터 5일", 5, None),
        ("30일 이내", 30, None),
        ("촬영일로부터 30일 이내", 30, None),
        ("최대 30일", 30, None),
        ("촬영일로부터 최대 30일", 30, None),
        ("촬영일로부터 최대 30일 보관 후 자동 삭제", 30, None),
        ("최대 30일 보관 후 자동 삭제", 30, None),
        ("(20)일", 20, None),
        ("정보보관기간 (20)일", 20, None),
        ("30일(자동삭제)", 30, None),
        ("보유기간 30일", 30, None),
        ("보관기간 : 촬영일로부터 30일 이내", 30, None),
        ("30", 30, None),
        ("30.0", 30, None),
        ("30 일", 30, None),
        ("３０일", 30, None),
        ("1개월", 30, None),
        ("3개월", 90, None),
        ("12개월", 360, None),
        ("한 달", 30, None),
        ("2주", 14, None),
        ("1주일", 7, None),
        ("1년", 365, None),
        ("7~30일", 30, 7),
        ("7일~30일", 30, 7),
        ("7일 ～ 30일", 30, 7),
        ("영상 30일, 출입기록 90일", 90, 30),
        ("1개월(30일)", 30, None),
        ("2023년 1월 1일부터 30일", 30, None),
        ("30일 경과 후 영구삭제", 30, None),
        ("72시간 보관 후 삭제", 3, None),
    ],
)
def test_stated(text: str, days: int, days_min: int | None) -> None:
    r = parse_retention(text)
    assert (r.status, r.days, r.days_min, r.recording) == ("stated", days, days_min, True)
    assert r.raw is not None


@pytest.mark.parametrize(
    "text",
    [
        "녹화무",
        "녹화 안함",
        "녹화하지 않음",
        "미녹화",
        "녹화 없음",
        "실시간 모니터링만",
        "녹화X",
        "저장 안함",
    ],
)
def test_not_recorded(text: str) -> None:
    assert parse_retention(text) == Retention(0, False, "not_recorded", text)


@pytest.mark.parametrize("text", ["-", "", None, "해당없음", "없음", "—", " - ", "null"])
def test_blank(text: str | None) -> None:
    assert parse_retention(text) == Retention(None, None, "blank", None)


@pytest.mark.parametrize("text", ["00일", "○○일", "OO일", "촬영일로부터 ○○일", "0000"])
def test_template(text: str) -> None:
    r = parse_retention(text)
    assert (r.status, r.days, r.recording) == ("template", None, None)


@pytest.mark.parametrize(
    "text", ["영구", "영구보관", "준영구", "2년", "500일", "1,000일", "13개월"]
)
def test_absurd(text: str) -> None:
    r = parse_retention(text)
    assert (r.status, r.days, r.days_min) == ("absurd", None, None)


@pytest.mark.parametrize("text", ["별도 지정", "수시", "24시간", "상시", "관리실", "영구 삭제"])
def test_unparsed(text: str) -> None:
    r = parse_retention(text)
    assert (r.status, r.days, r.recording) == ("unparsed", None, None)


@pytest.mark.parametrize("text", ["0", "0일", "0.0"])
def test_zero_is_unknown_not_non_recording(text: str) -> None:
    r = parse_retention(text)
    assert (r.status, r.days, r.recording) == ("stated", 0, None)


def _check(r: Retention) -> None:
    assert r.status in {"stated", "not_recorded", "blank", "template", "unparsed", "absurd"}
    for days in (r.days, r.days_min):
        assert days is None or 0 <= days <= 365
    if r.days_min is not None:
        assert r.days is not None and r.days_min <= r.days
    if r.days == 0:
        assert r.recording is not True
    if r.recording is False:
        assert r.days == 0


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(parse_retention(text))


@settings(max_examples=200, database=None, deadline=None)
@given(korean_cells)
def test_korean_fragments(text: str) -> None:
    _check(parse_retention(text))
