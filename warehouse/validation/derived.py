"""Columns derived for rules no single column can answer, next to the warehouse's own.

great-expectations checks one column (or a pair) against constants. Rules about a row's
raw text, totals per institution, or another table (the institution dimension, the policy
history, the contacts of a page) are turned into a derived column here, which a plain
expectation then checks. A derived value is `<NA>` where the rule does not judge the row
(a template, a warehouse without the reference table): expectations skip missing values.

Most derived values depend only on a few of their row's own values (`PerValue`): the
function below runs in pandas once per distinct combination of those values (inventories
repeat their texts, pages their crawl times), and the verdicts are joined back to the rows
in DuckDB. Totals over a group of rows (`PerGroup`) are SQL aggregates joined back the same
way, and values read from many columns of their row (`InSql`) are SQL over the table,
aliased `t`. Every function takes a frame and `refs`, the reference frames that
`REFERENCE_SQL` reads from the same warehouse.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from domain.constants import KST
from transforms.people import has_masked_name
from transforms.values.placeholders import is_placeholder
from transforms.values.retention import parse_retention
from warehouse.labels import column_label
from warehouse.schema import TABLES

Refs = Mapping[str, pd.DataFrame]
Derive = Callable[[pd.DataFrame, Refs], pd.Series]

REQUIRED_ITEMS = frozenset(range(1, 8))  # Decree 25① items 1-7
CORE_ITEMS = frozenset({1, 3, 4, 6})  # §6 rule 1, batch share
BASIC_LEVELS = ("si", "gun", "gu")  # 기초자치단체
PHONE = re.compile(r"^0\d{1,2}-\d{3,4}-\d{4}$")  # §6 rule 11
PARSED_RETENTION = ("stated", "not_recorded", "blank")  # §6 rule 6: the grammar read it
TEXT_COLUMNS = ("unit", "location", "purpose_raw", "retention_raw", "storage_location")

# Reference frames read next to the validated tables; a missing table reads as empty.
REFERENCE_SQL: dict[str, str] = {
    "institutions": "SELECT inst_code, level, valid_from, valid_to FROM institutions",
    "targeted": (
        "SELECT inst_code FROM captures WHERE inst_code IS NOT NULL "
        "UNION SELECT inst_code FROM quality_issues WHERE inst_code IS NOT NULL"
    ),
    "policy_versions": "SELECT inst_code, version, valid_from, valid_to FROM policy_versions",
    # the latest name of each code, as the view `institution_names` reads it: failing rows
    # are listed with the institution's name
    "institution_names": (
        "SELECT inst_code, arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS name "
        "FROM institutions GROUP BY inst_code"
    ),
    "phones": (
        "SELECT capture_sha256, phone FROM contacts WHERE phone IS NOT NULL "
        "UNION ALL SELECT capture_sha256, phone FROM contractors WHERE phone IS NOT NULL"
    ),
}


@dataclass(frozen=True)
class PerValue:
    """A column that depends only on its row's values in `sources`."""

    sources: tuple[str, ...]
    derive: Derive


@dataclass(frozen=True)
class PerGroup:
    """A column that is the same on every row of a group: `sql` aggregates the group's rows
    (`by` and `reads` are the columns it needs), and the result joins back on `by`."""

    by: tuple[str, ...]
    reads: tuple[str, ...]
    sql: str

    @property
    def sources(self) -> tuple[str, ...]:
        return (*self.by, *self.reads)


@dataclass(frozen=True)
class InSql:
    """A column computed by DuckDB: `sql` reads the table as `t`, `sources` are the columns
    it needs (without one of them the column is left out and the contract check reports)."""

    sources: tuple[str, ...]
    sql: str


def _listed(value: Any) -> set[int]:
    """List cells come back as numpy arrays, lists or missing values."""
    return {int(v) for v in value} if _present(value) else set()


def _present(value: Any) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)))


