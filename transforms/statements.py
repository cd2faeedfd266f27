"""Page-level statements: what a policy says once for all its cameras (촬영시간, 보관기간,
보관장소), in prose ("보관기간 : 촬영일로부터 30일 이내"), definition lists, or small tables."""

from __future__ import annotations

import re

from transforms.columns import map_columns, map_header
from transforms.grid import Grid
from transforms.html.document import Document
from transforms.text import compact, fold

HOURS, RETENTION, STORAGE = "촬영시간", "보관기간", "보관장소"
_FIELDS = {"recording_hours": HOURS, "retention": RETENTION, "storage_location": STORAGE}
_KEY_VALUE = re.compile(
    r"^(?:[가-하]\.|\d{1,2}[.)]|[①-⑳]|[-·ㆍ*※○●▶■□◦•])?\s*"
    r"(?P<prefix>[^:：]{0,14}?)\s*"
    r"(?P<key>촬영\s*시간|녹화\s*시간|(?:영상\s*)?(?:보관|보존|보유|저장)\s*기간|"
    r"(?:영상\s*)?(?:보관|보존|저장)\s*장소|처리\s*방법)\s*[:：]\s*(?P<value>.+)$"
)
# A prefix that makes a statement about only part of the cameras (고정형 …, 이동형 …).
_SCOPED = re.compile(r"고정형|이동형|차량|드론|일부|청사|방범")


def statement_key(key: str) -> str:
    flat = compact(key)
    if "시간" in flat:
        return HOURS
    if "기간" in flat:
        return RETENTION
    if "장소" in flat:
        return STORAGE
    return flat


def from_lines(doc: Document) -> list[tuple[str, str, bool]]:
    """(key, value, scoped) for each prose statement; `scoped` when it speaks of a subset."""
    found = []
    for block in doc.blocks:
        if block.kind != "line":
            continue
        for part in re.split(r"(?<=[^\d])\s(?=[가-하]\.\s)", block.text):
            if m := _KEY_VALUE.match(part.strip()):
                prefix = m.group("prefix") or ""
                if prefix and not _SCOPED.search(prefix) and len(prefix) > 6:
                    continue  # a sentence that merely contains the word, not a statement
                found.append(
                    (
                        statement_key(m.group("key")),
                        fold(m.group("value")),
                        bool(_SCOPED.search(prefix)),
                    )
                )
    return found


_CORE = {"camera_count", "location", "purpose", "retention", "recording_hours", "storage_location"}


def transpose_if_vertical(grid: Grid) -> Grid | None:
    """A key/value table (`<th>설치대수</th><td>총 17 대</td>` down the page, in one or two
    column pairs) turned into one header row over one value row. Most rows must start with
    a known key, and the keys must name what cameras do, not just who runs them."""
    if grid.width not in (2, 4) or len(grid.rows) < 2 or grid.header_rows:
        return None
    keys, values, fields = [], [], set()
    for row in grid.rows:
        for k in range(0, grid.width, 2):
            field = map_header(row[k])
            if field not in (None, "ignore") and row[k + 1].strip():
                keys.append(row[k])
                values.append(row[k + 1])
                fields.add(field)
    if len(fields) < 2 or not fields & _CORE or len(keys) * 10 < len(grid.rows) * 6:
        return None
    return Grid(
        name=grid.name,
        rows=[keys, values],
        header_rows=1,
        row_numbers=[grid.row_numbers[0], grid.row_numbers[0]],
        caption=grid.caption,
    )


def from_tables(grids: list[Grid]) -> list[tuple[str, str, bool]]:
    """`촬영시간 | 보관기간 | 보관장소` over value rows, when the table has no camera counts."""
    found = []
    for grid in grids:
        if not grid.header_rows:
            continue
        fields = map_columns(grid).fields
        wanted = {c: f for c, f in fields.items() if f in _FIELDS}
        if len(wanted) < 2 or "camera_count" in fields.values():
            continue
        for row in grid.body:
            for col, f in wanted.items():
                if row[col].strip():
                    found.append((_FIELDS[f], fold(row[col]), False))
    return found


def page_defaults(statements: list[tuple[str, str, bool]]) -> dict[str, str]:
    """Values a page states once for all cameras: only unscoped, only when there is one."""
    defaults = {}
    for name, key in _FIELDS.items():
        values = {v for k, v, scoped in statements if k == key and not scoped}
        if len(values) == 1:
            defaults[name] = values.pop()
    return defaults
