"""The regulators' comparison workbook: one row per institution, retention, the required
items, the quality issues, the reconciliation with the national standard data, and the
captures every row came from."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook

from warehouse.exports.columns import (
    COMPARISON,
    COVERAGE,
    FETCHED,
    ISSUES,
    RETENTION,
    SOURCES,
    STATED_MAX,
    STATED_MIN,
    Column,
    legend_sheet,
    stock_columns,
)
from warehouse.exports.shared import (
    InstitutionNames,
    kst_time,
    read_only_warehouse,
    records,
    relation_records,
)
from warehouse.exports.sheet import DATETIME, Sheet, excel_time, write_sheet
from warehouse.labels import VALUES, issue_title, value_label
from warehouse.safe_write import replacing

NO_STANDARD_NOTE = (
    "표준데이터 없음: 웨어하우스에 전국CCTV표준데이터(표준데이터 대조 뷰 policy_vs_standard, "
    "표준데이터 지점 standard_points)가 없어 표준데이터 카메라 대수와 대조 비율은 비어 있습니다."
)

_INSTITUTION_SQL = """
WITH codes AS (
    SELECT inst_code FROM institutions WHERE coalesce(crawled, true)
    UNION SELECT inst_code FROM policies
    UNION SELECT inst_code FROM cameras UNION SELECT inst_code FROM quality_issues
), pol AS (
    SELECT inst_code,
           list_sort(list_distinct(flatten(list(coalesce(items_present, []))))) AS items,
           bool_or(is_template) AS template,
           min(retention_days_min) AS retention_min,
           max(retention_days_max) AS retention_max
    FROM policies GROUP BY inst_code
), cam AS (
    SELECT inst_code,
           count(*) FILTER (WHERE NOT is_template) AS camera_rows,
           sum(camera_count) FILTER (WHERE NOT is_template) AS cameras,
           min(retention_days) FILTER (WHERE NOT is_template AND recording) AS cam_min,
           median(retention_days) FILTER (WHERE NOT is_template AND recording) AS cam_median,
           max(retention_days) FILTER (WHERE NOT is_template AND recording) AS cam_max,
           count(*) FILTER (WHERE NOT is_template AND retention_days > 30) AS over_30,
           count(*) FILTER (WHERE NOT is_template AND retention_days > 365) AS over_365,
           count(*) FILTER (WHERE NOT is_template AND retention_days IS NULL) AS unknown
    FROM cameras GROUP BY inst_code
), iss AS (
    SELECT inst_code,
           count(*) FILTER (WHERE level = 'error') AS errors,
           count(*) FILTER (WHERE level = 'warning') AS warnings,
           count(*) FILTER (WHERE level = 'info') AS infos
    FROM quality_issues GROUP BY inst_code
)
SELECT c.inst_code, pol.inst_code IS NOT NULL AS has_policy, pol.items, pol.template,
       pol.retention_min, pol.retention_max,
       coalesce(cam.camera_rows, 0) AS camera_rows, cam.cameras,
       cam.cam_min, cam.cam_median, cam.cam_max,
       coalesce(cam.over_30, 0) AS over_30, coalesce(cam.over_365, 0) AS over_365,
       coalesce(cam.unknown, 0) AS unknown,
       coalesce(iss.errors, 0) AS errors, coalesce(iss.warnings, 0) AS warnings,
       coalesce(iss.infos, 0) AS infos
FROM codes c
LEFT JOIN pol USING (inst_code)
LEFT JOIN cam USING (inst_code)
LEFT JOIN iss USING (inst_code)
WHERE c.inst_code IS NOT NULL
ORDER BY c.inst_code
"""

_COVERAGE_SQL = """
SELECT inst_code, title, items_present, is_template, source_url,
       epoch_us(fetched_at) AS fetched_us
FROM policies ORDER BY inst_code NULLS LAST, fetched_at
"""

_ISSUES_SQL = """
SELECT level, code, inst_code, stage, message, row_ref, source_url, capture_sha256,
       parser_version
FROM quality_issues
ORDER BY CASE level WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'info' THEN 2 ELSE 3 END,
         inst_code NULLS LAST, code, row_ref
"""

_USED_SQL = """
WITH used AS (
    {used}
), seen AS (
    SELECT sha256, url, max(fetched_at) AS fetched_at, any_value(role) AS role
    FROM captures GROUP BY sha256, url
)
SELECT u.inst_code, s.role, u.url, u.sha256,
       epoch_us(coalesce(max(u.fetched_at), max(s.fetched_at))) AS fetched_us,
       string_agg(DISTINCT u.used_in, ', ' ORDER BY u.used_in) AS used_in
