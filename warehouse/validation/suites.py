"""The expectations run against the warehouse, one `Check` per rule.

Each check names its table, the great-expectations 1.x expectation class, its kwargs, a
severity ("error" fails the run, "warning" is reported only) and a one-line why citing
domain.md §6 or the table contract in `warehouse.schema`.

Conditional rules ("where the row is not a template") use great-expectations' own
`Condition` objects: `where` is a function handed GE's `Column` factory at run time, so
this module stays free of the slow import. String row conditions (`condition_parser`)
are deprecated since GE 1.9 and warn on every expectation, and Condition objects cannot
nest an OR inside an AND; so rules that need computed values (item coverage, totals per
institution, other tables) validate derived columns added in pandas (`derived.py`) instead.

"Retention 0 only where recording is false" also fails a 0 whose `recording` is unknown:
the parse contract sets both together (녹화무 → recording false, retention 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from domain.constants import KOREA_LAT, KOREA_LON
from warehouse.schema import DEVICE_TYPES, PURPOSES, RECORDING_HOURS, TABLES
from warehouse.validation.derived import PARSED_RETENTION, Coverage

Severity = Literal["error", "warning"]

VALIDATED_TABLES = ("cameras", "policies")

INST_CODE = r"^\d{7}$"
PHONE = r"^0\d{1,2}-\d{3,4}-\d{4}$"
RETENTION_MAX = 365  # §6 rule 5: above this is an error
RETENTION_DEFAULT = 30  # 표준지침 제41조②: the default when no period can be justified
CAMERA_COUNT_MAX = 20_000  # §6 rule 4, per row
INSTITUTION_CAMERAS_MAX = 100_000  # §6 rule 4, per institution
UNPARSED_MAX = 0.02  # §6 rule 5: retention texts the grammar cannot read, per batch
PIPA_IN_FORCE = date(2011, 9, 30)  # §6 rule 10
DEVICE_SCOPES = ("fixed", "mobile", "both")  # parse-contract.md `device_scope`

# Where each table's failing rows are traced back to (shown next to unexpected values).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "cameras": ("capture_sha256", "row_ref"),
    "policies": ("capture_sha256",),
}


def suite_name(table: str, severity: str) -> str:
    """One suite per table and severity: "cameras-errors", "policies-warnings"."""
    return f"{table}-{severity}s"


@dataclass(frozen=True)
class Check:
    table: str
    expectation: str  # class name in `great_expectations.expectations`
    kwargs: Mapping[str, Any]
    severity: Severity
    why: str
    where: Callable[[Any], Any] | None = field(default=None, compare=False)


def _non_null_by_contract(table: str) -> list[Check]:
    """Columns the schema declares non-nullable: the contract every writer must keep."""
    return [
        Check(
            table,
            "ExpectColumnValuesToNotBeNull",
            {"column": f.name},
            "error",
            f"contract: warehouse.schema declares {table}.{f.name} non-nullable",
        )
        for f in TABLES[table]
        if not f.nullable
    ]


def _contract(table: str) -> list[Check]:
    columns = [f.name for f in TABLES[table]]
    return [
        Check(
            table,
            "ExpectTableColumnsToMatchSet",
            {"column_set": columns, "exact_match": False},
            "error",
            "contract: every column of warehouse.schema is present",
        ),
        *_non_null_by_contract(table),
    ]


def _inst_code(table: str) -> list[Check]:
    return [
        Check(
            table,
            "ExpectColumnValuesToNotBeNull",
            {"column": "inst_code"},
            "error",
            "§6 rule 12: every row is keyed to an institution",
        ),
        Check(
            table,
            "ExpectColumnValuesToMatchRegex",
            {"column": "inst_code", "regex": INST_CODE},
            "error",
            "§6 rule 12: inst_code is the 7-digit 행정표준코드",
        ),
    ]


def _is_template(c: Any) -> Any:
    return c("is_template") == True  # noqa: E712  (a GE Condition, not a Python comparison)


def _not_template(c: Any) -> Any:
    return c("is_template") == False  # noqa: E712


def _recording_or_unknown(c: Any) -> Any:
    return (c("recording") == True) | c("recording").is_null()  # noqa: E712


def _recording(c: Any) -> Any:
    return c("recording") == True  # noqa: E712


def _not_recording(c: Any) -> Any:
    return c("recording") == False  # noqa: E712


def _retained(c: Any) -> Any:
    return c("retention_days") > 0


def _retained_by_policy(c: Any) -> Any:
    return c("retention_days_max") > 0


def _placeholder_retention(c: Any) -> Any:
    return c("placeholder_retention") == True  # noqa: E712


def _registered(table: str) -> Check:
    return Check(
        table,
        "ExpectColumnValuesToBeInSet",
        {"column": "inst_code_registered", "value_set": [True]},
        "error",
        "§6 rule 12: inst_code is in the institution dimension, valid on the crawl date (derived)",
    )


def _cameras() -> list[Check]:
    t = "cameras"
    return [
        *_contract(t),
        *_inst_code(t),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "source_url"},
            "error",
            "contract: every row traces back to the page it came from",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 0, "max_value": RETENTION_MAX},
            "error",
            "§6 rule 5: retention is an integer 0…365 days",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "max_value": RETENTION_DEFAULT},
            "warning",
            "§6 rule 5: above the 30-day 표준지침 default (lawful only if justified)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 1},
            "error",
            "§6 rule 5: retention 0 only where recording is false (녹화무)",
            where=_recording_or_unknown,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "camera_count", "min_value": 1},
            "error",
            "§6 rule 4: a real inventory row has at least one camera",
            where=_not_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "camera_count", "max_value": CAMERA_COUNT_MAX},
            "error",
            "§6 rule 4: at most 20,000 cameras per row",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "institution_camera_total", "max_value": INSTITUTION_CAMERAS_MAX},
            "error",
            "§6 rule 4: at most 100,000 cameras per institution (derived: sum by inst_code)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "camera_count"},
            "error",
            "§6 rule 3: template rows carry no numbers (NULL, never 0)",
            where=_is_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "retention_days"},
            "error",
            "§6 rule 3: template rows carry no numbers (NULL, never 0)",
            where=_is_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "purpose", "value_set": list(PURPOSES)},
            "error",
            "§6 rule 15: purpose is one of the 10 canonical 설치목적구분",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "purpose", "mostly": 0.95},
            "warning",
            "§6 rule 15: purposes map to a canonical value (policy pages: ≥95%)",
            where=_not_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "legal_basis_mapped", "value_set": [True], "mostly": 0.95},
            "warning",
            "§6 rule 9: ≤5% of fixed-device purposes lack a PIPA 25① item 1-6 (derived)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "recording_hours", "value_set": list(RECORDING_HOURS)},
            "error",
            "§6 rule 7: recording hours enum (unknown is NULL)",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeInSet",
            {"column": "recording_hours", "value_set": ["none"]},
            "warning",
            "§6 rule 7: a recording device should not state hours=none",
            where=_recording,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "device_type", "value_set": list(DEVICE_TYPES)},
            "error",
            "contract: device_type is fixed (PIPA 25) or mobile (PIPA 25-2)",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "storage_location"},
            "warning",
            "§6 rule 8: a storage location is stated where footage is kept",
            where=_retained,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "storage_location", "value_set": ["-"]},
            "warning",
            "§6 rule 8: no storage location where nothing is recorded (녹화무)",
            where=_not_recording,
        ),
        Check(
            t,
            "ExpectColumnValuesToMatchRegex",
            {"column": "phone", "regex": PHONE},
            "warning",
            "§6 rule 11: phone numbers are 0NN-NNNN-NNNN once the area code is imputed",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "latitude", "min_value": KOREA_LAT[0], "max_value": KOREA_LAT[1]},
            "warning",
            "§6 rule 19: latitude inside Korea (outside is often a lat/lon swap)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "longitude", "min_value": KOREA_LON[0], "max_value": KOREA_LON[1]},
            "warning",
            "§6 rule 19: longitude inside Korea (outside is often a lat/lon swap)",
        ),
        _registered(t),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "retention_days"},
            "error",
            "§6 rule 3: a placeholder retention text (00일, ○○일) gives no number",
            where=_placeholder_retention,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "placeholder_text", "value_set": [False]},
            "warning",
            "§6 rule 3: a row still showing template tokens (○○, 000실, 홍길동) is a template",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeInSet",
            {"column": "retention_status", "value_set": ["absurd"]},
            "error",
            "§6 rule 5: no retention above 365 days or 영구 (the number itself is kept NULL)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {
                "column": "retention_status",
                "value_set": list(PARSED_RETENTION),
                "mostly": 1 - UNPARSED_MAX,
            },
            "error",
            "§6 rule 5: at most 2% of retention texts unparsed per batch (derived)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "retention_status", "value_set": list(PARSED_RETENTION)},
            "warning",
            "§6 rule 6: each retention text matches the grammar (N일, N개월, 녹화무, -, blank)",
        ),
    ]


def _policies(today: date, coverage: Coverage) -> list[Check]:
    t = "policies"
    earliest = pd.Timestamp(PIPA_IN_FORCE)
    latest = pd.Timestamp(today)
    checks = [
        *_contract(t),
        *_inst_code(t),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "device_scope", "value_set": list(DEVICE_SCOPES)},
            "error",
            "contract: device_scope is fixed, mobile or both",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "recording_hours", "value_set": list(RECORDING_HOURS)},
            "error",
            "§6 rule 7: recording hours enum (unknown is NULL)",
        ),
    ]
    for column in ("retention_days_min", "retention_days_max"):
        checks += [
            Check(
                t,
                "ExpectColumnValuesToBeBetween",
                {"column": column, "min_value": 0, "max_value": RETENTION_MAX},
                "error",
                "§6 rule 5: retention is an integer 0…365 days",
            ),
            Check(
                t,
                "ExpectColumnValuesToBeNull",
                {"column": column},
                "error",
                "§6 rule 3: template pages carry no numbers (NULL, never 0)",
                where=_is_template,
            ),
        ]
    checks += [
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days_max", "max_value": RETENTION_DEFAULT},
            "warning",
            "§6 rule 5: above the 30-day 표준지침 default (lawful only if justified)",
        ),
        Check(
            t,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "retention_days_max",
                "column_B": "retention_days_min",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "error",
            "§6 rule 5: the shortest stated retention is not above the longest",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "required_items_count", "min_value": 5, "max_value": 7},
            "error",
            "§6 rule 1: at least 5 of the Decree 25① items 1-7 (derived from items_present)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "required_items_count", "min_value": 7, "max_value": 7},
            "warning",
            "§6 rule 1: all of the Decree 25① items 1-7 (derived from items_present)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "has_core_items", "value_set": [True], "mostly": 0.95},
            "warning",
            "§6 rule 1: ≥95% of pages state items 1, 3, 4 and 6 (derived)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "has_inventory", "value_set": [True]},
            "warning",
            "§6 rule 2: an inline inventory table or an attached file (derived)",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "title"},
            "warning",
            "contract: a policy page has a title",
        ),
    ]
    for column in ("enacted_on", "revised_on"):
        checks.append(
            Check(
                t,
                "ExpectColumnValuesToBeBetween",
                {"column": column, "min_value": earliest, "max_value": latest},
                "warning",
                "§6 rule 10: dated between PIPA in force (2011-09-30) and today",
            )
        )
    checks.append(
        Check(
            t,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "revised_on",
                "column_B": "enacted_on",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "warning",
            "§6 rule 10: revision dates are not before enactment",
        )
    )
    for column in ("enacted_on", "revised_on"):
        checks.append(
            Check(
                t,
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {
                    "column_A": "fetched_on",
                    "column_B": column,
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                },
                "warning",
                "§6 rule 10: no date on a page is later than the day it was crawled",
            )
        )
    checks += [
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "history_ordered", "value_set": [True]},
            "warning",
            "§6 rule 10: the policy's versions are ordered, without overlap (policy_versions)",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "storage_location_count", "min_value": 1},
            "warning",
            "§6 rule 8: a page that keeps footage states where (storage_locations)",
            where=_retained_by_policy,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "contact_phones_valid", "value_set": [True]},
            "warning",
            "§6 rule 11: the page's contact and contractor phones are 0NN-NNNN-NNNN",
        ),
        _registered(t),
        *_coverage(coverage),
    ]
    return checks


def _coverage(coverage: Coverage) -> list[Check]:
    """§6 rule 13, against the registry the warehouse was built from (16 광역 and 227 기초
    for the national one). A 광역 the crawl never tried is a partial crawl, not a failure."""
    if not coverage.sido and not coverage.basic:
        return []  # no registry in the warehouse: nothing to measure coverage against
    t = "policies"
    return [
        Check(
            t,
            "ExpectColumnDistinctValuesToContainSet",
            {"column": "inst_code", "value_set": list(coverage.targeted_sido)},
            "error",
            "§6 rule 13: every 광역 the crawl tried has a policy page",
        ),
        Check(
            t,
            "ExpectColumnDistinctValuesToContainSet",
            {"column": "inst_code", "value_set": list(coverage.sido)},
            "warning",
            "§6 rule 13: every 광역 of the registry has a policy page",
        ),
        Check(
            t,
            "ExpectColumnUniqueValueCountToBeBetween",
            {"column": "basic_inst_code", "min_value": coverage.basic_needed},
            "warning",
            f"§6 rule 13: ≥95% of the registry's {coverage.basic} 기초 have a policy page",
        ),
    ]


def checks_for(
    table: str, today: date | None = None, coverage: Coverage | None = None
) -> list[Check]:
    """The checks of one table; `today` bounds the date rules (a crawl date in replays),
    `coverage` is what the registry expects the crawl to cover (see `derived.coverage`)."""
    if table == "cameras":
        return _cameras()
    if table == "policies":
        return _policies(today or date.today(), coverage or Coverage())
    raise KeyError(f"no validation suite for table {table!r}")
