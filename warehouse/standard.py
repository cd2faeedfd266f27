"""Standard-data files (전국CCTV표준데이터, any generation) → `standard_points` rows + issues.

The national file has ~370,000 rows, so nothing here loops over rows in Python: the bytes
are decoded once (`transforms.encoding.decode_text`), Arrow's CSV reader splits them, and
DuckDB parses, checks and flags every column in set-wise SQL. Python only maps the few
*distinct* values that need the project's grammars (관리기관명 → inst_code, 설치목적구분 →
canonical purpose, phone numbers) and the result is joined back.

Every quirk of the real files (../shared/realdata/PROVENANCE.md §1) becomes a quality issue
with its code and row; the value is nulled or kept and flagged, never repaired:

- coordinates: `coord_placeholder` (99.999999/999.999999), `coord_zero` (0/0),
  `coord_swapped`, `coord_out_of_korea` (outside lat 33.0–38.7, lon 124.5–132.0),
  `coord_unparsed`, `coord_shared_point` (one point under ≥ 50 rows of one institution
  with different addresses: a dummy) — all nulled;
- 보관일수: `retention_zero_unknown` (0 unless 교통정보수집; nulled),
  `retention_drag_fill` (≥ 3 consecutive rows each one more than the last: every row of
  the run flagged, all but its first nulled), `retention_out_of_range` (> 365; nulled),
  `retention_unparsed`;
- 설치연월: `installed_excel_serial` (1900–1909, an Excel serial read as a date; nulled),
  `installed_implausible`, `installed_unparsed` (nulled), `installed_after_reference`,
  `installed_future` (kept, flagged), `installed_format` (YYYYMM where YYYY-MM is
  documented or the reverse; normalised to YYYY-MM);
- `direction_is_phone` (a phone number in 촬영방면정보: a column shift; kept, flagged);
- 카메라대수: `camera_count_missing`, `camera_count_unparsed`, `camera_count_nonpositive`,
  `camera_count_high` (> 50); 카메라화소수: `pixels_out_of_range` (outside 10–5000, e.g. 0;
  nulled);
- `reference_date_unparsed`, `reference_date_future`, `duplicate_key` (관리번호 repeats);
- per distinct value: `institution_unresolved`, `institution_ambiguous`,
  `institution_code_mismatch`, `institution_code_expired`, `institution_from_address`,
  `purpose_unmapped`, `purpose_missing`, `phone_unparsed`; per institution:
  `retention_missing`; per file: `header_contract`, `row_width_mismatch`, `encoding_lossy`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from transforms.encoding import decode_text
from transforms.institutions import InstitutionLike, InstitutionResolver
from transforms.readers import ReaderError
from transforms.sniff import sniff_kind
from transforms.standard import (
    CANONICAL_COLUMNS,
    Layout,
    StandardHeaderError,
    detect_api_layout,
    detect_layout,
)
from transforms.text import compact
from transforms.values import normalize_phone
from transforms.values.purposes import ALIASES, CANONICAL_PURPOSES
from warehouse.schema import QUALITY_ISSUES, STANDARD_POINTS

PARSER_VERSION = "standard-0.1.0"
MAX_BYTES = 1024 * 1024 * 1024
SHARED_POINT_ROWS = 50
DRAG_FILL_RUN = 3
CAMERAS_HIGH = 50
_KOREA = "lat BETWEEN 33.0 AND 38.7 AND lon BETWEEN 124.5 AND 132.0"
_SWAPPED = "lon BETWEEN 33.0 AND 38.7 AND lat BETWEEN 124.5 AND 132.0"
_BLANKS = " \t\r\n\u00a0\u3000"
_NULL_WORDS = ("", "null", "none", "nan", "-")
# Cells that mean "no value", as written (CSV cells are matched exactly, at parse time).
_NULL_CELLS = ("", " ", "-", "null", "NULL", "Null", "none", "None", "NONE", "nan", "NaN")
_PHONE = r"^\(?0\d{1,2}\)?[-. )]*\d{3,4}[-. ]*\d{4}$"


@dataclass
class StandardLoad:
    """`standard_points` rows and their quality issues (both Arrow; `issues` as dicts)."""

    table: pa.Table
    issue_table: pa.Table
    generation: str | None = None
    encoding: str | None = None

    @cached_property
    def issues(self) -> list[dict]:
        return self.issue_table.to_pylist()


@dataclass
class _Source:
    """A file's records as strings under canonical names, before any checking."""

    raw: pa.Table  # canonical columns (strings) + row_number
    layout: Layout
    where: str  # row_ref prefix: "csv", "sheet Sheet0", "json"
    encoding: str | None = None
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)  # level, code, msg, ref


