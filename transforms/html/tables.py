"""HTML <table> → Grid, with rowspan/colspan expanded so every row stands on its own.

A cell that spans rows gives its value to every row it covers (parse-contract rule), which
is how per-department tables share one 담당부서 or 보관기간 over several camera rows. The
grid also records which source cell each position came from, because a count cell that
spans 13 places is one count for the group, not one per place.
"""

from __future__ import annotations

import re

from lxml import etree

from domain.text import fold
from transforms.grid import Grid
from transforms.html.dom import text_of

MAX_SPAN = 1000  # spans larger than this are mistakes or attacks; they are clipped
# Cells of a page's tables once spans are expanded, all tables together: real policy pages
# hold a few thousand; time grows with this, not with the page's bytes.
MAX_CELLS = 1_000_000
# Link labels inside cells ("설치위치보기", "자세히 보기") are navigation, not data.
_NAV_LABEL = re.compile(r"^\s*((자세히|더|위치|설치위치)\s*보기|바로\s*가기|다운로드|클릭|\+)\s*$")


def _cell_text(cell: etree._Element) -> str:
    """Text with <br> and block children as line breaks, folded to single spaces."""
    if len(cell) == 0:  # most cells: plain text, no markup inside
        return fold(cell.text)
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        if el.tag == "br":
            parts.append(" ")
        if el.text and el.tag != "br":
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag in ("p", "div", "li"):
                parts.append(" ")
            if not (child.tag == "a" and _NAV_LABEL.match(text_of(child))):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    return fold("".join(parts))


def _span(cell: etree._Element, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(MAX_SPAN, int(value.strip() or 1)))
    except ValueError:
        return 1


def _place(row: list[int | None], c: int, source: int) -> int:
    """Put `source` at column `c` unless a cell is there already; 1 when it was placed."""
    if c < len(row):
        if row[c] is not None:
            return 0
        row[c] = source
        return 1
    row.extend([None] * (c - len(row)))
    row.append(source)
    return 1


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """Rows of this table only, not of tables nested inside its cells."""
    if table.find(".//table") is None:  # most tables: every row is the table's own
        return list(table.iter("tr"))
    rows = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            rows.append(tr)
    return rows


def table_to_grid(table: etree._Element, name: str) -> Grid:
    return read_table(table, name, MAX_CELLS)[0]


def read_table(table: etree._Element, name: str, budget: int) -> tuple[Grid, int | None]:
    """The grid and, when it was cut, the source row it was cut at. `budget` bounds the
    cells of the expanded grid (rows × columns): spans multiply a few bytes of markup into
    thousands of cells, so a page's tables share one budget instead of each having its own.
    """
    caption_el = table.find("caption")
    caption = _cell_text(caption_el) if caption_el is not None else fold(table.get("summary"))
    # Each position holds the index of the source cell it was read from (texts[index]): one
    # small int per position, so knowing the copies costs no more memory than the texts did.
    # A row's list ends at its last filled position; None marks a gap a span left.
    rows = _own_rows(table)
    ids: list[list[int | None]] = [[] for _ in rows]
    filled = 0  # positions taken, all rows together: what the budget counts
    texts: list[str] = []
    header_flags: list[bool] = []
    in_thead: list[bool] = []
    cut: int | None = None
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        row = ids[r]
        cells = list(tr.iterchildren("td", "th"))  # filtered in libxml2, in order
        # all <th>: no <td> among the row's cells, asked of libxml2
        header_flags.append(bool(cells) and tr.find("td") is None)
        parent = tr.getparent()
        in_thead.append(parent is not None and parent.tag == "thead")
        for cell in cells:
            while c < len(row) and row[c] is not None:
                c += 1
            # most cells: plain text and no spans, read without a call per question
            text = _cell_text(cell) if len(cell) else " ".join((cell.text or "").split())
            if cell.get("rowspan") is None and cell.get("colspan") is None:
                # one position, free (see above): the row's end or a gap a span left
                if filled >= budget:
                    cut = r
                    break
                if c == len(row):
                    row.append(len(texts))
                else:
                    row[c] = len(texts)
                texts.append(text)
                filled += 1
                c += 1
                if c > width:
                    width = c
                continue
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            rowspan = min(rowspan, len(rows) - r)
            if filled + rowspan * colspan > budget:
                cut = r
                break
            source = len(texts)
            texts.append(text)
            for dr in range(rowspan):
                for dc in range(colspan):
                    filled += _place(ids[r + dr], c + dc, source)
            c += colspan
            if c > width:
                width = c
        if cut is None and (r + 1) * width > budget:
            cut = r
        if cut is not None:
            break
    kept = len(rows) if cut is None else cut
    width = max((len(row) for row in ids[:kept]), default=0)
    cell_ids = [row + [None] * (width - len(row)) for row in ids[:kept]]
    texts.append("")  # where no cell reaches: texts[-1]
    grid_rows = [[texts[-1 if i is None else i] for i in row] for row in cell_ids]
    header_flags, in_thead = header_flags[:kept], in_thead[:kept]
    if any(in_thead):
        header_rows = sum(1 for flag in in_thead if flag)
    else:
        header_rows = 0
        for flag in header_flags:
            if not flag:
                break
            header_rows += 1
    grid = Grid(
        name=name, rows=grid_rows, header_rows=header_rows, caption=caption, cell_ids=cell_ids
    )
    return grid, None if cut is None else cut + 1
