"""Inventory grids → camera rows of the contract, one per table or sheet row.

A row keeps its raw cell text next to every parsed value (`purpose_raw`, `retention_raw`)
so that a reviewer can always see what the number came from. Template rows (○○, 00대,
예시) are kept and flagged but never carry numbers.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from domain.constants import KOREA_LAT, KOREA_LON
from domain.text import clean_cell, compact
from transforms.cells import down, flat, flats, matching, memo, rows_with, undecided
from transforms.columns import ColumnMap, find_header_rows, map_columns, map_header
from transforms.grid import Grid
from transforms.issues import Issue
from transforms.people import has_masked_name
from transforms.totals import TotalRow, total_rows
from transforms.values import (
    classify_purpose,
    is_placeholder,
    normalize_phone,
    parse_count,
    parse_recording_hours,
    parse_retention,
)
from transforms.values.placeholders import MAY_HOLD_MARKER

_TOTAL_LABEL = re.compile(r"^(총계|합계|소계|누계|계|총|합|전체)$")
_MOBILE = re.compile(
    r"탑재|차량용|차량부착|이동형|드론|바디캠|웨어러블|착용형|휴대형|이동식|블랙박스|순찰차|단속차량"
    r"|차량내부|통학차량|관용차|버스(?!정류|승강|터미널|쉘터|정차|노선|전용|정책)"
)
_EXAMPLE = re.compile(r"예시|작성례|작성예")
_PLACEHOLDER_RUN = re.compile(r"[○◯〇ㅇᄋ△□◇]{2,}|(?<![A-Za-z])[OoXx]{2,}|0{2,}|홍길동|예시")
_EMPTY = re.compile(r"^[-‐–—·.]*$")


@dataclass(frozen=True)
class InventoryTable:
    grid: Grid
    columns: ColumnMap


def transpose_purpose_columns(grid: Grid) -> Grid | None:
    """`구분 | 계 | 방범 | 어린이보호 …` over `개소 | …` and `대수 | …` rows: purposes as
    columns. Read sideways, each purpose becomes a row with its count."""
    if not grid.header_rows or len(grid.body) > 6:
        return None
    header = grid.rows[grid.header_rows - 1]
    purposes = [
        c
        for c in range(1, grid.width)
        if classify_purpose(header[c]).canonical or _TOTAL_LABEL.match(compact(header[c]))
    ]
    labels = [map_header(row[0]) for row in grid.body]
    if len(purposes) < 2 or "camera_count" not in labels:
        return None
    rows = [["설치목적", *(row[0] for row in grid.body)]]
    rows += [[header[c], *(row[c] for row in grid.body)] for c in range(1, grid.width)]
    return Grid(
        name=grid.name,
        rows=rows,
        header_rows=1,
        caption=grid.caption,
        row_numbers=[grid.row_numbers[0]] + [grid.row_numbers[0]] * (grid.width - 1),
    )


def as_inventory(grid: Grid) -> InventoryTable | None:
    """The grid read as a camera inventory, or None when it is something else (a manager
    table, a key/value table, a history table)."""
    header_rows = grid.header_rows
    columns = map_columns(grid, header_rows) if header_rows else None
    if columns is None or "camera_count" not in columns.fields.values():
        start, count = find_header_rows(grid.rows)
        if start < 0:
            sideways = transpose_purpose_columns(grid)
            return as_inventory(sideways) if sideways is not None else None
        grid = _headed(grid, start, count)
        columns = map_columns(grid)
    fields = set(columns.fields.values())
    if "camera_count" not in fields or not fields & {"location", "unit", "purpose"}:
        sideways = transpose_purpose_columns(grid)
        return as_inventory(sideways) if sideways is not None else None
    return InventoryTable(grid, _purpose_from_unit(grid, columns))


def _headed(grid: Grid, start: int, count: int) -> Grid:
    """The grid from row `start` on, its first `count` rows the header; the rows above go
    to the caption (a sheet's title lines). The rows themselves are shared, not copied:
    they are already padded to the grid's width, and a grid is not changed after it is
    made, so the copy Grid() makes of an inventory's thousands of rows would buy nothing.
    What was derived from the grid is not kept, since its body changes."""
    headed = copy.copy(grid)
    headed.header_rows = count
    headed.derived = {}
    if start:
        caption = " ".join(" ".join(c for c in row if c) for row in grid.rows[:start])
        headed.rows = grid.rows[start:]
        headed.row_numbers = grid.row_numbers[start:]
        headed.cell_ids = grid.cell_ids[start:]
        headed.caption = " ".join(filter(None, [grid.caption, caption]))
    return headed


def _purpose_from_unit(grid: Grid, columns: ColumnMap) -> ColumnMap:
    """A 구분 column whose values are purposes (방범, 어린이보호, …) is the purpose column:
    purpose-by-count tables label their rows that way."""
    if "purpose" in columns.fields.values():
        return columns
    unit_col = next((c for c, f in columns.fields.items() if f == "unit"), None)
    if unit_col is None:
        return columns
    header = compact(" ".join(row[unit_col] for row in grid.header if unit_col < len(row)))
    if "부서" in header:  # a department (시설팀, 체육시설과) names who runs it, not a purpose
        return columns
    values = [row[unit_col] for row in grid.body if row[unit_col].strip()]
    values = [v for v in values if not _TOTAL_LABEL.match(compact(v))]
    purposes = [v for v in values if classify_purpose(v).canonical is not None]
    if not values or len(purposes) * 10 < len(values) * 6:
        return columns
    fields = {**columns.fields, unit_col: "purpose"}
    return ColumnMap(fields=fields, unmapped=columns.unmapped, header_rows=columns.header_rows)


def _recording(stated: bool | None, hours: str | None, storage: str | None) -> bool | None:
    """False only when the row says it does not record (녹화무); a camera with stated hours
    or a storage place (`storage`, as written) records even when its period is a dash;
    nothing stated is None."""
    if stated is not None:
        return stated
    if hours in ("24h", "scheduled") or storage:
        return True
    return None


def _raw(value: str | None) -> str | None:
    """The cell as written (whitespace folded), None when blank or a dash."""
    cleaned = clean_cell(value)
    return None if cleaned is None or _EMPTY.match(cleaned) else cleaned


def _text(value: str | None) -> str | None:
    """A text field as kept: None for blanks, dashes and bare placeholders (○○과, 000실);
    text with real words beside a placeholder (OO청사 출입구) is kept as written."""
    cleaned = _raw(value)
    if cleaned is None:
        return None
    if is_placeholder(cleaned) and not has_masked_name(cleaned):
        rest = _PLACEHOLDER_RUN.sub("", compact(cleaned))
        if len(rest) <= 1:
            return None
    return cleaned


def _is_template_cell(text: str) -> bool:
    """A cell that makes its row an example: a template's fill-in marker that is not a
    masked person's name, or the word 예시 on its own."""
    return (is_placeholder(text) and not has_masked_name(text)) or bool(
        _EXAMPLE.fullmatch(flat(text))
    )


def _texts(
    cells: list[str | None], text_of: Callable, raw_of: Callable
) -> tuple[list[str | None], list[str | None]]:
    """`_raw` and `_text` of each cell (`text_of`, `raw_of`: their `memo`s). A column of
    mostly distinct texts (places) is folded and tested for dashes in whole-column passes,
    and only the cells that may hold a template marker are read one by one; a column that
    repeats its texts, or has blanks (None), goes through the memos."""
    if None in cells or len(set(cells)) * 4 < len(cells):  # blanks, or mostly repeats
        return down(cells, raw_of), down(cells, text_of)
    texts: list[str] = cells  # type: ignore[assignment]
    folded = list(map(" ".join, map(str.split, texts)))
    raws: list[str | None] = [
        None if empty else text
        for text, empty in zip(folded, map(_EMPTY.match, folded), strict=True)
    ]
    kept = list(raws)
    for index in rows_with(texts, matching(texts, MAY_HOLD_MARKER)):
        kept[index] = text_of(texts[index])
    return raws, kept


def _coordinate(value: str | None, bounds: tuple[float, float]) -> float | None:
    try:
        number = float((value or "").strip())
    except ValueError:
        return None
    return number if bounds[0] <= number <= bounds[1] else None


def _is_note(row: list[str]) -> bool:
    """Footnote and banner rows: one text merged across the row, or a ※/주) remark."""
    values = [v for v in map(str.strip, row) if v]
    if not values:
        return True
    if values[0].startswith(("※", "*", "주)", "주 )", "비고:")):
        return True
    return len(values) >= 3 and len(set(values)) == 1


def _total_without_label(total: TotalRow) -> Issue:
    """Says which unlabelled row was read as a total, and why."""
    if total.reason == "sum":
        why = f"대수 {total.value}대가 위 행들의 합과 같은 행"
    else:
        why = f"무엇을 세는지 적히지 않고 대수 {total.value}대만 있는 표의 마지막 행"
    return Issue("info", f"total_row_by_{total.reason}", f"{why}을 합계로 읽음", total.row_ref)


class SpanGroup:
    """Rows that share one count cell (rowspan): the count is the group's, so the group is
    one camera row whose place lists every row's place, and the total counts it once."""

    def __init__(self, record: dict, row_ref: str) -> None:
        self.record = record
        self.refs = [row_ref]
        self.field = "location" if record["location"] else "unit"
        self.places = [record[self.field]] if record[self.field] else []

    def add(self, own: dict[str, str], row_ref: str) -> None:
        self.refs.append(row_ref)
        place = _text(own.get(self.field))
        if place and place not in self.places:
            self.places.append(place)
            self.record[self.field] = ", ".join(self.places)

    def issue(self, where: str) -> Issue:
        return Issue(
            "info",
            "count_spans_rows",
            f"한 칸에 적힌 대수 {self.record['camera_count']:,}대가 {where}의 {len(self.refs)}개 행"
            f"({self.refs[0]} ~ {self.refs[-1]})에 걸쳐 있어 묶음 하나로 한 번만 셈",
            self.refs[0],
        )


# Plain text (ASCII, Hangul syllables) without one of these is no template's fill-in marker
# (00, OO, XX, 홍길동, 예시) and not 예시/작성례 (transforms.values.placeholders).
_MAY_BE_TEMPLATE = re.compile(r"00|[OoXx홍예례]|[^\x00-\x7f가-힣]")
_NOTE_START = ("※", "*", "주)", "주 )", "비고:")


# A camera row's fields, in the order its record names them (the cctv-parse/1 contract).
CAMERA_FIELDS = (
    "unit",
    "purpose_raw",
    "purpose",
    "legal_basis",
    "camera_count",
    "location",
    "recording_hours",
    "recording",
    "retention_days",
    "retention_raw",
    "storage_location",
    "device_type",
    "is_template",
    "phone",
    "latitude",
    "longitude",
    "row_ref",
)


def camera_records(columns: dict[str, list]) -> list[dict]:
    """Camera rows as the contract's records, one dict per row, from their columns."""
    fields = tuple(columns)
    return [
        dict(zip(fields, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def rows_from_inventory(
    table: InventoryTable,
    *,
    area_code: str | None = None,
    template: bool = False,
    defaults: dict[str, str] | None = None,
    device_type: str | None = None,
) -> tuple[list[dict], list[Issue]]:
    """Camera rows (records) and the issues met on the way: `inventory_columns`, each row
    put together as a dict."""
    columns, issues = inventory_columns(
        table, area_code=area_code, template=template, defaults=defaults, device_type=device_type
    )
    return camera_records(columns), issues


def inventory_columns(
    table: InventoryTable,
    *,
    area_code: str | None = None,
    template: bool = False,
    defaults: dict[str, str] | None = None,
    device_type: str | None = None,
) -> tuple[dict[str, list], list[Issue]]:
    """Camera rows as columns (field → one value per row, CAMERA_FIELDS in order) and the
    issues met on the way: the shape a build caches them in, with no record built.
    `template` marks a whole table as an example (its caption said 예시). `defaults` are
    page-level statements (보관기간 : 30일) that rows take for a field their table has no
    column for. `device_type` is what the section the table sits in says (a 이동형 heading
    or caption): it goes before the row's own words.

    Inventories are columnar: which rows are notes, repeated headers, templates and totals
    is read from per-column answers, every grammar runs once per distinct text of a column,
    and the rows are put together as whole columns of answers."""
    grid, columns = table.grid, table.columns
    present = set(columns.fields.values())
    inherited = {f: v for f, v in (defaults or {}).items() if f not in present}
    issues: list[Issue] = [
        Issue(
            "warning",
            "unmapped_column",
            f"{col + 1}번째 열('{header}', {grid.name})을 어느 항목에도 대응시키지 못함",
            grid.name,
        )
        for col, header in columns.unmapped
    ]
    body = grid.body
    if not body:
        return {field: [] for field in CAMERA_FIELDS}, issues
    template_table = template or bool(_EXAMPLE.search(compact(grid.caption)))
    header_texts = {compact(c) for row in grid.header for c in row}
    count_col = next((c for c, f in columns.fields.items() if f == "camera_count"), None)
    totals = total_rows(grid, columns.fields)
    # Rows that are not camera rows: header rows repeated in the body (no filled cell but
    # header texts), notes and banners; and example rows. Read column by column.
    cells = list(zip(*body, strict=True))
    not_header = memo(lambda text: bool(text) and flat(text) not in header_texts)
    repeated = set(undecided(len(body), cells, not_header))
    firsts = list(map(str.strip, cells[0]))
    seconds = list(map(str.strip, cells[1])) if grid.width > 1 else [""] * len(body)
    kept = [
        index
        for index, (first, second) in enumerate(zip(firsts, seconds, strict=True))
        if index not in repeated
        # A row whose first two cells are filled, different and not a remark is no note:
        # the test that spares most rows `_is_note`, which reads every cell.
        and (
            (first and second and first != second and not first.startswith(_NOTE_START))
            or not _is_note(body[index])
        )
    ]
    if template_table:
        templated = [True] * len(body)
    else:
        templated = [False] * len(body)
        for column in cells:
            examples = set(filter(_is_template_cell, matching(column, _MAY_BE_TEMPLATE)))
            for index in rows_with(column, examples):
                templated[index] = True
    field_cols = {field: col for col, field in columns.fields.items()}
    # A count spanning rows (one cell behind several positions) makes one camera row of
    # them; a count position copied from its left neighbour (a colspan) holds no count.
    no_count: set[int] = set()
    heads: dict[int, int] = {}  # source cell → the body row whose record the group is
    merged: list[tuple[int, int]] = []  # (body row, source cell) of rows joining a group
    records_at: list[int] = []
    ids = (
        [row[count_col] for row in grid.cell_ids[grid.header_rows :]]
        if count_col is not None
        else []
    )
    if any(i is not None for i in ids):
        counts = memo(parse_count)
        for index in kept:
            source = None
            at = grid.header_rows + index
            if grid.is_copy_from_left(at, count_col):
                no_count.add(index)
            elif (source := ids[index]) in heads:
                merged.append((index, source))
                continue
            if index in totals:
                continue
            records_at.append(index)
            if source is not None and counts(body[index][count_col]).value is not None:
                heads[source] = index
    else:
        records_at = [index for index in kept if index not in totals]
    columns_found, row_issues = _records(
        grid, cells, records_at, field_cols, inherited, templated, no_count, area_code, device_type
    )
    # Issues in row order: each total row read without a label (one that is a camera row's
    # place: kept, and not part of a spanned count), each camera row's own.
    joined = {index for index, _ in merged}
    events = {
        index: [_total_without_label(total)]
        for index in kept
        if (total := totals.get(index)) is not None and total.reason and index not in joined
    }
    for index, found in row_issues.items():
        events.setdefault(index, []).extend(found)
    for index in sorted(events):
        issues.extend(events[index])
    if heads:
        # The head row of each group as a record; the place it comes to goes back into its
        # column.
        position = {index: at for at, index in enumerate(records_at)}
        groups = {
            source: SpanGroup(
                {field: values[position[index]] for field, values in columns_found.items()},
                grid.row_ref(index),
            )
            for source, index in sorted(heads.items(), key=lambda item: item[1])
        }
        for index, source in merged:
            own = {field: body[index][col] for col, field in columns.fields.items()}
            groups[source].add(own, grid.row_ref(index))
        for source, group in groups.items():
            columns_found[group.field][position[heads[source]]] = group.record[group.field]
        issues.extend(g.issue(grid.name) for g in groups.values() if len(g.refs) > 1)
    return columns_found, issues


def _records(
    grid: Grid,
    cells: list[tuple[str, ...]],
    at: list[int],
    field_cols: dict[str, int],
    inherited: dict[str, str],
    templated: list[bool],
    no_count: set[int],
    area_code: str | None,
    device_type: str | None,
) -> tuple[dict[str, list], dict[int, list[Issue]]]:
    """The camera rows of body rows `at` (`cells`: the body's columns) as columns, in the
    order of CAMERA_FIELDS, and the issues each row raises (by body row)."""
    every_row = len(at) == len(templated)  # `at` is then every body row, in order
    template = templated if every_row else [templated[i] for i in at]

    def raw(field: str) -> list[str | None]:
        """The cell each row holds for `field`: its column's, else the page's statement
        (which example rows do not take), else None."""
        col = field_cols.get(field)
        if col is not None:
            column = cells[col]
            found: list[str | None] = list(column) if every_row else [column[i] for i in at]
            if field == "camera_count" and no_count:
                found = ["" if i in no_count else c for i, c in zip(at, found, strict=True)]
            return found
        if field in inherited:
            value = inherited[field]
            return [None if t else value for t in template]
        return [None] * len(at)

    text_of, raw_of = memo(_text), memo(_raw)
    counts = down(raw("camera_count"), memo(parse_count))
    retention_cells = raw("retention")
    retentions = down(retention_cells, memo(parse_retention))
    hours_cells = raw("recording_hours")
    hours = down(hours_cells, memo(parse_recording_hours))
    purpose_cells = raw("purpose")
    purposes = down(purpose_cells, memo(classify_purpose))
    purpose_raws = _texts(purpose_cells, text_of, raw_of)[1]
    units = _texts(raw("unit"), text_of, raw_of)[1]
    locations = _texts(raw("location"), text_of, raw_of)[1]
    storage_cells = raw("storage_location")
    storage_raws, storage_texts = _texts(storage_cells, text_of, raw_of)
    # What the row says of itself (unit, place, purpose, kind), joined as one text.
    described = map(
        " ".join,
        map(
            partial(filter, None),
            zip(units, locations, purpose_raws, raw("device_kind"), strict=True),
        ),
    )
    mobiles = list(map(_MOBILE.search, flats(described)))
    phone_of = memo(lambda value: normalize_phone(value, area_code))
    phones = [
        None if t else phone_of(p or m)
        for t, p, m in zip(template, raw("phone"), raw("manager"), strict=True)
    ]
    latitude_of = memo(lambda value: _coordinate(value, KOREA_LAT))
    longitude_of = memo(lambda value: _coordinate(value, KOREA_LON))
    number, name = grid.row_numbers, grid.name
    first = grid.header_rows
    values = (
        units,
        purpose_raws,
        [p.canonical for p in purposes],
        [list(p.legal_basis) for p in purposes],
        [None if t else c.value for t, c in zip(template, counts, strict=True)],
        locations,
        [h.value for h in hours],
        [
            _recording(r.recording, h.value, s)
            for r, h, s in zip(retentions, hours, storage_raws, strict=True)
        ],
        [None if t else r.days for t, r in zip(template, retentions, strict=True)],
        _texts(retention_cells, text_of, raw_of)[0],
        storage_texts,
        [device_type or ("mobile" if m else "fixed") for m in mobiles],
        template,
        phones,
        down(raw("latitude"), latitude_of),
        down(raw("longitude"), longitude_of),
        [f"{name}, row {number[first + i]}" for i in at],
    )
    if any(len(column) != len(at) for column in values):
        raise ValueError("camera columns of different lengths")
    columns = dict(zip(CAMERA_FIELDS, values, strict=True))
    # The issues a row raises depend on one cell each: judged once per distinct text.
    has_retention_column = "retention" in field_cols
    count_issue = memo(lambda cell: _count_issue(cell, text_of))
    retention_issue = memo(lambda cell: _retention_issue(cell, has_retention_column))
    hours_issue = memo(lambda cell: _hours_issue(cell, text_of))
    purpose_issue = memo(lambda cell: _purpose_issue(cell, text_of))
    found: dict[int, list[Issue]] = {}
    for index, t, cells in zip(
        at,
        template,
        zip(
            down(raw("camera_count"), count_issue),
            down(retention_cells, retention_issue),
            down(hours_cells, hours_issue),
            down(purpose_cells, purpose_issue),
            strict=True,
        ),
        strict=True,
    ):
        if t or not any(cells):
            continue
        ref = f"{name}, row {number[first + index]}"
        found[index] = [Issue(*said, ref) for said in cells if said is not None]
    return columns, found


# What a cell says is wrong with it: (level, code, message), or None.
Said = tuple[str, str, str] | None


def _count_issue(cell: str | None, text_of: Callable) -> Said:
    raw_count = text_of(cell)
    if parse_count(cell).value is None and raw_count:
        return ("warning", "count_unparsed", f"카메라 대수('{raw_count}')를 숫자로 읽을 수 없음")
    return None


def _retention_issue(cell: str | None, has_column: bool) -> Said:
    retention = parse_retention(cell)
    if retention.status in ("unparsed", "absurd"):
        return (
            "warning",
            f"retention_{retention.status}",
            f"보관기간('{retention.raw}')을 기간으로 읽을 수 없음"
            if retention.status == "unparsed"
            else f"보관기간('{retention.raw}')이 현실적인 기간이 아니라 쓰지 않음",
        )
    if retention.status == "blank" and retention.recording is not False and has_column:
        return ("info", "retention_missing", "보관기간이 적혀 있지 않음")
    return None


def _hours_issue(cell: str | None, text_of: Callable) -> Said:
    raw_hours = text_of(cell)
    if raw_hours and parse_recording_hours(cell).value is None:
        return ("info", "hours_unparsed", f"촬영시간('{raw_hours}')이 알려진 표기 형식에 맞지 않음")
    return None


def _purpose_issue(cell: str | None, text_of: Callable) -> Said:
    purpose_raw = text_of(cell)
    if purpose_raw and classify_purpose(cell).canonical is None:
        return (
            "info",
            "purpose_unmapped",
            f"설치 목적('{purpose_raw}')을 표준 목적 분류에 대응시키지 못함",
        )
    return None