# ---------------------------------------------------------------- reading


def _is_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def _text(body: bytes) -> tuple[str, str, bool]:
    """Decoded text with LF line ends (the 마포구 file uses bare CR), and its encoding."""
    decoded = decode_text(body)
    text = decoded.text
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, decoded.encoding, decoded.lossy


def _header(text: str) -> tuple[list[str], str]:
    line = text[: text.find("\n")] if "\n" in text else text
    delimiter = "\t" if "," not in line and "\t" in line else ","
    return next(csv.reader([line], delimiter=delimiter), []), delimiter


def _table(columns: dict[str, list[str | None]], row_numbers: list[int], n: int) -> pa.Table:
    arrays = {name: pa.array(values, pa.string()) for name, values in columns.items()}
    arrays["row_number"] = pa.array(row_numbers, pa.int64())
    return pa.table(arrays) if arrays else pa.table({"row_number": pa.nulls(n, pa.int64())})


def _from_positions(table: pa.Table, layout: Layout, row_numbers: pa.Array) -> pa.Table:
    arrays, names = [], []
    for index, canonical in enumerate(layout.columns):
        if canonical is not None and index < table.num_columns:
            arrays.append(table.column(index))
            names.append(canonical)
    arrays.append(row_numbers)
    names.append("row_number")
    return pa.Table.from_arrays(arrays, names=names)


def _read_csv_slow(text: str, header: list[str], delimiter: str, layout: Layout) -> _Source:
    """Record by record, for files with ragged rows: each such row is reported, not loaded,
    since which cell moved cannot be known; row numbers stay those of the file."""
    width = len(header)
    cells: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    notes = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    for number, row in enumerate(reader, start=2):
        if not any(row):
            continue
        if len(row) != width:
            notes.append(
                (
                    "error",
                    "row_width_mismatch",
                    f"row has {len(row)} cells, the header {width}: values may be shifted; "
                    "row not loaded",
                    f"csv, row {number}",
                )
            )
            continue
        numbers.append(number)
        for i, value in enumerate(row):
            cells[i].append(None if value in _NULL_CELLS else value)
    table = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(cells)})
    raw = _from_positions(table, layout, pa.array(numbers, pa.int64()))
    return _Source(raw, layout, "csv", notes=notes)


def _read_csv(body: bytes) -> _Source:
    text, encoding, lossy = _text(body)
    header, delimiter = _header(text)
    layout = detect_layout(header)
    notes = []
    if lossy:
        notes.append(
            ("warning", "encoding_lossy", f"bytes invalid in {encoding} were replaced", "csv")
        )
    if text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    # A UTF-8 file without BOM, CR or trailing blank lines is read as it came.
    plain = encoding == "utf-8" and b"\r" not in body and not body.endswith(b"\n\n")
    data = body if plain else text.encode("utf-8")
    names = [f"c{i}" for i in range(len(header))]
    ragged: list[object] = []

    def skip(row: object) -> str:
        ragged.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=skip,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True,
                null_values=list(_NULL_CELLS),
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ReaderError(f"not a readable csv: {exc}") from exc
    if ragged:
        source = _read_csv_slow(text, header, delimiter, layout)
        source.notes[:0] = notes
        source.encoding = encoding
        return source
    numbers = pa.array(range(2, table.num_rows + 2), pa.int64())
    return _Source(_from_positions(table, layout, numbers), layout, "csv", encoding, notes)


