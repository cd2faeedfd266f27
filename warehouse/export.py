"""Exports for people outside the project: the cameras in the national standard-data layout,
so they load wherever that format is accepted, and a comparison workbook for regulators.

Both open the warehouse read-only and never change it. A table the warehouse lacks (an
empty or older file) reads as empty, so an export always produces a well-formed file.

The text comes from crawled pages, so nothing in it may run when the file is opened: a
text cell that a spreadsheet would read as a formula is neutralised (:func:`inert`), and
the file is written through :mod:`warehouse.safe_write`, which never replaces anything but
a regular file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.constants import KST
from warehouse.build import add_table
from warehouse.safe_write import replacing
from warehouse.schema import TABLES

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Schema generation B (domain.md §2.3): the header of 행정안전부_CCTV정보 and the LOCALDATA
# bulk file, the layout the national service delivers today. Unlike schema A it carries the
# 7-digit 개방자치단체코드, so a loader keys rows on the institution code, not on a name.
STANDARD_HEADER: tuple[str, ...] = (
    "개방자치단체코드",
    "관리번호",
    "관리기관명",
    "소재지도로명주소",
    "소재지지번주소",
    "설치목적구분",
    "카메라대수",
    "카메라화소수",
    "촬영방면정보",
    "보관일수",
    "설치연월",
    "관리기관전화번호",
    "WGS84위도",
    "WGS84경도",
    "데이터기준일자",
    "데이터갱신구분",
    "데이터갱신시점",
    "최종수정시점",
)
# `encoding` argument → the codec written. UTF-8 gets a BOM: without it Excel reads the
# file as the ANSI code page and shows the Hangul as mojibake.
_ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "cp949": "cp949",
    "ms949": "cp949",
    "uhc": "cp949",
}
LEVELS = {"error": "오류", "warning": "경고", "info": "정보"}


class ExportEncodingError(ValueError):
    """A value the chosen encoding cannot represent; names the row so it can be fixed."""

    def __init__(
        self, message: str, *, row: int, inst_code: str | None, row_ref: str | None, column: str
    ) -> None:
        super().__init__(message)
        self.row, self.inst_code, self.row_ref, self.column = row, inst_code, row_ref, column


# ---------------------------------------------------------------------------- reading


@contextmanager
def _warehouse(db_path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, set[str]]]:
    """A read-only connection and the relations the file really holds; missing tables are
    stood in by empty temporary ones (allowed on a read-only connection)."""
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `cctv build` first")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog <> 'temp'"
            ).fetchall()
        }
        for name, schema in TABLES.items():
            if name not in present:
                add_table(con, name, schema.empty_table(), temporary=True)
        yield con, present
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _relation(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """Every row of a relation whose columns we do not control; zoned timestamps are read
    as text because the driver needs pytz to turn them into Python values."""
    columns = con.execute(f'DESCRIBE "{name}"').fetchall()
    select = ", ".join(
        f'CAST("{c[0]}" AS VARCHAR) AS "{c[0]}"' if "TIME ZONE" in c[1] else f'"{c[0]}"'
        for c in columns
    )
    return _rows(con, f'SELECT {select} FROM "{name}"')


def _kst(epoch_us: int | None) -> dt.datetime | None:
    if epoch_us is None:
        return None
    return (_EPOCH + dt.timedelta(microseconds=epoch_us)).astimezone(KST)


@dataclass
class _Names:
    """Institution names by code as of a date: `institutions` is SCD-2, and a row should
    carry the name the institution had when the data was taken."""

    eras: dict[str, list[tuple[dt.date, dt.date, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> _Names:
        names = cls()
        rows = con.execute(
            "SELECT inst_code, name, valid_from, valid_to FROM institutions "
            "ORDER BY valid_from NULLS FIRST"
        ).fetchall()
        for code, name, start, end in rows:
            names.eras.setdefault(code, []).append((start or dt.date.min, end or dt.date.max, name))
        return names

    def on(self, code: str | None, day: dt.date | None = None) -> str:
        eras = self.eras.get(code or "", [])
        day = day or dt.datetime.now(KST).date()
        for start, end, name in eras:
            if start <= day < end:
                return name
        return eras[-1][2] if eras else ""


# ---------------------------------------------------------------------------- standard data

_CAMERAS_SQL = """
SELECT inst_code, row_ref, location, purpose, camera_count, retention_days, phone,
       latitude, longitude, epoch_us(fetched_at) AS fetched_us
