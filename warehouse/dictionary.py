"""The data dictionary: every table and view of the warehouse, every column with its type,
unit and meaning, rendered as Markdown.

Table columns are described by the field metadata in `warehouse.schema`; the views, which
are SQL (warehouse/sql/*.sql), are described here. Types are DuckDB's, read from an empty
warehouse built in memory with the same schemas and view files as `cctv build`, so they are
the types an analyst sees. `make docs` writes docs/data-dictionary.md:

    python -m warehouse.dictionary docs/data-dictionary.md    # or no argument: stdout

Beside each column stands its Korean name (`warehouse.labels.column_label`), the name every
report, workbook and page shows. tests/unit/test_data_dictionary.py fails when a column has no
description or no Korean name, or the committed file differs from what this module renders.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.build import create_warehouse, view_files
from warehouse.labels import column_label
from warehouse.schema import TABLES, VALIDATION_RESULTS

DICTIONARY_MD = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"
# Every table of cctv.duckdb: the build's, then the one `cctv validate` adds.
ALL_TABLES: dict[str, pa.Schema] = {**TABLES, "validation_results": VALIDATION_RESULTS}

Column = tuple[str | None, str]  # (unit, meaning)


@dataclass(frozen=True)
class View:
    doc: str
    columns: dict[str, Column] = field(default_factory=dict)
    like: str | None = None  # the table whose column descriptions the view shares


_ITEMS = "items of 시행령 제25조제1항"
_OVER_30 = (
    "30 days is the default of the 표준 개인정보 보호지침: a mark for a closer look, not a "
    "legal limit."
)
_STATED = {
    "stated_retention_days_min": (
        "days",
        "What the institution states: the smallest `retention_days_min` of its policies "
        "(page-level statements and the page's own tables).",
    ),
    "stated_retention_days_max": (
        "days",
        "What the institution states: the largest `retention_days_max` of its policies.",
    ),
}
_KEEPS_OVER_30: Column = (
    None,
    "Keeps footage over 30 days by its policy's statement or by any camera row; false when "
    "both are 30 days or less, null when neither states a retention.",
)
VIEWS: dict[str, View] = {
    "retention_by_institution": View(
        "Retention per institution, answering two questions apart: what its policy pages "
        "state (`stated_*`: `policies.retention_days_min/max`, page-level statements such as "
        "'촬영일로부터 30일' for all cameras included) and what its camera rows say (`row_*`: "
        "`cameras.retention_days` over non-template rows that record). Who keeps footage "
        "over 30 days reads both, so a retention the policy states is never lost because "
        f"no row carries it. {_OVER_30}",
        {
            "inst_code": (None, "Institution."),
            "name": (None, "Its latest name."),
            **_STATED,
            "rows_with_retention": ("rows", "Camera rows that state a retention."),
            "row_retention_days_min": ("days", "Smallest `retention_days` of its camera rows."),
            "row_retention_days_median": (
                "days",
                "Median `retention_days` of its camera rows.",
            ),
            "row_retention_days_max": ("days", "Largest `retention_days` of its camera rows."),
            "rows_over_30_days": ("rows", "Camera rows that keep footage over 30 days."),
            "retention_days_max": (
                "days",
                "The longer of `stated_retention_days_max` and `row_retention_days_max`.",
            ),
            "keeps_over_30_days": _KEEPS_OVER_30,
            "over_30_said_by": (
                None,
                "Who says it keeps footage over 30 days: `policy` (the policy's statement), "
                "`rows` (camera rows; e.g. rows say 60 where the policy states 30) or `both`; "
                "null when neither does.",
            ),
        },
    ),
    "item_coverage": View(
        f"Per policy page: which {_ITEMS} it addresses and which it lacks.",
        {
            "inst_code": (None, "Institution."),
            "name": (None, "Its name (one row per name the code has had)."),
            "title": (None, "Policy title."),
            "items_present": ("item numbers", "Items present, as in `policies`."),
            "required_items_present": ("items", "How many of the required items 1–7 it has."),
            "items_missing": ("item numbers", "Items 1–8 it lacks."),
            "is_template": (None, "As in `policies`."),
            "source_url": (None, "URL of the policy page."),
        },
    ),
    "cameras_by_purpose": View(
        "Cameras per institution and canonical purpose, template rows excluded.",
        {
            "inst_code": (None, "Institution."),
            "purpose": (None, "Canonical purpose; null for rows without one."),
            "camera_rows": ("rows", "Camera rows."),
            "cameras": ("cameras", "Sum of their `camera_count`."),
        },
    ),
    "policy_scorecard": View(
        "One row per policy page, for regulators to sort and filter: which items it states, "
        "whether it is an unfilled template, the retention the page states and the one its "
        "inventory rows say (both read by `keeps_over_30_days`), whether an inventory was "
        "found, and the open quality issues of its institution.",
        {
            "inst_code": (None, "Institution."),
            "institution": (None, "Its latest name."),
            "title": (None, "Policy title."),
            "source_url": (None, "URL of the policy page."),
            "fetched_at": ("UTC", "When the page was fetched."),
            "item_1_basis_purpose": (None, "Item 1 present: 설치 근거 및 설치 목적."),
            "item_2_count_location_range": (
                None,
                "Item 2 present: 설치 대수, 설치 위치 및 촬영 범위.",
            ),
            "item_3_manager_access": (
                None,
                "Item 3 present: 관리책임자, 담당 부서, 접근 권한이 있는 사람.",
            ),
            "item_4_hours_retention_storage": (
                None,
                "Item 4 present: 촬영시간, 보관기간, 보관장소 및 처리방법.",
            ),
            "item_5_viewing_method": (None, "Item 5 present: 영상정보 확인 방법 및 장소."),
            "item_6_subject_requests": (
                None,
                "Item 6 present: 정보주체의 영상정보 열람 등 요구에 대한 조치.",
            ),
            "item_7_safeguards": (None, "Item 7 present: 기술적·관리적 및 물리적 조치."),
            "item_8_other": (None, "Item 8 present: any further section (위탁, 방침 변경, …)."),
            "required_items_present": ("items", "How many of the required items 1–7 it has."),
            "is_template": (None, "As in `policies`."),
            "stated_retention_days_min": (
                "days",
                "What the page states: its `retention_days_min`, as in `policies`.",
            ),
            "stated_retention_days_max": (
                "days",
                "What the page states: its `retention_days_max`, as in `policies`.",
            ),
            "row_retention_days_max": (
                "days",
                "What its rows say: the largest `retention_days` of the non-template rows "
                "that record, on the page and in its institution's files.",
            ),
            "keeps_over_30_days": (
                None,
                "The page's statement or any of those rows keeps footage over 30 days; null "
                "when neither states a retention.",
            ),
            "inventory_found": (
                None,
                "Non-template inventory rows exist on the page or in its institution's files.",
            ),
            "inventory_rows_on_page": ("rows", "Non-template inventory rows on this page."),
            "inventory_rows_in_attachments": (
                "rows",
                "Non-template inventory rows in the institution's files (attachments and "
                "imported files).",
            ),
            "camera_total": ("cameras", "Sum of `camera_count` over both."),
            "open_issues_error": ("issues", "`quality_issues` of the institution at `error`."),
            "open_issues_warning": ("issues", "Those at `warning`."),
            "open_issues_info": ("issues", "Those at `info`."),
        },
    ),
    "institution_names": View(
        "One name per institution code: the name of its latest row in `institutions`.",
        {"inst_code": (None, "Institution."), "name": (None, "Its latest name.")},
    ),
    "standard_current": View(
        "The `standard_points` rows of each institution's current standard data: the file "
        "whose rows carry the latest 데이터기준일자 (the later fetch on a tie). Older files "
        "stay in `standard_points` as history. Rows whose institution did not resolve are "
        "grouped by their 관리기관명.",
        like="standard_points",
    ),
    "standard_by_institution": View(
        "Points, cameras and stated retention per institution in its current standard data.",
        {
            "inst_code": (
                None,
                "Institution; null for rows whose 관리기관명 did not resolve (one row per "
                "such name).",
            ),
            "name": (None, "Its latest name, else 관리기관명 as written."),
            "points": ("points", "Installation points."),
            "cameras": ("cameras", "Sum of `camera_count`."),
            "points_with_retention": ("points", "Points that state a `retention_days`."),
            "retention_min": ("days", "Smallest `retention_days`."),
            "retention_median": ("days", "Median `retention_days`."),
            "retention_max": ("days", "Largest `retention_days`."),
            "retention_share_over_30": (
                "share (0–1)",
                "Share of the points with a retention that keep footage over 30 days.",
            ),
            "retention_days": ("days → points", "Each stated retention and its count of points."),
            "reference_date": (None, "Latest 데이터기준일자."),
            "schema_generation": (None, "Generation of the file."),
            "capture_sha256": (None, "The standard-data file the points come from."),
        },
    ),
    "policy_vs_standard": View(
        "Camera totals per institution from the policy pages and from the current standard "
        "data, with a flag. The standard data lists outdoor public-purpose cameras only, so "
        "standard ≤ policy is the expected relation.",
        {
            "inst_code": (None, "Institution."),
            "name": (None, "Its latest name."),
            "policy_rows": (
                "rows",
                "Non-template camera rows (policy pages, attachments, imported files).",
            ),
            "policy_cameras": ("cameras", "Sum of their `camera_count`."),
            "standard_points": ("points", "Points in its current standard data."),
            "standard_cameras": ("cameras", "Sum of their `camera_count`."),
            "standard_to_policy": (
                "ratio",
                "`standard_cameras / policy_cameras`, 3 decimals; null without policy cameras.",
            ),
            "flag": (
                None,
                "The first that applies: `no_policy`, `no_standard`, `policy_below_half` "
                "(policy < 0.5 × standard), `standard_exceeds_policy` (standard > 1.2 × "
                "policy), else `ok`.",
            ),
        },
    ),
    "retention_by_source": View(
        "Retention per institution from each source side by side: what its policy pages "
        "state (`stated_*`), what its policy camera rows say (`row_*`; template rows and rows "
        "that do not record excluded) and its current standard-data points (`standard_*`). "
        + _OVER_30,
        {
            "inst_code": (None, "Institution."),
            "name": (None, "Its latest name."),
            **_STATED,
            "row_retention_rows": ("rows", "Policy camera rows that state a retention."),
            "row_retention_days_min": ("days", "Smallest retention of those rows."),
            "row_retention_days_median": ("days", "Median retention of those rows."),
            "row_retention_days_max": ("days", "Largest retention of those rows."),
            "row_share_over_30": ("share (0–1)", "Share of those rows over 30 days."),
            "keeps_over_30_days": _KEEPS_OVER_30,
            "standard_points": ("points", "Current standard-data points that state a retention."),
            "standard_min": ("days", "Smallest retention of those points."),
            "standard_median": ("days", "Median retention of those points."),
            "standard_max": ("days", "Largest retention of those points."),
            "standard_share_over_30": ("share (0–1)", "Share of those points over 30 days."),
        },
    ),
    "retention_over_30_days": View(
        "The regulator's question: institutions that keep footage over 30 days, by their "
        "policy's statement or by any camera row, and which says so. A policy that states 60 "
        "days for all cameras is here even when no row carries a retention; rows that say 60 "
        f"are here even when the policy states 30. {_OVER_30}",
        {
            "inst_code": (None, "Institution."),
            "name": (None, "Its latest name."),
            "stated_retention_days_max": _STATED["stated_retention_days_max"],
            "row_retention_days_max": ("days", "Largest `retention_days` of its camera rows."),
            "rows_over_30_days": ("rows", "Camera rows that keep footage over 30 days."),
            "retention_days_max": ("days", "The longer of the two."),
            "said_by": (None, "`policy`, `rows` or `both`, as `over_30_said_by`."),
        },
    ),
}

_VIEW_NAME = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", re.I)


def field_doc(f: pa.Field) -> Column:
    """(unit, meaning) from a schema field's metadata; meaning is "" when it has none."""
    meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
    return meta.get("unit") or None, meta.get("doc", "")


