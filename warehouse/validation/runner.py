"""Run the suites with great-expectations 1.x and summarise the outcomes.

The context is ephemeral (in-memory stores): nothing lands in the project tree except the
Data Docs in `docs_dir` and the JSON summary in `results_dir`. great-expectations is
imported here, inside `validate`, because the import alone costs seconds. Each table gets
one suite per severity ("cameras-errors", "cameras-warnings"); the severity and the why of
every expectation also travel in its `meta`, which is where the outcomes read them from.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from domain.constants import KST
from warehouse.validation import datadocs, pages
from warehouse.validation.derived import DERIVED, REFERENCE_SQL, Coverage, Refs, coverage
from warehouse.validation.suites import (
    ROW_KEYS,
    VALIDATED_TABLES,
    Check,
    checks_for,
    suite_name,
)

SITE_NAME = "local_site"

_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


# Failing rows kept per expectation for the failures page; the counts per institution
# always cover every failing row.
ROWS_KEPT = 200
# GE's full lists of failing values and rows: read into `by_institution` and `rows`, then
# dropped, so neither the JSON summary nor the Data Docs grow with the warehouse.
_FULL_LISTS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query")


@dataclass(frozen=True)
class ExpectationOutcome:
    table: str
    expectation_type: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    element_count: int | None
    note: str
    details: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # the rule in a few Korean words
    # failing rows per 기관코드 ("" for rows without one), and the first ROWS_KEPT of them
    by_institution: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ValidationReport:
    outcomes: list[ExpectationOutcome]
    docs_index: Path
    results_path: Path
    run_time: datetime
    row_counts: dict[str, int]

    @property
    def passed(self) -> int:
        return sum(o.success for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(not o.success for o in self.outcomes)

    @property
    def error_failures(self) -> int:
        return sum(not o.success and o.severity == "error" for o in self.outcomes)

    @property
    def warning_failures(self) -> int:
        return sum(not o.success and o.severity == "warning" for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return self.error_failures == 0

    def summary(self) -> dict[str, Any]:
        """A plain, JSON-ready record of the run for people and scripts that skip the HTML."""
        return {
            "run_time": self.run_time.isoformat(),
            "ok": self.ok,
            "passed": self.passed,
            "failed": self.failed,
            "error_failures": self.error_failures,
            "warning_failures": self.warning_failures,
            "row_counts": self.row_counts,
            "docs_index": str(self.docs_index),
            "outcomes": [asdict(o) for o in self.outcomes],
        }


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """One table as pandas with nullable ints/bools; a missing table gives a frame with no
    columns, so every expectation on it fails instead of the run crashing."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchall()[0][0]
    if not found:
        return pd.DataFrame()
    arrow = con.sql(f'SELECT * FROM "{table}"').to_arrow_table()
    return arrow.to_pandas(types_mapper=_NULLABLE.get, date_as_object=False)


