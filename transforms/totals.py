"""Totals a page states, told apart from camera rows and checked against them.

A total row read as a camera row doubles a table's sum, and a regulator citing that sum is
misled; a total dropped silently hides a table that disagrees with itself. So total rows
(labelled 계/합계/총계/소계/전체, unlabelled, or equal to the sum of the rows above them)
are found here, never become camera rows, and what they state is kept as `stated_total`
and checked against the rows: a mismatch is a finding naming both numbers, not a choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.text import compact
from transforms.cells import down, matching, memo, rows_with, undecided
from transforms.grid import Grid
from transforms.issues import Issue
from transforms.values import parse_count

_QUOTES = "「」『』【】[]()<>〈〉《》\"'“”‘’"
TOTAL_LABEL = re.compile(r"^(총계|합계|소계|중계|누계|계|총|합|전체|총합)$")
_SUBTOTAL = re.compile(r"^(소계|중계)$")
# Fields that name what a row is; a row with none of them filled labels nothing.
LABEL_FIELDS = ("unit", "location", "purpose")
# A labelled row equal to the sum of this many rows above it is a total, not a coincidence.
_SUM_ROWS_LABELLED = 3
# "총 12대", "모두 5대", "총 15대를 운영", "카메라 대수 : 20대", "설치대수 총 9대", "설치 대수 및
# 위치 : 9대(…)" (text compacted).
_PROSE_TOTAL = re.compile(
    r"(?:총|모두|전체|합계|(?:설치|카메라|운영|CCTV)대수(?:및[가-힣]{1,6})?)[:=]?(?:총|모두)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{1,6})대(?!상|표|학|응|비|책|로|한|장)",
    re.IGNORECASE,
)
# Every count is written in 대 (U+B300). Besides 대 itself, only conjoining jamo and the
# characters NFKC turns into them (compatibility, parenthesised, circled, halfwidth jamo)
# can become 대 once normalised; text with none of them states no count.
_MAY_COUNT = re.compile("[대\u1100-\u11ff\u3130-\u318f\u3200-\u327f\uffa0-\uffdc]")


def may_state_count(text: str) -> bool:
    """False when `text` cannot state a count in 대 even after NFKC: a cheap test that
    lets long pages skip normalising and matching lines that hold no count."""
    return _MAY_COUNT.search(text) is not None


@dataclass(frozen=True)
class TotalRow:
    """A body row that states a total: `kind` is "grand" or "subtotal"; `reason` says why a
    row without a total label is one ("sum": it equals the rows above; "unlabelled": the
    table's last count, with nothing saying what it counts), so the call is never silent."""

    kind: str
    value: int | None
    row_ref: str
    reason: str | None = None


def is_total_label(text: str | None) -> bool:
    """계/합계/총계/소계/전체, whatever the spacing, width or brackets (「총 계」)."""
    return bool(TOTAL_LABEL.match(compact(text).strip(_QUOTES)))


def _is_subtotal(text: str) -> bool:
    return bool(text.strip()) and bool(_SUBTOTAL.match(compact(text).strip(_QUOTES)))


_TOTAL_CELL, _SUBTOTAL_CELL = 1, 2


# Plain text (ASCII and Hangul syllables) without one of these characters is no total label.
_MAY_LABEL = re.compile(r"[계총합전]|[^\x00-\x7f가-힣]")


def _label_bits(text: str) -> int:
    """Whether a cell labels its row a total (계, 합계, 「총 계」) and a subtotal (소계)."""
    if not text.strip() or _MAY_LABEL.search(text) is None:
        return 0
    return (_TOTAL_CELL if is_total_label(text) else 0) | (
        _SUBTOTAL_CELL if _is_subtotal(text) else 0
    )


def _named(text: str) -> bool:
    return bool(text.strip())


def total_rows(grid: Grid, fields: dict[int, str]) -> dict[int, TotalRow]:
    """Body rows (by index in `grid.body`) that are totals. `fields` maps columns to contract
    fields. Rows sharing one spanned count cell count once toward a sum. Worked out once
    per grid and mapping: the camera rows and the table's total check both ask."""
    key = ("total_rows", tuple(fields.items()))
    if key not in grid.derived:
        grid.derived[key] = _total_rows(grid, fields)
    return grid.derived[key]


def _total_rows(grid: Grid, fields: dict[int, str]) -> dict[int, TotalRow]:
    count_col = next((c for c, f in fields.items() if f == "camera_count"), None)
    body = grid.body
    if count_col is None or len(body) < 2:
        return {}
    label_cols = [c for c, f in fields.items() if f in LABEL_FIELDS]
    # Columns that could say what a row counts: its labels and any column left unmapped.
    naming = [
        c
        for c in range(grid.width)
        if c != count_col and fields.get(c, "") in (*LABEL_FIELDS, "", "ignore")
    ]
    # Per row, worked out column by column: its total/subtotal labels, whether any naming
    # cell is filled, and its count.
    cells = list(zip(*body, strict=True))
    labels = [0] * len(body)
    for column in cells:
        said = {text: bits for text in matching(column, _MAY_LABEL) if (bits := _label_bits(text))}
        for index in rows_with(column, set(said)):
            labels[index] |= said[column[index]]
    blank_rows = set(undecided(len(body), [cells[c] for c in naming], memo(_named)))
    counts = down(cells[count_col], memo(parse_count))
    ids = [row[count_col] for row in grid.cell_ids[grid.header_rows :]]
    found: dict[int, TotalRow] = {}
    counted: list[tuple[int, bool]] = []  # (index, blank labels) of rows with a count
    group_sum = group_rows = 0
    seen: set[int | None] = set()
    for index, count in enumerate(counts):
        if count.is_total or labels[index] & _TOTAL_CELL:
            sub = bool(labels[index] & _SUBTOTAL_CELL)
            value = count.value
            if value is None:  # the label sits in the count column: 계 | 8대
                row = body[index]
                value = next((v for c in row if (v := parse_count(c).value) is not None), None)
            found[index] = TotalRow("subtotal" if sub else "grand", value, grid.row_ref(index))
            if sub:
                group_sum = group_rows = 0
            continue
        if count.value is None:
            continue
        source = ids[index]
        if source is not None:
            if source in seen:
                continue
            seen.add(source)
        blank = index in blank_rows
        if (
            group_rows
            and count.value == group_sum
            and (blank or _copied(grid, grid.header_rows + index, label_cols))
        ):
            found[index] = TotalRow("grand", count.value, grid.row_ref(index), reason="sum")
            continue
        counted.append((index, blank))
        group_sum += count.value
        group_rows += 1
    # The table's last counted row, unlabelled or equal to three or more rows above it.
    if counted:
        index, blank = counted[-1]
        value = counts[index].value or 0
        above = sum(counts[i].value or 0 for i, _ in counted[:-1])
        if (blank and len(counted) > 1) or (len(counted) > _SUM_ROWS_LABELLED and value == above):
            reason = "unlabelled" if blank and value != above else "sum"
            found[index] = TotalRow("grand", value, grid.row_ref(index), reason=reason)
    return found


def _copied(grid: Grid, at: int, label_cols: list[int]) -> bool:
    """Every label cell of row `at` is the spanned cell of the row above it."""
    return at > 0 and all(
        grid.source_cell(at, c) is not None
        and grid.source_cell(at, c) == grid.source_cell(at - 1, c)
        for c in label_cols
    )


def stated_in_table(totals: dict[int, TotalRow]) -> TotalRow | None:
    """What a table states as its total: its last grand-total row, or failing that the sum
    of its subtotals (a table of 소계 rows only)."""
    grand = [t for t in totals.values() if t.kind == "grand" and t.value is not None]
    if grand:
        return grand[-1]
    subs = [t for t in totals.values() if t.kind == "subtotal"]
    if subs and all(t.value is not None for t in subs):
        return TotalRow("grand", sum(t.value or 0 for t in subs), subs[-1].row_ref)
    return None


def stated_in_text(lines: list[str]) -> list[tuple[int, str]]:
    """Totals stated in prose ("총 12대", "모두 5대", "카메라 대수 : 20대"), each with the
    line it came from; template numbers (00대) and zero are not totals."""
    found = []
    for line in lines:
        if not may_state_count(line):
            continue
        for m in _PROSE_TOTAL.finditer(compact(line)):
            digits = m.group("num").replace(",", "")
            if digits.startswith("0"):
                continue
            found.append((int(digits), line))
    return found


def rows_sum(cameras: list[dict]) -> int:
    """Cameras the rows count: template rows and rows without a number count nothing."""
    return sum(c["camera_count"] or 0 for c in cameras if not c["is_template"])


def mismatch(stated: int, counted: int, where: str, page: str | None) -> Issue | None:
    """The warning a regulator needs when a page's stated total and its rows disagree."""
    if stated == counted:
        return None
    return Issue(
        "warning",
        "stated_total_mismatch",
        f"{f'문서({page})' if page else '문서'}에 적힌 합계 {stated:,}대({where})가 카메라 행의 "
        f"합 {counted:,}대와 다름",
        where,
    )


def page_total(prose: list[tuple[int, str]]) -> tuple[int | None, list[Issue]]:
    """The one total the page's text states. Several different totals are either parts and
    their sum (고정형 총 10대 … 이동형 총 2대 … 총 12대) or a disagreement, reported."""
    values = list(dict.fromkeys(v for v, _ in prose))
    if not values:
        return None, []
    if len(values) == 1:
        return values[0], []
    largest = max(values)
    if largest == sum(values) - largest:
        return largest, []
    listed = ", ".join(f"{v:,}대" for v in values)
    return None, [
        Issue(
            "warning",
            "stated_totals_differ",
            f"본문에 서로 다른 카메라 합계({listed})가 적혀 있어 어느 것도 문서의 합계로 보지 않음",
        )
    ]


def table_check(
    grid: Grid, fields: dict[int, str], rows: list[dict], page: str | None
) -> tuple[int | None, list[Issue]]:
    """The total one inventory table states, checked against that table's own rows."""
    counts = [r["camera_count"] for r in rows]
    return counts_check(grid, fields, counts, [r["is_template"] for r in rows], page)


def counts_check(
    grid: Grid,
    fields: dict[int, str],
    counts: list[int | None],
    templates: list[bool],
    page: str | None,
) -> tuple[int | None, list[Issue]]:
    """`table_check` of rows given as their camera_count and is_template columns."""
    stated = stated_in_table(total_rows(grid, fields))
    if stated is None or stated.value is None:
        return None, []
    if all(templates):
        return stated.value, []
    counted = sum(c or 0 for c, t in zip(counts, templates, strict=True) if not t)
    issue = mismatch(stated.value, counted, stated.row_ref, page)
    return stated.value, [] if issue is None else [issue]
