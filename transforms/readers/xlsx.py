"""xlsx → Grids, after the zip guard and a scan of each sheet's cell addresses.

calamine allocates a sheet densely from its highest row and column: one cell at XFD1048576
aborts the whole process (an allocation failure, not an exception). So the sheet parts
are scanned for addresses first and a sheet over MAX_CELLS is refused. The same pass
finds formulas: a formula saved without a cached value (files written by scripts) or
holding an error (#REF!) reads as "", which may hide a number; each becomes a Note.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError
from transforms.readers.safety import member_chunks, open_zip, parse_xml, read_member
from transforms.readers.spreadsheet import read_workbook

MAX_CELLS = 10_000_000
MAX_TAG = 4096

_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ADDRESS = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,8})\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_ERROR = re.compile(rb"\bt=\"e\"")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class _Scan:
    rows: int = 0
    cols: int = 0
    cells: int = 0
    formulas: bool = False
    errors: bool = False
    refs: list[str] = field(default_factory=list)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _scan_chunk(scan: _Scan, text: bytes) -> None:
    scan.cells += len(_CELL.findall(text))
    for letters, digits in _ADDRESS.findall(text):
        scan.rows = max(scan.rows, int(digits))
        scan.cols = max(scan.cols, _column_number(letters))
    scan.formulas = scan.formulas or bool(_FORMULA.search(text))
    scan.errors = scan.errors or bool(_ERROR.search(text))


def _scan_part(book: zipfile.ZipFile, part: str, sheet: str) -> _Scan:
    """Cell count, highest address and formula presence, in bounded chunks; a tag cut by
    a chunk boundary is carried over whole into the next chunk."""
    scan = _Scan()
    carry = b""
    for chunk in member_chunks(book, part):
        text = carry + chunk
        cut = text.rfind(b"<")
        if cut >= 0 and text.find(b">", cut) < 0:
            text, carry = text[:cut], text[cut:]
            if len(carry) > MAX_TAG:
                raise ReaderError(f"sheet {sheet!r} has an XML tag over {MAX_TAG} bytes")
        else:
            carry = b""
        _scan_chunk(scan, text)
        if scan.cells > MAX_CELLS or scan.rows * scan.cols > MAX_CELLS:
            raise ReaderError(
                f"sheet {sheet!r} spans {scan.rows} rows × {scan.cols} columns "
                f"({scan.cells} cells so far); the limit is {MAX_CELLS} cells"
            )
    _scan_chunk(scan, carry)
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
                f"{where}: {len(uncached)} formula cell(s) saved without a value read as "
                f"empty ({', '.join(uncached[:10])})",
                where,
            )
        )
    if errors:
        notes.append(
            Note(
                "formula_error",
                f"{where}: {len(errors)} cell(s) hold an error value and read as empty "
                f"({', '.join(errors[:10])})",
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
    except (zipfile.BadZipFile, safe_et.ParseError, DefusedXmlException) as exc:
        raise ReaderError(f"not a readable xlsx workbook: {exc}") from exc
    return read_workbook(body, "xlsx"), notes
