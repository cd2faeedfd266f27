"""Table schemas of the warehouse: the one place that says what each table holds.

Every derived row carries provenance (capture_sha256, source_url, fetched_at, row_ref,
parser_version) so that a number in a notebook can be traced back to the archived bytes.

Each column says what it holds in its field metadata (`doc`, and `unit` for numbers and
times); each schema says what one row is, which stage writes it and what it holds. The
metadata travels into the Parquet files, and `python -m warehouse.dictionary` turns it into
docs/data-dictionary.md. A column without a description fails
tests/unit/test_data_dictionary.py.

A column that several tables share (inst_code, the provenance columns, row_ref, the values
camera rows and the standard data both hold) is defined once in `FIELDS`, so its type and
meaning cannot drift apart between tables; warehouse/records.py types the rows.
"""

from __future__ import annotations

import pyarrow as pa

from archive.captures import CAPTURES
from domain.fields import TS, doc, table_doc
from transforms.values import CANONICAL_PURPOSES

# Purposes as listed in the descriptions below.
_PURPOSE_LIST = ", ".join(CANONICAL_PURPOSES)


# The columns several tables share, each defined once: its type, nullability and meaning.
# A table takes one with `column(name)`, and states its own meaning only where the column
# really means something else there (a policy's page-level statement against a row's
# value); `HOMONYMS` lists the names that tables use for unrelated things.
# tests/unit/test_schema_fields.py fails when a name shared by two tables is in neither.
FIELDS: dict[str, pa.Field] = {
    f.name: f
    for f in [
        pa.field(
            "inst_code",
            pa.string(),
            metadata=doc(
                "Institution, by its 7-digit 행정표준코드 기관코드 (joins `institutions`). A "
                "row read from an archived document carries the code the document was "
                "crawled or imported for (`captures.inst_code`), whoever its text names."
            ),
        ),
        pa.field(
            "capture_sha256",
            pa.string(),
            nullable=False,
            metadata=doc(
                "SHA-256 (hex) of the archived document the row was read from; joins "
                "`captures.sha256`."
            ),
        ),
        pa.field(
            "source_url",
            pa.string(),
            metadata=doc(
                "URL of that document (`captures.url`; for an imported file: the `--url` "
                "given, else its `file://` URI)."
            ),
        ),
        pa.field(
            "fetched_at",
            TS,
            metadata=doc("When that document was fetched or imported.", unit="UTC"),
        ),
        pa.field(
            "parser_version",
            pa.string(),
            nullable=False,
            metadata=doc("Version of the parser that read it (`standard-…` for standard data)."),
        ),
        pa.field(
            "row_ref",
            pa.string(),
            nullable=False,
            metadata=doc(
                "Where in the document the row was read: `table 1, row 3` on a page; "
                "`sheet NAME, row N`, `csv, row N` or `json, row N` in a file."
            ),
        ),
        pa.field(
            "crawl_id",
            pa.string(),
            nullable=False,
            metadata=doc("The crawl (`crawl-…`, as in `captures.crawl_id`)."),
        ),
        pa.field(
            "title", pa.string(), metadata=doc("The policy's own title as the page shows it.")
        ),
        pa.field(
            "items_present",
            pa.list_(pa.int8()),
            metadata=doc(
                "Items of 시행령 제25조제1항 (1–8) the page addresses, sorted. Items "
                "1–7 are the required ones; 8 is any further section.",
                unit="item numbers",
            ),
        ),
        pa.field(
            "item_statements",
            pa.list_(pa.struct([("item", pa.int8()), ("text", pa.string())])),
            metadata=doc(
                "For each item in `items_present`, the page's own words that state it: the "
                "first line using the item's vocabulary, else a heading, else a table's "
                "header row (cut at 300 characters). An item found only across two lines "
                "has none."
            ),
        ),
        pa.field(
            "recording_hours",
            pa.string(),
            metadata=doc("`24h`, `scheduled` or `none`; null when not stated."),
        ),
        pa.field(
            "retention_days_min",
            pa.int32(),
            metadata=doc(
                "Smallest non-zero retention stated on the page (statements and "
                "non-template rows). `N개월` counts N×30 days; a range counts as its "
                "upper bound.",
                unit="days",
            ),
        ),
        pa.field(
            "retention_days_max",
            pa.int32(),
            metadata=doc(
                "Largest retention stated on the page (statements and non-template rows).",
                unit="days",
            ),
        ),
        pa.field(
            "camera_rows",
            pa.int32(),
            metadata=doc(
                "Inventory rows read from the page itself; rows of its attachments are "
                "in `cameras` with `source_kind = 'attachment'`.",
                unit="rows",
            ),
        ),
        pa.field(
            "content_hash",
            pa.string(),
            metadata=doc(
                "SHA-256 (hex) of the page's normalised text: equal hashes mean the "
                "same policy text."
            ),
        ),
        pa.field(
            "purpose_raw",
            pa.string(),
            metadata=doc(
                "The row's 설치목적 (설치목적구분) as written; null when the source has no "
                "purpose column."
            ),
        ),
        pa.field(
            "purpose",
            pa.string(),
            metadata=doc(
                f"Canonical purpose of `purpose_raw`, one of {_PURPOSE_LIST}; null when "
                "not recognised."
            ),
        ),
        pa.field(
            "camera_count",
            pa.int32(),
            metadata=doc(
                "Cameras in the row (from 대수 or 카메라대수, never from 개소); null when "
                "not stated, a placeholder or not a whole number.",
                unit="cameras",
            ),
        ),
        pa.field(
            "retention_days",
            pa.int32(),
            metadata=doc(
                "Stated retention (`N개월` = N×30 days, a range counts as its upper "
                "bound); 0 only when the row does not record; null when not stated or a "
                "placeholder.",
                unit="days",
            ),
        ),
        pa.field(
            "retention_raw",
            pa.string(),
            metadata=doc("The retention text as written (보관기간, 보관일수)."),
        ),
        pa.field("phone", pa.string(), metadata=doc("Phone, normalised (054-420-6012).")),
        pa.field(
            "latitude",
            pa.float64(),
            metadata=doc("Latitude, when the source gives coordinates.", unit="degrees (WGS84)"),
        ),
        pa.field(
            "longitude",
            pa.float64(),
            metadata=doc("Longitude, when the source gives coordinates.", unit="degrees (WGS84)"),
        ),
    ]
}

