"""Header cells → canonical fields through the reviewed synonym table `maps/columns.csv`.

Layouts change between institutions and years; a reviewed mapping table absorbs that
instead of code branches. A header that maps to nothing is reported, never dropped quietly.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from domain.text import compact
from transforms.grid import Grid

_BRACKETS = re.compile(r"[\(\[（【][^\)\]）】]*[\)\]）】]")
_PUNCT = re.compile(r"[\s·:/,.\-_*※]")


def header_key(text: str) -> str:
    """The form headers are compared in: NFKC, no whitespace, no punctuation."""
    return _PUNCT.sub("", compact(text))


@cache
def synonyms() -> dict[str, str]:
    path = resources.files("transforms") / "maps" / "columns.csv"
    with path.open(encoding="utf-8") as fh:
        return {header_key(row["header"]): row["field"] for row in csv.DictReader(fh)}


# When no reviewed synonym matches, the words a header is made of decide, in this order.
# The reviewed table stays first: it holds the exceptions these rules would get wrong.
_KEYWORD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), field)
    for pattern, field in (
        (r"(보관|보존|저장|보유)(기간|일수)|보관일", "retention"),
        (r"(보관|보존|저장)(장소|위치|서버)", "storage_location"),
        (r"(촬영|녹화|운영|가동)(시간|시간대)", "recording_hours"),
        (r"대수|카메라수|수량|台|개수$", "camera_count"),
        (r"수탁|위탁(업체|기관|받는)|(유지보수|관리)업체", "contractor"),
        (r"(설치|촬영|운용|운영)?(위치|장소|지점)|주소|(구역|범위)$", "location"),
        (r"목적|용도", "purpose"),
        (r"책임자|관리자", "manager"),
        (r"연락처|전화", "phone"),
        (r"부서|기관명?$|시설명|공원명|건물명|사업소", "unit"),
    )
)


@lru_cache(maxsize=4096)
def map_header(text: str) -> str | None:
    """The field a header names; None when unknown. Tries the text with bracketed parts
    removed too, so "설치대수(대)" and "보관기간(일)" map like their plain forms, then the
    keyword rules ("카메라 수" → camera_count, "촬영 시간대" → recording_hours)."""
    table = synonyms()
    key = header_key(text)
    if not key:
        return None
    if key in table:
        return table[key]
    plain = header_key(_BRACKETS.sub("", text))
    if plain in table:
        return table[plain]
    if len(plain) > 16:  # a sentence, not a header
        return None
    return next((field for pattern, field in _KEYWORD_RULES if pattern.search(plain)), None)


@dataclass(frozen=True)
class ColumnMap:
    fields: dict[int, str]  # column index → field
    unmapped: list[tuple[int, str]]  # (column index, header text) of columns nobody claimed
    header_rows: int


def _column_headers(rows: list[list[str]], col: int) -> list[str]:
    seen: list[str] = []
    for row in rows:
        text = row[col].strip() if col < len(row) else ""
        if text and text not in seen:
            seen.append(text)
    return seen


def map_columns(grid: Grid, header_rows: int | None = None) -> ColumnMap:
    """Map each column by its most specific header cell first (the bottom one), then by the
    combined text, so a group header such as "영상정보의 관리" does not hide 보관기간."""
    n = grid.header_rows if header_rows is None else header_rows
    fields: dict[int, str] = {}
    unmapped: list[tuple[int, str]] = []
    taken: set[str] = set()
    # Weak headers (구분) claim a field only when no specific header does.
    order = sorted(range(grid.width), key=lambda c: _is_weak(grid.rows[:n], c))
    for col in order:
        texts = _column_headers(grid.rows[:n], col)
        field = None
        for candidate in [*reversed(texts), " ".join(texts)]:
            field = map_header(candidate)
            if field:
                break
        if field is None:
            if texts:
                unmapped.append((col, " / ".join(texts)))
            continue
        if field == "ignore":
            continue
        if field in taken:
            # A second column for the same field (e.g. 연락처 beside 관리책임자및연락처)
            # keeps the first; the second is reported rather than merged silently.
            unmapped.append((col, " / ".join(texts)))
            continue
        taken.add(field)
        fields[col] = field
    return ColumnMap(fields=dict(sorted(fields.items())), unmapped=sorted(unmapped), header_rows=n)


_WEAK = {"구분", "구역", "지역"}


def _is_weak(rows: list[list[str]], col: int) -> bool:
    return any(header_key(text) in _WEAK for text in _column_headers(rows, col))


def find_header_rows(rows: list[list[str]], scan: int = 20) -> tuple[int, int]:
    """(first header row, number of header rows) for grids whose header is not marked up:
    spreadsheets with title rows, or tables drawn with <td> only. (-1, 0) when none."""
    best = (-1, 0)
    for r, row in enumerate(rows[:scan]):
        hits = {map_header(cell) for cell in row if cell.strip()} - {None, "ignore"}
        if len(hits) >= 2:
            count = 1
            # A group header's sub-header row follows directly beneath it.
            while r + count < len(rows):
                below = rows[r + count]
                sub = {map_header(cell) for cell in below if cell.strip()} - {None}
                nonempty = [cell for cell in below if cell.strip()]
                if sub and len(sub) * 2 >= len(set(nonempty)):
                    count += 1
                else:
                    break
            return r, count
    return best