def table_doc(schema: pa.Schema) -> dict[str, str]:
    """A schema's `grain`, `written_by` and `doc` metadata."""
    return {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}


def view_sources() -> dict[str, str]:
    """Every view the build creates → the SQL file that defines it, in creation order."""
    return {
        name: sql.name
        for sql in view_files()
        for name in _VIEW_NAME.findall(sql.read_text(encoding="utf-8"))
    }


def duckdb_types() -> dict[str, list[tuple[str, str]]]:
    """(column, DuckDB type) of every table and view, from an empty warehouse made the
    way `cctv build` and `cctv validate` make theirs."""
    con = duckdb.connect()
    try:
        create_warehouse(con, {name: schema.empty_table() for name, schema in ALL_TABLES.items()})
        return {
            name: [(row[0], row[1]) for row in con.execute(f'DESCRIBE "{name}"').fetchall()]
            for name in [*ALL_TABLES, *view_sources()]
        }
    finally:
        con.close()


def view_columns(name: str) -> dict[str, Column]:
    view = VIEWS.get(name)
    if view is None:
        return {}
    if view.like is not None:
        return {f.name: field_doc(f) for f in ALL_TABLES[view.like]}
    return view.columns


def _cell(text: str | None) -> str:
    return (text or "–").replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """docs/data-dictionary.md."""
    types = duckdb_types()
    sources = view_sources()
    out = [
        "# Data dictionary",
        "",
        "<!-- Generated by `make docs` (python -m warehouse.dictionary) from the field "
        "metadata in warehouse/schema.py and the view descriptions in "
        "warehouse/dictionary.py. Edit those, not this file. -->",
        "",
        "The warehouse is `data/warehouse/cctv.duckdb` (every table and view below) and "
        "`data/warehouse/parquet/<table>.parquet` (the tables `cctv build` writes; "
        "`validation_results` is only in the database). The Parquet files carry the same "
        "descriptions as Arrow field metadata.",
        "",
        "- **type** is the DuckDB type. In Parquet: VARCHAR is string, INTEGER int32, "
        "BIGINT int64, TINYINT[] list<int8>, DATE date32, TIMESTAMP WITH TIME ZONE "
        "timestamp[us, UTC].",
        "- **한국어 이름** is the column's name in every output people read (reports, the "
        "site, the workbook, notebooks, Data Docs): `warehouse.labels.column_label`.",
        "- **unit** is what a number counts or measures. Every timestamp is UTC; dates are "
        "calendar dates as the source states them.",
        "- **not null** marks the columns the schema declares non-nullable: every writer "
        "fills them, and `cctv validate` checks it for `cameras` and `policies`. Elsewhere "
        "an unknown value is null, never 0 or an empty string.",
        "- Rows derived from documents carry provenance: `capture_sha256` (joins "
        "`captures.sha256`, which says where the bytes are in the WARC files), "
        "`source_url`, `fetched_at`, `parser_version`, and `row_ref` where a row comes from "
        "a table.",
        "",
        "## Tables",
        "",
        "| table | one row per | written by |",
        "|---|---|---|",
    ]
    for name, schema in ALL_TABLES.items():
        meta = table_doc(schema)
        out.append(
            f"| [`{name}`](#{name}) | {_cell(meta.get('grain'))} | "
            f"{_cell(meta.get('written_by'))} |"
        )
    out += ["", "## Views", "", "| view | defined in | what it shows |", "|---|---|---|"]
    for name, source in sources.items():
        doc = VIEWS[name].doc if name in VIEWS else ""
        out.append(f"| [`{name}`](#{name}) | `warehouse/sql/{source}` | {_cell(doc)} |")
    for name, schema in ALL_TABLES.items():
        meta = table_doc(schema)
        kinds = dict(types[name])
        out += [
            "",
            f"### {name}",
            "",
            meta.get("doc", ""),
            "",
            f"One row per {meta.get('grain', '?')}. Written by {meta.get('written_by', '?')}.",
            "",
            "| column | 한국어 이름 | type | unit | not null | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for f in schema:
            unit, doc = field_doc(f)
            required = "" if f.nullable else "yes"
            out.append(
                f"| `{f.name}` | {_cell(_korean(name, f.name))} | {kinds[f.name]} | "
                f"{_cell(unit)} | {required} | {_cell(doc)} |"
            )
    for name, source in sources.items():
        view = VIEWS.get(name)
        described = view_columns(name)
        out += ["", f"### {name}", "", view.doc if view else "", ""]
        shared = f" Columns as in `{view.like}`." if view and view.like else ""
        out += [f"A view, defined in `warehouse/sql/{source}`.{shared}", ""]
        out += ["| column | 한국어 이름 | type | unit | meaning |", "|---|---|---|---|---|"]
        for column, kind in types[name]:
            unit, doc = described.get(column, (None, ""))
            korean = _cell(_korean(name, column))
            out.append(f"| `{column}` | {korean} | {kind} | {_cell(unit)} | {_cell(doc)} |")
    return "\n".join(out) + "\n"


def _korean(table: str, column: str) -> str | None:
    """The column's Korean name, None when it has none (`undocumented` lists it)."""
    try:
        return column_label(table, column)
    except KeyError:
        return None


def undocumented() -> list[str]:
    """`table.column` of every column without a meaning, and of every number or time
    without a unit; `view.column` likewise for views. Empty when the dictionary is whole."""
    gaps = []
    for name, schema in ALL_TABLES.items():
        meta = table_doc(schema)
        gaps += [f"{name} ({key})" for key in ("grain", "written_by", "doc") if not meta.get(key)]
        for f in schema:
            unit, doc = field_doc(f)
            if not doc.strip():
                gaps.append(f"{name}.{f.name}")
            if _korean(name, f.name) is None:
                gaps.append(f"{name}.{f.name} (한국어 이름)")
            elif unit is None and _needs_unit(f.type):
                gaps.append(f"{name}.{f.name} (unit)")
    types = duckdb_types()
    for name in view_sources():
        if name not in VIEWS:
            gaps.append(f"{name} (view)")
            continue
        described = view_columns(name)
        for column, _kind in types[name]:
            if not described.get(column, (None, ""))[1].strip():
                gaps.append(f"{name}.{column}")
            if _korean(name, column) is None:
                gaps.append(f"{name}.{column} (한국어 이름)")
    return gaps


def stale_view_columns() -> list[str]:
    """Described view columns that the view no longer has (or views that no longer exist)."""
    types = duckdb_types()
    stale = []
    for name, view in VIEWS.items():
        if name not in types:
            stale.append(name)
            continue
        actual = {column for column, _ in types[name]}
        stale += [f"{name}.{c}" for c in view.columns if c not in actual]
    return stale


def _needs_unit(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_timestamp(kind)


def main(argv: list[str]) -> int:
    text = render()
    if not argv:
        sys.stdout.write(text)
        return 0
    target = Path(argv[0])
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
