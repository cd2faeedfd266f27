"""The standard_points suite: one bad row per rule, each from its own institution, must
fail that rule and be attributed to that institution; and every rule reads in Korean."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.unit.test_validation import run
from warehouse.validation import ValidationReport
from warehouse.validation.derived import installed_month, reference_month
from warehouse.validation.suites import VALIDATED_TABLES, checks_for

HANGUL = re.compile(r"[가-힣]")
# A rule cited by a document outside the project, or by an identifier, not by what it says.
OUTSIDE_REFERENCE = re.compile(r"§|\brule \d|\.md\b|domain\b|PIPA|Decree", re.IGNORECASE)
# A code identifier (a table, column or module name) where people read the rule.
IDENTIFIER = re.compile(r"[a-z]+[._][a-z_.]+")

# One bad row per rule, each from its own institution: (column, severity, expectation).
BAD_ROWS = {
    "4110000": ({"latitude": 40.1}, "latitude", "warning", "expect_column_values_to_be_between"),
    "4120000": ({"longitude": 140.0}, "longitude", "warning", "expect_column_values_to_be_between"),
    "4130000": (
        {"installed_ym": "2025-09", "reference_date": date(2025, 6, 30)},
        "reference_month, installed_month",
        "warning",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    "4140000": ({"retention_days": 400}, "retention_days", "error", "between"),
    "4150000": ({"retention_days": 0}, "retention_days", "warning", "between"),
    "4160000": ({"purpose": "방범용"}, "purpose", "error", "expect_column_values_to_be_in_set"),
    "4170000": ({"camera_count": 0}, "camera_count", "warning", "between"),
}
GOOD_ROWS = [
    {},
    # the one purpose that keeps nothing: 0 days is right for it
    {"purpose": "교통정보수집", "retention_days": 0, "row_number": 3, "row_ref": "row 3"},
    # installed in the month of the file's date: not after it
    {"installed_ym": "2025-06", "row_number": 4, "row_ref": "row 4"},
]


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    bad = [
        {**row, "inst_code": code, "row_number": 10 + n, "row_ref": f"row {10 + n}"}
        for n, (code, (row, *_)) in enumerate(BAD_ROWS.items())
    ]
    return run(tmp_path_factory.mktemp("standard"), [{}], [{}], GOOD_ROWS + bad)


def _failing(report: ValidationReport, column: str, severity: str, kind: str) -> list:
    return [
        o
        for o in report.outcomes
        if o.table == "standard_points"
        and not o.success
        and o.column == column
        and o.severity == severity
        and kind in o.expectation_type
    ]


@pytest.mark.slow
@pytest.mark.parametrize("code", BAD_ROWS, ids=[v[1] for v in BAD_ROWS.values()])
def test_each_standard_rule_fails_for_the_right_institution(
    standard: ValidationReport, code: str
) -> None:
    _, column, severity, kind = BAD_ROWS[code]
    failing = _failing(standard, column, severity, kind)
    assert len(failing) == 1, [(o.column, o.severity, o.expectation_type) for o in failing]
    outcome = failing[0]
    assert outcome.unexpected_count == 1
    assert outcome.by_institution == {code: 1}
    (row,) = outcome.rows
    assert row["inst_code"] == code
    assert row["source_url"] == "https://www.data.go.kr/cctv.csv"
    assert row["inst_name_raw"] == "인천광역시 미추홀구"
    assert HANGUL.search(outcome.name) and HANGUL.search(outcome.note)


@pytest.mark.slow
def test_nothing_else_fails_on_the_standard_points(standard: ValidationReport) -> None:
    failed = {
        (o.column, o.severity)
        for o in standard.outcomes
        if o.table == "standard_points" and not o.success
    }
    expected = {(column, severity) for _, column, severity, _ in BAD_ROWS.values()}
    assert failed == expected
    # only the two contract rules are errors: the publisher's other slips are reported
    assert {c for c, s in failed if s == "error"} == {"retention_days", "purpose"}
    assert not standard.ok


def test_install_month_is_compared_by_month() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "installed_ym": ["2025-06", "2025-07", None, "20xx"],
            "reference_date": [date(2025, 6, 30), date(2025, 6, 1), date(2025, 6, 1), None],
        }
    )
    installed = installed_month(frame, {})
    reference = reference_month(frame, {})
    assert installed[0] == reference[0] == pd.Timestamp(2025, 6, 1)
    assert installed[1] > reference[1]
    assert pd.isna(installed[2]) and pd.isna(installed[3]) and pd.isna(reference[3])


@pytest.mark.parametrize("table", VALIDATED_TABLES)
def test_every_rule_is_named_and_explained_in_korean(table: str) -> None:
    checks = checks_for(table, today=date(2026, 1, 5))
    assert checks
    for check in checks:
        assert HANGUL.search(check.name), check
        assert HANGUL.search(check.why), check
        assert not OUTSIDE_REFERENCE.search(check.name + check.why), check
        assert not IDENTIFIER.search(check.name + check.why), check
        assert "$" not in check.name  # GE reads a description as a template


def test_the_standard_suite_covers_the_rules() -> None:
    checks = checks_for("standard_points")
    judged = {(c.expectation, c.kwargs.get("column") or c.kwargs.get("column_A")) for c in checks}
    for expected in [
        ("ExpectColumnValuesToBeBetween", "latitude"),
        ("ExpectColumnValuesToBeBetween", "longitude"),
        ("ExpectColumnPairValuesAToBeGreaterThanB", "reference_month"),
        ("ExpectColumnValuesToBeBetween", "retention_days"),
        ("ExpectColumnValuesToBeInSet", "purpose"),
        ("ExpectColumnValuesToBeBetween", "camera_count"),
    ]:
        assert expected in judged
