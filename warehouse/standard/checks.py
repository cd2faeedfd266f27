"""The checks: flags and nulled values per row, then one quality issue per finding.

Row-level findings name their row ("csv, row 427"); findings about a distinct value (an
unmapped purpose, a file convention) name the first row and count the rest. Issue rows are
made in SQL from the flagged rows only, so a national file costs little more than its
failures.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from domain.constants import KOREA_LAT, KOREA_LON
from warehouse.standard.align import KOREA_LAT_SQL, KOREA_LON_SQL

CAMERAS_HIGH = 50


def flagged_sql(as_of: dt.date, installed_format: str | None, where: str) -> str:
    """The checks: every flag the issues are made from and every value a flag nulls, in
    one projection over the aligned rows (so in file order)."""
    as_of_ym = as_of.strftime("%Y-%m")
    expected = f"'{installed_format}'" if installed_format else "NULL"
    where = where.replace("'", "''")
    return f"""
WITH j AS (
    SELECT
        row_number, purpose, installed_ym, installed_issue, installed_raw, installed_form,
        reference_date, retention_num, retention_raw, ret_in_run, camera_num, pixels_num,
        pixels_raw, point_rows, key_rows, mgmt_no, direction_text, dir_phone,
        inst_code, inst_name_raw, updated_text, modified_text,
        lat_text, lon_text,
        TRY_CAST(lat_text AS DOUBLE) AS lat, TRY_CAST(lon_text AS DOUBLE) AS lon
    FROM aligned
), f AS (
    SELECT
        *,
        CASE
            WHEN lat_text IS NULL AND lon_text IS NULL THEN NULL
            WHEN lat IS NULL OR lon IS NULL THEN 'coord_unparsed'
            WHEN lat = 0 OR lon = 0 THEN 'coord_zero'
            WHEN lon {KOREA_LAT_SQL} AND lat {KOREA_LON_SQL} THEN 'coord_swapped'
            WHEN abs(lat) > 90 OR abs(lon) > 180 THEN 'coord_placeholder'
            WHEN NOT (lat {KOREA_LAT_SQL} AND lon {KOREA_LON_SQL}) THEN 'coord_out_of_korea'
            WHEN point_rows IS NOT NULL THEN 'coord_shared_point'
        END AS coord_flag,
        coalesce(retention_num = 0 AND coalesce(purpose, '') <> '교통정보수집', false)
            AS ret_zero,
        coalesce(retention_num > 365, false) AS ret_range,
        coalesce(camera_num = floor(camera_num), false) AS camera_ok,
        pixels_raw IS NOT NULL
            AND NOT coalesce(pixels_num = floor(pixels_num)
                             AND pixels_num BETWEEN 10 AND 5000, false) AS pixels_bad
    FROM j
)
SELECT
    row_number,
    coord_flag, ret_zero, ret_range, camera_ok, pixels_bad,
    retention_raw IS NOT NULL AND retention_num IS NULL AS ret_unparsed,
    coalesce(installed_ym > strftime(reference_date, '%Y-%m')
             AND installed_ym <= '{as_of_ym}', false) AS installed_after_ref,
    coalesce(installed_ym > '{as_of_ym}', false) AS installed_future,
    coalesce(installed_issue IS NULL AND installed_raw IS NOT NULL AND {expected} IS NOT NULL
             AND installed_form <> {expected}, false) AS installed_format_differs,
    coalesce(dir_phone, false) AS direction_phone,
    CASE WHEN dir_phone THEN direction_text END AS phone_direction,
    coalesce(inst_code, inst_name_raw, '') AS inst_key,
    CASE WHEN camera_ok THEN CAST(camera_num AS INTEGER) END AS camera_count,
    CASE WHEN NOT pixels_bad THEN CAST(pixels_num AS INTEGER) END AS pixels_10k,
    CASE WHEN ret_zero OR ret_range OR ret_in_run THEN NULL ELSE retention_num END
        AS retention_days,
    CASE WHEN coord_flag IS NULL THEN lat END AS latitude,
    CASE WHEN coord_flag IS NULL THEN lon END AS longitude,
    CASE WHEN coord_flag IS NOT NULL THEN lat_text END AS lat_raw,
    CASE WHEN coord_flag IS NOT NULL THEN lon_text END AS lon_raw,
    TRY_CAST(updated_text AS TIMESTAMP) - INTERVAL 9 HOUR AS updated_at,
    TRY_CAST(modified_text AS TIMESTAMP) - INTERVAL 9 HOUR AS modified_at,
    CASE WHEN key_rows > 1 THEN mgmt_no END AS dup_mgmt_no,
    '{where}, row ' || row_number AS row_ref
