"""CSV → Grid: encoding detected (CP949 or UTF-8, BOM or not), any line ending, quoted
newlines kept inside their cell."""

from __future__ import annotations

import csv
import io

from transforms.encoding import decode_text
from transforms.grid import Grid
from transforms.text import nfkc


def read_csv(body: bytes, declared_charset: str | None = None) -> tuple[list[Grid], bool]:
    """The grid and whether decoding had to replace bytes."""
    decoded = decode_text(body, declared_charset)
    text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows = [[nfkc(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    keep = [i for i, row in enumerate(rows) if any(row)]
    grid = Grid(name="csv", rows=[rows[i] for i in keep], row_numbers=[i + 1 for i in keep])
    return [grid], decoded.lossy