FROM cameras
WHERE NOT is_template
ORDER BY inst_code NULLS LAST, rowid
"""
_BATCH = 10_000


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, and TAB or CR, which some of them skip
# before looking. The full-width and small forms (＝＋－＠, ﹦﹢﹣﹫), which NFKC folds into
# these, are treated the same: an IME or an import may fold them too, and the cost is an
# apostrophe on a rare cell.
FORMULA_START = frozenset("=+-@\t\r")


def inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text by a leading `'`.

    Only text is touched: numbers (a negative count included) stay numbers. The apostrophe
    is OWASP's remedy; it shows in the cell and tells the reader the text began with a
    formula character (a page title like `=HYPERLINK(...)`), and it survives a save as CSV
    from the spreadsheet, where a cell style would not."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in FORMULA_START or unicodedata.normalize("NFKC", first)[:1] in FORMULA_START:
        return "'" + value
    return value


def _text(value: Any) -> str:
    """A CSV cell: empty for unknown (never 0), whole numbers without a decimal point,
    text made inert."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.8f}".rstrip("0").rstrip(".")  # 8 dp, as the standard's coordinates
    if isinstance(value, str):
        return inert(value)
    return str(value)


def _standard_row(cam: dict[str, Any], names: _Names) -> list[str]:
    fetched = _kst(cam["fetched_us"])
    values: dict[str, Any] = {
        "개방자치단체코드": cam["inst_code"],
        "관리기관명": names.on(cam["inst_code"], fetched.date() if fetched else None) or None,
        # Inventories give a place, not a road-name address: it is the 소재지 as stated.
        "소재지지번주소": cam["location"],
        "설치목적구분": cam["purpose"],
        "카메라대수": cam["camera_count"],
        "보관일수": cam["retention_days"],  # 0 only when stated (녹화무), never for unknown
        "관리기관전화번호": cam["phone"],
        "WGS84위도": cam["latitude"],
        "WGS84경도": cam["longitude"],
        "데이터기준일자": fetched.strftime("%Y-%m-%d") if fetched else None,
        "데이터갱신시점": fetched.strftime("%Y-%m-%d %H:%M:%S") if fetched else None,
    }
    return [_text(values.get(column)) for column in STANDARD_HEADER]


def standard_codec(encoding: str) -> str:
    """The codec an `encoding` argument writes, or ValueError naming the two accepted."""
    codec = _ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise ValueError(f"unsupported encoding {encoding!r}: use utf-8 or cp949")
    return codec


def _check_encodable(row: list[str], codec: str, number: int, cam: dict[str, Any]) -> None:
    try:
        "".join(row).encode(codec)
        return
    except UnicodeEncodeError:
        pass  # find the column, for the message
    for column, value in zip(STANDARD_HEADER, row, strict=True):
        try:
            value.encode(codec)
        except UnicodeEncodeError as exc:
            char = value[exc.start]
            raise ExportEncodingError(
                f"row {number} (institution {cam['inst_code']}, {cam['row_ref']}): "
                f"{column} {value!r} contains {char!r} (U+{ord(char):04X}), which {codec} "
                "cannot encode; export with encoding utf-8 instead",
                row=number,
                inst_code=cam["inst_code"],
                row_ref=cam["row_ref"],
                column=column,
            ) from None


def export_standard(db_path: Path, out: Path, *, encoding: str = "utf-8") -> int:
    """Write the non-template camera rows as national standard data, schema B (the
    18-column 행정안전부_CCTV정보 header, domain.md §2.3); returns the rows written.

    Schema B rather than A: it is what the national service and the LOCALDATA bulk file
    deliver today, so current loaders expect it; it keys rows on 개방자치단체코드 instead
    of a free-text 관리기관명; and `cctv import` reads it back (generation G4).

    One CSV row per camera row, RFC 4180 quoting (locations contain commas). Unknown values
    are empty, never 0: 관리번호, 카메라화소수, 촬영방면정보, 설치연월, 데이터갱신구분 and
    최종수정시점 are not in the disclosures, and an invented 관리번호 would pass for an
    official one. 소재지도로명주소 stays empty because an inventory's location is a place
    description, written to 소재지지번주소. 데이터기준일자/데이터갱신시점 are the capture
    time in KST.

    encoding "utf-8" writes UTF-8 with a BOM (Excel then opens it correctly); "cp949" is
    what LOCALDATA ships. A character cp949 cannot hold (an en dash, an emoji) raises
    ExportEncodingError naming the row and column, and nothing is written: silently
    replacing it with '?' would change an address in a file meant to be loaded elsewhere.
    """
    codec = standard_codec(encoding)
    out = Path(out)
    written = 0
    with (
        _warehouse(Path(db_path)) as (con, _),
        replacing(out) as tmp,
        tmp.open("w", encoding=codec, newline="") as fh,
    ):
        names = _Names.load(con)
        writer = csv.writer(fh)
        writer.writerow(STANDARD_HEADER)
        cursor = con.execute(_CAMERAS_SQL)
        columns = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(_BATCH):  # national inventories do not fit a list
            for values in batch:
                cam = dict(zip(columns, values, strict=True))
                row = _standard_row(cam, names)
                written += 1
                if codec == "cp949":
                    _check_encodable(row, codec, written, cam)
                writer.writerow(row)
    return written


