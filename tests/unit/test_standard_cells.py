"""Standard-data cells read by the project's value grammars (transforms/standard/cells.py),
once per distinct value: the same definitions that read policy pages and inventories."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from transforms.standard.cells import (
    InstalledMonth,
    installed_month,
    is_phone_cell,
    might_be_phone,
    reference_day,
    retention_number,
    whole_count,
)
from transforms.values.dates import parse_year_month
from transforms.values.retention import parse_retention, stated_days
from warehouse.standard.align import _installed_map, _python_map


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019-01", InstalledMonth("YYYY-MM", None, "2019-01")),
        ("201901", InstalledMonth("YYYYMM", None, "2019-01")),
        ("2019.1", InstalledMonth("other", None, "2019-01")),
        ("2019년 1월", InstalledMonth("other", None, "2019-01")),
        ("2019-01-15", InstalledMonth("other", None, "2019-01")),  # a day may follow
        ("2019.01.", InstalledMonth("other", None, "2019-01")),
        ("1905-07", InstalledMonth("YYYY-MM", "installed_excel_serial", None)),
        ("190507", InstalledMonth("YYYYMM", "installed_excel_serial", None)),
        ("1985-01", InstalledMonth("YYYY-MM", "installed_implausible", None)),
        ("2019-13", InstalledMonth("YYYY-MM", "installed_unparsed", None)),
        ("2019", InstalledMonth("other", "installed_unparsed", None)),
        ("2019-01-01 00:00:00", InstalledMonth("other", "installed_unparsed", None)),
        ("43466", InstalledMonth("other", "installed_implausible", None)),  # year 4346
    ],
)
def test_installed_month_by_the_year_month_grammar(cell: str, expected: InstalledMonth) -> None:
    assert installed_month(cell) == expected


def test_year_month_grammar_does_not_judge_the_year() -> None:
    assert parse_year_month("1905-07") == (1905, 7)
    assert parse_year_month("２０１９-01") is None  # full-width digits are not a year
    assert parse_year_month("설치 2019-01") is None  # nothing but the year and month


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1", 1.0), ("1.0", 1.0), ("1,234", 1234.0), ("0", 0.0), ("2대", 2.0), ("1.5", None)],
)
def test_counts_by_the_count_grammar(cell: str, expected: float | None) -> None:
    assert whole_count(cell) == expected


def test_a_negative_count_is_not_a_count() -> None:
    """The count grammar reads no sign: -1 is camera_count_unparsed, not nonpositive."""
    assert whole_count("-1") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("30", 30),
        ("0", 0),
        ("30일", 30),
        ("1개월", 30),
        ("366", 366),  # uncapped: the check says "over 365 days"
        ("9999", 9999),
        ("00", None),  # a template's zeros, not a number
        ("삼십", None),
        ("녹화안함", None),
    ],
)
def test_retention_days_by_the_retention_grammar(cell: str, expected: int | None) -> None:
    assert retention_number(cell) == expected


def test_stated_days_is_the_retention_grammar_before_its_cap() -> None:
    assert parse_retention("400").days is None and parse_retention("400").status == "absurd"
    assert stated_days("400") == 400
    assert stated_days("30일") == parse_retention("30일").days == 30
    assert stated_days("") is None and stated_days("-") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-11-28", dt.date(2024, 11, 28)),
        ("2018.4.1", dt.date(2018, 4, 1)),
        ("20241128", dt.date(2024, 11, 28)),
        ("2024-02-30", None),
        ("미상", None),
    ],
)
def test_reference_date_by_the_date_grammar(cell: str, expected: dt.date | None) -> None:
    assert reference_day(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("02-3153-0001", True),
        (" 02-901-5863", True),
        ("(02) 901-5863", True),
        ("053-810-5182", True),
        ("1588-1234", False),  # 전국대표번호: no area code, not a shifted phone column
        ("정문 방향 02-901-5863", False),
        ("02-901-5863, 02-901-5864", False),
        ("0", False),
        ("360도", False),
    ],
)
def test_a_direction_cell_that_is_a_phone_number(cell: str, expected: bool) -> None:
    assert (might_be_phone(cell) and is_phone_cell(cell)) is expected


def test_each_distinct_cell_is_read_once() -> None:
    calls: list[str] = []

    def days(text: str) -> int | None:
        calls.append(text)
        return retention_number(text)

    column = pa.chunked_array([pa.array(["30", " 30 ", "30", None, "-", "1개월", "30"])])
    mapped = _python_map(column, {"num": (days, pa.int32())}).to_pylist()
    assert sorted(calls) == ["1개월", "30", "30"]  # " 30 " cleans to "30": its own cell
    assert {r["raw"]: (r["v"], r["num"]) for r in mapped} == {
        "30": ("30", 30),
        " 30 ": ("30", 30),
        "-": (None, None),
        "1개월": ("1개월", 30),
    }


def test_installed_map_gives_form_issue_and_month() -> None:
    column = pa.chunked_array([pa.array(["201901", "1905-07", None, "201901"])])
    rows = {r["raw"]: r for r in _installed_map(column).to_pylist()}
    assert rows["201901"] == {
        "raw": "201901",
        "v": "201901",
        "form": "YYYYMM",
        "issue": None,
        "ym": "2019-01",
    }
    assert rows["1905-07"]["issue"] == "installed_excel_serial"
