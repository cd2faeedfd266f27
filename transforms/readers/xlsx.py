"""xlsx → Grids, after the zip guard and a scan of each sheet's cell addresses.

calamine allocates a sheet densely from its highest row and column: one cell at XFD1048576
aborts the whole process (an allocation failure, not an exception). So every sheet part is
scanned first, decoded as an XML parser decodes it, with calamine's own rules for where a
cell lands: a `<row>` or `<c>` without an address follows the one before it, addresses
may be quoted either way, spaced, or lower case. A sheet whose rows × columns (or whose
declared dimension) exceed MAX_CELLS is refused. The same pass finds formulas: a formula
saved without a cached value (files written by scripts) or holding an error (#REF!) reads
as "", which may hide a number; each becomes a Note.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError
from transforms.readers.safety import member_chunks, open_zip, parse_xml, read_member, xml_text
from transforms.readers.spreadsheet import MAX_CELLS, read_workbook

MAX_TAG = 4096

_TAG = re.compile(r"<(?:[\w.-]+:)?(row|c|dimension)(?=[\s/>])([^>]*)>")
_ATTRIBUTE = re.compile(r"""(?:^|\s)(r|ref)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ADDRESS = re.compile(r"\s*([A-Za-z]*)([0-9]*)\s*")
_FORMULA = re.compile(r"<(?:[\w.-]+:)?f[\s/>]")
_ERROR = re.compile(r"""\bt\s*=\s*["']e["']""")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class _Scan:
    """Where the cells of one sheet land, as calamine will place them (1-based)."""

    sheet: str
    rows: int = 0  # highest row any cell or row lands on
    cols: int = 0  # highest column
    cells: int = 0
    row: int = 0  # the current row
    next_col: int = 1  # where the next unaddressed cell goes
    formulas: bool = False
    errors: bool = False

    def _address(self, value: str) -> tuple[int, int]:
        """(row, column) of "XFD1048576"; row or column 0 where the part is missing."""
        match = _ADDRESS.fullmatch(value)
        if match is None or len(value) > 64:
            raise ReaderError(f"sheet {self.sheet!r} has an unreadable cell address {value!r}")
        column = 0
        for ch in match.group(1).upper():
            column = column * 26 + ord(ch) - 64
        return int(match.group(2) or 0), column

    def tag(self, name: str, attributes: str) -> None:
        found = {
            m.group(1): m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(attributes)
        }
        if name == "dimension":
            corners = [self._address(part) for part in found.get("ref", "").split(":")]
            self.check(max(r for r, _ in corners), max(c for _, c in corners), "declares")
        elif name == "row":
            self.row = self._address(found["r"])[0] if "r" in found else self.row + 1
            self.next_col = 1
            self.rows = max(self.rows, self.row)
        else:
            self.cells += 1
            if "r" in found:
                row, col = self._address(found["r"])
                self.rows = max(self.rows, row)
            else:
                col = self.next_col
            self.next_col = col + 1
            self.cols = max(self.cols, col)

    def check(self, rows: int, cols: int, verb: str = "spans") -> None:
        if self.cells > MAX_CELLS or rows * cols > MAX_CELLS:
            raise ReaderError(
                f"sheet {self.sheet!r} {verb} {rows} rows × {cols} columns "
                f"({self.cells} cells so far); the limit is {MAX_CELLS} cells"
            )

    def read(self, text: str) -> None:
        for match in _TAG.finditer(text):
            self.tag(match.group(1), match.group(2))
            self.check(self.rows, self.cols)
        self.formulas = self.formulas or bool(_FORMULA.search(text))
        self.errors = self.errors or bool(_ERROR.search(text))


def _scan_part(book: zipfile.ZipFile, part: str, sheet: str) -> _Scan:
    """Cell positions and formula presence, in bounded pieces; a tag cut by a piece
    boundary is carried over whole into the next piece."""
    scan = _Scan(sheet)
    carry = ""
    for chunk in xml_text(member_chunks(book, part), part, "xlsx"):
        text = carry + chunk
        cut = text.rfind("<")
        if cut >= 0 and text.find(">", cut) < 0:
            text, carry = text[:cut], text[cut:]
            if len(carry) > MAX_TAG:
                raise ReaderError(f"sheet {sheet!r} has an XML tag over {MAX_TAG} bytes")
        else:
            carry = ""
        scan.read(text)
    scan.read(carry)
    return scan


def _sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for every sheet the workbook lists."""
    try:
        workbook = parse_xml(read_member(book, "xl/workbook.xml"), "xl/workbook.xml")
        rels = parse_xml(
            read_member(book, "xl/_rels/workbook.xml.rels"), "xl/_rels/workbook.xml.rels"
        )
    except KeyError as exc:
        raise ReaderError(f"not an xlsx workbook: {exc}") from exc
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = set(book.namelist())
    parts = []
    for sheet in workbook.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        part = targets.get(sheet.get(_REL), "")
        if part in names:
            parts.append((sheet.get("name", ""), part))
    return parts


def _formula_notes(book: zipfile.ZipFile, part: str, sheet: str) -> list[Note]:
    uncached: list[str] = []
    errors: list[str] = []
    for _, cell in safe_et.iterparse(io.BytesIO(read_member(book, part)), forbid_dtd=True):
        if cell.tag.rsplit("}", 1)[-1] != "c":
            continue
        children = {child.tag.rsplit("}", 1)[-1]: child for child in cell}
        value = children.get("v")
        ref = cell.get("r", "?")
        if cell.get("t") == "e":
            errors.append(f"{ref} {value.text if value is not None else ''}".strip())
        elif "f" in children and (value is None or not (value.text or "").strip()):
            uncached.append(ref)
        cell.clear()
    where = f"sheet {sheet}"
    notes = []
    if uncached:
        notes.append(
            Note(
                "formula_uncached",
                f"계산값 없이 저장된 수식 칸 {len(uncached):,}개를 빈 칸으로 읽음"
                f"({where}: {', '.join(uncached[:10])})",
                where,
            )
        )
    if errors:
        notes.append(
            Note(
                "formula_error",
                f"오류 값이 든 칸 {len(errors):,}개를 빈 칸으로 읽음"
                f"({where}: {', '.join(errors[:10])})",
                where,
            )
        )
    return notes


def read_xlsx(body: bytes) -> tuple[list[Grid], list[Note]]:
    book = open_zip(body, "xlsx")
    notes: list[Note] = []
    try:
        for sheet, part in _sheet_parts(book):
            scan = _scan_part(book, part, sheet)
            if scan.formulas or scan.errors:
                notes.extend(_formula_notes(book, part, sheet))
    except ReaderError:
        raise
    except (zipfile.BadZipFile, safe_et.ParseError, DefusedXmlException, ValueError) as exc:
        raise ReaderError(f"not a readable xlsx workbook: {exc}") from exc
    return read_workbook(body, "xlsx"), notes
