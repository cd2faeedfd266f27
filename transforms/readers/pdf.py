"""PDF → Grids, one per ruled table per page ("page 2 table 1"), through pdfplumber.

Before any layout work the document is bounded: at most MAX_PAGES pages (counted by
walking the page tree, since /Count can lie), no page larger than the format's own
maximum, and the content each page draws bounded in bytes, with every form XObject
counted each time it is drawn (recursively, to MAX_FORM_DEPTH): a small form drawn a
thousand times by a form drawn a thousand times is a billion operators for pdfplumber,
which keeps an object per glyph and per line (measured: ~13-22 s and 1-2 GB per MB of
drawing operators). Streams are inflated under the cap, since pdfminer inflates a stream
whole. A merged cell comes back once with its full box; the box tells which grid cells
it covers, and they all get its text.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from itertools import islice
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from domain.text import fold
from transforms.grid import Grid
from transforms.readers.errors import ReaderError
from transforms.readers.safety import check_size

MAX_PAGES = 200
MAX_PAGE_SIDE = 14_400  # points: the largest page PDF 1.7 allows (200 inches)
# What one page draws, forms expanded: a dense real table page draws ~25 KB.
MAX_PAGE_CONTENT = 1024 * 1024
MAX_DOCUMENT_CONTENT = 8 * 1024 * 1024
MAX_FORM_DEPTH = 12
CAPTION_ABOVE = 40  # points above a table searched for its title

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _decoded(stream: Any, budget: int) -> bytes:
    """A stream's decoded bytes, Flate data inflated no further than `budget` + 1."""
    raw = stream.rawdata if stream.rawdata is not None else b""
    filters = [getattr(f, "name", f) for f, _ in stream.get_filters()]
    if not filters:
        return raw
    if filters == ["FlateDecode"] or filters == ["Fl"]:
        inflater = zlib.decompressobj()
        try:
            return inflater.decompress(raw, budget + 1)
        except zlib.error:
            return raw  # pdfminer will make what it can of it, bounded by its size
    return stream.get_data() or b""


def _name(raw: bytes) -> str:
    return _NAME_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), raw).decode("latin-1")


class _Drawing:
    """What one page draws, in bytes of content, each form counted where it is drawn."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.forms: dict[object, int] = {}  # a form's expanded size, measured once

    def refuse(self, why: str) -> ReaderError:
        return ReaderError(f"page {self.number} {why}")

    def size(self, data: bytes, resources: Any, depth: int = 0, drawing: tuple = ()) -> int:
        total = len(data)
        if total > MAX_PAGE_CONTENT:
            raise self.refuse(f"content inflates beyond {MAX_PAGE_CONTENT} bytes")
        xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
        for raw, times in Counter(_DO.findall(data)).items():
            name = _name(raw)
            ref = xobjects.get(name)
            form = resolve1(ref)
            if (
                not isinstance(form, PDFStream)
                or getattr(form.get("Subtype"), "name", None) != "Form"
            ):
                continue
            key = getattr(ref, "objid", None) or id(form)
            if key in drawing:
                raise self.refuse(f"has a form XObject that draws itself (/{name})")
            if depth >= MAX_FORM_DEPTH:
                raise self.refuse(f"nests form XObjects deeper than {MAX_FORM_DEPTH} levels")
            if key not in self.forms:
                inner = form.get("Resources") or resources
                self.forms[key] = self.size(
                    _decoded(form, MAX_PAGE_CONTENT), inner, depth + 1, (*drawing, key)
                )
            total += times * self.forms[key]
            if total > MAX_PAGE_CONTENT:
                raise self.refuse(
                    f"draws more than {MAX_PAGE_CONTENT} bytes of content once its form "
                    f"XObjects are drawn where they are used (/{name} drawn {times} times): "
                    "a form XObject bomb"
                )
        return total


def _check_page(page: PDFPage, number: int) -> int:
    """The page's drawn content size; ReaderError when the page is over a limit."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width, height = abs(x1 - x0), abs(y1 - y0)
    if width > MAX_PAGE_SIDE or height > MAX_PAGE_SIDE:
        raise ReaderError(f"page {number} is {width:.0f}×{height:.0f} pt, over the limit")
    drawing = _Drawing(number)
    total = 0
    for stream in page.contents or []:
        data = _decoded(resolve1(stream), MAX_PAGE_CONTENT - total)
        total += drawing.size(data, page.resources)
        if total > MAX_PAGE_CONTENT:
            raise drawing.refuse(f"content inflates beyond {MAX_PAGE_CONTENT} bytes")
    return total


def _check_document(body: bytes) -> int:
    document = PDFDocument(PDFParser(io.BytesIO(body)))
    pages = list(islice(PDFPage.create_pages(document), MAX_PAGES + 1))
    if len(pages) > MAX_PAGES:
        raise ReaderError(f"PDF has more than {MAX_PAGES} pages")
    total = 0
    for number, page in enumerate(pages, start=1):
        total += _check_page(page, number)
        if total > MAX_DOCUMENT_CONTENT:
            raise ReaderError(
                f"PDF draws more than {MAX_DOCUMENT_CONTENT} bytes of content by page {number}"
            )
    return len(pages)


def _edges(values: list[float]) -> dict[float, int]:
    return {v: i for i, v in enumerate(sorted({round(v, 1) for v in values}))}


def _table_rows(table: Any) -> list[list[str]]:
    texts = table.extract()
    boxes = [c for c in table.cells if c is not None]
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    rows = [[""] * max(len(xs) - 1, 0) for _ in range(max(len(ys) - 1, 0))]
    for row, row_texts in zip(table.rows, texts, strict=False):
        for box, text in zip(row.cells, row_texts, strict=False):
            if box is None:
                continue
            c0, c1 = xs[round(box[0], 1)], xs[round(box[2], 1)]
            r0, r1 = ys[round(box[1], 1)], ys[round(box[3], 1)]
            for r in range(r0, r1):
                for c in range(c0, c1):
                    rows[r][c] = fold(text)
    return rows


def _caption(page: Any, top: float) -> str:
    if top <= 1:
        return ""
    above = page.crop((0, max(0.0, top - CAPTION_ABOVE), page.width, top), strict=False)
    return fold(above.extract_text() or "")


def read_pdf(body: bytes) -> list[Grid]:
    check_size(body, "pdf")
    grids = []
    try:
        count = _check_document(body)
        with pdfplumber.open(io.BytesIO(body), pages=list(range(1, count + 1))) as pdf:
            for page in pdf.pages:
                for index, table in enumerate(page.find_tables(), start=1):
                    rows = _table_rows(table)
                    keep = [i for i, row in enumerate(rows) if any(row)]
                    grids.append(
                        Grid(
                            name=f"page {page.page_number} table {index}",
                            rows=[rows[i] for i in keep],
                            row_numbers=[i + 1 for i in keep],
                            caption=_caption(page, table.bbox[1]),
                        )
                    )
                page.close()
    except ReaderError:
        raise
    except Exception as exc:  # pdfminer raises PSEOF, PDFSyntaxError, KeyError, …
        raise ReaderError(f"not a readable pdf: {type(exc).__name__}: {exc}") from exc
    return [g for g in grids if g.rows]
