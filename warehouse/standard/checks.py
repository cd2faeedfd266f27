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


# (code, level, condition, message) for issues of one row each.
_ROW_ISSUES: tuple[tuple[str, str, str, str], ...] = (
    (
        "coord_placeholder",
        "warning",
        "coord_flag = 'coord_placeholder'",
        "'placeholder coordinates 위도=' || coalesce(lat_raw, '') || ', 경도=' "
        "|| coalesce(lon_raw, '') || '; nulled'",
    ),
    (
        "coord_zero",
        "warning",
        "coord_flag = 'coord_zero'",
        "'coordinates 위도=' || lat_raw || ', 경도=' || lon_raw || ' (zero); nulled'",
    ),
    (
        "coord_unparsed",
        "warning",
        "coord_flag = 'coord_unparsed'",
        "'coordinates 위도=' || coalesce(lat_raw, '(blank)') || ', 경도=' "
        "|| coalesce(lon_raw, '(blank)') || ' are not a pair of numbers; nulled'",
    ),
    (
        "coord_swapped",
        "warning",
        "coord_flag = 'coord_swapped'",
        "'위도=' || lat_raw || ' and 경도=' || lon_raw || ' look swapped; nulled'",
    ),
    (
        "coord_out_of_korea",
        "warning",
        "coord_flag = 'coord_out_of_korea'",
        "'coordinates 위도=' || lat_raw || ', 경도=' || lon_raw "
        f"|| ' lie outside Korea (lat {KOREA_LAT[0]}–{KOREA_LAT[1]}, "
        f"lon {KOREA_LON[0]}–{KOREA_LON[1]}); nulled'",
    ),
    (
        "coord_shared_point",
        "warning",
        "coord_flag = 'coord_shared_point'",
        "'point ' || lat_raw || ', ' || lon_raw || ' is shared by ' || point_rows "
        "|| ' rows of this institution with different addresses (a dummy point); nulled'",
    ),
    (
        "retention_zero_unknown",
        "warning",
        "ret_zero",
        "'보관일수 0 read as unknown (purpose ' || coalesce(purpose_raw, 'blank') "
        "|| ', not 교통정보수집); nulled'",
    ),
    (
        "retention_drag_fill",
        "warning",
        "ret_drag",
        "'보관일수 ' || retention_raw || ' is in a run of ' || run_rows "
        "|| ' consecutive rows each one more than the last (a spreadsheet drag-fill); ' "
        "|| CASE WHEN ret_in_run THEN 'nulled' ELSE 'first of the run, kept' END",
    ),
    (
        "retention_out_of_range",
        "warning",
        "ret_range",
        "'보관일수 ' || retention_raw || ' is over 365 days; nulled'",
    ),
    (
        "retention_unparsed",
        "warning",
        "ret_unparsed",
        "'보관일수 ' || retention_raw || ' is not a number of days; nulled'",
    ),
    (
        "installed_excel_serial",
        "warning",
        "installed_issue = 'installed_excel_serial'",
        "'설치연월 ' || installed_raw || ' is an Excel serial number shown as a date; nulled'",
    ),
    (
        "installed_implausible",
        "warning",
        "installed_issue = 'installed_implausible'",
        "'설치연월 ' || installed_raw || ' has an implausible year; nulled'",
    ),
    (
        "installed_unparsed",
        "warning",
        "installed_issue = 'installed_unparsed' AND installed_raw IS NOT NULL",
        "'설치연월 ' || installed_raw || ' is not a year and month; nulled'",
    ),
    (
        "installed_after_reference",
        "error",
        "installed_after_ref",
        "'설치연월 ' || installed_ym || ' is after 데이터기준일자 ' || reference_date",
    ),
    (
        "installed_future",
        "error",
        "installed_future",
        "'설치연월 ' || installed_ym || ' is in the future (as of ' || as_of || ')'",
    ),
    (
        "direction_is_phone",
        "warning",
        "direction_phone",
        "'촬영방면정보 holds a phone number (' || phone_direction || '): a column shift'",
    ),
    (
        "camera_count_missing",
        "error",
        "camera_raw IS NULL",
        "'카메라대수 is blank'",
    ),
    (
        "camera_count_unparsed",
        "error",
        "camera_raw IS NOT NULL AND NOT camera_ok",
        "'카메라대수 ' || camera_raw || ' is not a whole number; nulled'",
    ),
    (
        "camera_count_nonpositive",
        "error",
        "camera_ok AND camera_num <= 0",
        "'카메라대수 ' || camera_raw || ' is not a positive count'",
    ),
    (
        "camera_count_high",
        "warning",
        f"camera_ok AND camera_num > {CAMERAS_HIGH}",
        f"'카메라대수 ' || camera_raw || ' is over {CAMERAS_HIGH} at one point'",
    ),
    (
        "pixels_out_of_range",
        "warning",
        "pixels_bad",
        "'카메라화소수 ' || pixels_raw || ' is not 10–5000 (만화소); nulled'",
    ),
    (
        "reference_date_unparsed",
        "warning",
        "reference_raw IS NOT NULL AND reference_date IS NULL",
        "'데이터기준일자 ' || reference_raw || ' is not a date; nulled'",
    ),
    (
        "reference_date_future",
        "warning",
        "reference_date > as_of",
        "'데이터기준일자 ' || reference_date || ' is in the future (as of ' || as_of || ')'",
    ),
    (
        "duplicate_key",
        "warning",
        "key_rows > 1",
        "'관리번호 ' || dup_mgmt_no || ' appears in ' || key_rows || ' rows of this institution'",
    ),
)

# (code, level, condition, group key, message) for issues of one distinct value each.
_GROUP_ISSUES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "installed_format",
        "info",
        "installed_format_differs",
        "installed_form",
        "'설치연월 written ' || installed_form || ' (e.g. ' || installed_raw || ') where this "
        "generation documents ' || expected_form || '; read as YYYY-MM'",
    ),
    (
        "purpose_unmapped",
        "warning",
        "purpose_raw IS NOT NULL AND purpose IS NULL",
        "purpose_raw, inst_key",
        "'설치목적구분 ' || purpose_raw || ' is not in the alias table'",
    ),
    (
        "purpose_missing",
        "warning",
        "purpose_raw IS NULL AND has_purpose",
        "inst_key",
        "'설치목적구분 is blank'",
    ),
    (
        "phone_unparsed",
        "warning",
        "phone_raw IS NOT NULL AND phone IS NULL",
        "phone_raw, inst_key",
        "'관리기관전화번호 ' || phone_raw || ' is not a phone number; left empty'",
    ),
    (
        "retention_missing",
        "info",
        "retention_raw IS NULL AND has_retention",
        "inst_key",
        "'보관일수 is blank'",
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
    CASE WHEN n > 1 THEN message || ' (' || n || ' rows)' ELSE message END AS message,
    'standard' AS stage,
    inst_code,
    m.ref_prefix || ', row ' || first_row AS row_ref,
    m.capture_sha256,
    m.source_url,
    m.parser_version
FROM ({union}) i CROSS JOIN meta m
ORDER BY first_row, code
"""
