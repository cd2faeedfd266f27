"""Run the suites with great-expectations 1.x and summarise the outcomes.

great-expectations runs with its SQL execution engine on an in-memory DuckDB that attaches
the warehouse read-only (`tables.py`): every expectation is a query where the data is. The
context is ephemeral (in-memory stores): nothing lands in the project tree except the
Data Docs in `docs_dir` and the JSON summary in `results_dir`. great-expectations is
imported here, inside `validate`, because the import alone costs seconds. Each table gets
one suite per severity ("cameras-errors", "cameras-warnings"); the severity and the why of
every expectation also travel in its `meta`, which is where the outcomes read them from.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from domain.constants import KST
from warehouse.validation import datadocs, pages
from warehouse.validation.derived import Coverage, Refs, coverage
from warehouse.validation.suites import (
    ROW_KEYS,
    VALIDATED_TABLES,
    Check,
    checks_for,
    suite_name,
)
from warehouse.validation.tables import ValidationTables, validation_tables

SITE_NAME = "local_site"

# Failing rows kept per expectation for the failures page; the counts per institution
# always cover every failing row.
ROWS_KEPT = 200
# Failing values GE's partial lists show (partial_unexpected_list, _counts, _index_list).
PARTIAL = 20
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


def _counted(raw: dict[str, Any]) -> None:
    """No failing rows among none: SQL sums nothing to NULL, which GE passes on as the
    count of a check whose rows (after its row condition) are none."""
    counted = raw.get("element_count") is not None
    if counted and "unexpected_count" in raw and raw["unexpected_count"] is None:
        raw["unexpected_count"] = 0


def _outcome(table: str, result: Any) -> ExpectationOutcome:
    by_institution, rows = _failing_rows(result.result or {})
    _partial(result.result or {})
    for name in _FULL_LISTS:
        (result.result or {}).pop(name, None)
    _counted(result.result or {})
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


class _StoredTrimmed:
    """Holds back the results GE's `run` stores until `_outcome` has read and dropped GE's
    full lists of failing rows, then stores them: GE serialises a stored result whole, and
    those lists hold every failing row of the warehouse. Data Docs, built from the store,
    show counts and samples, not every row."""

    def __init__(self, context: Any) -> None:
        self.store = context.validation_results_store
        self.held: list[tuple[Any, Any]] = []

    def __enter__(self) -> _StoredTrimmed:
        self.store.store_validation_results = self._hold
        return self

    def _hold(
        self, suite_validation_result: Any, suite_validation_result_identifier: Any, **_: Any
    ) -> bool:
        self.held.append((suite_validation_result_identifier, suite_validation_result))
        return True

    def __exit__(self, *_: object) -> None:
        del self.store.store_validation_results  # the store's own method again
        for key, result in self.held:
            self.store.set(key, result)


def _result_format(columns: list[str], table: str, rows: int) -> dict[str, Any]:
    """Every failing row with its trace columns, without GE's "query" (the SQL that selects
    them). GE's SQL engine lists failing rows only up to `partial_unexpected_count`, so the
    run asks for as many as the table has rows and `_partial` cuts the partial lists back."""
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [k for k in ROW_KEYS[table] if k in columns],
        "partial_unexpected_count": max(rows, PARTIAL),
        "return_unexpected_index_query": False,
    }


def _partial(raw: dict[str, Any]) -> None:
    """GE's partial lists as a run asking for PARTIAL of them has them: the first PARTIAL
    failing values and rows, and the PARTIAL most common values, counted the way GE's own
    formatter counts them (`_format_map_output`), from the failing values GE fetched."""
    for name in ("partial_unexpected_list", "partial_unexpected_index_list"):
        if isinstance(raw.get(name), list):
            raw[name] = raw[name][:PARTIAL]
    values = raw.get("unexpected_list")
    if "partial_unexpected_counts" not in raw or not isinstance(values, list):
        return
    if values and isinstance(values[0], dict):
        values = [tuple(v.values()) for v in values]
    try:
        common = Counter(values).most_common(PARTIAL)
        raw["partial_unexpected_counts"] = [
            {"value": value, "count": n} for value, n in sorted(common, key=lambda x: (-x[1], x[0]))
        ]
    except TypeError:
        raw["partial_unexpected_counts"] = [
            {"error": "partial_exception_counts requires a hashable type"}
        ]


def _run_suites(
    gx: Any, context: Any, tables: ValidationTables, run_time: datetime
) -> tuple[list[ExpectationOutcome], set[str], dict[str, dict[str, str]]]:
    """Every table's suites run by GE's SQL engine on `tables`: the outcomes, the suites
    that hold only warnings, and each table's rules with their reasons."""
    from great_expectations.core.run_identifier import RunIdentifier

    today = run_time.astimezone(KST).date()
    cover = coverage(tables.refs, today)
    run_id = RunIdentifier(run_name=f"cctv-{run_time:%Y%m%dT%H%M%SZ}", run_time=run_time)
    outcomes: list[ExpectationOutcome] = []
    warning_suites: set[str] = set()
    notes: dict[str, dict[str, str]] = {}
    source = context.data_sources.add_sql("warehouse", connection_string=tables.url)
    for table in VALIDATED_TABLES:
        asset = source.add_table_asset(table, table_name=table)
        batch = asset.add_batch_definition_whole_table(table)
        columns, rows = tables.columns.get(table, []), tables.row_counts[table]
        result_format = _result_format(columns, table, rows)
        for name, checks in _suites_of(table, today, cover).items():
            if all(c.severity == "warning" for c in checks):
                warning_suites.add(name)
            notes.setdefault(table, {}).update((c.name, c.why) for c in checks)
            suite = context.suites.add(_suite(gx, name, checks))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            result = definition.run(result_format=result_format, run_id=run_id)
            found = [_outcome(table, r) for r in result.results]
            outcomes += sorted(found, key=lambda o: (o.column or "", o.expectation_type))
    # Both of the datasource's engines (GE tests the connection with one, validates with
    # the other) let go of the in-memory database before it is dropped.
    source.get_execution_engine().close()
    source.get_engine().dispose()
    return outcomes, warning_suites, notes


def validate(db_path: Path, docs_dir: Path, results_dir: Path) -> ValidationReport:
    """Validate the warehouse's tables, write offline Data Docs (with the pages of failing
    rows by institution) and a JSON summary."""
    db_path, docs_dir, results_dir = (Path(p).absolute() for p in (db_path, docs_dir, results_dir))
    run_time = datetime.now(UTC)
    # The warehouse is opened first: a file another program holds fails before GE loads.
    with validation_tables(db_path) as tables:
        refs, row_counts = tables.refs, tables.row_counts
        gx = _import_gx()
        context = _context(gx, docs_dir)
        with _StoredTrimmed(context):
            outcomes, warning_suites, notes = _run_suites(gx, context, tables, run_time)

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
        row_counts=row_counts,
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
