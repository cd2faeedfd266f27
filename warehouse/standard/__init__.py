"""Standard-data files (전국CCTV표준데이터, any generation) → `standard_points` rows + issues.

The national file has ~370,000 rows, so nothing here loops over rows in Python: the bytes
are decoded once and split by Arrow (transforms/standard/read.py), each column's *distinct*
values are read once by the value grammars and aligned back to the rows (`align`), and
DuckDB computes every flag and issue in set-wise SQL over those columns (`checks`). Text
columns kept as read go to the output without a copy. `cctv parse` shows a file's rows and
issues through this same loader (`contract`).

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

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pyarrow as pa

from archive.index import ArchiveError
from registry.institutions import InstitutionLike, InstitutionResolver
from transforms.issues import Issue, IssueRow, Provenance
from transforms.readers import ReaderError
from transforms.standard import (
    Source,
    StandardHeaderError,
    complete,
    read_source,
    sniff_standard,
)
from transforms.standard.cells import standard_purpose
from warehouse.schema import QUALITY_ISSUES, STANDARD_POINTS
from warehouse.standard.align import aligned_rows
from warehouse.standard.checks import flagged_sql, issues_sql, py_issues

PARSER_VERSION = "standard-0.1.0"

__all__ = [
    "PARSER_VERSION",
    "StandardLoad",
    "load_captures",
    "load_standard",
    "read_source",
    "sniff_standard",
    "standard_captures",
    "standard_purpose",
]


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


def _resolver(institutions: Iterable[InstitutionLike] | InstitutionResolver) -> InstitutionResolver:
    if isinstance(institutions, InstitutionResolver):
        return institutions
    return InstitutionResolver(institutions)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _note_issues(source: Source, capture_sha256: str, source_url: str | None) -> list[IssueRow]:
    notes = list(source.notes)
    if message := source.layout.contract_message():
        notes.insert(0, ("error", "header_contract", message, f"{source.where}, row 1"))
    where = Provenance("standard", None, capture_sha256, source_url, PARSER_VERSION)
    return [Issue(level, code, message, ref).row(where) for level, code, message, ref in notes]


def _ascending(column: pa.ChunkedArray) -> bool:
    values = column.to_numpy()
    return bool((values[1:] > values[:-1]).all()) if len(values) > 1 else True


def _constant(value: object, kind: pa.DataType, n: int) -> pa.Array:
    """One value n times; a string is laid out directly (bytes × n, fixed offsets), which is
    ~20× faster than Arrow's take for the 64-character sha256 of 370,000 rows."""
    if value is None:
        return pa.nulls(n, kind)
    if pa.types.is_string(kind) and isinstance(value, str):
        data = value.encode("utf-8")
        if len(data) * n < 2**31:
            offsets = (np.arange(n + 1, dtype=np.int64) * len(data)).astype(np.int32)
            return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))
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
    raw = complete(source.raw)
    con = duckdb.connect()
    try:
        con.register("raw", raw)
        con.register("meta", meta)
        con.register("ctx", ctx)
        aligned, resolved = aligned_rows(con, raw, resolver, from_address, hint)
        con.register("aligned", aligned)
        con.register("py_issues", py_issues(resolved))
        flagged = con.sql(
            flagged_sql(as_of, layout.installed_format, source.where)
        ).to_arrow_table()
        if not _ascending(flagged.column("row_number")):
            flagged = flagged.sort_by("row_number")  # aligned rows are in file order
        for name in flagged.column_names:
            if name not in aligned.column_names:
                aligned = aligned.append_column(name, flagged.column(name))
        con.register("flagged", aligned)
        issues = con.sql(issues_sql()).to_arrow_table()
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
        if capture.role != "standard" or not capture.has_content or capture.sha256 in seen:
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
        except (StandardHeaderError, ReaderError, ArchiveError) as exc:
            where = Provenance(
                "standard", capture.inst_code, capture.sha256, capture.url, PARSER_VERSION
            )
            said = f"표준데이터 파일을 읽을 수 없음: {exc}"
            issue = Issue("error", "standard_unreadable", said).row(where)
            issue_tables.append(pa.Table.from_pylist([issue], schema=QUALITY_ISSUES))
            continue
        tables.append(loaded.table)
        issue_tables.append(loaded.issue_table)
    table = pa.concat_tables(tables) if tables else STANDARD_POINTS.empty_table()
    issues = pa.concat_tables(issue_tables) if issue_tables else QUALITY_ISSUES.empty_table()
    return StandardLoad(table, issues)
