"""The frames validation hands great-expectations: derived columns computed by position give
the rule's verdict row by row, and each suite sees only the columns it reads (the contract
suite keeps every name in place)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from transforms.values.placeholders import is_placeholder
from warehouse.schema import TABLES
from warehouse.validation.derived import Coverage, _by_value, legal_basis_mapped
from warehouse.validation.runner import _columns_read, _suite_frame, _suites_of
from warehouse.validation.suites import ROW_KEYS


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


def test_each_suite_reads_only_its_columns() -> None:
    names = [f.name for f in TABLES["cameras"]] + ["contract_gaps", "placeholder_text"]
    frame = pd.DataFrame({n: pd.Series([None, None], dtype=object) for n in names})
    for suite, checks in _suites_of("cameras", date(2026, 1, 5), Coverage()).items():
        handed = _suite_frame("cameras", frame, checks)
        read = _columns_read("cameras", checks)
        assert set(ROW_KEYS["cameras"]) <= set(handed.columns)
        if suite == "cameras-errors":  # the contract check reads every column's name
            assert list(handed.columns) == names
            assert handed["legal_basis"].isna().all() and "legal_basis" not in read
        else:
            assert set(handed.columns) == read & set(names)
            assert "legal_basis" not in handed.columns
        assert "is_template" in read  # a row condition's column is read