FROM used u LEFT JOIN seen s ON s.sha256 = u.sha256 AND s.url IS NOT DISTINCT FROM u.url
GROUP BY u.inst_code, s.role, u.url, u.sha256
ORDER BY u.inst_code NULLS LAST, fetched_us, u.url
"""
_USED_PART = (
    "SELECT capture_sha256 AS sha256, {url} AS url, {fetched} AS fetched_at, "
    "{inst} AS inst_code, '{table}' AS used_in FROM \"{table}\" "
    "WHERE capture_sha256 IS NOT NULL"
)
_USING_CAPTURES = ("policies", "cameras", "contacts", "contractors", "quality_issues")


def _items_text(items: Sequence[int] | None) -> str:
    return ",".join(str(i) for i in items or [])


def _required(items: Sequence[int] | None) -> int:
    return sum(1 for i in set(items or []) if 1 <= i <= 7)


def _yes_no(flag: bool | None) -> str | None:
    """예/아니오, or a blank cell when nothing says (the workbook's one missing value)."""
    return None if flag is None else VALUES["boolean"][str(bool(flag))]


def _headers(columns: Sequence[Column]) -> list[str]:
    return [c.header for c in columns]


def _header(columns: Sequence[Column], source: str) -> str:
    """The header of the column whose values come from `source` (table.column)."""
    return next(c.header for c in columns if c.source == source)


@dataclass
class _Reconciliation:
    """The policy_vs_standard view, when the standard data is in the warehouse: the view
    alone (over an empty standard_points) is no standard data."""

    columns: list[str]
    rows: list[dict[str, Any]]
    by_code: dict[str, dict[str, Any]]
    standard_col: str | None
    ratio_col: str | None

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, present: set[str]) -> _Reconciliation | None:
        if "policy_vs_standard" not in present:
            return None
        if "standard_points" in present:
            (points,) = con.execute("SELECT count(*) FROM standard_points").fetchone() or (0,)
            if not points:
                return None
        rows = relation_records(con, "policy_vs_standard")
        columns = [d[0] for d in con.execute('DESCRIBE "policy_vs_standard"').fetchall()]
        lower = {c: c.lower() for c in columns}
        ratio = next((c for c in columns if c == "standard_to_policy" or "ratio" in lower[c]), None)
        standard = next(
            (
                c
                for c in columns
                if "standard" in lower[c]
                and c != ratio
                and any(k in lower[c] for k in ("total", "camera", "sum", "count"))
            ),
            None,
        )
        by_code = {r["inst_code"]: r for r in rows if r.get("inst_code")}
        return cls(columns, rows, by_code, standard, ratio)

    def totals(self, code: str, policy_total: int | None) -> tuple[Any, Any]:
        row = self.by_code.get(code)
        if row is None:
            return None, None
        standard = _number(row.get(self.standard_col)) if self.standard_col else None
        if self.ratio_col:
            ratio = _number(row.get(self.ratio_col))
        else:  # the view states no ratio: standard-data total over the policy-page total
            ratio = standard / policy_total if standard is not None and policy_total else None
        return standard, ratio