def _unknown(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=frame.index, dtype="boolean")


def _ref(refs: Refs, name: str) -> pd.DataFrame | None:
    found = refs.get(name)
    return None if found is None or found.empty else found


def crawl_day(frame: pd.DataFrame) -> pd.Series:
    """The Korean calendar day each row was fetched, as a naive timestamp (NaT if unknown)."""
    fetched = pd.to_datetime(frame["fetched_at"], utc=True)
    return fetched.dt.tz_convert(KST).dt.tz_localize(None).dt.normalize()


# --- policies -------------------------------------------------------------------------------


def required_items_count(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """Items 1-7 found on the page; a page with nothing detected counts as 0, not unknown."""
    values = [len(_listed(v) & REQUIRED_ITEMS) for v in frame["items_present"]]
    return pd.Series(values, index=frame.index, dtype="Int8")


def has_core_items(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    values = [CORE_ITEMS.issubset(_listed(v)) for v in frame["items_present"]]
    return pd.Series(values, index=frame.index, dtype="boolean")


def has_inventory(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """Item 2 is met by an inline table or an attached inventory file."""
    rows = frame["camera_rows"].fillna(0) > 0
    files = frame["attachment_count"].fillna(0) > 0
    return (rows | files).astype("boolean")


def storage_location_count(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    values = [len(v) if _present(v) else 0 for v in frame["storage_locations"]]
    return pd.Series(values, index=frame.index, dtype="Int32")


def fetched_on(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """The crawl date: no date stated on a page can be later than the day it was read."""
    return crawl_day(frame)


def history_ordered(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """The institution's policy versions follow each other without overlap (SCD-2 intervals
    ordered by version, only the last one open); unknown without a history."""
    versions = _ref(refs, "policy_versions")
    if versions is None:
        return _unknown(frame)
    verdict: dict[str, bool] = {}
    for code, group in versions.sort_values("version").groupby("inst_code", sort=False):
        starts, ends = list(group["valid_from"]), list(group["valid_to"])
        ok = all(pd.isna(e) or e >= s for s, e in zip(starts, ends, strict=True))
        ok &= all(pd.notna(e) for e in ends[:-1])
        ok &= all(ends[i] <= starts[i + 1] for i in range(len(starts) - 1) if pd.notna(ends[i]))
        verdict[str(code)] = bool(ok)
    values = [verdict.get(code) if isinstance(code, str) else None for code in frame["inst_code"]]
    return pd.Series(values, index=frame.index, dtype="boolean")


def contact_phones_valid(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """Every phone of the page's contacts and contractors has the national form; unknown
    for a page that lists none."""
    phones = _ref(refs, "phones")
    if phones is None:
        return _unknown(frame)
    valid = phones["phone"].map(lambda p: bool(PHONE.match(str(p))))
    by_page = valid.groupby(phones["capture_sha256"]).all().to_dict()
    values = [by_page.get(sha) for sha in frame["capture_sha256"]]
    return pd.Series(values, index=frame.index, dtype="boolean")


# --- the institution dimension (rules 12 and 13) --------------------------------------------


def _registry_match(frame: pd.DataFrame, refs: Refs) -> pd.DataFrame | None:
    """Per row: whether its inst_code is registered and valid on its crawl day, and the
    level of that registration (None without a registry)."""
    registry = _ref(refs, "institutions")
    if registry is None:
        return None
    rows = pd.DataFrame(
        {"inst_code": frame["inst_code"].to_numpy(), "day": crawl_day(frame).to_numpy()}
    )
    rows["row"] = range(len(rows))
    merged = rows.merge(registry, on="inst_code", how="left", indicator=True)
    day = merged["day"]
    valid = (
        (merged["_merge"] == "both")
        & (merged["valid_from"].isna() | day.isna() | (merged["valid_from"] <= day))
        & (merged["valid_to"].isna() | day.isna() | (day <= merged["valid_to"]))
    )
    merged["valid"] = valid
    merged["basic"] = valid & merged["level"].isin(BASIC_LEVELS)
    out = merged.groupby("row").agg(valid=("valid", "any"), basic=("basic", "any"))
    out.index = frame.index
    return out


def inst_code_registered(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    match = _registry_match(frame, refs)
    if match is None:
        return _unknown(frame)
    values = match["valid"].astype("boolean")
    return values.mask(frame["inst_code"].isna())


def basic_inst_code(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """The inst_code of a page from a registered 기초자치단체, else missing (for counting)."""
    match = _registry_match(frame, refs)
    if match is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame["inst_code"].astype("string").where(match["basic"].to_numpy())


@dataclass(frozen=True)
class Coverage:
    """What the registry the warehouse was built from expects the crawl to cover."""

    sido: tuple[str, ...] = ()  # 광역 valid on the day of the run
    targeted_sido: tuple[str, ...] = ()  # those the crawl tried (a capture or a finding)
    basic: int = 0  # 기초 valid on the day of the run

    @property
    def basic_needed(self) -> int:
        return math.ceil(0.95 * self.basic)  # §6 rule 13: ≥95% of 기초


def coverage(refs: Refs, today: date) -> Coverage:
    registry = _ref(refs, "institutions")
    if registry is None:
        return Coverage()
    day = pd.Timestamp(today)
    valid = registry[
        (registry["valid_from"].isna() | (registry["valid_from"] <= day))
        & (registry["valid_to"].isna() | (day <= registry["valid_to"]))
    ]
    sido = sorted(set(valid.loc[valid["level"] == "sido", "inst_code"].dropna()))
    targeted = _ref(refs, "targeted")
    tried = set(targeted["inst_code"]) if targeted is not None else set()
    basic = valid.loc[valid["level"].isin(BASIC_LEVELS), "inst_code"].nunique()
    return Coverage(tuple(sido), tuple(c for c in sido if c in tried), int(basic))


# --- cameras --------------------------------------------------------------------------------


def legal_basis_mapped(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """True when a fixed device's purpose maps to PIPA 25① items 1-6; unknown when not judged.

    Mobile devices rest on art. 25-2 and templates carry no purpose, so both are left out.
    The lists are exploded once and judged by position, not walked row by row in Python.
    """
    bases = pd.Series(frame["legal_basis"].to_numpy(dtype=object)).explode()
    numbers = pd.to_numeric(bases, errors="coerce")
    row = bases.index
    listed = numbers.notna().groupby(row).any()
    in_range = (numbers.between(1, 6) | numbers.isna()).groupby(row).all()
    mapped = (listed & in_range).to_numpy()
    skipped = (
        frame["is_template"].fillna(False).astype(bool).to_numpy()
        | frame["purpose"].isna().to_numpy()
        | (frame["device_type"] == "mobile").fillna(False).astype(bool).to_numpy()
    )
    values = pd.Series(mapped, index=frame.index, dtype="boolean")
    return values.mask(skipped)


def _text(value: Any) -> str | None:
    return str(value) if _present(value) else None


def _by_value(column: pd.Series, judge: Callable[[str], Any]) -> pd.Series:
    """`judge` applied once per distinct text (inventories repeat their cell texts), the
    verdicts spread back by position; missing where the text is."""
    codes, texts = pd.factorize(column)
    verdicts = np.array([judge(v) for v in texts] + [np.nan], dtype=object)
    return pd.Series(verdicts[codes], index=column.index)


def retention_status(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """How the retention grammar reads `retention_raw` (stated, not_recorded, blank,
    unparsed, absurd…); missing for template rows, whose text is an example."""
    status = _by_value(frame["retention_raw"], lambda v: parse_retention(v).status)
    status = status.astype("string").fillna("blank")
    return status.mask(frame["is_template"].fillna(False).astype(bool))


def placeholder_retention(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    return _by_value(frame["retention_raw"], is_placeholder).astype("boolean").fillna(False)


def placeholder_text(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """A row not marked as a template whose text still holds a template token (the parser's
    own test: a placeholder that is not a masked name); missing for template rows."""
    found = pd.Series(False, index=frame.index, dtype="boolean")
    for column in (c for c in TEXT_COLUMNS if c in frame.columns):
        flags = _by_value(frame[column], lambda v: is_placeholder(v) and not has_masked_name(v))
        found |= flags.astype("boolean").fillna(False)
    return found.mask(frame["is_template"].fillna(False).astype(bool))


# --- every table ----------------------------------------------------------------------------


def contract_gaps(table: str) -> InSql:
    """The Korean names of the columns the schema declares non-nullable that a row leaves
    empty, else missing: one rule reports every gap of the contract, row by row, where a
    rule per column would cost great-expectations' overhead once per column."""
    required = [f.name for f in TABLES[table] if not f.nullable]
    gaps = ", ".join(
        f"CASE WHEN t.{_quoted(c)} IS NULL THEN {_literal(column_label(table, c))} END"
        for c in required
    )
    return InSql(tuple(required), f"NULLIF(concat_ws(', ', {gaps}), '')")


# The sum of an institution's camera counts on each of its rows (0 where none is stated, as
# pandas sums); rows without a code are summed together.
INSTITUTION_CAMERA_TOTAL = PerGroup(
    ("inst_code",), ("camera_count",), "CAST(coalesce(sum(camera_count), 0) AS BIGINT)"
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- standard_points ------------------------------------------------------------------------


def installed_month(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """설치연월 (`YYYY-MM`) as the first day of that month; NaT when not stated."""
    return pd.to_datetime(frame["installed_ym"], format="%Y-%m", errors="coerce")


def reference_month(frame: pd.DataFrame, refs: Refs) -> pd.Series:
    """The first day of 데이터기준일자's month: a camera installed that month is no error."""
    day = pd.to_datetime(frame["reference_date"], errors="coerce")
    return day.dt.to_period("M").dt.to_timestamp()


DERIVED: dict[str, dict[str, PerValue | PerGroup | InSql]] = {
    "cameras": {
        "contract_gaps": contract_gaps("cameras"),
        "institution_camera_total": INSTITUTION_CAMERA_TOTAL,
        "legal_basis_mapped": PerValue(
            ("legal_basis", "is_template", "purpose", "device_type"), legal_basis_mapped
        ),
        "retention_status": PerValue(("retention_raw", "is_template"), retention_status),
        "placeholder_retention": PerValue(("retention_raw",), placeholder_retention),
        "placeholder_text": PerValue((*TEXT_COLUMNS, "is_template"), placeholder_text),
        "inst_code_registered": PerValue(("inst_code", "fetched_at"), inst_code_registered),
    },
    "policies": {
        "contract_gaps": contract_gaps("policies"),
        "required_items_count": PerValue(("items_present",), required_items_count),
        "has_core_items": PerValue(("items_present",), has_core_items),
        "has_inventory": PerValue(("camera_rows", "attachment_count"), has_inventory),
        "storage_location_count": PerValue(("storage_locations",), storage_location_count),
        "fetched_on": PerValue(("fetched_at",), fetched_on),
        "history_ordered": PerValue(("inst_code",), history_ordered),
        "contact_phones_valid": PerValue(("capture_sha256",), contact_phones_valid),
        "inst_code_registered": PerValue(("inst_code", "fetched_at"), inst_code_registered),
        "basic_inst_code": PerValue(("inst_code", "fetched_at"), basic_inst_code),
    },
    "standard_points": {
        "contract_gaps": contract_gaps("standard_points"),
        "installed_month": PerValue(("installed_ym",), installed_month),
        "reference_month": PerValue(("reference_date",), reference_month),
    },
}