# ---------------------------------------------------------------------------- workbook

RED = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
ORANGE = PatternFill(fill_type="solid", start_color="FFD8A8", end_color="FFD8A8")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
_DATETIME = "yyyy-mm-dd hh:mm:ss"
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


@dataclass
class _Sheet:
    """What one worksheet shows: headers, rows and the rules that colour them."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    formats: dict[str, str] = field(default_factory=dict)  # header → number format
    retention: tuple[str, ...] = ()  # headers coloured > 30 orange, > 365 red
    required: tuple[str, ...] = ()  # headers coloured < 7 orange, < 5 red
    ratio: tuple[str, ...] = ()  # headers coloured outside 0.5–1.2 orange
    notes: dict[str, str] = field(default_factory=dict)  # header → comment
    preamble: list[tuple[str, Any]] = field(default_factory=list)  # rows above the header


def _items_text(items: Sequence[int] | None) -> str:
    return ",".join(str(i) for i in items or [])


def _required(items: Sequence[int] | None) -> int:
    return sum(1 for i in set(items or []) if 1 <= i <= 7)


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("예" if flag else "아니오")


def _excel_time(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel cells hold no time zone: KST wall-clock time, said in the header."""
    return moment.astimezone(KST).replace(tzinfo=None, microsecond=0) if moment else None


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
        rows = _relation(con, "policy_vs_standard")
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
    facts: list[dict[str, Any]], names: _Names, recon: _Reconciliation | None
) -> _Sheet:
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
    return _Sheet(
        "기관별 비교",
        headers,
        rows,
        formats={"카메라 대수 합계": "#,##0", "표준데이터 대수 합계": "#,##0", "대조 비율": "0.00"},
        retention=("보관기간 최소(일)", "보관기간 최대(일)"),
        required=("필수항목 수(1–7)",),
        ratio=("대조 비율",),
        notes=notes,
    )


def _retention(facts: list[dict[str, Any]], names: _Names) -> _Sheet:
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
    return _Sheet("보관기간", headers, rows, retention=tuple(headers[2:7]), notes=notes)


OVER_30_NOTE = (
    "방침이 밝힌 보관기간(방침 보관기간 최대) 또는 카메라 행의 보관일수 중 하나라도 30일을 "
    "넘으면 예. 카메라 행에 보관일수가 없어도 방침이 밝힌 기간으로 판단합니다."
)


def _over_30(stated_max: int | None, row_max: int | None) -> bool | None:
    """Keeps footage over 30 days by the policy's statement or by any row; None when
    neither states a retention (as `retention_by_institution.keeps_over_30_days`)."""
    known = [d for d in (stated_max, row_max) if d is not None]
    return max(known) > 30 if known else None


def _coverage(con: duckdb.DuckDBPyConnection, names: _Names) -> _Sheet:
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
    for p in _rows(con, _COVERAGE_SQL):
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
                _excel_time(_kst(p["fetched_us"])),
                p["source_url"],
            ]
        )
    return _Sheet(
        "필수항목",
        headers,
        rows,
        formats={"수집 시각(KST)": _DATETIME},
        required=("필수항목 수(1–7)",),
    )


def _issues(con: duckdb.DuckDBPyConnection, names: _Names) -> _Sheet:
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
        for i in _rows(con, _ISSUES_SQL)
    ]
    return _Sheet("품질이슈", headers, rows)


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


def _stock(recon: _Reconciliation) -> _Sheet:
    columns = recon.columns
    headers = [_VIEW_LABELS.get(c, c) for c in columns]
    rows = [
        [_number(v) if not isinstance(v, list) else ",".join(map(str, v)) for v in r.values()]
        for r in recon.rows
    ]
    ratio = (headers[columns.index(recon.ratio_col)],) if recon.ratio_col in columns else ()
    return _Sheet("재고 대조", headers, rows, formats=dict.fromkeys(ratio, "0.00"), ratio=ratio)


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
    return _rows(con, _USED_SQL.format(used="\nUNION ALL\n".join(parts)))


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
    db_path: Path, captures: list[dict[str, Any]], names: _Names, has_standard: bool
) -> _Sheet:
    built, how = _build_time(db_path)
    preamble: list[tuple[str, Any]] = [
        ("웨어하우스", str(db_path)),
        (f"웨어하우스 빌드 시각(KST, {how or '알 수 없음'})", _excel_time(built)),
        ("통합문서 작성 시각(KST)", _excel_time(dt.datetime.now(dt.UTC))),
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
            _excel_time(_kst(c["fetched_us"])),
            c["used_in"],
        ]
        for c in captures
    ]
    return _Sheet("출처", headers, rows, formats={"수집 시각(KST)": _DATETIME}, preamble=preamble)


