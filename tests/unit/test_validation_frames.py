"""The tables validation hands great-expectations: derived columns computed by position give
the rule's verdict row by row, and the tables made for great-expectations' SQL engine keep the
warehouse's columns and row order, with each derived value joined back to its own row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import create_engine, text

from transforms.values.placeholders import is_placeholder
from warehouse.schema import TABLES
from warehouse.validation.derived import DERIVED, _by_value, legal_basis_mapped
from warehouse.validation.tables import validation_tables


def _bases(*values: object) -> np.ndarray:
    """List cells as they come back from Arrow: int8 arrays, or missing."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = [None if v is None else np.array(v, dtype=np.int8) for v in values]
    return cells


def test_legal_basis_is_judged_per_row() -> None:
    frame = pd.DataFrame(
        {
            "legal_basis": _bases([2], [2, 7], [], None, [0], [1, 6, 3], [2], [2], [2]),
            "purpose": ["생활방범"] * 6 + [None, "생활방범", "생활방범"],
            "device_type": ["fixed"] * 7 + ["mobile", None],
            "is_template": pd.array([False] * 8 + [True], dtype="boolean"),
        },
        index=range(10, 19),
    )
    verdicts = legal_basis_mapped(frame, {})
    assert list(verdicts.index) == list(frame.index)
    # mapped, item 7 outside 1-6, no items, no list, item 0, all inside; then the rows the
    # rule leaves out: no purpose, a mobile device, a template
    assert verdicts.tolist() == [True, False, False, False, False, True, pd.NA, pd.NA, pd.NA]
    assert legal_basis_mapped(frame.iloc[:0], {}).empty


def test_text_verdicts_follow_their_rows() -> None:
    texts = pd.Series(["○○과", None, "총무과", "○○과", np.nan, "00일"], index=list("abcdef"))
    verdicts = _by_value(texts, is_placeholder)
    assert verdicts.index.tolist() == list("abcdef")
    assert verdicts.astype("boolean").tolist() == [True, pd.NA, False, True, pd.NA, True]


def _warehouse(path: Path, cameras: list[dict[str, object]]) -> Path:
    """Every table of the schema, only `cameras` filled."""
    con = duckdb.connect(str(path))
    for name, schema in TABLES.items():
        rows = cameras if name == "cameras" else []
        con.register("incoming", pa.Table.from_pylist(rows, schema=schema))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
        con.unregister("incoming")
    con.close()
    return path


def test_validation_tables_keep_the_warehouse_columns_and_rows(tmp_path: Path) -> None:
    fetched = datetime(2026, 1, 5, tzinfo=UTC)

    def row(ref: str, code: str, count: int | None, retention: str, unit: str) -> dict:
        return {
            "inst_code": code,
            "unit": unit,
            "purpose": "생활방범",
            "legal_basis": [2],
            "camera_count": count,
            "retention_raw": retention,
            "device_type": "fixed",
            "is_template": unit == "○○과",
            "row_ref": ref,
            "capture_sha256": "a" * 64,
            "fetched_at": fetched,
            "parser_version": "0.1.0",
        }

    rows = [
        row("r1", "3510500", 4, "촬영일로부터 30일", "총무과"),
        row("r2", "6110000", 7, "별도 지정", "교통과"),
        row("r3", "3510500", None, "00일", "○○과"),
        row("r4", "3510500", 5, "촬영일로부터 30일", "안전과"),
    ]
    db = _warehouse(tmp_path / "cctv.duckdb", rows)
    with validation_tables(db) as tables:
        engine = create_engine(tables.url)
        with engine.connect() as con:
            found = con.execute(
                text(
                    "SELECT row_ref, institution_camera_total, retention_status, "
                    "placeholder_retention, placeholder_text, legal_basis_mapped FROM cameras"
                )
            ).fetchall()
        engine.dispose()
        names = [f.name for f in TABLES["cameras"]]
        assert tables.columns["cameras"] == names + list(DERIVED["cameras"])
        assert tables.row_counts == {"cameras": 4, "policies": 0, "standard_points": 0}
    # the warehouse's order; totals per institution; the template row's verdicts left out
    assert [tuple(r) for r in found] == [
        ("r1", 9, "stated", False, False, True),
        ("r2", 7, "unparsed", False, False, True),
        ("r3", 9, None, True, None, None),
        ("r4", 9, "stated", False, False, True),
    ]
    duckdb.connect(str(db)).close()  # detached: the warehouse can be opened for writing


def test_query_results_outlive_their_connection(tmp_path: Path) -> None:
    """great-expectations reads a result after handing its connection back; DuckDB would have
    dropped the rows on the connection's reset."""
    from warehouse.validation import engine as sql

    engine = create_engine(f"{sql.SCHEME}:///{tmp_path / 'any.duckdb'}")
    with engine.connect() as con:
        result = con.execute(text("SELECT 42 AS answer UNION ALL SELECT 7"))
    assert result.fetchall() == [(42,), (7,)]
    engine.dispose()
