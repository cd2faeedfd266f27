"""Field metadata: each column says what it holds, once, where its schema is defined.

The metadata travels into the Parquet files, and `python -m warehouse.dictionary` turns it
into docs/data-dictionary.md; the capture index (archive/) and the warehouse tables use the
same helpers so that one dictionary describes both.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")


def doc(text: str, unit: str | None = None) -> dict[str, str]:
    """What the column holds and, for numbers and times, the unit."""
    return {"doc": text, "unit": unit} if unit else {"doc": text}


def table_doc(grain: str, written_by: str, text: str) -> dict[str, str]:
    """What one row is, which stage writes the table, what it holds."""
    return {"grain": grain, "written_by": written_by, "doc": text}
