"""An opened HWP/HWPX document (python-hwpx's model) → Grids, one per table.

Cells are placed by their own address and span (`cellAddr`, `cellSpan`), not by their
order in a row: a row under a vertically merged cell lists fewer cells, and readers that
count cells in order shift every later column. Covered cells get the merged value, as
the HTML table expander does. The paragraphs just above a table become its caption:
that is where 예시 or 설치 현황 is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

from domain.text import fold
from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError

MAX_ROWS = 20_000
MAX_COLS = 200
MAX_TABLES = 2_000
MAX_DEPTH = 3
_CAPTION_LINES = 2


def table_grid(table: Any, name: str, caption: str = "") -> Grid:
    placed = []
    for row in table.rows:
        for cell in row.cells:
            (r, c), (row_span, col_span) = cell.address, cell.span
            placed.append((r, c, max(row_span, 1), max(col_span, 1), fold(cell.text)))
    height = min(max((r + rs for r, _, rs, _, _ in placed), default=0), MAX_ROWS)
    width = min(max((c + cs for _, c, _, cs, _ in placed), default=0), MAX_COLS)
    rows = [[""] * width for _ in range(height)]
    sources: list[list[int | None]] = [[None] * width for _ in range(height)]
    for source, (r, c, row_span, col_span, text) in enumerate(placed):
        for rr in range(r, min(r + row_span, height)):
            for cc in range(c, min(c + col_span, width)):
                rows[rr][cc] = text
                sources[rr][cc] = source  # a spanned count is one count (Grid.cell_ids)
    keep = [i for i, row in enumerate(rows) if any(row)]
    return Grid(
        name=name,
        rows=[rows[i] for i in keep],
        row_numbers=[i + 1 for i in keep],
        caption=caption,
        cell_ids=[sources[i] for i in keep],
    )


def _caption_of(table: Any) -> str:
    caption = table.caption
    return fold(caption.text) if caption is not None else ""


def _tables(paragraphs: Iterable[Any], depth: int = 0) -> Iterable[tuple[Any, str]]:
    """(table, caption) in reading order, tables inside cells included (a one-cell
    table is often only the frame around the real one)."""
    recent: list[str] = []
    for paragraph in paragraphs:
        text = fold(paragraph.text)
        if text:
            recent = [*recent, text][-_CAPTION_LINES:]
        for table in paragraph.tables:
            own = _caption_of(table)
            yield table, " ".join(filter(None, [*recent, own]))
            recent = []
            if depth < MAX_DEPTH:
                for row in table.rows:
                    for cell in row.cells:
                        yield from _tables(cell.paragraphs, depth + 1)


def document_grids(document: Any) -> list[Grid]:
    grids: list[Grid] = []
    for section in document.sections:
        for table, caption in _tables(section.paragraphs):
            if len(grids) >= MAX_TABLES:
                raise ReaderError(f"document has more than {MAX_TABLES} tables")
            grid = table_grid(table, f"table {len(grids) + 1}", caption)
            grids.append(grid)
    return [g for g in grids if g.rows]


def open_document(opener: Callable[[], Any], what: str) -> tuple[list[Grid], list[Note]]:
    """Run the library's opener with its warnings kept as notes (an HWP control it could
    not convert), and any failure turned into a ReaderError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            document = opener()
            grids = document_grids(document)
        except ReaderError:
            raise
        except Exception as exc:  # the library raises its own types plus lxml/struct errors
            message = f"not a readable {what} document: {type(exc).__name__}: {exc}"
            raise ReaderError(message) from exc
    notes = [Note(f"{what}_partly_read", f"일부를 읽지 못함: {w.message}", what) for w in caught]
    return grids, notes