def _display_width(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 19
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _colour(ws: Worksheet, sheet: _Sheet, first: int, last: int) -> None:
    """Conditional formats on whole data columns; blank cells never match (ISNUMBER)."""
    for header in sheet.headers:
        letter = get_column_letter(sheet.headers.index(header) + 1)
        cells, top = f"{letter}{first}:{letter}{last}", f"{letter}{first}"
        if header in sheet.retention:
            ws.conditional_formatting.add(
                cells,
                CellIsRule(operator="greaterThan", formula=["365"], fill=RED, stopIfTrue=True),
            )
            ws.conditional_formatting.add(
                cells, CellIsRule(operator="greaterThan", formula=["30"], fill=ORANGE)
            )
        if header in sheet.required:
            ws.conditional_formatting.add(
                cells,
                FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<5)"], fill=RED, stopIfTrue=True),
            )
            ws.conditional_formatting.add(
                cells, FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<7)"], fill=ORANGE)
            )
        if header in sheet.ratio:
            ws.conditional_formatting.add(
                cells,
                FormulaRule(formula=[f"AND(ISNUMBER({top}),OR({top}<0.5,{top}>1.2))"], fill=ORANGE),
            )


# Excel holds at most 32,767 characters in a cell and repairs (truncates) a longer one.
EXCEL_CELL_CHARS = 32_767


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """One cell, with text that can only ever be text.

    openpyxl makes a string starting with `=` a formula and one like `#N/A` an error
    value, and refuses control characters XML cannot hold; crawled text may be any of
    these. So text is made inert, its XML-illegal characters written as `\\xNN`, cut to
    Excel's cell limit, and the cell typed as a string whatever openpyxl guessed."""
    if not isinstance(value, str):
        return ws.cell(row, col, value)
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", inert(value))
    if len(text) > EXCEL_CELL_CHARS:
        text = text[: EXCEL_CELL_CHARS - 1] + "…"
    cell = ws.cell(row, col)
    cell.value = text
    cell.data_type = "s"
    return cell


def _write(wb: Workbook, sheet: _Sheet) -> Worksheet:
    ws = wb.create_sheet(sheet.title)
    for row, (label, value) in enumerate(sheet.preamble, start=1):
        _put(ws, row, 1, label).font = Font(bold=True)
        cell = _put(ws, row, 2, value)
        if isinstance(value, dt.datetime):
            cell.number_format = _DATETIME
    header_row = len(sheet.preamble) + 1 + (1 if sheet.preamble else 0)
    for col, header in enumerate(sheet.headers, start=1):
        cell = _put(ws, header_row, col, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if header in sheet.notes:
            cell.comment = Comment(sheet.notes[header], "cctv export")
    for r, values in enumerate(sheet.rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = _put(ws, r, col, value)
            if sheet.headers[col - 1] in sheet.formats and value is not None:
                cell.number_format = sheet.formats[sheet.headers[col - 1]]
    last_col = get_column_letter(max(len(sheet.headers), 1))
    last_row = header_row + len(sheet.rows)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    _colour(ws, sheet, header_row + 1, max(last_row, header_row + 1))
    for col, header in enumerate(sheet.headers, start=1):
        widths = [_display_width(header), *(_display_width(r[col - 1]) for r in sheet.rows)]
        if col == 1:  # the preamble's values may spill over into empty cells; labels not
            widths += [_display_width(label) for label, _ in sheet.preamble]
        ws.column_dimensions[get_column_letter(col)].width = min(max(widths) + 2, 60)
    return ws


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
    with _warehouse(db_path) as (con, present):
        names = _Names.load(con)
        facts = _rows(con, _INSTITUTION_SQL)
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
        _write(wb, sheet)
    # Saved in memory first: openpyxl leaves its zip open when a write fails, and its
    # finaliser would then fail again, on a full disk, after the error was reported.
    workbook = io.BytesIO()
    wb.save(workbook)
    with replacing(out) as tmp:
        tmp.write_bytes(workbook.getvalue())
    return out