# Names tables use for unrelated things; each table defines its own.
HOMONYMS = {
    "name": "an institution's, a person's or a company's name",
    "level": "an institution's tier (`sido`, `si`, …); a finding's severity",
    "valid_from": "an institution's first valid day (date); a policy version's first capture",
    "valid_to": "an institution's last valid day (date); the capture that ended a version",
    "role": "why a capture was fetched; a contact's 보호책임자/관리책임자/…",
    "is_template": "a page whose every row is a template; one template row",
}


def column(
    name: str, text: str | None = None, *, nullable: bool | None = None, unit: str | None = None
) -> pa.Field:
    """The catalogue's column as one table holds it: `nullable` where the table guarantees
    (or cannot guarantee) a value, `text` only where the column means something else there."""
    f = FIELDS[name]
    if nullable is not None:
        f = f.with_nullable(nullable)
    if text is not None:
        kept = (f.metadata or {}).get(b"unit")
        f = f.with_metadata(doc(text, unit or (kept.decode() if kept else None)))
    return f


# Provenance: every row read from an archived document ends with these.
PROVENANCE = [
    column(name) for name in ("capture_sha256", "source_url", "fetched_at", "parser_version")
]

INSTITUTIONS = pa.schema(
    [
        column(
            "inst_code",
            "7-digit 행정표준코드 기관코드: with `valid_from`, the key of this table (a "
            "code has one row per name and validity period).",
            nullable=False,
        ),
        pa.field(
            "name",
            pa.string(),
            nullable=False,
            metadata=doc("Official name (인천광역시 미추홀구)."),
        ),
        pa.field("short_name", pa.string(), metadata=doc("Short name (미추홀구).")),
        pa.field(
            "level",
            pa.string(),
            nullable=False,
            metadata=doc(
                "`sido` (광역), `si`, `gun` or `gu` (기초), or `other` (registry bodies "
                "that are not local governments)."
            ),
        ),
        pa.field(
            "parent_code",
            pa.string(),
            metadata=doc("Code of the 광역 a 기초 belongs to; null for a 광역."),
        ),
        pa.field(
            "homepage",
            pa.string(),
            metadata=doc("Homepage URL; empty or null when there is none (a code that has ended)."),
        ),
        pa.field(
            "area_code",
            pa.string(),
            metadata=doc(
                "Telephone area code of its 광역 (02, 031, …), used to complete phone "
                "numbers written without one; null where the 광역 has no single area "
                "code."
            ),
        ),
        pa.field(
            "valid_from",
            pa.date32(),
            metadata=doc("First day this row is valid; null when open-ended."),
        ),
        pa.field(
            "valid_to",
            pa.date32(),
            metadata=doc("Last day this row is valid; null while still valid."),
        ),
        pa.field(
            "successor_code", pa.string(), metadata=doc("Code that took over after `valid_to`.")
        ),
        pa.field(
            "crawled",
            pa.bool_(),
            nullable=False,
            metadata=doc("The archive holds captures for this code (crawled or imported)."),
        ),
    ],
    metadata=table_doc(
        "institution and validity period (SCD-2)",
        "`cctv build` (warehouse/build.py), from the crawl registry "
        "`registry/institutions.csv` and the institution dimension "
        "`registry/local_governments.csv`",
        "Every institution of the crawl registry and every local government of "
        "the dimension: both eras of the 2026-07-01 reorganisation and older "
        "renamed codes. A code has one row per name and validity period.",
    ),
)