def read_reference(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """A reference frame for the derived columns; empty when its tables are missing (a
    bare warehouse), so the rules that need it are reported as not judged."""
    try:
        arrow = con.sql(REFERENCE_SQL[name]).to_arrow_table()
    except duckdb.CatalogException:
        return pd.DataFrame()
    return arrow.to_pandas(types_mapper=_NULLABLE.get, date_as_object=False)


def add_derived(table: str, frame: pd.DataFrame, refs: Refs | None = None) -> pd.DataFrame:
    frame = frame.copy()
    for name, derive in DERIVED.get(table, {}).items():
        try:
            frame[name] = derive(frame, refs or {})
        except KeyError:  # a source column is missing: the contract check reports it
            continue
    return frame


def _load(db_path: Path) -> tuple[dict[str, pd.DataFrame], Refs]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        refs = {name: read_reference(con, name) for name in REFERENCE_SQL}
        frames = {t: add_derived(t, read_table(con, t), refs) for t in VALIDATED_TABLES}
        return frames, refs
    finally:
        con.close()


def _import_gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    import great_expectations as gx

    return gx


def _context(gx: Any, docs_dir: Path) -> Any:
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={
            SITE_NAME: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _suites_of(table: str, today: date, cover: Coverage) -> dict[str, list[Check]]:
    """One suite per table and severity, so Data Docs show "cameras-errors: Succeeded"
    apart from "cameras-warnings: Failed" (GE marks a suite failed on any expectation)."""
    suites: dict[str, list[Check]] = {}
    for check in checks_for(table, today=today, coverage=cover):
        suites.setdefault(suite_name(table, check.severity), []).append(check)
    return suites


def _columns_read(table: str, checks: list[Check]) -> set[str]:
    """The columns a suite's checks read: their own, their row conditions', and the trace
    columns failing rows are listed with."""
    from great_expectations.expectations.row_conditions import Column

    read = set(ROW_KEYS[table])

    def column(name: str) -> Any:
        read.add(name)
        return Column(name)

    for check in checks:
        read.update(v for k, v in check.kwargs.items() if k in ("column", "column_A", "column_B"))
        if check.where is not None:
            check.where(column)
    return read


def _suite_frame(table: str, frame: pd.DataFrame, checks: list[Check]) -> pd.DataFrame:
    """Only the columns a suite reads: great-expectations fingerprints, filters and copies
    the whole batch once per check, so every idle column costs time in each of them (and a
    list column makes the fingerprint a pickle of the frame). The contract check reads the
    column names, not their values: for it the idle columns keep their names and places,
    holding nothing."""
    read = _columns_read(table, checks)
    if not any(c.expectation == "ExpectTableColumnsToMatchSet" for c in checks):
        return frame[[c for c in frame.columns if c in read]]
    idle = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    return pd.DataFrame({c: frame[c] if c in read else idle for c in frame.columns})


def _suite(gx: Any, name: str, checks: list[Check]) -> Any:
    from great_expectations.expectations.row_conditions import Column

    suite = gx.ExpectationSuite(name=name)
    for check in checks:
        kwargs = dict(check.kwargs)
        if check.where is not None:
            kwargs["row_condition"] = check.where(Column)
        expectation = getattr(gx.expectations, check.expectation)(
            **kwargs,
            meta={"severity": check.severity, "why": check.why, "name": check.name},
            description=check.name,  # Data Docs show it instead of GE's English sentence
            notes=check.why,  # shown under the expectation on the suite's Data Docs page
        )
        suite.add_expectation(expectation)
    return suite


def _raised(exception_info: dict[str, Any]) -> str | None:
    """The message of an exception raised inside a check, in either shape GE reports."""
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "exception")
    return None


def _plain(value: Any) -> Any:
    """A failing row's value as JSON has it (numpy scalars, pandas' NA and timestamps)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _failing_rows(raw: dict[str, Any]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Count GE's failing rows by 기관코드 and keep the first few, each with its trace."""
    listed = raw.get("unexpected_index_list")
    if not isinstance(listed, list):
        return {}, []
    counts: dict[str, int] = {}
    for row in listed:
        code = row.get("inst_code") if isinstance(row, dict) else None
        key = str(code) if _plain(code) is not None else ""
        counts[key] = counts.get(key, 0) + 1
    kept = [
        {k: _plain(v) for k, v in row.items()}
        for row in listed[:ROWS_KEPT]
        if isinstance(row, dict)
    ]
    return counts, kept


def _outcome(table: str, result: Any) -> ExpectationOutcome:
    by_institution, rows = _failing_rows(result.result or {})
    for name in _FULL_LISTS:
        (result.result or {}).pop(name, None)
    data = result.to_json_dict()
    config = data["expectation_config"]
    kwargs = dict(config["kwargs"])
    meta = config.get("meta") or {}
    details = {k: v for k, v in (data.get("result") or {}).items() if v is not None}
    details["kwargs"] = kwargs
    error = _raised(result.exception_info or {})
    if error:
        details["exception"] = error
    column = kwargs.get("column")
    if column is None and "column_A" in kwargs:
        column = f"{kwargs['column_A']}, {kwargs['column_B']}"
    return ExpectationOutcome(
        table=table,
        expectation_type=config["type"],
        column=column,
        severity=meta.get("severity", "error"),
        success=bool(result.success) and error is None,
        unexpected_count=details.get("unexpected_count"),
        element_count=details.get("element_count"),
        note=meta.get("why", ""),
        details=details,
        name=meta.get("name", ""),
        by_institution=by_institution,
        rows=rows,
    )


def _results_path(results_dir: Path, run_time: datetime) -> Path:
    path = results_dir / f"validation-{run_time:%Y%m%dT%H%M%SZ}.json"
    if path.exists():  # two runs in one second: keep both
        path = results_dir / f"validation-{run_time:%Y%m%dT%H%M%S.%fZ}.json"
    return path


def _restore_trimmed(context: Any, results: dict[str, Any]) -> None:
    """Store each suite's result again without GE's full lists of failing rows (which
    `_outcome` read and dropped), so Data Docs show counts and samples, not every row."""
    store = context.validation_results_store
    for key in store.list_keys():
        trimmed = results.get(key.expectation_suite_identifier.name)
        if trimmed is not None:
            store.set(key, trimmed)


def _result_format(frame: pd.DataFrame, table: str) -> dict[str, Any]:
    """Every failing row with its trace columns (COMPLETE: SUMMARY computes the same index
    list and cuts it), without GE's pandas "query" (a list of every failing index)."""
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [k for k in ROW_KEYS[table] if k in frame.columns],
        "partial_unexpected_count": 20,
        "return_unexpected_index_query": False,
    }


