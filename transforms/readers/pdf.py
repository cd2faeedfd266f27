"""PDF → Grids, one per ruled table per page ("page 2 table 1"), through pdfplumber.

Before any layout work the document is bounded: at most MAX_PAGES pages (counted by
walking the page tree, since /Count can lie), no page larger than the format's own
maximum, and each page's content streams inflated under a cap (pdfminer inflates a
stream whole). A merged cell comes back once with its full box; the box tells which
grid cells it covers, and they all get its text.
"""

from __future__ import annotations

import io
import zlib
from itertools import islice
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from transforms.grid import Grid
from transforms.readers.errors import ReaderError
from transforms.readers.safety import check_size
from transforms.text import fold

MAX_PAGES = 200
MAX_PAGE_SIDE = 14_400  # points: the largest page PDF 1.7 allows (200 inches)
MAX_PAGE_CONTENT = 16 * 1024 * 1024
CAPTION_ABOVE = 40  # points above a table searched for its title


def _stream_size(stream: Any, budget: int) -> int:
    """Decoded size of one content stream, inflating Flate data under `budget`."""
    raw = stream.rawdata if stream.rawdata is not None else b""
    filters = [f for f, _ in stream.get_filters()]
    if not filters or getattr(filters[0], "name", filters[0]) not in ("FlateDecode", "Fl"):
        return len(raw)
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, budget + 1)
    except zlib.error:
        return len(raw)  # pdfminer will make what it can of it, bounded by its size
    return len(out) if not inflater.unconsumed_tail else budget + 1


def _check_page(page: PDFPage, number: int) -> None:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width, height = abs(x1 - x0), abs(y1 - y0)
    if width > MAX_PAGE_SIDE or height > MAX_PAGE_SIDE:
        raise ReaderError(f"page {number} is {width:.0f}×{height:.0f} pt, over the limit")
    budget = MAX_PAGE_CONTENT
    for stream in page.contents or []:
        budget -= _stream_size(resolve1(stream), budget)
        if budget < 0:
            raise ReaderError(f"page {number} content inflates beyond {MAX_PAGE_CONTENT} bytes")


def _check_document(body: bytes) -> int:
    document = PDFDocument(PDFParser(io.BytesIO(body)))
    pages = list(islice(PDFPage.create_pages(document), MAX_PAGES + 1))
    if len(pages) > MAX_PAGES:
        raise ReaderError(f"PDF has more than {MAX_PAGES} pages")
    for number, page in enumerate(pages, start=1):
        _check_page(page, number)
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