def _number(value: Any) -> Any:
    """Decimals and doubles (DuckDB sums, medians) as ints when whole (a median of 30 days
    is 30, not 30.0), else floats: numbers a spreadsheet can compare and sum."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _comparison(
    facts: list[dict[str, Any]], names: InstitutionNames, recon: _Reconciliation | None
) -> Sheet:
    headers = _headers(COMPARISON)
    required = _header(COMPARISON, "policies.items_present")
    required = headers[headers.index(required) + 1]  # the count beside the item numbers
    standard = _header(COMPARISON, "policy_vs_standard.standard_cameras")
    ratio = _header(COMPARISON, "policy_vs_standard.standard_to_policy")
    # An institution found only in the standard data belongs here most of all: cameras
    # reported nationally, no policy page read.
    known = {f["inst_code"] for f in facts}
    only_standard = [
        {"inst_code": code, "has_policy": False, "items": None, "template": None}
        for code in (recon.by_code if recon else {})
        if code not in known
    ]
    rows = []
    for f in sorted([*facts, *only_standard], key=lambda f: f["inst_code"]):
        code = f["inst_code"]
        cameras = _number(f.get("cameras"))
        standard_total, standard_ratio = recon.totals(code, cameras) if recon else (None, None)
        rows.append(
            [
                code,
                names.on(code) or None,
                "있음" if f["has_policy"] else "없음",
                _items_text(f["items"]) if f["has_policy"] else None,
                _required(f["items"]) if f["has_policy"] else None,
                _yes_no(f["template"]),
                f.get("retention_min"),
                f.get("retention_max"),
                f.get("camera_rows", 0),
                cameras,
                standard_total,
                standard_ratio,
                f.get("errors", 0),
                f.get("warnings", 0),
                f.get("infos", 0),
            ]
        )
    notes = {}
    if recon is None:
        notes = {standard: NO_STANDARD_NOTE, ratio: NO_STANDARD_NOTE}
    return Sheet(
        COMPARISON_TITLE,
        headers,
        rows,
        formats={ratio: "0.00"},
        retention=(STATED_MIN.header, STATED_MAX.header),
        required=(required,),
        ratio=(ratio,),
        notes=notes,
    )


def _retention(facts: list[dict[str, Any]], names: InstitutionNames) -> Sheet:
    headers = _headers(RETENTION)
    rows = [
        [
            f["inst_code"],
            names.on(f["inst_code"]) or None,
            f["retention_min"],
            f["retention_max"],
            f["cam_min"],
            _number(f["cam_median"]),
            f["cam_max"],
            f["over_30"],
            f["over_365"],
            f["unknown"],
            _yes_no(_over_30(f["retention_max"], f["cam_max"])),
        ]
        for f in facts
    ]
    notes = {headers[-1]: OVER_30_NOTE}
    return Sheet(RETENTION_TITLE, headers, rows, retention=tuple(headers[2:7]), notes=notes)


COMPARISON_TITLE, RETENTION_TITLE, COVERAGE_TITLE = "기관별 비교", "보관기간", "필수항목"
ISSUES_TITLE, STOCK_TITLE, SOURCES_TITLE = "품질이슈", "재고 대조", "출처"
OVER_30_NOTE = (
    "방침이 밝힌 보관기간(방침 보관기간 최대) 또는 카메라 행의 보관일수 중 하나라도 30일을 "
    "넘으면 예. 카메라 행에 보관일수가 없어도 방침이 밝힌 기간으로 판단합니다."
)


def _over_30(stated_max: int | None, row_max: int | None) -> bool | None:
    """Keeps footage over 30 days by the policy's statement or by any row; None when
    neither states a retention (as `retention_by_institution.keeps_over_30_days`)."""
    known = [d for d in (stated_max, row_max) if d is not None]
    return max(known) > 30 if known else None


def _coverage(con: duckdb.DuckDBPyConnection, names: InstitutionNames) -> Sheet:
    headers = _headers(COVERAGE)
    rows = []
    for p in records(con, _COVERAGE_SQL):
        present = set(p["items_present"] or [])
        rows.append(
            [
                p["inst_code"],
                names.on(p["inst_code"]) or None,
                p["title"],
                *("○" if i in present else "×" for i in range(1, 9)),
                _required(p["items_present"]),
                _items_text([i for i in range(1, 9) if i not in present]) or None,
                _yes_no(p["is_template"]),
                excel_time(kst_time(p["fetched_us"])),
                p["source_url"],
            ]
        )
    required = headers[3 + 8]
    return Sheet(
        COVERAGE_TITLE,
        headers,
        rows,
        formats={FETCHED.header: DATETIME},
        required=(required,),
    )


def _issues(con: duckdb.DuckDBPyConnection, names: InstitutionNames) -> Sheet:
    rows = [
        [
            value_label("issue_level", i["level"]),
            issue_title(i["code"]) if i["code"] else None,
            i["inst_code"],
            names.on(i["inst_code"]) or None,
            value_label("stage", i["stage"]) if i["stage"] else None,
            i["message"],
            i["row_ref"],
            i["source_url"],
            i["capture_sha256"],
            i["parser_version"],
            i["code"],
        ]
        for i in records(con, _ISSUES_SQL)
    ]
    return Sheet(ISSUES_TITLE, _headers(ISSUES), rows)


def _stock_cell(column: str, value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if column == "flag" and value is not None:
        return value_label("flag", value)
    return _number(value)


def _stock(recon: _Reconciliation) -> tuple[Sheet, tuple[Column, ...]]:
    columns = recon.columns
    described = stock_columns(columns)
    headers = _headers(described)
    rows = [[_stock_cell(c, r.get(c)) for c in columns] for r in recon.rows]
    ratio = (headers[columns.index(recon.ratio_col)],) if recon.ratio_col in columns else ()
    sheet = Sheet(STOCK_TITLE, headers, rows, formats=dict.fromkeys(ratio, "0.00"), ratio=ratio)
    return sheet, described


def _used_captures(con: duckdb.DuckDBPyConnection, present: set[str]) -> list[dict[str, Any]]:
    """Every capture a row in the workbook came from, with the time it was fetched."""
    parts = []
    standard = ("standard_points",) if "standard_points" in present else ()
    for table in (*_USING_CAPTURES, *standard):
        cols = {c[0]: c[1] for c in con.execute(f'DESCRIBE "{table}"').fetchall()}
        if "capture_sha256" not in cols:
            continue
        zoned = cols.get("fetched_at", "").startswith("TIMESTAMP WITH TIME ZONE")
        parts.append(
            _USED_PART.format(
                table=table,
                url="source_url" if "source_url" in cols else "NULL",
                fetched="fetched_at" if zoned else "NULL::TIMESTAMPTZ",
                inst="inst_code" if "inst_code" in cols else "NULL",
            )
        )
    return records(con, _USED_SQL.format(used="\nUNION ALL\n".join(parts)))


def _build_time(db_path: Path) -> tuple[dt.datetime | None, str]:
    """When the warehouse was built: the build manifest beside it, else the file's mtime."""
    manifest = db_path.parent / "build.json"
    with suppress(OSError, KeyError, ValueError, TypeError):
        built = json.loads(manifest.read_text(encoding="utf-8"))["built_at"]
        return dt.datetime.fromisoformat(built), "build.json"
    with suppress(OSError):
        return dt.datetime.fromtimestamp(db_path.stat().st_mtime, dt.UTC), "파일 수정 시각"
    return None, ""


