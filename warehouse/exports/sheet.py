"""One worksheet of the regulators' workbook, written with openpyxl: a header row that
stays in view, an auto filter, and conditional formats, so the colours follow when someone
edits or re-sorts the sheet. Every text cell can only ever be text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.constants import KST
from domain.text import display_width
from warehouse.exports.shared import inert

RED = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
ORANGE = PatternFill(fill_type="solid", start_color="FFD8A8", end_color="FFD8A8")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
_WRAPPED = Alignment(vertical="top", wrap_text=True)
DATETIME = "yyyy-mm-dd hh:mm:ss"
INTEGER = "#,##0"  # counts as numbers a spreadsheet sums, shown as 2,855


@dataclass
class Sheet:
    """What one worksheet shows: headers, rows and the rules that colour them."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    formats: dict[str, str] = field(default_factory=dict)  # header → number format
    retention: tuple[str, ...] = ()  # headers coloured > 30 orange, > 365 red
    required: tuple[str, ...] = ()  # headers coloured < 7 orange, < 5 red
    ratio: tuple[str, ...] = ()  # headers coloured outside 0.5–1.2 orange
    notes: dict[str, str] = field(default_factory=dict)  # header → comment
    preamble: list[tuple[str, Any]] = field(default_factory=list)  # rows above the header
    wrap: tuple[str, ...] = ()  # headers whose long text wraps within the column width


def excel_time(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel cells hold no time zone: KST wall-clock time, said in the header."""
    return moment.astimezone(KST).replace(tzinfo=None, microsecond=0) if moment else None


def _display_width(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 19
    return display_width("" if value is None else str(value))


def _colour(ws: Worksheet, sheet: Sheet, first: int, last: int) -> None:
    """Conditional formats on whole data columns; blank cells never match (ISNUMBER)."""
    for header in sheet.headers:
        letter = get_column_letter(sheet.headers.index(header) + 1)
        cells, top = f"{letter}{first}:{letter}{last}", f"{letter}{first}"
        if header in sheet.retention:
            ws.conditional_formatting.add(
                cells,
                CellIsRule(operator="greaterThan", formula=["365"], fill=RED, stopIfTrue=True),
            )
            ws.conditional_formatting.add(
                cells, CellIsRule(operator="greaterThan", formula=["30"], fill=ORANGE)
            )
        if header in sheet.required:
            ws.conditional_formatting.add(
                cells,
                FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<5)"], fill=RED, stopIfTrue=True),
            )
            ws.conditional_formatting.add(
                cells, FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<7)"], fill=ORANGE)
            )
        if header in sheet.ratio:
            ws.conditional_formatting.add(
                cells,
                FormulaRule(formula=[f"AND(ISNUMBER({top}),OR({top}<0.5,{top}>1.2))"], fill=ORANGE),
            )


# Excel holds at most 32,767 characters in a cell and repairs (truncates) a longer one.
EXCEL_CELL_CHARS = 32_767


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """One cell, with text that can only ever be text.

    openpyxl makes a string starting with `=` a formula and one like `#N/A` an error
    value, and refuses control characters XML cannot hold; crawled text may be any of
    these. So text is made inert, its XML-illegal characters written as `\\xNN`, cut to
    Excel's cell limit, and the cell typed as a string whatever openpyxl guessed."""
    if not isinstance(value, str):
        return ws.cell(row, col, value)
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", inert(value))
    if len(text) > EXCEL_CELL_CHARS:
        text = text[: EXCEL_CELL_CHARS - 1] + "…"
    cell = ws.cell(row, col)
    cell.value = text
    cell.data_type = "s"
    return cell


def write_sheet(wb: Workbook, sheet: Sheet) -> Worksheet:
    ws = wb.create_sheet(sheet.title)
    for row, (label, value) in enumerate(sheet.preamble, start=1):
        _put(ws, row, 1, label).font = Font(bold=True)
        cell = _put(ws, row, 2, value)
        if isinstance(value, dt.datetime):
            cell.number_format = DATETIME
    header_row = len(sheet.preamble) + 1 + (1 if sheet.preamble else 0)
    for col, header in enumerate(sheet.headers, start=1):
        cell = _put(ws, header_row, col, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if header in sheet.notes:
            cell.comment = Comment(sheet.notes[header], "cctv export")
    for r, values in enumerate(sheet.rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = _put(ws, r, col, value)
            if sheet.headers[col - 1] in sheet.formats and value is not None:
                cell.number_format = sheet.formats[sheet.headers[col - 1]]
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = INTEGER
            if sheet.headers[col - 1] in sheet.wrap:
                cell.alignment = _WRAPPED
    last_col = get_column_letter(max(len(sheet.headers), 1))
    last_row = header_row + len(sheet.rows)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    _colour(ws, sheet, header_row + 1, max(last_row, header_row + 1))
    for col, header in enumerate(sheet.headers, start=1):
        widths = [_display_width(header), *(_display_width(r[col - 1]) for r in sheet.rows)]
        if col == 1:  # the preamble's values may spill over into empty cells; labels not
            widths += [_display_width(label) for label, _ in sheet.preamble]
        ws.column_dimensions[get_column_letter(col)].width = min(max(widths) + 2, 60)
    return ws
