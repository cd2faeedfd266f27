"""Recording hours fold into 24h / scheduled / none / unknown."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.values import Hours, parse_recording_hours

FRAGMENTS = [
    "24시간", "상시", "(", ")", "~", ":", "시", "09", "18", "00", "주간", "야간", "산불", "기간",
    "촬영안함", "미운영", " ", "-", "월", "녹화",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("24시간", "24h"),
        ("상시", "24h"),
        ("상시(24시간)", "24h"),
        ("24시간 상시 촬영", "24h"),
        ("24시간 연속촬영 및 녹화", "24h"),
        ("24시간 (움직임 감지시 녹화·저장)", "24h"),
        ("24H", "24h"),
        ("24h", "24h"),
        ("２４시간", "24h"),
        ("연중무휴", "24h"),
        ("00:00~24:00", "24h"),
        ("0시~24시", "24h"),
        ("09:00~18:00", "scheduled"),
        ("09:00 ~ 18:00", "scheduled"),
        ("09시~18시", "scheduled"),
        ("주간", "scheduled"),
        ("야간", "scheduled"),
        ("업무시간", "scheduled"),
        ("산불기간", "scheduled"),
        ("산불감시기간(11월~5월)", "scheduled"),
        ("근무시간 중", "scheduled"),
        ("촬영안함", "none"),
        ("미운영", "none"),
        ("운영중지", "none"),
        ("-", None),
        ("", None),
        (None, None),
        ("관리실", None),
    ],
)
def test_table(text: str | None, value: str | None) -> None:
    assert parse_recording_hours(text).value == value


def test_raw_is_normalised() -> None:
    assert parse_recording_hours("  상시( 24시간 ) ") == Hours("24h", "상시( 24시간 )")
    assert parse_recording_hours("-") == Hours(None, None)


@settings(max_examples=200, database=None, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)))
def test_never_raises(text: str) -> None:
    assert parse_recording_hours(text).value in {"24h", "scheduled", "none", None}
