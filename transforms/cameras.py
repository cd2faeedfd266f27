"""Inventory grids → camera rows of the contract, one per table or sheet row.

A row keeps its raw cell text next to every parsed value (`purpose_raw`, `retention_raw`)
so that a reviewer can always see what the number came from. Template rows (○○, 00대,
예시) are kept and flagged but never carry numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from domain.constants import KOREA_LAT, KOREA_LON
from domain.text import clean_cell, compact
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

_TOTAL_LABEL = re.compile(r"^(총계|합계|소계|누계|계|총|합|전체)$")
_MOBILE = re.compile(
    r"탑재|차량용|차량부착|이동형|드론|바디캠|웨어러블|착용형|휴대형|이동식|블랙박스|순찰차|단속차량"
    r"|차량내부|통학차량|관용차|버스(?!정류|승강|터미널|쉘터|정차|노선|전용|정책)"
)
_EXAMPLE = re.compile(r"예시|작성례|작성예")
_PLACEHOLDER_RUN = re.compile(r"[○◯〇ㅇᄋ△□◇]{2,}|(?<![A-Za-z])[OoXx]{2,}|0{2,}|홍길동|예시")
_EMPTY = re.compile(r"^[-‐–—·.]*$")
V = TypeVar("V")
R = TypeVar("R")


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
        if start:
            caption = " ".join(" ".join(c for c in row if c) for row in grid.rows[:start])
            grid = Grid(
                name=grid.name,
                rows=grid.rows[start:],
                header_rows=count,
                row_numbers=grid.row_numbers[start:],
                caption=" ".join(filter(None, [grid.caption, caption])),
                cell_ids=grid.cell_ids[start:],
            )
        else:
            grid = Grid(
                name=grid.name,
                rows=grid.rows,
                header_rows=count,
                row_numbers=grid.row_numbers,
                caption=grid.caption,
                cell_ids=grid.cell_ids,
            )
        columns = map_columns(grid)
    fields = set(columns.fields.values())
    if "camera_count" not in fields or not fields & {"location", "unit", "purpose"}:
        sideways = transpose_purpose_columns(grid)
        return as_inventory(sideways) if sideways is not None else None
    return InventoryTable(grid, _purpose_from_unit(grid, columns))


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
        _EXAMPLE.fullmatch(compact(text))
    )


class _Answers(dict):
    """A function's answers by argument, computed on the first lookup of each."""

    def __init__(self, function: Callable) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, value: object) -> object:
        result = self[value] = self.function(value)
        return result


def _memo(function: Callable[[V], R]) -> Callable[[V], R]:
    """`function` answered once per distinct argument, for the length of one table: a
    table's columns repeat their texts, and a table-sized cache never evicts what it needs.
    A repeat is a plain dict lookup."""
    return _Answers(function).__getitem__


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


