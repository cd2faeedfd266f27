"""The rows the build writes, typed: one TypedDict per table of `warehouse.schema.TABLES`.

A row is still a plain dict (that is what `pa.Table.from_pylist` takes, and what the parse
cache holds), but its keys and value types are stated once here and checked against the
Arrow schema by tests/unit/test_records.py: a column added to one and not the other fails.
A nullable column is `X | None`; a column that may not be null is `X`.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from transforms.issues import IssueRow

# The quality_issues row is made by transforms.issues.Issue.row (the parse's own type).
QualityIssueRow = IssueRow


class InstitutionRow(TypedDict):
    inst_code: str
    name: str
    short_name: str | None
    level: str
    parent_code: str | None
    homepage: str | None
    area_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None
    crawled: bool


class ItemStatement(TypedDict):
    item: int
    text: str


class PolicyRow(TypedDict):
    inst_code: str | None
    institution_name: str | None
    institution_identified_by: str | None
    institution_confidence: str | None
    title: str | None
    device_scope: str | None
    items_present: list[int] | None
    item_statements: list[ItemStatement] | None
    recording_hours: str | None
    retention_days_min: int | None
    retention_days_max: int | None
    storage_locations: list[str] | None
    enacted_on: dt.date | None
    revised_on: dt.date | None
    is_template: bool | None
    attachment_count: int | None
    stated_total: int | None
    camera_rows: int | None
    content_hash: str | None
    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class CameraRow(TypedDict):
    inst_code: str | None
    unit: str | None
    purpose_raw: str | None
    purpose: str | None
    legal_basis: list[int] | None
    camera_count: int | None
    location: str | None
    recording_hours: str | None
    recording: bool | None
    retention_days: int | None
    retention_raw: str | None
    storage_location: str | None
    device_type: str | None
    is_template: bool
    phone: str | None
    latitude: float | None
    longitude: float | None
    source_kind: str | None
    row_ref: str
    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class ContactRow(TypedDict):
    inst_code: str | None
    role: str | None
    name: str | None
    title: str | None
    department: str | None
    phone: str | None
    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class ContractorRow(TypedDict):
    inst_code: str | None
    name: str | None
    phone: str | None
    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class PolicyVersionRow(TypedDict):
    inst_code: str
    version: int
    content_hash: str | None
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    is_current: bool
    first_capture_sha256: str
    last_capture_sha256: str
    captures: int
    title: str | None
    items_present: list[int] | None
    retention_days_min: int | None
    retention_days_max: int | None
    camera_rows: int | None
    camera_total: int | None
    source_url: str | None
    parser_version: str
    rederived_from: str | None


class CrawlReportRow(TypedDict):
    crawl_id: str
    inst_code: str
    homepage_status: int | None
    policy_found: bool
    policy_url: str | None
    policy_in_privacy: bool
    route: str | None
    reason: str | None
    policies: int
    attachments: int
    responses: int
    not_modified: int
    problems: int
    problem_kinds: list[str] | None
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    seconds: float | None


class AggregateRow(TypedDict):
    row_label: str
    column_label: str
    value: float
    is_total: bool
    row_ref: str
    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class RowProvenance(TypedDict):
    """The columns every row read from an archived document ends with (schema.PROVENANCE)."""

    capture_sha256: str
    source_url: str | None
    fetched_at: dt.datetime | None
    parser_version: str


class DocumentRows(TypedDict):
    """What one parsed document adds to the warehouse."""

    policies: list[PolicyRow]
    cameras: list[CameraRow]
    contacts: list[ContactRow]
    contractors: list[ContractorRow]
    quality_issues: list[QualityIssueRow]


# Table → its row type. `captures` rows are archive.index.Capture's fields, and
# `standard_points` is loaded column-wise (warehouse/standard/), never row by row.
RECORDS: dict[str, type] = {
    "institutions": InstitutionRow,
    "policies": PolicyRow,
    "cameras": CameraRow,
    "contacts": ContactRow,
    "contractors": ContractorRow,
    "quality_issues": QualityIssueRow,
    "policy_versions": PolicyVersionRow,
    "aggregates": AggregateRow,
    "crawl_reports": CrawlReportRow,
}
