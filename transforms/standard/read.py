"""Standard-data bytes → one string column per canonical column, plus row numbers.

CSV (CP949 or UTF-8, BOM or not, CR/CRLF/LF, quoted newlines and TABs), the localdata xlsx
export (every cell text) and the OpenAPI's JSON all arrive here; nothing is interpreted yet.
The bytes are decoded once (`transforms.encoding.decode_text`) and split by Arrow's CSV
reader; a file with ragged rows is re-read record by record so that the rows that cannot be
placed are reported with their numbers. Row numbers count records as a spreadsheet shows
them (the header is row 1), so a quoted newline does not shift later rows.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as pacsv

from transforms.encoding import decode_text
from transforms.readers import ReaderError
from transforms.readers.safety import csv_field_limit
from transforms.readers.xlsx import read_xlsx
from transforms.sniff import sniff_kind
from transforms.standard.layout import (
    CANONICAL_COLUMNS,
    Layout,
    StandardHeaderError,
    detect_api_layout,
    detect_layout,
)

MAX_BYTES = 1024 * 1024 * 1024
# Cells that mean "no value", as written (CSV cells are matched exactly, at parse time).
NULL_CELLS = ("", " ", "-", "null", "NULL", "Null", "none", "None", "NONE", "nan", "NaN")


@dataclass
class Source:
    """A file's records as strings under canonical names, before any checking."""

    raw: pa.Table  # canonical columns (strings) + row_number
    layout: Layout
    where: str  # row_ref prefix: "csv", "sheet Sheet0", "json"
    encoding: str | None = None
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)  # level, code, msg, ref


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
    with csv_field_limit():
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


def _read_csv_slow(text: str, header: list[str], delimiter: str, layout: Layout) -> Source:
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
                    f"행의 칸 수({len(row)}개)가 머리글의 칸 수({width}개)와 달라 값이 밀렸을 수 "
                    "있으므로 이 행은 싣지 않음",
                    f"csv, row {number}",
                )
            )
            continue
        numbers.append(number)
        for i, value in enumerate(row):
            cells[i].append(None if value in NULL_CELLS else value)
    table = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(cells)})
    raw = _from_positions(table, layout, pa.array(numbers, pa.int64()))
    return Source(raw, layout, "csv", notes=notes)


def _read_csv(body: bytes) -> Source:
    text, encoding, lossy = _text(body)
    header, delimiter = _header(text)
    layout = detect_layout(header)
    notes = []
    if lossy:
        notes.append(
            (
                "warning",
                "encoding_lossy",
                f"문자 인코딩({encoding})에 맞지 않는 바이트를 대체 문자로 바꿈",
                "csv",
            )
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
                null_values=list(NULL_CELLS),
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ReaderError(f"not a readable csv: {exc}") from exc
    if ragged:
        with csv_field_limit():
            source = _read_csv_slow(text, header, delimiter, layout)
        source.notes[:0] = notes
        source.encoding = encoding
        return source
    numbers = pa.array(range(2, table.num_rows + 2), pa.int64())
    return Source(_from_positions(table, layout, numbers), layout, "csv", encoding, notes)


def _read_xlsx(body: bytes) -> Source:
    """The localdata Excel export: every cell text, header in the first rows of a sheet."""
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
                canonical: [None if row[i] in NULL_CELLS else row[i] for row in rows]
                for i, canonical in enumerate(layout.columns)
                if canonical is not None
            }
            return Source(_table(columns, numbers, len(rows)), layout, grid.name)
    raise error or StandardHeaderError("workbook has no sheet with a standard-data header")


def _json_items(body: bytes) -> list[dict]:
    """The records of an API answer: a bare list, or `response.body.items` (whose records
    some services wrap once more in `item`)."""
    text, _, _ = _text(body)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReaderError(f"not readable JSON: {exc}") from exc
    for key in ("response", "body", "items", "item"):
        if isinstance(data, dict) and key in data:
            data = data[key]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise ReaderError("JSON holds no list of records")
    return data


def _read_json(body: bytes) -> Source:
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
    return Source(_table(columns, list(range(1, len(items) + 1)), len(items)), layout, "json")


def _json_text(value: object) -> str | None:
    if value is None or value in NULL_CELLS:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_source(body: bytes, filename: str | None = None) -> Source:
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


def complete(raw: pa.Table) -> pa.Table:
    """Every canonical column present (absent ones as nulls), so one SQL fits all layouts."""
    for name in CANONICAL_COLUMNS:
        if name not in raw.column_names:
            raw = raw.append_column(name, pa.nulls(raw.num_rows, pa.string()))
    return raw