FROM f
"""


# Dates and months in messages read as people write them (2024년 3월 1일, 2024년 5월).
_DAY = "strftime({}, '%Y년 %-m월 %-d일')"
_MONTH = "strftime(strptime({}, '%Y-%m'), '%Y년 %-m월')"

# (code, level, condition, message) for issues of one row each. Raw values are quoted
# ('…'); "비움" says a value was nulled, "유지" that it was kept.
_ROW_ISSUES: tuple[tuple[str, str, str, str], ...] = (
    (
        "coord_placeholder",
        "warning",
        "coord_flag = 'coord_placeholder'",
        "'좌표(위도 ' || coalesce(lat_raw, '') || ', 경도 ' || coalesce(lon_raw, '') "
        "|| ')가 자리표시 값이라 비움'",
    ),
    (
        "coord_zero",
        "warning",
        "coord_flag = 'coord_zero'",
        "'좌표(위도 ' || lat_raw || ', 경도 ' || lon_raw || ')가 0이라 비움'",
    ),
    (
        "coord_unparsed",
        "warning",
        "coord_flag = 'coord_unparsed'",
        "'좌표(위도 ' || coalesce(lat_raw, '빈 칸') || ', 경도 ' "
        "|| coalesce(lon_raw, '빈 칸') || ')를 숫자 쌍으로 읽을 수 없어 비움'",
    ),
    (
        "coord_swapped",
        "warning",
        "coord_flag = 'coord_swapped'",
        "'좌표(위도 ' || lat_raw || ', 경도 ' || lon_raw "
        "|| ')의 위도와 경도가 뒤바뀐 것으로 보여 비움'",
    ),
    (
        "coord_out_of_korea",
        "warning",
        "coord_flag = 'coord_out_of_korea'",
        "'좌표(위도 ' || lat_raw || ', 경도 ' || lon_raw "
        f"|| ')가 국내 범위(위도 {KOREA_LAT[0]}–{KOREA_LAT[1]}, "
        f"경도 {KOREA_LON[0]}–{KOREA_LON[1]}) 밖이라 비움'",
    ),
    (
        "coord_shared_point",
        "warning",
        "coord_flag = 'coord_shared_point'",
        "'좌표(위도 ' || lat_raw || ', 경도 ' || lon_raw || ')를 이 기관의 주소가 다른 ' "
        "|| point_rows || '개 행이 함께 써서 임의로 찍은 지점으로 보고 비움'",
    ),
    (
        "retention_zero_unknown",
        "warning",
        "ret_zero",
        "'보관일수 0을 미상으로 보고 비움(설치목적구분 ' "
        "|| coalesce('''' || purpose_raw || '''', '빈 칸') || ', 교통정보수집이 아님)'",
    ),
    (
        "retention_drag_fill",
        "warning",
        "ret_drag",
        "'보관일수(''' || retention_raw || ''')가 한 행에 1씩 늘어나는 연속 ' || run_rows "
        "|| '개 행에 들어 있음(스프레드시트 끌어 채우기): ' "
        "|| CASE WHEN ret_in_run THEN '비움' ELSE '연속의 첫 행이라 유지' END",
    ),
    (
        "retention_out_of_range",
        "warning",
        "ret_range",
        "'보관일수(''' || retention_raw || ''')가 365일을 넘어 비움'",
    ),
    (
        "retention_unparsed",
        "warning",
        "ret_unparsed",
        "'보관일수(''' || retention_raw || ''')를 일수로 읽을 수 없어 비움'",
    ),
    (
        "installed_excel_serial",
        "warning",
        "installed_issue = 'installed_excel_serial'",
        "'설치연월(''' || installed_raw || ''')이 날짜로 보이는 엑셀 일련번호라 비움'",
    ),
    (
        "installed_implausible",
        "warning",
        "installed_issue = 'installed_implausible'",
        "'설치연월(''' || installed_raw || ''')의 연도가 비현실적이라 비움'",
    ),
    (
        "installed_unparsed",
        "warning",
        "installed_issue = 'installed_unparsed' AND installed_raw IS NOT NULL",
        "'설치연월(''' || installed_raw || ''')을 연월로 읽을 수 없어 비움'",
    ),
    (
        "installed_after_reference",
        "error",
        "installed_after_ref",
        f"'설치연월(' || {_MONTH.format('installed_ym')} || ')이 데이터기준일자(' "
        f"|| {_DAY.format('reference_date')} || ')보다 늦음'",
    ),
    (
        "installed_future",
        "error",
        "installed_future",
        f"'설치연월(' || {_MONTH.format('installed_ym')} || ')이 미래임(기준일 ' "
        f"|| {_DAY.format('as_of')} || ')'",
    ),
    (
        "direction_is_phone",
        "warning",
        "direction_phone",
        "'촬영방면정보에 전화번호(''' || phone_direction || ''')가 있음: 열이 밀린 것으로 보임'",
    ),
    (
        "camera_count_missing",
        "error",
        "camera_raw IS NULL",
        "'카메라대수가 비어 있음'",
    ),
    (
        "camera_count_unparsed",
        "error",
        "camera_raw IS NOT NULL AND NOT camera_ok",
        "'카메라대수(''' || camera_raw || ''')를 정수로 읽을 수 없어 비움'",
    ),
    (
        "camera_count_nonpositive",
        "error",
        "camera_ok AND camera_num <= 0",
        "'카메라대수(''' || camera_raw || ''')가 양수가 아님'",
    ),
    (
        "camera_count_high",
        "warning",
        f"camera_ok AND camera_num > {CAMERAS_HIGH}",
        f"'카메라대수(''' || camera_raw || ''')가 한 지점에 {CAMERAS_HIGH}대를 넘음'",
    ),
    (
        "pixels_out_of_range",
        "warning",
        "pixels_bad",
        "'카메라화소수(''' || pixels_raw || ''')가 10–5000(만 화소) 범위 밖이라 비움'",
    ),
    (
        "reference_date_unparsed",
        "warning",
        "reference_raw IS NOT NULL AND reference_date IS NULL",
        "'데이터기준일자(''' || reference_raw || ''')를 날짜로 읽을 수 없어 비움'",
    ),
    (
        "reference_date_future",
        "warning",
        "reference_date > as_of",
        f"'데이터기준일자(' || {_DAY.format('reference_date')} || ')가 미래임(기준일 ' "
        f"|| {_DAY.format('as_of')} || ')'",
    ),
    (
        "duplicate_key",
        "warning",
        "key_rows > 1",
        "'관리번호(''' || dup_mgmt_no || ''')가 이 기관의 ' || key_rows || '개 행에 나옴'",
    ),
)

# (code, level, condition, group key, message) for issues of one distinct value each.
_GROUP_ISSUES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "installed_format",
        "info",
        "installed_format_differs",
        "installed_form",
        "'설치연월이 ' || installed_form || ' 형식(예: ''' || installed_raw || ''')으로 적힘: "
        "이 세대의 표준 형식은 ' || expected_form || '이며 YYYY-MM으로 읽음'",
    ),
    (
        "purpose_unmapped",
        "warning",
        "purpose_raw IS NOT NULL AND purpose IS NULL",
        "purpose_raw, inst_key",
        "'설치목적구분(''' || purpose_raw || ''')을 표준 목적 분류에 대응시키지 못함'",
    ),
    (
        "purpose_missing",
        "warning",
        "purpose_raw IS NULL AND has_purpose",
        "inst_key",
        "'설치목적구분이 비어 있음'",
    ),
    (
        "phone_unparsed",
        "warning",
        "phone_raw IS NOT NULL AND phone IS NULL",
        "phone_raw, inst_key",
        "'관리기관전화번호(''' || phone_raw || ''')를 전화번호로 읽을 수 없어 비움'",
    ),
    (
        "retention_missing",
        "info",
        "retention_raw IS NULL AND has_retention",
        "inst_key",
        "'보관일수가 비어 있음'",
    ),
)


# The columns the row-level conditions and messages read.
_HIT_COLUMNS = (
    "row_number",
    "inst_code",
    "as_of",
    "coord_flag",
    "lat_raw",
    "lon_raw",
    "point_rows",
    "purpose_raw",
    "ret_zero",
    "ret_drag",
    "ret_in_run",
    "ret_range",
    "ret_unparsed",
    "run_rows",
    "retention_raw",
    "installed_issue",
    "installed_raw",
    "installed_ym",
    "installed_after_ref",
    "installed_future",
    "reference_date",
    "reference_raw",
    "direction_phone",
    "phone_direction",
    "camera_raw",
    "camera_ok",
    "camera_num",
    "pixels_bad",
    "pixels_raw",
    "key_rows",
    "dup_mgmt_no",
)


def py_issues(notes: list[tuple]) -> pa.Table:
    """Issues found in Python, in the shape of the SQL issue rows."""
    names = ("level", "code", "message", "inst_code", "first_row", "n")
    types = (pa.string(),) * 4 + (pa.int64(), pa.int64())
    return pa.table(
        {
            n: pa.array([note[i] for note in notes], t)
            for i, (n, t) in enumerate(zip(names, types, strict=True))
        }
    )


def issues_sql() -> str:
    """Issue rows: row-level checks read only the rows that failed any of them (a small
    share of a national file), distinct-value checks group the whole file."""
    any_row = " OR ".join(f"({condition})" for _, _, condition, _ in _ROW_ISSUES)
    parts = []
    for code, level, condition, message in _ROW_ISSUES:
        parts.append(
            f"SELECT '{level}' AS level, '{code}' AS code, {message} AS message, "
            f"inst_code, row_number AS first_row, 1::BIGINT AS n FROM hit WHERE {condition}"
        )
    parts.append("SELECT * FROM py_issues")
    for code, level, condition, key, message in _GROUP_ISSUES:
        parts.append(
            f"SELECT '{level}', '{code}', any_value({message}), any_value(inst_code), "
            f"min(row_number), count(*) FROM flagged, ctx WHERE {condition} GROUP BY {key}"
        )
    union = "\nUNION ALL\n".join(parts)
    return f"""
WITH hit AS MATERIALIZED (SELECT {", ".join(_HIT_COLUMNS)} FROM flagged, ctx WHERE {any_row})
SELECT
    level,
    code,
    CASE WHEN n > 1 THEN message || ' (' || format('{{:,}}', n) || '개 행)' ELSE message END
        AS message,
    'standard' AS stage,
    inst_code,
    m.ref_prefix || ', row ' || first_row AS row_ref,
    m.capture_sha256,
    m.source_url,
    m.parser_version
FROM ({union}) i CROSS JOIN meta m
ORDER BY first_row, code
"""
