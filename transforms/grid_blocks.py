"""Grids that hold more than one table, and the arithmetic that checks a table's totals.

Aggregate sheets print a long list in two or three blocks side by side to fit one page
(`연번,시도,시군구,CCTV` three times across one row); read as one table, every block
after the first is a run of unmapped columns. Totals are the one internal check an
aggregate offers: a total row that disagrees with its rows means a misread (or a file
that disagrees with itself, which is worth knowing too).
"""

from __future__ import annotations

import re
from itertools import pairwise

from domain.text import compact
from transforms.grid import Grid

SCAN_ROWS = 20
_TOTAL = re.compile(r"^(총계|합계|계|총합|누계|전체|총)$")
_SUBTOTAL = re.compile(r"^(소계|중계)$")
_DASH = re.compile(r"^[-‐–—]$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _block_starts(row: list[str]) -> tuple[list[int], int] | None:
    """Start columns and header width of blocks repeating the same header sequence."""
    cells = [compact(c) for c in row]
    first = next((i for i, c in enumerate(cells) if c), None)
    if first is None:
        return None
    starts = [i for i, c in enumerate(cells) if c == cells[first]]
    if len(starts) < 2:
        return None
    step = starts[1] - starts[0]
    if any(b - a != step for a, b in pairwise(starts)):
        return None
    header = cells[first : first + step]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    if len({c for c in header if c}) < 2:
        return None
    for start in starts:
        block = cells[start : start + width]
        block += [""] * (width - len(block))
        if block != header or any(cells[start + width : start + step]):
            return None
    return starts, width


def split_side_by_side(grid: Grid) -> list[Grid]:
    """The grid's blocks as separate grids, named by their columns ("sheet X columns
    E:H"); the grid itself, in a list, when its header does not repeat across the row.
    Rows above the header (title, unit, a grand total) become each block's caption."""
    for r, row in enumerate(grid.rows[:SCAN_ROWS]):
        found = _block_starts(row)
        if found is None:
            continue
        starts, width = found
        header_rows = 1
        while r + header_rows < len(grid.rows) and _block_starts(grid.rows[r + header_rows]) == (
            starts,
            width,
        ):
            header_rows += 1
        above = []
        for line in grid.rows[:r]:
            for cell in line:
                if cell and cell not in above:
                    above.append(cell)
        caption = " ".join(filter(None, [grid.caption, *above]))
        blocks = []
        for start in starts:
            rows, numbers, ids = [], [], []
            for index in range(r, len(grid.rows)):
                part = grid.rows[index][start : start + width]
                if any(part):
                    rows.append(part)
                    numbers.append(grid.row_numbers[index])
                    ids.append(grid.cell_ids[index][start : start + width])
            name = f"{grid.name} columns {_letters(start)}:{_letters(start + width - 1)}"
            blocks.append(Grid(name, rows, header_rows, numbers, caption, ids))
        return blocks
    return [grid]


def number(text: str) -> float | None:
    """A count as aggregates write it: "83,557", " 1 234 ", and "-" for zero."""
    cleaned = re.sub(r"[,\s]", "", text or "")
    if _DASH.match(cleaned):
        return 0.0
    return float(cleaned) if _NUMBER.match(cleaned) else None


def find_total_row(grid: Grid, label: str | None = None) -> int | None:
    """Index of the grand-total row: a row labelled 계/합계/총계/… (or `label`, for files
    that name it otherwise: the Seoul purpose sheet says 자치구) in its first two text
    cells. A header row can carry the same word ("구분, 총계, 2012년 …"), so a labelled
    row holding numbers wins; failing that, the last labelled row (formulas saved without
    values leave a total row empty)."""
    wanted = compact(label) if label else None
    candidates = []
    for index, row in enumerate(grid.rows):
        labels = [compact(c) for c in row if compact(c) and number(c) is None][:2]
        if any((t == wanted) if wanted else _TOTAL.match(t) for t in labels):
            if any(number(c) is not None for c in row):
                return index
            candidates.append(index)
    return candidates[-1] if candidates else None


def numeric_total_check(grid: Grid, label: str | None = None) -> list[str]:
    """Where the total row disagrees with the sum of the other numeric rows, one message per
    column; empty when every column adds up. Only columns where the total row holds a
    number are checked, so stray side calculations beside a table are left out."""
    total = find_total_row(grid, label)
    if total is None:
        return ["no total row found"]
    columns = [c for c, cell in enumerate(grid.rows[total]) if number(cell) is not None]
    if not columns:
        return [f"the total row ({grid.name}, row {grid.row_numbers[total]}) holds no numbers"]
    sums = dict.fromkeys(columns, 0.0)
    for index, row in enumerate(grid.rows[grid.header_rows :], start=grid.header_rows):
        labels = {compact(c) for c in row[:4] if number(c) is None}
        if index == total or any(_TOTAL.match(t) or _SUBTOTAL.match(t) for t in labels):
            continue
        values = {c: number(row[c]) for c in columns}
        if all(v is None for v in values.values()):
            continue
        for c, v in values.items():
            sums[c] += v or 0.0
    problems = []
    for c in columns:
        stated = number(grid.rows[total][c]) or 0.0
        if abs(sums[c] - stated) > 1e-6:
            problems.append(
                f"column {_letters(c)}: rows sum to {sums[c]:g}, the total row "
                f"({grid.name}, row {grid.row_numbers[total]}) says {stated:g}"
            )
    return problems