POLICIES = pa.schema(
    [
        column("inst_code"),
        pa.field(
            "institution_name",
            pa.string(),
            metadata=doc(
                "Who the page says it is from, as it names itself (a 공단, 도서관 or 복지관 of "
                "the institution keeps its own name); the registry's name when it does not "
                "name itself. Null when nobody could be named."
            ),
        ),
        pa.field(
            "institution_identified_by",
            pa.string(),
            metadata=doc(
                "How the institution was identified: `hint` (the code the page was crawled "
                "or imported for), `registry_host` (the URL's host is registered), "
                "`registry_parent_host` (a parent domain or subdomain of a registered host), "
                "`self_naming` (본 ○○(이하 …), ○○시는 …), `title` (the policy's or the "
                "browser's title), `footer` (the copyright line), `dimension_name` (an "
                "institution's name in the opening text). Null when none did."
            ),
        ),
        pa.field(
            "institution_confidence",
            pa.string(),
            metadata=doc(
                "How sure the identification is: `high` (given code or registered host; "
                "or two of the page's own names agree), `medium` (a registered parent "
                "domain, or one name on the page), `low` (a name in the text, or a name "
                "that matches no institution's)."
            ),
        ),
        column("title"),
        pa.field(
            "device_scope",
            pa.string(),
            metadata=doc(
                "`fixed`, `mobile` or `both` (고정형·이동형 in the title, or mobile "
                "rows next to fixed ones)."
            ),
        ),
        column("items_present"),
        column("item_statements"),
        column(
            "recording_hours",
            "`24h`, `scheduled` or `none`: the page-level statement, else the value "
            "all non-template rows agree on; null otherwise.",
        ),
        column("retention_days_min"),
        column("retention_days_max"),
        pa.field(
            "storage_locations",
            pa.list_(pa.string()),
            metadata=doc("Distinct 보관장소 as written, in order of appearance."),
        ),
        pa.field("enacted_on", pa.date32(), metadata=doc("제정 date the policy text states.")),
        pa.field(
            "revised_on",
            pa.date32(),
            metadata=doc("Latest 개정, 변경, 시행 or 공고 date the policy text states."),
        ),
        pa.field(
            "is_template",
            pa.bool_(),
            metadata=doc(
                "The page has inventory rows and every one is a template or example row "
                "(○○, 00대, 예시)."
            ),
        ),
        pa.field(
            "attachment_count",
            pa.int32(),
            metadata=doc(
                "Links in the policy body to where the inventory is (a file or a board page).",
                unit="links",
            ),
        ),
        pa.field(
            "stated_total",
            pa.int32(),
            metadata=doc(
                "Cameras the page itself says it runs in total: the total its text states "
                "(총 12대, 모두 5대), else the sum of its inventory tables' total rows when "
                "every table has one; null when it states none. Kept as stated, beside the "
                "rows: a total that disagrees with the rows' sum is a `stated_total_mismatch` "
                "issue, never corrected.",
                unit="cameras",
            ),
        ),
        column("camera_rows"),
        column("content_hash"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "policy page",
        "`cctv build` (warehouse/build.py), from `parse_document` (transforms/contract.py)",
        "Documents read as a policy page among the current documents: the "
        "policy pages and attachments of each institution's latest crawl that "
        "reached its policy, and every imported file.",
    ),
)

CAMERAS = pa.schema(
    [
        column("inst_code"),
        pa.field(
            "unit",
            pa.string(),
            metadata=doc(
                "Department or facility the row names (부서, 관리부서, 시설명) as "
                "written; null when the table has no such column."
            ),
        ),
        column("purpose_raw"),
        column("purpose"),
        pa.field(
            "legal_basis",
            pa.list_(pa.int8()),
            metadata=doc(
                "Items of 개인정보 보호법 제25조제1항 the purpose falls under.", unit="item numbers"
            ),
        ),
        column("camera_count"),
        pa.field("location", pa.string(), metadata=doc("설치위치 / 촬영범위 as written.")),
        column("recording_hours"),
        pa.field(
            "recording",
            pa.bool_(),
            metadata=doc(
                "False when the row says it does not record (녹화무, 녹화 안함); true "
                "when it states recording hours or a storage place; null when nothing "
                "is stated."
            ),
        ),
        column("retention_days"),
        column("retention_raw"),
        pa.field("storage_location", pa.string(), metadata=doc("보관장소 as written.")),
        pa.field(
            "device_type",
            pa.string(),
            metadata=doc(
                "`mobile` when the row names a mobile device (vehicle, drone, body "
                "camera), else `fixed`."
            ),
        ),
        pa.field(
            "is_template",
            pa.bool_(),
            nullable=False,
            metadata=doc("A template or example row (○○, 00대, 예시): it gives no numbers."),
        ),
        column(
            "phone",
            "Phone of the row's manager, normalised (032-880-4032); the area code "
            "is filled in from the institution when the page omits it.",
        ),
        column("latitude"),
        column("longitude"),
        pa.field(
            "source_kind",
            pa.string(),
            metadata=doc(
                "`page` (a table on the policy page) or `attachment` (a row of a file: "
                "a linked attachment or an imported file)."
            ),
        ),
        column("row_ref"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "inventory row (a table row on a policy page, or a row of a file)",
        "`cctv build` (warehouse/build.py), from `parse_document` (transforms/contract.py)",
        "Camera inventory rows of the current documents (see `policies`): "
        "tables on policy pages, attachments and imported files. Page-level "
        "statements (보관기간, 촬영시간, 보관장소) fill the rows whose table "
        "lacks that column.",
    ),
)

CONTACTS = pa.schema(
    [
        column("inst_code"),
        pa.field(
            "role",
            pa.string(),
            metadata=doc("`보호책임자`, `관리책임자`, `접근권한자` or `담당자`."),
        ),
        pa.field(
            "name",
            pa.string(),
            metadata=doc(
                "Name as written, masked names kept (김○○); null when only a post is given."
            ),
        ),
        pa.field("title", pa.string(), metadata=doc("직위 as written.")),
        pa.field("department", pa.string(), metadata=doc("소속 or 부서, when the page gives one.")),
        column("phone"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "person or post a policy page names",
        "`cctv build` (warehouse/build.py), from `parse_document` (transforms/contract.py)",
        "The 보호책임자, 관리책임자, 접근권한자 and 담당자 a policy page names. "
        "Placeholder persons (홍길동, ○○○) are left out.",
    ),
)

CONTRACTORS = pa.schema(
    [
        column("inst_code"),
        pa.field("name", pa.string(), metadata=doc("Company name as written.")),
        column("phone"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "contractor (수탁업체) a policy page names",
        "`cctv build` (warehouse/build.py), from `parse_document` (transforms/contract.py)",
        "Companies a policy page names as 수탁업체/위탁업체. Placeholder names "
        "(○○보안(주)) are left out.",
    ),
)

QUALITY_ISSUES = pa.schema(
    [
        pa.field(
            "level", pa.string(), nullable=False, metadata=doc("`error`, `warning` or `info`.")
        ),
        pa.field(
            "code",
            pa.string(),
            nullable=False,
            metadata=doc(
                "Kind of finding (`fetch_failed`, `policy_not_found`, "
                "`retention_unparsed`, `coord_swapped`, …)."
            ),
        ),
        pa.field("message", pa.string(), metadata=doc("What was found, in one line.")),
        pa.field(
            "stage",
            pa.string(),
            nullable=False,
            metadata=doc(
                "`crawl` (the crawl log), `parse` (reading one document), `build` "
                "(checks across documents: attachments not archived, aggregate totals) "
                "or `standard` (the standard-data loader)."
            ),
        ),
        column("inst_code"),
        column(
            "row_ref",
            "Where in the document (as in the tables' `row_ref`); for crawl and "
            "attachment findings the URL concerned.",
            nullable=True,
        ),
        column(
            "capture_sha256",
            "Archived document concerned (joins `captures.sha256`); null when nothing "
            "was archived (a failed fetch).",
            nullable=True,
        ),
        column("source_url", "URL of that document or request."),
        column(
            "parser_version",
            "Version of the parser that found it; null for crawl findings.",
            nullable=True,
        ),
    ],
    metadata=table_doc(
        "finding",
        "`cctv build` (warehouse/build.py): from the crawl log, the parse of "
        "each document, its own cross-document checks and the standard-data "
        "loader (warehouse/standard/)",
        "Everything that went wrong or needs a look: failed fetches, a policy "
        "not found, unreadable documents, unparsed values, unmapped columns, "
        "standard-data quirks. Each says where it happened.",
    ),
)

# SCD-2 history of each institution's policy: a new version only when the normalised text
# changes. `rederived_from` names an earlier parser version that read the same capture
# differently: a change of ours, not of the institution.
POLICY_VERSIONS = pa.schema(
    [
        column("inst_code", nullable=False),
        pa.field(
            "version",
            pa.int32(),
            nullable=False,
            metadata=doc(
                "1 for the page's first text archived, then one more at each change.",
                unit="ordinal",
            ),
        ),
        column("content_hash"),
        pa.field(
            "valid_from",
            TS,
            nullable=False,
            metadata=doc("`fetched_at` of the first capture with this text.", unit="UTC"),
        ),
        pa.field(
            "valid_to",
            TS,
            metadata=doc(
                "`fetched_at` of the capture that brought the next version (exclusive); "
                "null for the current version.",
                unit="UTC",
            ),
        ),
        pa.field(
            "is_current", pa.bool_(), nullable=False, metadata=doc("This is the latest version.")
        ),
        pa.field(
            "first_capture_sha256",
            pa.string(),
            nullable=False,
            metadata=doc("First capture of the page with this text."),
        ),
        pa.field(
            "last_capture_sha256",
            pa.string(),
            nullable=False,
            metadata=doc("Latest capture of the page with this text."),
        ),
        pa.field(
            "captures",
            pa.int32(),
            nullable=False,
            metadata=doc("Captures in a row that carried this text.", unit="captures"),
        ),
        column("title"),
        column("items_present"),
        column("retention_days_min"),
        column("retention_days_max"),
        column("camera_rows"),
        pa.field(
            "camera_total",
            pa.int64(),
            metadata=doc(
                "Sum of `camera_count` over the page's non-template rows.", unit="cameras"
            ),
        ),
        column("source_url", "URL of the first capture with this text."),
        column("parser_version"),
        pa.field(
            "rederived_from",
            pa.string(),
            metadata=doc(
                "An earlier parser version that read the same capture to a different "
                "text (the latest such): the change is the parser's, not the "
                "institution's. Null otherwise."
            ),
        ),
    ],
    metadata=table_doc(
        "version of one of an institution's policy pages (SCD-2)",
        "`cctv build` (warehouse/history.py), over the policy pages of every crawl",
        "Each policy page of an institution (told apart by its URL path and query, not its "
        "host) has its own history. A new version only when the normalised page text "
        "changes; a re-fetch of the same text, a new ETag or a CMS timestamp is not a change.",
    ),
)

# One row per installation point of the national standard data (전국CCTV표준데이터), any
# generation (G1–G4, the OpenAPI, or a "partial" extract). Values that a quality issue
# nulls keep their source text where it matters (retention_raw, installed_raw).
STANDARD_POINTS = pa.schema(
    [
        column(
            "inst_code",
            "Institution resolved from 관리기관명, the code column and "
            "데이터기준일자 against the institution dimension; null when unresolved "
            "or ambiguous.",
        ),
        pa.field(
            "inst_name_raw",
            pa.string(),
            metadata=doc(
                "관리기관명 as written; null when the file has none (the institution is "
                "then read from the address)."
            ),
        ),
        pa.field(
            "source_inst_code",
            pa.string(),
            metadata=doc(
                "The file's own code column (개방자치단체코드, else 제공기관코드) as written."
            ),
        ),
        pa.field("mgmt_no", pa.string(), metadata=doc("관리번호 (G3, G4).")),
        pa.field("address_road", pa.string(), metadata=doc("소재지도로명주소 as written.")),
        pa.field("address_jibun", pa.string(), metadata=doc("소재지지번주소 as written.")),
        column("purpose_raw"),
        column("purpose"),
        column("camera_count"),
        pa.field(
            "pixels_10k",
            pa.int32(),
            metadata=doc(
                "카메라화소수 in 만 화소 (200 = 2 megapixels); null outside 10–5000.",
                unit="10,000 pixels",
            ),
        ),
        pa.field("direction_text", pa.string(), metadata=doc("촬영방면정보 as written.")),
        column(
            "retention_days",
            "보관일수; null when 0 (unless 교통정보수집), over 365, not a number, "
            "or inside a drag-filled run (30, 31, 32, …) after its first row.",
            unit="days",
        ),
        column("retention_raw"),
        pa.field(
            "installed_ym",
            pa.string(),
            metadata=doc("설치연월 as `YYYY-MM`; null when not a plausible year and month."),
        ),
        pa.field("installed_raw", pa.string(), metadata=doc("설치연월 as written.")),
        column(
            "phone",
            "관리기관전화번호, normalised; null when not a phone number.",
        ),
        column(
            "latitude",
            "위도; null when a placeholder, zero, swapped, outside Korea or a dummy "
            "point shared by many rows.",
            unit="degrees (WGS84)",
        ),
        column(
            "longitude",
            "경도; nulled with `latitude`.",
            unit="degrees (WGS84)",
        ),
        pa.field("reference_date", pa.date32(), metadata=doc("데이터기준일자.")),
        pa.field("update_type", pa.string(), metadata=doc("데이터갱신구분 as written (G4).")),
        pa.field(
            "updated_at", TS, metadata=doc("데이터갱신시점 (G4), read as Korean time.", unit="UTC")
        ),
        pa.field(
            "modified_at",
            TS,
            metadata=doc("최종수정시점 (G3, G4), read as Korean time.", unit="UTC"),
        ),
        pa.field(
            "schema_generation",
            pa.string(),
            nullable=False,
            metadata=doc(
                "`G1`, `G2`, `G3`, `G4`, `api`, or `partial` (standard columns in "
                "another set or order)."
            ),
        ),
        pa.field(
            "row_number",
            pa.int64(),
            nullable=False,
            metadata=doc(
                "The row's number in the file: the header is row 1 of a csv, the sheet "
                "row of a workbook, the record's position in JSON.",
                unit="row number",
            ),
        ),
        column("row_ref"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "installation point of the national standard data",
        "`cctv build` (warehouse/standard/), from captures "
        "of role `standard` (`cctv fetch-standard`, or a standard-data file "
        "given to `cctv import`)",
        "Rows of every archived 전국CCTV표준데이터 file, any generation (G1–G4, "
        "the OpenAPI, a partial extract). Quirks become `quality_issues` rows; "
        "a value a quirk makes untrustworthy is nulled, never repaired. The "
        "view `standard_current` keeps the latest file per institution.",
    ),
)

# One row per expectation of the latest `cctv validate` run. Not built from the archive, so
# not in TABLES: validation writes it (warehouse.validation.results.store_results).
VALIDATION_RESULTS = pa.schema(
    [
        pa.field(
            "run_at",
            TS,
            nullable=False,
            metadata=doc("When the validation run started.", unit="UTC"),
        ),
        pa.field(
            "suite",
            pa.string(),
            nullable=False,
            metadata=doc("`<table>-errors` or `<table>-warnings`."),
        ),
        pa.field("table_name", pa.string(), nullable=False, metadata=doc("Table checked.")),
        pa.field(
            "expectation_type",
            pa.string(),
            nullable=False,
            metadata=doc(
                "great-expectations expectation (`expect_column_values_to_not_be_null`, …)."
            ),
        ),
        pa.field(
            "column_name",
            pa.string(),
            metadata=doc("Column checked; null for a table-level expectation."),
        ),
        pa.field(
            "severity",
            pa.string(),
            nullable=False,
            metadata=doc("`error` (fails `cctv validate`) or `warning` (reported only)."),
        ),
        pa.field("success", pa.bool_(), nullable=False, metadata=doc("The expectation held.")),
        pa.field("unexpected_count", pa.int64(), metadata=doc("Rows that broke it.", unit="rows")),
        pa.field("element_count", pa.int64(), metadata=doc("Rows checked.", unit="rows")),
        pa.field(
            "note", pa.string(), metadata=doc("Why the expectation exists: the rule it enforces.")
        ),
    ],
    metadata=table_doc(
        "expectation of the latest validation run",
        "`cctv validate` (warehouse/validation/results.py)",
        "Outcomes of the great-expectations suites. Only in `cctv.duckdb`, not "
        "in the Parquet files; each run replaces the previous rows, and a build "
        "(which writes a new database) drops the table until `cctv validate` "
        "runs again.",
    ),
)

# Published aggregates (counts by 자치구 × purpose or year, by control centre), tidy.
AGGREGATES = pa.schema(
    [
        pa.field(
            "row_label",
            pa.string(),
            nullable=False,
            metadata=doc("Row label as written (whitespace folded)."),
        ),
        pa.field(
            "column_label",
            pa.string(),
            nullable=False,
            metadata=doc("Column label: the header rows' texts joined with spaces."),
        ),
        pa.field(
            "value",
            pa.float64(),
            nullable=False,
            metadata=doc(
                "The number in the cell; `-` counts as 0.", unit="as published (cameras, sites, …)"
            ),
        ),
        pa.field(
            "is_total",
            pa.bool_(),
            nullable=False,
            metadata=doc("The cell is in the total row, or in a 계/합계/총계 row or column."),
        ),
        column("row_ref"),
        *PROVENANCE,
    ],
    metadata=table_doc(
        "number in a published count table",
        "`cctv build` (transforms/aggregates.py), from imported files that hold no camera rows",
        "Published aggregates (counts by 자치구 × purpose or year, by control "
        "centre) in tidy form. Each sheet is checked against its own total row; "
        "a mismatch is a `quality_issues` row.",
    ),
)

# What each crawl did per institution (the crawl report).
CRAWL_REPORTS = pa.schema(
    [
        column("crawl_id"),
        column("inst_code", nullable=False),
        pa.field(
            "homepage_status",
            pa.int32(),
            metadata=doc(
                "Status of the first homepage response; null when the homepage was not "
                "fetched (a known `policy_url`, or a failed request).",
                unit="HTTP status code",
            ),
        ),
        pa.field(
            "policy_found",
            pa.bool_(),
            nullable=False,
            metadata=doc(
                "The crawl reached a page it took as the institution's policy: one that "
                "sets out the policy, or a board post that carries it as a file (a login, "
                "error or empty page at the policy's link is not taken)."
            ),
        ),
        pa.field("policy_url", pa.string(), metadata=doc("URL of the first policy page reached.")),
        pa.field(
            "policy_in_privacy",
            pa.bool_(),
            nullable=False,
            metadata=doc(
                "The policy items were found in the 개인정보 처리방침, not on a page of their own."
            ),
        ),
        pa.field(
            "route",
            pa.string(),
            metadata=doc(
                "How the crawl reached the policy (the first that applies): `override` (the "
                "registry's policy_url), `board` (a board post whose policy is the attached "
                "file), `privacy_page` (the 개인정보 처리방침 holds or links it), `sitemap`, "
                "`frame` (a frameset homepage, or a page whose content is in a frame), "
                "`redirect` (a homepage that only redirects, by script or meta refresh), "
                "`script_link` (onclick, javascript: links, the site's helper functions), "
                "`image_link` (an image's alt text, an image map), `rendered` (a render=js "
                "site's page as the browser rendered it), `link`. Null when no policy was "
                "found."
            ),
        ),
        pa.field(
            "reason",
            pa.string(),
            metadata=doc(
                "Why no policy was found (null when one was): `needs_js` (its content is "
                "rendered by script), `blocked_user_agent` (403 to this crawler's "
                "User-Agent), `browser_unsupported` (a 'browser not supported' page), "
                "`robots` (robots.txt forbids it), `not_a_policy` (the policy link leads to "
                "a login, error or empty page), `http_status` (an HTTP error), `timeout`, "
                "`redirect_loop`, `fetch_failed` (DNS, connection, a body cut short), "
                "`request_refused` (a link where the crawler may not go), `page_cap` (the "
                "site's request cap was spent first), `no_link` (no page the crawl read "
                "links a policy), `render_failed` (a render=js site's page could not be "
                "rendered: a timeout, a browser error, no browser), `incomplete` (the crawl "
                "stopped before it was done with the site)."
            ),
        ),
        pa.field(
            "policies",
            pa.int32(),
            nullable=False,
            metadata=doc(
                "Policy pages archived with content and taken as policies (the page, and "
                "its tabs or sub-pages; earlier versions are not counted).",
                unit="pages",
            ),
        ),
        pa.field(
            "attachments",
            pa.int32(),
            nullable=False,
            metadata=doc("Attachments archived with content.", unit="files"),
        ),
        pa.field(
            "responses",
            pa.int32(),
            nullable=False,
            metadata=doc(
                "Responses archived for the institution (redirects, errors and "
                "robots.txt included).",
                unit="responses",
            ),
        ),
        pa.field(
            "not_modified",
            pa.int32(),
            nullable=False,
            metadata=doc(
                "Responses that were 304 Not Modified (the archived copy is still current).",
                unit="responses",
            ),
        ),
        pa.field(
            "problems",
            pa.int32(),
            nullable=False,
            metadata=doc(
                "Problem events in the crawl log (failed fetches and requests, HTTP "
                "errors, pages that were not the policy, policy not found).",
                unit="events",
            ),
        ),
        pa.field(
            "problem_kinds",
            pa.list_(pa.string()),
            metadata=doc("Distinct kinds of those events, in order of first occurrence."),
        ),
        pa.field(
            "first_at",
            TS,
            metadata=doc(
                "Time of the institution's first response or event in the crawl.", unit="UTC"
            ),
        ),
        pa.field("last_at", TS, metadata=doc("Time of its last response or event.", unit="UTC")),
        pa.field(
            "seconds",
            pa.float64(),
            metadata=doc("`last_at` − `first_at`; 0 with a single timestamp.", unit="seconds"),
        ),
    ],
    metadata=table_doc(
        "crawl and institution",
        "`cctv build` (warehouse/crawl_report.py), from the capture index and the crawl log",
        "What each crawl did for each institution: whether it reached the "
        "policy, what it fetched, what failed and how long it took. Imports are "
        "not crawls and have no rows.",
    ),
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