def validate(db_path: Path, docs_dir: Path, results_dir: Path) -> ValidationReport:
    """Validate the warehouse's tables, write offline Data Docs (with the pages of failing
    rows by institution) and a JSON summary."""
    db_path, docs_dir, results_dir = (Path(p).absolute() for p in (db_path, docs_dir, results_dir))
    run_time = datetime.now(UTC)
    frames, refs = _load(db_path)
    today = run_time.astimezone(KST).date()
    cover = coverage(refs, today)

    gx = _import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    context = _context(gx, docs_dir)
    run_id = RunIdentifier(run_name=f"cctv-{run_time:%Y%m%dT%H%M%SZ}", run_time=run_time)
    source = context.data_sources.add_pandas("warehouse")
    outcomes: list[ExpectationOutcome] = []
    suite_results: dict[str, Any] = {}
    warning_suites: set[str] = set()
    notes: dict[str, dict[str, str]] = {}
    for table, frame in frames.items():
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
        result_format = _result_format(frame, table)
        for name, checks in _suites_of(table, today, cover).items():
            if all(c.severity == "warning" for c in checks):
                warning_suites.add(name)
            notes.setdefault(table, {}).update((c.name, c.why) for c in checks)
            suite = context.suites.add(_suite(gx, name, checks))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            result = definition.run(
                batch_parameters={"dataframe": _suite_frame(table, frame, checks)},
                result_format=result_format,
                run_id=run_id,
            )
            found = [_outcome(table, r) for r in result.results]
            suite_results[name] = result
            outcomes += sorted(found, key=lambda o: (o.column or "", o.expectation_type))

    _restore_trimmed(context, suite_results)
    names = _institution_names(refs)
    docs_index = datadocs.build(
        context,
        docs_dir,
        SITE_NAME,
        warning_suites=warning_suites,
        pages=pages.render(outcomes, names, run_time),
        notes=notes,
    )
    results_dir.mkdir(parents=True, exist_ok=True)
    report = ValidationReport(
        outcomes=outcomes,
        docs_index=docs_index,
        results_path=_results_path(results_dir, run_time),
        run_time=run_time,
        row_counts={t: len(f) for t, f in frames.items()},
    )
    report.results_path.write_text(
        json.dumps(report.summary(), ensure_ascii=False, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    return report


def _institution_names(refs: Refs) -> dict[str, str]:
    names = refs.get("institution_names")
    if names is None or names.empty:
        return {}
    pairs = zip(names["inst_code"], names["name"], strict=True)
    return {str(c): n for c, n in pairs if isinstance(n, str) and n}
