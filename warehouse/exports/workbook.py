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

from warehouse.exports.shared import (
    InstitutionNames,
    kst_time,
    read_only_warehouse,
    records,
    relation_records,
)
from warehouse.exports.sheet import DATETIME, Sheet, excel_time, write_sheet
from warehouse.safe_write import replacing

LEVELS = {"error": "오류", "warning": "경고", "info": "정보"}
NO_STANDARD_NOTE = (
    "표준데이터 없음: 웨어하우스에 policy_vs_standard 뷰 또는 standard_points 행이 없어 "
    "표준데이터 합계와 대조 비율은 비어 있습니다."
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


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("예" if flag else "아니오")


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
        ratio = next((c for c in columns if "ratio" in lower[c]), None)
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
    """Decimals (DuckDB sums, medians) as ints or floats, which a spreadsheet can compare."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _comparison(
    facts: list[dict[str, Any]], names: InstitutionNames, recon: _Reconciliation | None
) -> Sheet:
    headers = [
        "기관코드",
        "기관명",
        "방침 수집",
        "기재 항목(1–8)",
        "필수항목 수(1–7)",
        "템플릿 여부",
        "보관기간 최소(일)",
        "보관기간 최대(일)",
        "카메라 행 수",
        "카메라 대수 합계",
        "표준데이터 대수 합계",
        "대조 비율",
        "품질이슈 오류",
        "품질이슈 경고",
        "품질이슈 정보",
    ]
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
        standard, ratio = recon.totals(code, cameras) if recon else (None, None)
        rows.append(
            [
                code,
                names.on(code) or None,
                "있음" if f["has_policy"] else "없음",
                _items_text(f["items"]) if f["has_policy"] else None,
                _required(f["items"]) if f["has_policy"] else None,
                _yes_no(f["template"]) or None,
                f.get("retention_min"),
                f.get("retention_max"),
                f.get("camera_rows", 0),
                cameras,
                standard,
                ratio,
                f.get("errors", 0),
                f.get("warnings", 0),
                f.get("infos", 0),
            ]
        )
    notes = {}
    if recon is None:
        notes = {"표준데이터 대수 합계": NO_STANDARD_NOTE, "대조 비율": NO_STANDARD_NOTE}
    return Sheet(
        "기관별 비교",
        headers,
        rows,
        formats={"카메라 대수 합계": "#,##0", "표준데이터 대수 합계": "#,##0", "대조 비율": "0.00"},
        retention=("보관기간 최소(일)", "보관기간 최대(일)"),
        required=("필수항목 수(1–7)",),
        ratio=("대조 비율",),
        notes=notes,
    )


def _retention(facts: list[dict[str, Any]], names: InstitutionNames) -> Sheet:
    headers = [
        "기관코드",
        "기관명",
        "방침 보관기간 최소(일)",
        "방침 보관기간 최대(일)",
        "카메라 보관일수 최소",
        "카메라 보관일수 중앙값",
        "카메라 보관일수 최대",
        "30일 초과 행 수",
        "365일 초과 행 수",
        "보관일수 미상 행 수",
        "30일 초과 보관",
    ]
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
            _yes_no(_over_30(f["retention_max"], f["cam_max"])) or None,
        ]
        for f in facts
    ]
    notes = {"30일 초과 보관": OVER_30_NOTE}
    return Sheet("보관기간", headers, rows, retention=tuple(headers[2:7]), notes=notes)


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
    items = [f"항목 {i}" for i in range(1, 9)]
    headers = [
        "기관코드",
        "기관명",
        "방침 제목",
        *items,
        "필수항목 수(1–7)",
        "누락 항목",
        "템플릿 여부",
        "수집 시각(KST)",
        "출처 URL",
    ]
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
                _items_text([i for i in range(1, 9) if i not in present]),
                _yes_no(p["is_template"]) or None,
                excel_time(kst_time(p["fetched_us"])),
                p["source_url"],
            ]
        )
    return Sheet(
        "필수항목",
        headers,
        rows,
        formats={"수집 시각(KST)": DATETIME},
        required=("필수항목 수(1–7)",),
    )


def _issues(con: duckdb.DuckDBPyConnection, names: InstitutionNames) -> Sheet:
    headers = [
        "수준",
        "코드",
        "기관코드",
        "기관명",
        "단계",
        "내용",
        "행 위치",
        "출처 URL",
        "캡처 sha256",
        "파서 버전",
    ]
    rows = [
        [
            LEVELS.get(i["level"], i["level"]),
            i["code"],
            i["inst_code"],
            names.on(i["inst_code"]) or None,
            i["stage"],
            i["message"],
            i["row_ref"],
            i["source_url"],
            i["capture_sha256"],
            i["parser_version"],
        ]
        for i in records(con, _ISSUES_SQL)
    ]
    return Sheet("품질이슈", headers, rows)


_VIEW_LABELS = {
    "inst_code": "기관코드",
    "name": "기관명",
    "inst_name": "기관명",
    "policy_total": "방침 카메라 대수",
    "policy_cameras": "방침 카메라 대수",
    "standard_total": "표준데이터 카메라 대수",
    "standard_cameras": "표준데이터 카메라 대수",
    "standard_points": "표준데이터 개소 수",
    "ratio": "대조 비율",
    "flag": "판정",
}


def _stock(recon: _Reconciliation) -> Sheet:
    columns = recon.columns
    headers = [_VIEW_LABELS.get(c, c) for c in columns]
    rows = [
        [_number(v) if not isinstance(v, list) else ",".join(map(str, v)) for v in r.values()]
        for r in recon.rows
    ]
    ratio = (headers[columns.index(recon.ratio_col)],) if recon.ratio_col in columns else ()
    return Sheet("재고 대조", headers, rows, formats=dict.fromkeys(ratio, "0.00"), ratio=ratio)


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
        ("표준데이터", "policy_vs_standard 뷰에서 읽음" if has_standard else NO_STANDARD_NOTE),
        ("사용한 캡처 수", len(captures)),
    ]
    headers = ["기관코드", "기관명", "역할", "URL", "sha256", "수집 시각(KST)", "사용처"]
    rows = [
        [
            c["inst_code"],
            names.on(c["inst_code"]) or None,
            c["role"],
            c["url"],
            c["sha256"],
            excel_time(kst_time(c["fetched_us"])),
            c["used_in"],
        ]
        for c in captures
    ]
    return Sheet("출처", headers, rows, formats={"수집 시각(KST)": DATETIME}, preamble=preamble)


def export_excel(db_path: Path, out: Path) -> Path:
    """Write the regulators' comparison workbook and return its path.

    Sheets: 기관별 비교 (one row per institution), 보관기간, 필수항목, 품질이슈, 재고 대조 (only
    when the warehouse has the policy_vs_standard view) and 출처 (every capture a row came
    from, the build time and the export time). Every sheet has a frozen header row and an
    auto filter; out-of-range values are coloured by conditional formats, so the colours
    follow when someone edits or re-sorts the sheet: retention > 30 days orange, > 365 red
    (표준지침 default and rule 5 of domain.md §6); required items < 7 orange, < 5 red
    (rule 1); reconciliation ratio outside 0.5–1.2 orange (rule 22). The ratio is the
    view's own; a view without one gets standard total ÷ policy-page camera total.
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
        if recon is not None:
            sheets.append(_stock(recon))
        sheets.append(_sources(db_path, _used_captures(con, present), names, recon is not None))
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