def rows_from_inventory(
    table: InventoryTable,
    *,
    area_code: str | None = None,
    template: bool = False,
    defaults: dict[str, str] | None = None,
    device_type: str | None = None,
) -> tuple[list[dict], list[Issue]]:
    """Camera rows and the issues met on the way. `template` marks a whole table as an
    example (its caption said 예시). `defaults` are page-level statements (보관기간 : 30일)
    that rows take for a field their table has no column for. `device_type` is what the
    section the table sits in says (a 이동형 heading or caption): it goes before the row's
    own words."""
    grid, columns = table.grid, table.columns
    present = set(columns.fields.values())
    inherited = {f: v for f, v in (defaults or {}).items() if f not in present}
    records: list[dict] = []
    issues: list[Issue] = [
        Issue(
            "warning",
            "unmapped_column",
            f"{col + 1}번째 열('{header}', {grid.name})을 어느 항목에도 대응시키지 못함",
            grid.name,
        )
        for col, header in columns.unmapped
    ]
    template_table = template or bool(_EXAMPLE.search(compact(grid.caption)))
    header_texts = {compact(c) for row in grid.header for c in row}
    count_col = next((c for c, f in columns.fields.items() if f == "camera_count"), None)
    totals = total_rows(grid, columns.fields)
    groups: dict[int, SpanGroup] = {}
    # Inventories repeat their cell texts down each column: every grammar runs once per
    # distinct text of the table, and the rows below only look the answer up.
    in_header = _memo(lambda c: compact(c) in header_texts)
    templated = _memo(_is_template_cell)
    count_of, retention_of = _memo(parse_count), _memo(parse_retention)
    hours_of, purpose_of = _memo(parse_recording_hours), _memo(classify_purpose)
    text_of, raw_of = _memo(_text), _memo(_raw)
    phone_of = _memo(lambda value: normalize_phone(value, area_code))
    latitude_of = _memo(lambda value: _coordinate(value, KOREA_LAT))
    longitude_of = _memo(lambda value: _coordinate(value, KOREA_LON))
    mobile_of = _memo(lambda described: _MOBILE.search(compact(" ".join(filter(None, described)))))
    has_retention_column = "retention" in present
    mapped = list(columns.fields.items())
    body = grid.body  # a fresh slice per access: read once, not once per row
    for index, row in enumerate(body):
        if _is_note(row) or all(map(in_header, filter(None, row))):
            continue
        row_ref = grid.row_ref(index)
        own = {field: row[col] for col, field in mapped}
        source = None
        if count_col is not None:
            at = grid.header_rows + index
            if grid.is_copy_from_left(at, count_col):
                own["camera_count"] = ""  # another field's text spread over the count column
            elif (source := grid.source_cell(at, count_col)) in groups:
                groups[source].add(own, row_ref)
                continue
        # A one-row table (a key/value table read sideways) states its count as "총 17 대".
        if (total := totals.get(index)) is not None:
            if total.reason is not None:
                issues.append(_total_without_label(total))
            continue
        is_template = template_table or any(map(templated, filter(None, row)))
        # Example rows keep their own text only; page-level values are not theirs.
        cells = own if is_template else {**inherited, **own}
        get = cells.get
        count = count_of(get("camera_count"))
        retention = retention_of(get("retention"))
        hours = hours_of(get("recording_hours"))
        purpose = purpose_of(get("purpose"))
        unit, location = text_of(get("unit")), text_of(get("location"))
        purpose_raw = text_of(get("purpose"))
        mobile = mobile_of((unit, location, purpose_raw, get("device_kind")))
        storage_raw = raw_of(get("storage_location"))
        record = {
            "unit": unit,
            "purpose_raw": purpose_raw,
            "purpose": purpose.canonical,
            "legal_basis": list(purpose.legal_basis),
            "camera_count": None if is_template else count.value,
            "location": location,
            "recording_hours": hours.value,
            "recording": _recording(retention.recording, hours.value, storage_raw),
            "retention_days": None if is_template else retention.days,
            "retention_raw": raw_of(get("retention")),
            "storage_location": text_of(get("storage_location")),
            "device_type": device_type or ("mobile" if mobile else "fixed"),
            "is_template": is_template,
            "phone": None if is_template else phone_of(get("phone") or get("manager")),
            "latitude": latitude_of(get("latitude")),
            "longitude": longitude_of(get("longitude")),
            "row_ref": row_ref,
        }
        records.append(record)
        if source is not None and count.value is not None:
            groups[source] = SpanGroup(record, row_ref)
        if is_template:
            continue
        raw_count = text_of(get("camera_count"))
        if count.value is None and raw_count:
            issues.append(
                Issue(
                    "warning",
                    "count_unparsed",
                    f"카메라 대수('{raw_count}')를 숫자로 읽을 수 없음",
                    row_ref,
                )
            )
        if retention.status in ("unparsed", "absurd"):
            issues.append(
                Issue(
                    "warning",
                    f"retention_{retention.status}",
                    f"보관기간('{retention.raw}')을 기간으로 읽을 수 없음"
                    if retention.status == "unparsed"
                    else f"보관기간('{retention.raw}')이 현실적인 기간이 아니라 쓰지 않음",
                    row_ref,
                )
            )
        elif (
            retention.status == "blank"
            and retention.recording is not False
            and has_retention_column
        ):
            issues.append(Issue("info", "retention_missing", "보관기간이 적혀 있지 않음", row_ref))
        raw_hours = text_of(get("recording_hours"))
        if raw_hours and hours.value is None:
            issues.append(
                Issue(
                    "info",
                    "hours_unparsed",
                    f"촬영시간('{raw_hours}')이 알려진 표기 형식에 맞지 않음",
                    row_ref,
                )
            )
        if purpose_raw and purpose.canonical is None:
            issues.append(
                Issue(
                    "info",
                    "purpose_unmapped",
                    f"설치 목적('{purpose_raw}')을 표준 목적 분류에 대응시키지 못함",
                    row_ref,
                )
            )
    issues.extend(g.issue(grid.name) for g in groups.values() if len(g.refs) > 1)
    return records, issues
