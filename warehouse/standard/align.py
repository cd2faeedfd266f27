"""Each row's answers from the value grammars, aligned with the rows in file order.

A column's distinct values are parsed once, by the project's value grammars (transforms/
standard/cells.py over transforms/values: dates, counts, retention, year-months, phones,
purposes; 관리기관명 → inst_code by the registry), into a small table keyed by the cell as
read; `_lookup` aligns it back with a hash lookup, which keeps file order and costs
milliseconds where a join of 370,000 rows would need a sort. A policy page's cell and a
standard-data cell are read by the same definition.
Row groups that flag their members (dummy points, repeated keys, drag-fill runs) are found
here too.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.constants import KOREA_LAT, KOREA_LON
from registry.institutions import InstitutionResolver
from transforms.standard.cells import (
    installed_month,
    is_phone_cell,
    might_be_phone,
    reference_day,
    retention_number,
    standard_purpose,
    whole_count,
)
from transforms.values import normalize_phone

SHARED_POINT_ROWS = 50
DRAG_FILL_RUN = 3
KOREA_LAT_SQL = f"BETWEEN {KOREA_LAT[0]} AND {KOREA_LAT[1]}"
KOREA_LON_SQL = f"BETWEEN {KOREA_LON[0]} AND {KOREA_LON[1]}"
_BLANKS = " \t\r\n\u00a0\u3000"
_NULL_WORDS = ("", "null", "none", "nan", "-")


def _clean_text(value: str | None) -> str | None:
    text = (value or "").strip(_BLANKS)
    return None if text.lower() in _NULL_WORDS else text


def _lookup(column: pa.ChunkedArray, table: pa.Table, prefix: str) -> dict[str, pa.Array]:
    """The map's columns for each row's cell (null where the cell is not in the map)."""
    keys = table.column("raw").combine_chunks()
    index = pc.index_in(column, value_set=keys) if len(keys) else pa.nulls(len(column), pa.int32())
    return {
        f"{prefix}_{name}": table.column(name).take(index)
        for name in table.column_names
        if name != "raw"
    }


def _distinct(
    column: pa.ChunkedArray, keep: Callable[[str], bool] | None = None
) -> tuple[list[str], list[str | None]]:
    """A column's distinct cells as read (those `keep` lets through: a cheap test on the
    cell that spares the grammar most cells) and each one cleaned."""
    raws = [v for v in pc.unique(column).to_pylist() if v is not None]
    if keep is not None:
        raws = [v for v in raws if keep(v)]
    return raws, [_clean_text(v) for v in raws]


def _python_map(
    column: pa.ChunkedArray,
    answers: dict[str, tuple[Callable[[str], object], pa.DataType]],
    keep: Callable[[str], bool] | None = None,
) -> pa.Table:
    """Distinct cells → the cleaned cell (`v`) and each answer's function of it: every
    grammar runs once per distinct value, however many rows repeat it."""
    raws, cleaned = _distinct(column, keep)
    table = {"raw": pa.array(raws, pa.string()), "v": pa.array(cleaned, pa.string())}
    for name, (function, kind) in answers.items():
        table[name] = pa.array([function(v) if v else None for v in cleaned], kind)
    return pa.table(table)


def _installed_map(column: pa.ChunkedArray) -> pa.Table:
    """설치연월's distinct cells → how each is written, its issue and its month."""
    raws, cleaned = _distinct(column)
    months = [installed_month(v) if v else None for v in cleaned]
    return pa.table(
        {
            "raw": pa.array(raws, pa.string()),
            "v": pa.array(cleaned, pa.string()),
            "form": pa.array([m.form if m else None for m in months], pa.string()),
            "issue": pa.array([m.issue if m else None for m in months], pa.string()),
            "ym": pa.array([m.ym if m else None for m in months], pa.string()),
        }
    )


