"""Aggregate tables (counts by 자치구 × purpose, by year, by control centre) → tidy rows.

Published aggregates are matrices with title rows, two-row headers, '-' for zero and a
total row; a tidy (row label, column label, value) form lets them be queried and checked
against the inventories. Each sheet's own total row is checked against the sum of its rows.
"""

from __future__ import annotations

import re

from domain.text import compact, fold
from transforms.columns import map_header
from transforms.grid import Grid
from transforms.grid_blocks import find_total_row, number
from transforms.issues import Issue

# The spreadsheet kinds a published aggregate comes in.
AGGREGATE_KINDS = ("xlsx", "xls", "csv")
_NO_TOTAL = "합계 행이 없음"

_TOTAL = re.compile(r"^(계|합계|총계|소계|총합|전체|총)$")


def _is_numeric(cell: str) -> bool:
    return bool(cell.strip()) and number(cell) is not None


def _header_row(grid: Grid) -> int | None:
    """The last text row above the first row that is mostly numbers."""
    for r, row in enumerate(grid.rows):
        filled = [c for c in row if c.strip()]
        if len(filled) >= 2 and sum(_is_numeric(c) for c in filled) * 2 >= len(filled):
            return r - 1 if r > 0 else None
    return None


def _sum_row(grid: Grid, body: list[int], columns: list[int]) -> int | None:
    """A row equal to the sum of all the others in every numeric column: a total row under
    an unexpected label (the Seoul sheets label theirs 자치구)."""
    values = {r: [number(grid.rows[r][c]) or 0.0 for c in columns] for r in body}
    sums = [sum(v[i] for v in values.values()) for i in range(len(columns))]
    for r, row in values.items():
        agree = sum(abs(2 * x - s) < 0.5 for x, s in zip(row, sums, strict=True))
        if any(row) and agree * 10 >= len(columns) * 8:  # a stale cell may disagree
            return r
    return None


def tidy(grid: Grid) -> tuple[list[dict], list[str]]:
    """Long rows {row_label, column_label, value, is_total, row_ref} and the messages of a
    total check (empty when the sheet adds up). Empty when the grid is not a count matrix."""
    header = _header_row(grid)
    if header is None:
        return [], []
    body = list(range(header + 1, len(grid.rows)))
    numeric_cols = [
        c
        for c in range(grid.width)
        if sum(_is_numeric(grid.rows[r][c]) for r in body) * 2 >= max(len(body), 1)
        and map_header(grid.rows[header][c]) != "ignore"  # 연번, 번호: not counts
    ]
    label_col = next(
        (
            c
            for c in range(grid.width)
            if c not in numeric_cols and any(grid.rows[r][c].strip() for r in body)
        ),
        None,
    )
    if label_col is None or len(numeric_cols) < 1:
        return [], []
    labels = [
        " ".join(
            dict.fromkeys(
                fold(grid.rows[h][c]) for h in range(header + 1) if grid.rows[h][c].strip()
            )
        )
        for c in range(grid.width)
    ]
    total_row = find_total_row(grid)
    if total_row is None or total_row <= header:
        total_row = _sum_row(grid, body, numeric_cols)
    rows = []
    for r in body:
        label = fold(grid.rows[r][label_col])
        if not label:
            continue
        for c in numeric_cols:
            value = number(grid.rows[r][c])
            if value is None:
                continue
            rows.append(
                {
                    "row_label": label,
                    "column_label": labels[c] or f"column {c + 1}",
                    "value": value,
                    "is_total": r == total_row
                    or bool(_TOTAL.match(compact(label)))
                    or bool(_TOTAL.match(compact(labels[c]))),
                    "row_ref": f"{grid.name}, row {grid.row_numbers[r]}",
                }
            )
    return rows, _total_check(grid, body, numeric_cols, total_row)


def _total_check(grid: Grid, body: list[int], columns: list[int], total: int | None) -> list[str]:
    """One message per column whose total disagrees with the sum of the rows above it."""
    if total is None:
        return [f"{_NO_TOTAL}({grid.name})"]
    problems = []
    for c in columns:
        stated = number(grid.rows[total][c])
        if stated is None:
            problems.append(
                f"합계 행({grid.name} {grid.row_numbers[total]}행)의 {c + 1}번째 열에 숫자가 없음"
            )
            continue
        parts = [number(grid.rows[r][c]) for r in body if r != total]
        rows_sum = sum(p for p in parts if p is not None)
        if abs(rows_sum - stated) >= 0.5:
            problems.append(
                f"{c + 1}번째 열({grid.name})의 행 합계 {rows_sum:,.0f}, 합계 행"
                f"({grid.row_numbers[total]}행)의 값 {stated:,.0f}로 서로 다름"
            )
    return problems


def read_aggregates(grids: list[Grid]) -> tuple[list[dict], list[Issue]]:
    """A file's count matrices → tidy rows, and the total check of every sheet that gave
    rows (a sheet with no total row is noted, one whose total disagrees is a warning)."""
    rows: list[dict] = []
    issues: list[Issue] = []
    for grid in grids:
        tidy_rows, problems = tidy(grid)
        if not tidy_rows:
            continue
        rows.extend(tidy_rows)
        for problem in problems:
            missing = _NO_TOTAL in problem
            issues.append(
                Issue(
                    "info" if missing else "warning",
                    "aggregate_total" if missing else "aggregate_total_mismatch",
                    problem,
                    grid.name,
                )
            )
    return rows, issues