def _sources(
    db_path: Path, captures: list[dict[str, Any]], names: InstitutionNames, has_standard: bool
) -> Sheet:
    built, how = _build_time(db_path)
    preamble: list[tuple[str, Any]] = [
        ("웨어하우스", str(db_path)),
        (f"웨어하우스 빌드 시각(KST, {how or '알 수 없음'})", excel_time(built)),
        ("통합문서 작성 시각(KST)", excel_time(dt.datetime.now(dt.UTC))),
        (
            "표준데이터",
            "표준데이터 대조 뷰(policy_vs_standard)에서 읽음" if has_standard else NO_STANDARD_NOTE,
        ),
        ("사용한 캡처 수", len(captures)),
    ]
    rows = [
        [
            c["inst_code"],
            names.on(c["inst_code"]) or None,
            value_label("role", c["role"]) if c["role"] else None,
            c["url"],
            c["sha256"],
            excel_time(kst_time(c["fetched_us"])),
            ", ".join(value_label("table_name", t) for t in (c["used_in"] or "").split(", ") if t)
            or None,
        ]
        for c in captures
    ]
    return Sheet(
        SOURCES_TITLE,
        _headers(SOURCES),
        rows,
        formats={FETCHED.header: DATETIME},
        preamble=preamble,
    )


def export_excel(db_path: Path, out: Path) -> Path:
    """Write the regulators' comparison workbook and return its path.

    Sheets: 기관별 비교 (one row per institution), 보관기간, 필수항목, 품질이슈, 재고 대조 (only
    when the warehouse has the policy_vs_standard view) and 출처 (every capture a row came
    from, the build time and the export time), then 설명: what every column of those sheets
    means, its unit and where in the warehouse it comes from, and what each flag value
    says. Headers and flag values are the shared Korean vocabulary (`warehouse.labels`);
    a missing value is a blank cell on every sheet, never 0 or a dash, so that a
    spreadsheet's sums and filters treat it as missing; counts are numbers shown as 2,855.
    Every sheet has a frozen header row and an auto filter; out-of-range values are
    coloured by conditional formats, so the colours follow when someone edits or re-sorts
    the sheet: retention > 30 days orange (the 표준 개인정보 보호지침's default), > 365 red;
    fewer than 7 of the required items orange, fewer than 5 red; reconciliation ratio
    outside 0.5–1.2 orange. The ratio is the view's own; a view without one gets standard
    total ÷ policy-page camera total.
    """
    db_path, out = Path(db_path), Path(out)
    with read_only_warehouse(db_path) as (con, present):
        names = InstitutionNames.load(con)
        facts = records(con, _INSTITUTION_SQL)
        recon = _Reconciliation.load(con, present)
        sheets = [
            _comparison(facts, names, recon),
            _retention(facts, names),
            _coverage(con, names),
            _issues(con, names),
        ]
        described = [COMPARISON, RETENTION, COVERAGE, ISSUES]
        if recon is not None:
            stock, columns = _stock(recon)
            sheets.append(stock)
            described.append(columns)
        sheets.append(_sources(db_path, _used_captures(con, present), names, recon is not None))
        described.append(SOURCES)
    sheets.append(legend_sheet([(s.title, c) for s, c in zip(sheets, described, strict=True)]))
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        write_sheet(wb, sheet)
    # Saved in memory first: openpyxl leaves its zip open when a write fails, and its
    # finaliser would then fail again, on a full disk, after the error was reported.
    workbook = io.BytesIO()
    wb.save(workbook)
    with replacing(out) as tmp:
        tmp.write_bytes(workbook.getvalue())
    return out