def _group_ids(columns: list[pa.ChunkedArray]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the id of its distinct combination of the columns; per id, its first row."""
    key = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    for column in columns:
        encoded = pc.dictionary_encode(column.combine_chunks())
        codes = encoded.indices.fill_null(-1).to_numpy().astype(np.int64) + 1
        key = pd.factorize(key * (len(encoded.dictionary) + 1) + codes)[0].astype(np.int64)
    groups = int(key.max()) + 1 if len(key) else 0
    first = np.full(groups, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
    return key, first


def _address_prefix(raw: pa.Table) -> pa.ChunkedArray:
    """For a file without 관리기관명: the first two words of the address (`경기도 성남시`)."""
    address = pc.coalesce(raw.column("address_road"), raw.column("address_jibun"))
    encoded = pc.dictionary_encode(address.combine_chunks())
    prefixes = [" ".join(v.split()[:2]) if v else None for v in encoded.dictionary.to_pylist()]
    return pa.chunked_array([pa.array(prefixes, pa.string()).take(encoded.indices)])


# Resolution status → (issue code, level, message template); "name"/"code" need none.
_INSTITUTION_ISSUES: dict[str, tuple[str, str, str]] = {
    "unknown": (
        "institution_unresolved",
        "warning",
        "관리기관명({name})이 기관 목록의 어느 기관에도 해당하지 않아 기관코드를 비움",
    ),
    "ambiguous": (
        "institution_ambiguous",
        "warning",
        "관리기관명({name})이 여러 기관({detail})에 해당하고 광역 이름이나 코드 열로도 가릴 "
        "수 없어 기관코드를 비움",
    ),
    "mismatch": ("institution_code_mismatch", "warning", "{detail}: 코드 열을 따름"),
    "expired": ("institution_code_expired", "info", "관리기관명({name}): {detail}"),
    "address": (
        "institution_from_address",
        "info",
        "파일에 관리기관명이 없어 주소 앞부분({name})으로 기관 {code}을(를) 찾음",
    ),
}


def _institutions(
    raw: pa.Table,
    days: pa.ChunkedArray,
    resolver: InstitutionResolver,
    from_address: bool,
    hint: str | None,
) -> tuple[dict[str, pa.Array], list[tuple]]:
    """관리기관명 + code columns + date → inst_code, resolved once per distinct combination;
    and one issue per distinct name whose resolution needs a word (with its row count)."""
    names = _address_prefix(raw) if from_address else raw.column("inst_name")
    opens, providers = raw.column("open_inst_code"), raw.column("provider_code")
    ids, first = _group_ids([names, opens, providers, days])
    picked = pa.array(first)
    sizes = np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    first_rows = raw.column("row_number").take(picked).to_pylist()
    out: dict[str, list] = {
        k: []
        for k in ("inst_code", "inst_name_raw", "source_inst_code", "code_hint", "inst_status")
    }
    notes: dict[tuple, list] = {}
    for group, (name, open_code, provider, day) in enumerate(
        zip(
            names.take(picked).to_pylist(),
            opens.take(picked).to_pylist(),
            providers.take(picked).to_pylist(),
            days.take(picked).to_pylist(),
            strict=True,
        )
    ):
        name = _clean_text(name)
        source = _clean_text(open_code) or _clean_text(provider)
        code = source or hint
        found = resolver.resolve(name, on=day, code=code)
        status = "address" if from_address and found.inst_code else found.status
        for key, value in (
            ("inst_code", found.inst_code),
            ("inst_name_raw", None if from_address else name),
            ("source_inst_code", source),
            ("code_hint", code),
            ("inst_status", found.status),
        ):
            out[key].append(value)
        if status in _INSTITUTION_ISSUES:
            code_, level, template = _INSTITUTION_ISSUES[status]
            message = template.format(
                name=f"'{name}'" if name else "빈 칸", detail=found.detail, code=found.inst_code
            )
            note = notes.setdefault(
                (code_, name, code), [level, code_, message, found.inst_code, first_rows[group], 0]
            )
            note[4] = min(note[4], first_rows[group])
            note[5] += int(sizes[group])
    index = pa.array(ids)
    columns = {k: pa.array(v, pa.string()).take(index) for k, v in out.items()}
    return columns, [tuple(note) for note in notes.values()]


def _drag_fill(retention: pa.Array, row_numbers: np.ndarray) -> dict[str, pa.Array]:
    """Runs of ≥ DRAG_FILL_RUN consecutive rows whose 보관일수 each exceed the last by one
    (30, 31, 32, …): a spreadsheet drag-fill. `in_run` marks the rows after the first."""
    values = retention.to_numpy(zero_copy_only=False).astype(np.float64)
    step = np.zeros(len(values), dtype=bool)
    if len(values) > 1:
        step[1:] = (values[1:] == values[:-1] + 1) & (row_numbers[1:] == row_numbers[:-1] + 1)
    run_id = np.cumsum(~step) - 1
    run_rows = np.bincount(run_id)[run_id] if len(values) else np.zeros(0, dtype=np.int64)
    drag = run_rows >= DRAG_FILL_RUN
    return {
        "ret_drag": pa.array(drag),
        "ret_in_run": pa.array(step & drag),
        "run_rows": pa.array(np.where(drag, run_rows, 0)),
    }


# (prefix, source column, answers, cheap test) — each grammar applied once per distinct cell.
_DIRECTION_PHONE = {"phone": (is_phone_cell, pa.bool_())}
_MAPS: tuple[tuple[str, str, dict, Callable[[str], bool] | None], ...] = (
    ("ref", "reference_date", {"day": (reference_day, pa.date32())}, None),
    ("count", "camera_count", {"num": (whole_count, pa.float64())}, None),
    ("pixel", "pixels_10k", {"num": (whole_count, pa.float64())}, None),
    ("ret", "retention_days", {"num": (retention_number, pa.int32())}, None),
    ("dir", "direction_text", _DIRECTION_PHONE, might_be_phone),
    ("purpose", "purpose", {"value": (standard_purpose, pa.string())}, None),
    ("phone", "phone", {"value": (normalize_phone, pa.string())}, None),
)
# Within a file an institution is its code column or, failing that, its name as written.
_FILE_KEY = "coalesce(open_inst_code, provider_code, inst_name, '')"
# Rows at one point (as written) shared by ≥ SHARED_POINT_ROWS rows of an institution, at
# different addresses (one address: a large site with many cameras, not a dummy).
_SHARED_POINTS_SQL = f"""
WITH shared AS (
    SELECT {_FILE_KEY} AS file_key, latitude, longitude, count(*) AS point_rows
    FROM raw
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL
    GROUP BY ALL
    HAVING count(*) >= {SHARED_POINT_ROWS}
       AND min(hash(coalesce(address_road, address_jibun, '')))
        <> max(hash(coalesce(address_road, address_jibun, '')))
       AND TRY_CAST(latitude AS DOUBLE) {KOREA_LAT_SQL}
       AND TRY_CAST(longitude AS DOUBLE) {KOREA_LON_SQL}
)
SELECT r.row_number AS raw, s.point_rows
FROM raw r JOIN shared s
  ON s.file_key = coalesce(r.open_inst_code, r.provider_code, r.inst_name, '')
 AND s.latitude = r.latitude AND s.longitude = r.longitude
"""
_DUPLICATE_KEYS_SQL = f"""
WITH dup AS (
    SELECT {_FILE_KEY} AS file_key, mgmt_no, count(*) AS key_rows FROM raw
    WHERE mgmt_no IS NOT NULL GROUP BY ALL HAVING count(*) > 1
)
SELECT r.row_number AS raw, d.key_rows
FROM raw r JOIN dup d
  ON d.file_key = coalesce(r.open_inst_code, r.provider_code, r.inst_name, '')
 AND d.mgmt_no = r.mgmt_no
"""


# Map answers under the names the checks, messages and output use.
_ALIGNED_NAMES = {
    "ref_v": "reference_raw",
    "ref_day": "reference_date",
    "count_v": "camera_raw",
    "count_num": "camera_num",
    "pixel_v": "pixels_raw",
    "pixel_num": "pixels_num",
    "ret_v": "retention_raw",
    "ret_num": "retention_num",
    "ym_v": "installed_raw",
    "ym_form": "installed_form",
    "ym_issue": "installed_issue",
    "ym_ym": "installed_ym",
    "purpose_v": "purpose_raw",
    "purpose_value": "purpose",
    "phone_v": "phone_raw",
    "phone_value": "phone",
    "point_point_rows": "point_rows",
    "key_key_rows": "key_rows",
}


def aligned_rows(
    con: duckdb.DuckDBPyConnection,
    raw: pa.Table,
    resolver: InstitutionResolver,
    from_address: bool,
    hint: str | None,
) -> tuple[pa.Table, list[tuple]]:
    """One row per source row, in file order: the cells the checks read and every map's
    answer for them; plus the institution issues found on the way."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "row_number": raw.column("row_number"),
        "lat_text": raw.column("latitude"),
        "lon_text": raw.column("longitude"),
        "direction_text": raw.column("direction_text"),
        "mgmt_no": raw.column("mgmt_no"),
        "updated_text": raw.column("updated_at"),
        "modified_text": raw.column("modified_at"),
    }
    for prefix, source, answers, keep in _MAPS:
        mapped = _python_map(raw.column(source), answers, keep)
        if keep is not None:  # a sample of cells: only the answers are aligned
            mapped = mapped.drop_columns(["v"])
        columns.update(_lookup(raw.column(source), mapped, prefix))
    columns.update(
        _lookup(raw.column("installed_ym"), _installed_map(raw.column("installed_ym")), "ym")
    )
    resolved, notes = _institutions(raw, columns["ref_day"], resolver, from_address, hint)
    columns.update(resolved)
    numbers = raw.column("row_number").to_numpy()
    columns.update(_drag_fill(columns["ret_num"], numbers))
    row_numbers = raw.column("row_number")
    for sql, prefix in ((_SHARED_POINTS_SQL, "point"), (_DUPLICATE_KEYS_SQL, "key")):
        found = con.sql(sql).to_arrow_table()
        columns.update(_lookup(row_numbers, found, prefix))
    aligned = pa.table({_ALIGNED_NAMES.get(name, name): c for name, c in columns.items()})
    return aligned, notes