def _read_xlsx(body: bytes) -> _Source:
    """The localdata Excel export: every cell text, header in the first rows of a sheet."""
    from transforms.readers.xlsx import read_xlsx

    grids, _ = read_xlsx(body)
    error: StandardHeaderError | None = None
    for grid in grids:
        for top in range(min(5, len(grid.rows))):
            try:
                layout = detect_layout(grid.rows[top])
            except StandardHeaderError as exc:
                error = error or exc
                continue
            rows = grid.rows[top + 1 :]
            numbers = grid.row_numbers[top + 1 :]
            columns = {
                canonical: [None if row[i] in _NULL_CELLS else row[i] for row in rows]
                for i, canonical in enumerate(layout.columns)
                if canonical is not None
            }
            return _Source(_table(columns, numbers, len(rows)), layout, grid.name)
    raise error or StandardHeaderError("workbook has no sheet with a standard-data header")


def _json_items(body: bytes) -> list[dict]:
    text, _, _ = _text(body)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReaderError(f"not readable JSON: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("response", data).get("body", data).get("items", data)
        if isinstance(data, dict):
            data = data.get("item", [])
        if isinstance(data, dict):
            data = [data]
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise ReaderError("JSON holds no list of records")
    return data


def _read_json(body: bytes) -> _Source:
    items = _json_items(body)
    fields: dict[str, None] = {}
    for item in items:
        fields.update(dict.fromkeys(item))
    layout = detect_api_layout(list(fields))
    columns = {
        canonical: [_json_text(item.get(name)) for item in items]
        for name, canonical in zip(fields, layout.columns, strict=True)
        if canonical is not None
    }
    return _Source(_table(columns, list(range(1, len(items) + 1)), len(items)), layout, "json")


def _json_text(value: object) -> str | None:
    if value is None or value in _NULL_CELLS:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_source(body: bytes, filename: str | None = None) -> _Source:
    """Bytes → canonical string columns; StandardHeaderError or ReaderError if not standard."""
    if len(body) > MAX_BYTES:
        raise ReaderError(f"file of {len(body)} bytes is over the {MAX_BYTES}-byte limit")
    if _is_json(body):
        return _read_json(body)
    kind = sniff_kind(body, None, filename)
    if kind == "xlsx":
        return _read_xlsx(body)
    if kind not in ("csv", "text", "unknown"):
        raise StandardHeaderError(f"a {kind} file is not standard data")
    return _read_csv(body)


def sniff_standard(body: bytes, filename: str | None = None) -> Layout | None:
    """The layout when the file is standard data (any generation), else None. Reads only
    the header of a CSV, so a large file is classified without being parsed."""
    try:
        if _is_json(body):
            return _read_json(body).layout
        kind = sniff_kind(body[:65536] if not body.startswith(b"PK") else body, None, filename)
        if kind == "xlsx":
            return _read_xlsx(body).layout
        if kind not in ("csv", "text", "unknown"):
            return None
        head = decode_text(body[:65536]).text.lstrip("\ufeff").replace("\r", "\n")
        return detect_layout(_header(head)[0])
    except (StandardHeaderError, ReaderError, ValueError, AttributeError):
        return None


# ---------------------------------------------------------------- value maps
#
# A column's distinct values are parsed once (in SQL or Python) into a small table keyed by
# the cell as read; `_lookup` aligns it back to the rows with a hash lookup, which keeps
# file order and costs milliseconds where a join of 370,000 rows would need a sort.


def standard_purpose(raw: str | None) -> str | None:
    """A 설치목적구분 cell → canonical purpose via the reviewed alias table only: the
    keyword reading used for policy sentences would be an unreviewed guess here."""
    flat = compact(raw)
    if not flat:
        return None
    return flat if flat in CANONICAL_PURPOSES else ALIASES.get(flat.casefold())


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


def _python_map(column: pa.ChunkedArray, function: Callable[[str], str | None]) -> pa.Table:
    """Distinct cells → (cleaned cell, function of it)."""
    raws = [v for v in pc.unique(column).to_pylist() if v is not None]
    cleaned = [_clean_text(v) for v in raws]
    return pa.table(
        {
            "raw": pa.array(raws, pa.string()),
            "text": pa.array(cleaned, pa.string()),
            "value": pa.array([function(v) if v else None for v in cleaned], pa.string()),
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
        "관리기관명 {name} matches no institution in the list: inst_code left empty",
    ),
    "ambiguous": (
        "institution_ambiguous",
        "warning",
        "관리기관명 {name} fits several institutions ({detail}) and no 광역 prefix or code "
        "column decides: inst_code left empty",
    ),
    "mismatch": ("institution_code_mismatch", "warning", "{detail}; the code column is kept"),
    "expired": ("institution_code_expired", "info", "관리기관명 {name}: {detail}"),
    "address": (
        "institution_from_address",
        "info",
        "the file has no 관리기관명: institution {code} read from the address prefix {name}",
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
                name=name or "(blank)", detail=found.detail, code=found.inst_code
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


# ---------------------------------------------------------------- SQL


def _clean(column: str) -> str:
    """Trimmed cell, NULL for blank and for the words files use for "no value"."""
    trimmed = f"trim({column}, '{_BLANKS}')"
    words = ", ".join(f"'{w}'" for w in _NULL_WORDS)
    return f"CASE WHEN lower({trimmed}) IN ({words}) THEN NULL ELSE {trimmed} END"


def _map(name: str, column: str, select: str) -> str:
    """A table of the distinct values of one column and what they parse to."""
    return (
        f"CREATE TEMP TABLE {name} AS SELECT raw, v, {select} FROM "
        f"(SELECT raw, {_clean('raw')} AS v FROM "
        f'(SELECT DISTINCT "{column}" AS raw FROM raw WHERE "{column}" IS NOT NULL));\n'
    )


_YMD = r"'^(\d{4})[-./ ]*(\d{1,2})[-./ ]*(\d{1,2})\.?(?:[ T].*)?$'"
_YM = r"'^(\d{4})\s*(?:[-./]|년)?\s*(\d{1,2})\s*(?:월|[-./]\s*(?:\d{1,2})?\s*\.?)?$'"
# (map table, source column) — each parsed by the SQL below.
_SQL_MAPS = (
    ("ref_map", "reference_date"),
    ("count_map", "camera_count"),
    ("pixel_map", "pixels_10k"),
    ("ret_map", "retention_days"),
    ("ym_map", "installed_ym"),
    ("dir_map", "direction_text"),
)
_MAPS_SQL = (
    _map(
        "ref_map",
        "reference_date",
        f"""TRY_CAST(printf('%s-%s-%s',
            regexp_extract(v, {_YMD}, 1),
            lpad(regexp_extract(v, {_YMD}, 2), 2, '0'),
            lpad(regexp_extract(v, {_YMD}, 3), 2, '0')) AS DATE) AS day""",
    )
    + _map("count_map", "camera_count", "TRY_CAST(replace(v, ',', '') AS DOUBLE) AS num")
    + _map("pixel_map", "pixels_10k", "TRY_CAST(v AS DOUBLE) AS num")
    + _map(
        "ret_map",
        "retention_days",
        r"TRY_CAST(regexp_extract(v, '^(\d+)\s*일?$', 1) AS INTEGER) AS num",
    )
    + _map(
        "ym_raw",
        "installed_ym",
        f"""TRY_CAST(regexp_extract(v, {_YM}, 1) AS INTEGER) AS y,
        TRY_CAST(regexp_extract(v, {_YM}, 2) AS INTEGER) AS m,
        CASE WHEN regexp_full_match(v, '\\d{{4}}-\\d{{2}}') THEN 'YYYY-MM'
             WHEN regexp_full_match(v, '\\d{{6}}') THEN 'YYYYMM' ELSE 'other' END AS form""",
    )
    + f"""
CREATE TEMP TABLE ym_map AS
SELECT raw, v, form,
    CASE
        WHEN v IS NULL THEN NULL
        WHEN y IS NULL OR m NOT BETWEEN 1 AND 12 THEN 'installed_unparsed'
        WHEN y BETWEEN 1900 AND 1909 THEN 'installed_excel_serial'
        WHEN y < 1990 OR y > 2100 THEN 'installed_implausible'
    END AS issue,
    CASE WHEN y BETWEEN 1990 AND 2100 AND m BETWEEN 1 AND 12
         THEN printf('%04d-%02d', y, m) END AS ym
FROM ym_raw;

CREATE TEMP TABLE dir_map AS
SELECT raw, true AS phone FROM (SELECT DISTINCT direction_text AS raw FROM raw
                                WHERE direction_text[1] IN ('0', '(', ' '))
WHERE regexp_full_match(trim(raw), '{_PHONE}');
"""
)

# Within a file an institution is its code column or, failing that, its name as written.
_FILE_KEY = "coalesce(open_inst_code, provider_code, inst_name, '')"
_KOREA_LAT = "BETWEEN 33.0 AND 38.7"
_KOREA_LON = "BETWEEN 124.5 AND 132.0"
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
       AND TRY_CAST(latitude AS DOUBLE) {_KOREA_LAT}
       AND TRY_CAST(longitude AS DOUBLE) {_KOREA_LON}
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


def _flagged_sql(as_of: dt.date, installed_format: str | None, where: str) -> str:
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
            WHEN abs(lat) > 90 OR abs(lon) > 180 THEN 'coord_placeholder'
            WHEN lat = 0 OR lon = 0 THEN 'coord_zero'
            WHEN lon {_KOREA_LAT} AND lat {_KOREA_LON} THEN 'coord_swapped'
            WHEN NOT (lat {_KOREA_LAT} AND lon {_KOREA_LON}) THEN 'coord_out_of_korea'
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
    "purpose_text": "purpose_raw",
    "purpose_value": "purpose",
    "phone_text": "phone_raw",
    "phone_value": "phone",
    "point_point_rows": "point_rows",
    "key_key_rows": "key_rows",
}


def _aligned(
    con: duckdb.DuckDBPyConnection,
    raw: pa.Table,
    resolver: InstitutionResolver,
    from_address: bool,
    hint: str | None,
) -> tuple[pa.Table, list[tuple]]:
    """One row per source row, in file order: the cells the checks read and every map's
    answer for them; plus the institution issues found on the way."""
    con.execute(_MAPS_SQL)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "row_number": raw.column("row_number"),
        "lat_text": raw.column("latitude"),
        "lon_text": raw.column("longitude"),
        "direction_text": raw.column("direction_text"),
        "mgmt_no": raw.column("mgmt_no"),
        "updated_text": raw.column("updated_at"),
        "modified_text": raw.column("modified_at"),
    }
    for table, source in _SQL_MAPS:
        prefix = table.removesuffix("_map")
        mapped = con.sql(f"SELECT * FROM {table}").to_arrow_table()
        columns.update(_lookup(raw.column(source), mapped, prefix))
    for prefix, source, function in (
        ("purpose", "purpose", standard_purpose),
        ("phone", "phone", normalize_phone),
    ):
        mapped = _python_map(raw.column(source), function)
        columns.update(_lookup(raw.column(source), mapped, prefix))
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
        "|| ' lie outside Korea (lat 33.0–38.7, lon 124.5–132.0); nulled'",
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
        "purpose_raw",
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
        "phone_raw",
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


def _py_issues(notes: list[tuple]) -> pa.Table:
    """Issues found in Python, in the shape of the SQL issue rows."""
    names = ("level", "code", "message", "inst_code", "first_row", "n")
    types = (pa.string(),) * 4 + (pa.int64(), pa.int64())
    return pa.table(
        {
            n: pa.array([note[i] for note in notes], t)
            for i, (n, t) in enumerate(zip(names, types, strict=True))
        }
    )


def _issues_sql() -> str:
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


# ---------------------------------------------------------------- entry points


def _resolver(institutions: Iterable[InstitutionLike] | InstitutionResolver) -> InstitutionResolver:
    if isinstance(institutions, InstitutionResolver):
        return institutions
    return InstitutionResolver(institutions)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _note_issues(
    source: _Source, capture_sha256: str, source_url: str | None
) -> list[dict[str, str | None]]:
    notes = list(source.notes)
    if message := source.layout.contract_message():
        notes.insert(0, ("error", "header_contract", message, f"{source.where}, row 1"))
    return [
        {
            "level": level,
            "code": code,
            "message": message,
            "stage": "standard",
            "inst_code": None,
            "row_ref": ref,
            "capture_sha256": capture_sha256,
            "source_url": source_url,
            "parser_version": PARSER_VERSION,
        }
        for level, code, message, ref in notes
    ]


def _ascending(column: pa.ChunkedArray) -> bool:
    values = column.to_numpy()
    return bool((values[1:] > values[:-1]).all()) if len(values) > 1 else True


def _constant(value: object, kind: pa.DataType, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, kind)
    return pa.array([value], kind).take(pa.array(np.zeros(n, dtype=np.int32)))


def _assemble(raw: pa.Table, derived: pa.Table, meta: pa.Table) -> pa.Table:
    """`standard_points` from three parts: derived columns (DuckDB, in file order), text
    columns as read (the Arrow input itself, not copied) and per-file constants."""
    n = derived.num_rows
    if raw.num_rows != n:
        raise AssertionError("derived rows do not match the rows read")
    columns = []
    for name in STANDARD_POINTS.names:
        if name in derived.column_names:
            columns.append(derived.column(name))
        elif name in raw.column_names:
            columns.append(raw.column(name))
        elif name in meta.column_names:
            columns.append(_constant(meta.column(name)[0].as_py(), meta.schema.field(name).type, n))
        else:
            columns.append(pa.nulls(n, STANDARD_POINTS.field(name).type))
    return pa.Table.from_arrays(columns, names=STANDARD_POINTS.names).cast(STANDARD_POINTS)


def _complete(raw: pa.Table) -> pa.Table:
    """Every canonical column present (absent ones as nulls), so one SQL fits all layouts."""
    for name in CANONICAL_COLUMNS:
        if name not in raw.column_names:
            raw = raw.append_column(name, pa.nulls(raw.num_rows, pa.string()))
    return raw


def load_standard(
    body: bytes,
    *,
    filename: str | None,
    capture_sha256: str,
    source_url: str | None,
    fetched_at: dt.datetime | None,
    institutions: Iterable[InstitutionLike] | InstitutionResolver,
    inst_code: str | None = None,
) -> StandardLoad:
    """One standard-data file → `standard_points` rows and quality issues.

    `inst_code` (the capture's institution, if the file was imported for one) serves as
    the code column when the file has none. Raises StandardHeaderError for a header that
    is not standard data and ReaderError for bytes that are no table at all.
    """
    source = read_source(body, filename)
    resolver = _resolver(institutions)
    fetched_at = _utc(fetched_at)
    as_of = (fetched_at or dt.datetime.now(dt.UTC)).date()
    layout = source.layout
    from_address = "inst_name" not in layout.present
    meta = pa.table(
        {
            "schema_generation": pa.array([layout.generation], pa.string()),
            "ref_prefix": pa.array([source.where], pa.string()),
            "capture_sha256": pa.array([capture_sha256], pa.string()),
            "source_url": pa.array([source_url], pa.string()),
            "fetched_at": pa.array([fetched_at], pa.timestamp("us", tz="UTC")),
            "parser_version": pa.array([PARSER_VERSION], pa.string()),
        }
    )
    ctx = pa.table(
        {
            "as_of": pa.array([as_of], pa.date32()),
            "expected_form": pa.array([layout.installed_format], pa.string()),
            "from_address": pa.array([from_address], pa.bool_()),
            "has_purpose": pa.array(["purpose" in layout.present], pa.bool_()),
            "has_retention": pa.array(["retention_days" in layout.present], pa.bool_()),
        }
    )
    hint = inst_code if inst_code and inst_code.isdigit() else None
    raw = _complete(source.raw)
    con = duckdb.connect()
    try:
        con.register("raw", raw)
        con.register("meta", meta)
        con.register("ctx", ctx)
        aligned, resolved = _aligned(con, raw, resolver, from_address, hint)
        con.register("aligned", aligned)
        con.register("py_issues", _py_issues(resolved))
        flagged = con.sql(
            _flagged_sql(as_of, layout.installed_format, source.where)
        ).to_arrow_table()
        if not _ascending(flagged.column("row_number")):
            raise AssertionError("the checks did not keep file order")
        for name in flagged.column_names:
            if name not in aligned.column_names:
                aligned = aligned.append_column(name, flagged.column(name))
        con.register("flagged", aligned)
        issues = con.sql(_issues_sql()).to_arrow_table()
    finally:
        con.close()
    points = _assemble(raw, aligned, meta)
    issues = issues.rename_columns(QUALITY_ISSUES.names).cast(QUALITY_ISSUES)
    notes = _note_issues(source, capture_sha256, source_url)
    if notes:
        issues = pa.concat_tables([pa.Table.from_pylist(notes, schema=QUALITY_ISSUES), issues])
    return StandardLoad(points, issues, layout.generation, source.encoding)


def standard_captures(captures: Iterable) -> list:
    """The captures the build loads into `standard_points`: role "standard", status 200,
    each payload once (a re-fetch of an unchanged file is a revisit of the same bytes)."""
    chosen, seen = [], set()
    for capture in captures:
        if capture.role != "standard" or capture.status != 200 or capture.sha256 in seen:
            continue
        seen.add(capture.sha256)
        chosen.append(capture)
    return chosen


def load_captures(
    captures: Iterable,
    payload: Callable[[str], bytes],
    institutions: Iterable[InstitutionLike] | InstitutionResolver,
) -> StandardLoad:
    """Every standard capture → one table; a file that cannot be read is an issue, not a
    failed build."""
    resolver = _resolver(institutions)
    tables, issue_tables = [], []
    for capture in standard_captures(captures):
        try:
            loaded = load_standard(
                payload(capture.sha256),
                filename=capture.filename,
                capture_sha256=capture.sha256,
                source_url=capture.url,
                fetched_at=capture.fetched_at,
                institutions=resolver,
                inst_code=capture.inst_code,
            )
        except (StandardHeaderError, ReaderError) as exc:
            issue = {
                "level": "error",
                "code": "standard_unreadable",
                "message": str(exc),
                "stage": "standard",
                "inst_code": capture.inst_code,
                "row_ref": None,
                "capture_sha256": capture.sha256,
                "source_url": capture.url,
                "parser_version": PARSER_VERSION,
            }
            issue_tables.append(pa.Table.from_pylist([issue], schema=QUALITY_ISSUES))
            continue
        tables.append(loaded.table)
        issue_tables.append(loaded.issue_table)
    table = pa.concat_tables(tables) if tables else STANDARD_POINTS.empty_table()
    issues = pa.concat_tables(issue_tables) if issue_tables else QUALITY_ISSUES.empty_table()
    return StandardLoad(table, issues)
