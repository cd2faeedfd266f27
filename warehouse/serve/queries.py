"""The regulators' questions as Datasette canned queries over the SQLite copy.

Each reads the views the build defines (copied as tables), so the browser answers with the
numbers DuckDB gives; the columns are named in Korean (`column_label`) and categorical
values put in words (`VALUES`), since the answer is read, not joined. Every query only
reads: none is a writable canned query.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.labels import ITEM_SHORT, VALUES, column_label, item_label
from warehouse.serve.copy import DIRECTORY

# The flags of `policy_vs_standard` that say the two totals disagree.
DISAGREEING = ("policy_below_half", "standard_exceeds_policy")
SINCE = "since"  # the named parameter of the changed-policies query
MISSING_REQUIRED = "빠진 필수 기재사항"


@dataclass(frozen=True)
class Canned:
    """One canned query: its name in the URL, its Korean title and description, its SQL."""

    name: str
    title: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _as(table: str, column: str, expression: str | None = None) -> str:
    """`expression AS "한국어 이름"`: the column under the name people read."""
    label = column_label(table, column).replace('"', '""')
    return f'{expression or column} AS "{label}"'


def _in_words(column: str, kind: str) -> str:
    whens = " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in VALUES[kind].items())
    return f"CASE {column} {whens} ELSE {column} END"


def _yes_no(column: str) -> str:
    """A 0/1 column (SQLite's booleans) as 예/아니오."""
    yes, no = VALUES["boolean"]["True"], VALUES["boolean"]["False"]
    return f"CASE {column} WHEN 1 THEN {_text(yes)} WHEN 0 THEN {_text(no)} END"


def _missing_items() -> str:
    """The required items (제1–7호) a scorecard row lacks, named, comma-separated."""
    columns = {
        1: "item_1_basis_purpose",
        2: "item_2_count_location_range",
        3: "item_3_manager_access",
        4: "item_4_hours_retention_storage",
        5: "item_5_viewing_method",
        6: "item_6_subject_requests",
        7: "item_7_safeguards",
    }
    parts = [
        f"CASE WHEN {column} THEN '' ELSE {_text(item_label(n, short=True) + ', ')} END"
        for n, column in columns.items()
    ]
    return f"rtrim({' || '.join(parts)}, ', ')"


def items_missing() -> Canned:
    table = "policy_scorecard"
    sql = f"""
SELECT
    {_as(table, "inst_code")},
    {_as(table, "institution")},
    {_as(table, "region")},
    {_as(table, "institution_level")},
    {_as(table, "required_items_present")},
    {_missing_items()} AS "{MISSING_REQUIRED}",
    {_as(table, "is_template", _yes_no("is_template"))},
    {_as(table, "title")},
    {_as(table, "source_url")},
    {_as(table, "fetched_at")}
FROM policy_scorecard
WHERE required_items_present < 7
ORDER BY required_items_present, inst_code, source_url"""
    return Canned(
        "items_missing",
        "필수 기재사항이 빠진 방침",
        "시행령 제25조제1항의 필수 기재사항(제1–7호) 가운데 하나라도 다루지 않은 방침 "
        "페이지와 빠진 항목. 항목: "
        + ", ".join(f"제{n}호 {ITEM_SHORT[n]}" for n in range(1, 8))
        + ".",
        sql,
    )


def retention_over_30() -> Canned:
    table = "retention_over_30_days"
    sql = f"""
SELECT
    {_as(table, "inst_code")},
    {_as(table, "name")},
    {_as(table, "region")},
    {_as(table, "institution_level")},
    {_as(table, "stated_retention_days_max")},
    {_as(table, "row_retention_days_max")},
    {_as(table, "rows_over_30_days")},
    {_as(table, "retention_days_max")},
    {_as(table, "said_by", _in_words("said_by", "said_by"))}
FROM retention_over_30_days
ORDER BY retention_days_max DESC, inst_code"""
    return Canned(
        "retention_over_30_days",
        "영상을 30일 넘게 보관하는 기관",
        "방침이 밝힌 보관기간이나 카메라 행의 보관기간이 30일을 넘는 기관과 그 근거. 30일은 "
        "표준 개인정보 보호지침의 기본값으로, 더 살펴볼 표시일 뿐 법정 한도가 아닙니다.",
        sql,
    )


def totals_disagree() -> Canned:
    table = "policy_vs_standard"
    flags = ", ".join(_text(f) for f in DISAGREEING)
    sql = f"""
SELECT
    {_as(table, "inst_code")},
    {_as(table, "name")},
    {_as(table, "region")},
    {_as(table, "institution_level")},
    {_as(table, "policy_rows")},
    {_as(table, "policy_cameras")},
    {_as(table, "standard_points")},
    {_as(table, "standard_cameras")},
    {_as(table, "standard_to_policy")},
    {_as(table, "flag", _in_words("flag", "flag"))}
FROM policy_vs_standard
WHERE flag IN ({flags})
ORDER BY standard_to_policy DESC, inst_code"""
    return Canned(
        "totals_disagree",
        "표준데이터와 카메라 대수가 맞지 않는 기관",
        "방침의 카메라 대수와 현행 전국CCTV표준데이터의 대수가 어긋나는 기관: 방침 대수가 "
        "표준데이터의 절반 미만이거나, 표준데이터가 방침보다 20% 넘게 많은 경우. "
        "표준데이터는 실외 공공목적 카메라만 담으므로 표준데이터가 방침보다 적은 것은 "
        "정상입니다.",
        sql,
    )


def changed_since() -> Canned:
    table = "policy_versions"
    sql = f"""
SELECT
    {_as(table, "inst_code", "v.inst_code")},
    {_as(DIRECTORY, "name", "d.name")},
    {_as(table, "region", "v.region")},
    {_as(table, "institution_level", "v.institution_level")},
    {_as(table, "version", "v.version")},
    {_as(table, "valid_from", "v.valid_from")},
    {_as(table, "title", "v.title")},
    {_as(table, "retention_days_max", "v.retention_days_max")},
    {_as(table, "camera_total", "v.camera_total")},
    {_as(table, "source_url", "v.source_url")},
    {_as(table, "last_capture_sha256", "v.last_capture_sha256")}
FROM policy_versions v
LEFT JOIN {DIRECTORY} d ON d.inst_code = v.inst_code
WHERE v.version > 1 AND v.rederived_from IS NULL
    AND date(:{SINCE}) = :{SINCE} AND v.valid_from >= :{SINCE}
ORDER BY v.valid_from DESC, v.inst_code"""
    return Canned(
        "changed_since",
        "어느 날 이후 바뀐 방침",
        "주어진 날짜(YYYY-MM-DD, UTC 기준) 이후 본문이 바뀌어 새 판이 생긴 방침. 같은 "
        "문서를 파서가 달리 읽은 것(재산출)은 기관의 변경이 아니므로 뺍니다. 날짜가 이 "
        "형식이 아니면 아무 행도 나오지 않습니다.",
        sql,
        (SINCE,),
    )


def canned_queries() -> list[Canned]:
    """The regulators' questions, in the order the database page lists them."""
    return [items_missing(), retention_over_30(), totals_disagree(), changed_since()]
