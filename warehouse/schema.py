"""Table schemas of the warehouse: the one place that says what each table holds.

Every derived row carries provenance (capture_sha256, source_url, fetched_at, row_ref,
parser_version) so that a number in a notebook can be traced back to the archived bytes.
"""

from __future__ import annotations

import pyarrow as pa

from transforms.values import CANONICAL_PURPOSES

TS = pa.timestamp("us", tz="UTC")

PROVENANCE = [
    pa.field("capture_sha256", pa.string(), nullable=False),
    pa.field("source_url", pa.string()),
    pa.field("fetched_at", TS),
    pa.field("parser_version", pa.string(), nullable=False),
]

INSTITUTIONS = pa.schema(
    [
        pa.field("inst_code", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("short_name", pa.string()),
        pa.field("level", pa.string(), nullable=False),
        pa.field("parent_code", pa.string()),
        pa.field("homepage", pa.string()),
        pa.field("area_code", pa.string()),
        pa.field("valid_from", pa.date32()),
        pa.field("valid_to", pa.date32()),
        pa.field("successor_code", pa.string()),
        pa.field("crawled", pa.bool_(), nullable=False),  # the archive holds its captures
    ]
)

CAPTURES = pa.schema(
    [
        pa.field("sha256", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("status", pa.int32()),
        pa.field("content_type", pa.string()),
        pa.field("content_disposition", pa.string()),
        pa.field("filename", pa.string()),
        pa.field("last_modified", pa.string()),
        pa.field("etag", pa.string()),
        pa.field("media_type", pa.string()),
        pa.field("size_bytes", pa.int64()),
        pa.field("fetched_at", TS, nullable=False),
        pa.field("inst_code", pa.string()),
        pa.field("role", pa.string()),
        pa.field("referer", pa.string()),
        pa.field("warc_file", pa.string(), nullable=False),
        pa.field("warc_offset", pa.int64(), nullable=False),
        pa.field("warc_length", pa.int64()),
        pa.field("record_type", pa.string(), nullable=False),
        pa.field("crawl_id", pa.string(), nullable=False),
    ]
)

POLICIES = pa.schema(
    [
        pa.field("inst_code", pa.string()),
        pa.field("title", pa.string()),
        pa.field("device_scope", pa.string()),
        pa.field("items_present", pa.list_(pa.int8())),
        pa.field("recording_hours", pa.string()),
        pa.field("retention_days_min", pa.int32()),
        pa.field("retention_days_max", pa.int32()),
        pa.field("storage_locations", pa.list_(pa.string())),
        pa.field("enacted_on", pa.date32()),
        pa.field("revised_on", pa.date32()),
        pa.field("is_template", pa.bool_()),
        pa.field("attachment_count", pa.int32()),
        pa.field("camera_rows", pa.int32()),
        pa.field("content_hash", pa.string()),
        *PROVENANCE,
    ]
)

CAMERAS = pa.schema(
    [
        pa.field("inst_code", pa.string()),
        pa.field("unit", pa.string()),
        pa.field("purpose_raw", pa.string()),
        pa.field("purpose", pa.string()),
        pa.field("legal_basis", pa.list_(pa.int8())),
        pa.field("camera_count", pa.int32()),
        pa.field("location", pa.string()),
        pa.field("recording_hours", pa.string()),
        pa.field("recording", pa.bool_()),
        pa.field("retention_days", pa.int32()),
        pa.field("retention_raw", pa.string()),
        pa.field("storage_location", pa.string()),
        pa.field("device_type", pa.string()),
        pa.field("is_template", pa.bool_(), nullable=False),
        pa.field("phone", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("source_kind", pa.string()),
        pa.field("row_ref", pa.string(), nullable=False),
        *PROVENANCE,
    ]
)

CONTACTS = pa.schema(
    [
        pa.field("inst_code", pa.string()),
        pa.field("role", pa.string()),
        pa.field("name", pa.string()),
        pa.field("title", pa.string()),
        pa.field("department", pa.string()),
        pa.field("phone", pa.string()),
        *PROVENANCE,
    ]
)

CONTRACTORS = pa.schema(
    [
        pa.field("inst_code", pa.string()),
        pa.field("name", pa.string()),
        pa.field("phone", pa.string()),
        *PROVENANCE,
    ]
)

QUALITY_ISSUES = pa.schema(
    [
        pa.field("level", pa.string(), nullable=False),
        pa.field("code", pa.string(), nullable=False),
        pa.field("message", pa.string()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("inst_code", pa.string()),
        pa.field("row_ref", pa.string()),
        pa.field("capture_sha256", pa.string()),
        pa.field("source_url", pa.string()),
        pa.field("parser_version", pa.string()),
    ]
)

# SCD-2 history of each institution's policy: a new version only when the normalised text
# changes. `rederived_from` names an earlier parser version that read the same capture
# differently: a change of ours, not of the institution.
POLICY_VERSIONS = pa.schema(
    [
        pa.field("inst_code", pa.string(), nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("content_hash", pa.string()),
        pa.field("valid_from", TS, nullable=False),
        pa.field("valid_to", TS),
        pa.field("is_current", pa.bool_(), nullable=False),
        pa.field("first_capture_sha256", pa.string(), nullable=False),
        pa.field("last_capture_sha256", pa.string(), nullable=False),
        pa.field("captures", pa.int32(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("items_present", pa.list_(pa.int8())),
        pa.field("retention_days_min", pa.int32()),
        pa.field("retention_days_max", pa.int32()),
        pa.field("camera_rows", pa.int32()),
        pa.field("camera_total", pa.int64()),
        pa.field("source_url", pa.string()),
        pa.field("parser_version", pa.string(), nullable=False),
        pa.field("rederived_from", pa.string()),
    ]
)

# One row per installation point of the national standard data (전국CCTV표준데이터), any
# generation (G1–G4, the OpenAPI, or a "partial" extract). Values that a quality issue
# nulls keep their source text where it matters (retention_raw, installed_raw).
STANDARD_POINTS = pa.schema(
    [
        pa.field("inst_code", pa.string()),
        pa.field("inst_name_raw", pa.string()),
        pa.field("source_inst_code", pa.string()),
        pa.field("mgmt_no", pa.string()),
        pa.field("address_road", pa.string()),
        pa.field("address_jibun", pa.string()),
        pa.field("purpose_raw", pa.string()),
        pa.field("purpose", pa.string()),
        pa.field("camera_count", pa.int32()),
        pa.field("pixels_10k", pa.int32()),
        pa.field("direction_text", pa.string()),
        pa.field("retention_days", pa.int32()),
        pa.field("retention_raw", pa.string()),
        pa.field("installed_ym", pa.string()),
        pa.field("installed_raw", pa.string()),
        pa.field("phone", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("reference_date", pa.date32()),
        pa.field("update_type", pa.string()),
        pa.field("updated_at", TS),
        pa.field("modified_at", TS),
        pa.field("schema_generation", pa.string(), nullable=False),
        pa.field("row_number", pa.int64(), nullable=False),
        pa.field("row_ref", pa.string(), nullable=False),
        *PROVENANCE,
    ]
)

# One row per expectation of the latest `cctv validate` run. Not built from the archive, so
# not in TABLES: validation writes it (warehouse.validation.results.store_results).
VALIDATION_RESULTS = pa.schema(
    [
        pa.field("run_at", TS, nullable=False),
        pa.field("suite", pa.string(), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("expectation_type", pa.string(), nullable=False),
        pa.field("column_name", pa.string()),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("success", pa.bool_(), nullable=False),
        pa.field("unexpected_count", pa.int64()),
        pa.field("element_count", pa.int64()),
        pa.field("note", pa.string()),
    ]
)

# Published aggregates (counts by 자치구 × purpose or year, by control centre), tidy.
AGGREGATES = pa.schema(
    [
        pa.field("row_label", pa.string(), nullable=False),
        pa.field("column_label", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("is_total", pa.bool_(), nullable=False),
        pa.field("row_ref", pa.string(), nullable=False),
        *PROVENANCE,
    ]
)

# What each crawl did per institution (the crawl report).
CRAWL_REPORTS = pa.schema(
    [
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("inst_code", pa.string(), nullable=False),
        pa.field("homepage_status", pa.int32()),
        pa.field("policy_found", pa.bool_(), nullable=False),
        pa.field("policy_url", pa.string()),
        pa.field("policy_in_privacy", pa.bool_(), nullable=False),
        pa.field("attachments", pa.int32(), nullable=False),
        pa.field("responses", pa.int32(), nullable=False),
        pa.field("problems", pa.int32(), nullable=False),
        pa.field("problem_kinds", pa.list_(pa.string())),
        pa.field("first_at", TS),
        pa.field("last_at", TS),
        pa.field("seconds", pa.float64()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "institutions": INSTITUTIONS,
    "captures": CAPTURES,
    "policies": POLICIES,
    "cameras": CAMERAS,
    "contacts": CONTACTS,
    "contractors": CONTRACTORS,
    "quality_issues": QUALITY_ISSUES,
    "policy_versions": POLICY_VERSIONS,
    "aggregates": AGGREGATES,
    "crawl_reports": CRAWL_REPORTS,
    "standard_points": STANDARD_POINTS,
}

# The canonical 설치목적구분 of the national standard data (domain.md §2.4).
PURPOSES = CANONICAL_PURPOSES

RECORDING_HOURS = ("24h", "scheduled", "none")
DEVICE_TYPES = ("fixed", "mobile")
