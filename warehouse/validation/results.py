"""The outcomes of a validation run as a table, stored next to the data they judge.

Notebooks, exports and `cctv query` read `validation_results` with SQL instead of parsing
the JSON summary. Validation reads the warehouse read-only; only `store_results` opens it
for writing, and it swaps the new rows in within one transaction, so a reader (or a crash)
sees the previous run's rows or the new ones, never a half-written table.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.schema import VALIDATION_RESULTS
from warehouse.validation.runner import ValidationReport
from warehouse.validation.suites import suite_name

TABLE = "validation_results"
_STAGING = "validation_results__incoming"


def results_table(report: ValidationReport) -> pa.Table:
    """One row per expectation, in the order the run reported them."""
    rows = [
        {
            "run_at": report.run_time,
            "suite": suite_name(o.table, o.severity),
            "table_name": o.table,
            "expectation_type": o.expectation_type,
            "column_name": o.column,
            "severity": o.severity,
            "success": o.success,
            "unexpected_count": o.unexpected_count,
            "element_count": o.element_count,
            "note": o.note,
        }
        for o in report.outcomes
    ]
    return pa.Table.from_pylist(rows, schema=VALIDATION_RESULTS)


def store_results(db_path: Path, report: ValidationReport) -> int:
    """Replace the previous run's rows in `validation_results`; returns the rows written.

    Raises duckdb's error when another process holds the file open for writing.
    """
    table = results_table(report)
    con = duckdb.connect(str(db_path))
    try:
        con.register("incoming", table)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE OR REPLACE TABLE {_STAGING} AS SELECT * FROM incoming")
            con.execute(f"DROP TABLE IF EXISTS {TABLE}")
            con.execute(f"ALTER TABLE {_STAGING} RENAME TO {TABLE}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.unregister("incoming")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return table.num_rows
