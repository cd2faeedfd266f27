"""CSV → Grid: encoding detected (CP949 or UTF-8, BOM or not), any line ending (the 마포구
file uses bare CR), quoted newlines and TABs kept inside their cell.

Bytes invalid in the chosen encoding are replaced and reported, never fatal: one broken
byte should not hide thousands of good rows. Binary data is refused, since a sniffed
"csv" that is mostly control characters is some other format.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from domain.text import fold
from transforms.encoding import decode_text
from transforms.grid import Grid
from transforms.readers.errors import Note, ReaderError
from transforms.readers.safety import MAX_COLUMNS, check_size, csv_field_limit

MAX_CELLS = 10_000_000
DELIMITERS = ",\t;|"
_SAMPLE_RECORDS = 50
_BINARY_SHARE = 0.05


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1a")


def _binary_share(body: bytes) -> float:
    """Share of control bytes, which no CP949 or UTF-8 text holds (random data: ~10%)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 0.0  # UTF-16 text is full of NULs
    sample = body[:100_000]
    return (len(sample) - len(sample.translate(None, _CONTROL))) / max(len(sample), 1)


def _folded(row: list[str]) -> bool:
    """True when every cell is already as `fold` keeps it: no whitespace but single spaces
    between words. One test on the joined row settles most rows; a cell that starts or
    ends with a space, holds two in a row, or any other whitespace (never printable) makes
    the row's cells folded one by one."""
    joined = "|".join(row)
    return (
        joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )


def _all_folded(text: str, delimiter: str) -> bool:
    """True when no cell of the file needs `fold`, told from the text as a whole: without
    quotes every line break ends a record and every delimiter ends a cell, so a cell that
    starts or ends with a space, holds two in a row or other whitespace shows in the text."""
    return (
        '"' not in text
        and "  " not in text
        and f" {delimiter}" not in text
        and f"{delimiter} " not in text
        and " \n" not in text
        and "\n " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
        and text.replace("\n", "").replace(delimiter, "").isprintable()
    )


def _decode(body: bytes, declared: str | None) -> tuple[str, str, bool]:
    """(text, encoding, lossy). When no encoding reads the bytes cleanly, the one that
    replaces the fewest characters wins: a UTF-8 file with two broken bytes stays UTF-8
    instead of turning into CP949 mojibake throughout."""
    decoded = decode_text(body, declared)
    if not decoded.lossy:
        return decoded.text, decoded.encoding, False
    candidates = [(decoded.text, decoded.encoding)] + [
        (body.decode(name, errors="replace"), name) for name in ("utf-8", "cp949")
    ]
    text, encoding = min(candidates, key=lambda c: c[0].count("\ufffd"))
    return text, encoding, True


def _delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most columns, most
    consistently. csv.Sniffer picks TAB on files whose quoted cells hold TABs."""
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text[:200_000]), delimiter=delimiter)
        widths: Counter[int] = Counter()
        try:
            for _, row in zip(range(_SAMPLE_RECORDS), reader, strict=False):
                if any(row):
                    widths[len(row)] += 1
        except csv.Error:
            continue
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        score = count * (width > 1) * width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str) -> tuple[list[list[str]], int]:
    """The records, each cut at MAX_COLUMNS, and the widest record's width."""
    rows: list[list[str]] = []
    cells = widest = 0
    folded = _all_folded(text, delimiter)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            width = len(row)
            if width > widest:
                widest = width
            if width > MAX_COLUMNS:
                row = row[:MAX_COLUMNS]  # cut here: bounded memory
            rows.append(row if folded or _folded(row) else [fold(c) for c in row])
            cells += width
            if cells > MAX_CELLS:
                raise ReaderError(f"csv has more than {MAX_CELLS} cells")
    except csv.Error as exc:
        raise ReaderError(f"not a readable csv (record {len(rows) + 1}): {exc}") from exc
    return rows, widest


def read_csv(body: bytes, declared_charset: str | None = None) -> tuple[list[Grid], list[Note]]:
    """The grid and notes (bytes replaced while decoding). Row numbers count records, as a
    spreadsheet program shows them, so a quoted newline does not shift later rows."""
    check_size(body, "csv")
    if _binary_share(body) > _BINARY_SHARE:
        raise ReaderError("not CSV text: control bytes throughout (binary data)")
    text, encoding, lossy = _decode(body, declared_charset)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    if lossy:
        notes.append(
            Note(
                "encoding_lossy",
                f"문자 인코딩({encoding})에 맞지 않는 바이트를 대체 문자(U+FFFD)로 바꿈"
                f"({text.count(chr(0xFFFD)):,}자)",
                "csv",
            )
        )
    with csv_field_limit():
        delimiter = _delimiter(text)
        rows, widest = _records(text, delimiter)
    if widest > MAX_COLUMNS:
        notes.append(
            Note(
                "columns_truncated",
                f"CSV 레코드의 열이 최대 {widest:,}개라 레코드마다 앞의 {MAX_COLUMNS:,}개만 읽음",
                "csv",
            )
        )
    keep = [i for i, row in enumerate(rows) if any(row)]
    if not keep:
        raise ReaderError("csv holds no values")
    grid = Grid(name="csv", rows=[rows[i] for i in keep], row_numbers=[i + 1 for i in keep])
    return [grid], notes
