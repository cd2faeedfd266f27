"""Inventories given outside tables → grids the inventory reader already understands.

Small bodies (a 복지관, a school, a library branch) often state their cameras in a line
rather than a table: a breakdown in brackets ("총 12대(출입 보안 5대, 방범 7대)"), a
bulleted list under a total ("- 본관: 3대"), or a sentence ("본관 출입구에 3대, 주차장에
2대를 설치"). Each becomes a small grid (설치장소 | 설치목적 | 설치대수) so the rows are
read by the same rules as table rows. A total with no breakdown gives no grid: it is the
policy's stated total (transforms.totals), never an invented row.
"""

from __future__ import annotations

import re

from domain.text import nfkc
from transforms.columns import map_header
from transforms.grid import Grid
from transforms.totals import may_state_count

HEADER = ["설치장소", "설치목적", "설치대수"]
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+|\d{1,5})\s*대(?![상표학응비책로한장])"
# One item of a breakdown: "출입 보안 5대", "본관: 3대", "주차장 2대".
_ITEM = re.compile(
    r"^\s*(?:[-·•○◦▪■□*※]|\d{1,2}[.)]|[가-하][.)])?\s*"
    rf"(?P<label>[^\d:：()]{{1,30}}?)\s*[:：]?\s*{_NUM}\s*$"
)
# "총 12대(출입 보안 5대, 방범 7대)", "설치 대수 및 위치 : 9대(주출입구, 1층 복도, 주차장)":
# the bracket after a total holds its parts, or the places it covers.
_BREAKDOWN = re.compile(
    rf"(?:(?:총|모두|전체|합계)\s*|대수[^:：]{{0,12}}[:：]\s*(?:총\s*)?){_NUM}\s*[(\[](?P<parts>[^)\]]{{1,200}})[)\]]"
)
_NOT_PLACES = re.compile(r"기준|\d{4}|현재|예정")
_SENTENCE = re.compile(r"(다|요|음|함)\.?$|참조|참고|안내")
_PLACE_CHARS = 25  # a place's name; anything longer in a list is a remark
_COUNT_VALUE = re.compile(r"^\s*(?:총\s*)?\d{1,3}(?:,\d{3})*\s*대")
# "본관 출입구에 3대", "정문, 후문, 운동장에 모두 8대": places and their count in a sentence.
# Found by the count after 에, then the place read backwards from it: a lazy label in front
# would rescan the line from every position (quadratic on a long line).
_PLACED = re.compile(rf"에\s*(?P<all>모두|총|전체)?\s*{_NUM}")
_LABEL_CHARS = 80  # how far back from "에 N대" the place may start
# "카메라 대수 : 20대" beside "설치위치 : …": a key/value inventory written as lines.
_KEY_VALUE = re.compile(r"^\s*(?:[-·•○◦▪■□*]\s*)?(?P<key>[^:：]{1,20}?)\s*[:：]\s*(?P<value>.+)$")
_INSTALLS = re.compile(r"설치|운영|운용")
_TOTAL_WORD = re.compile(r"^(총|모두|전체|합계|계|소계)$|설치대수|카메라대수|대수$")
# A label naming why cameras are there rather than where.
_PURPOSE_WORDS = re.compile(r"방범|보안|안전|예방|감시|단속|보호|방지|화재|범죄|관제")
# A topic or subject before the place ("본 관은 본관 출입구에"): the place is what follows.
_LEAD = re.compile(r"^.*(?:[은는이가]|에서|하여|으로|로)\s+(?=\S)")


def _row(label: str, count: str) -> list[str]:
    label = label.strip(" -·•:：")
    if _PURPOSE_WORDS.search(label):
        return ["", label, f"{count}대"]
    return [label, "", f"{count}대"]


def _items(parts: str) -> list[list[str]] | None:
    """ "출입 보안 5대, 방범 7대" → rows; None when any part is not `label N대`."""
    rows = []
    for part in re.split(r"[,，/;]|\s및\s", parts):
        if not part.strip():
            continue
        m = _ITEM.match(part)
        if m is None or _TOTAL_WORD.search(re.sub(r"\s", "", m.group("label"))):
            return None
        rows.append(_row(m.group("label"), m.group("num")))
    return rows or None


def _placed(line: str) -> list[list[str]]:
    """Places and counts of a sentence: "본관 출입구에 3대, 주차장에 2대를 설치" gives a row
    per place; "정문, 후문, 운동장에 모두 8대가 설치" one row for the places together."""
    if not _INSTALLS.search(line):
        return []
    rows = []
    start = 0
    for m in _PLACED.finditer(line):
        before = line[max(start, m.start() - _LABEL_CHARS) : m.start()]
        start = m.end()
        label = _LEAD.sub("", before.rsplit(".", 1)[-1]).strip(" ,，")
        if not m.group("all"):
            label = re.split(r"[,，]", label)[-1].strip()
        if label and not _TOTAL_WORD.search(re.sub(r"\s", "", label)) and len(label) <= 60:
            rows.append(_row(label, m.group("num")))
    return rows


def _bracketed(line: str) -> list[list[str]] | None:
    """A total with its parts or its places in brackets after it."""
    m = _BREAKDOWN.search(line)
    if m is None:
        return None
    parts = m.group("parts").strip()
    items = _items(parts)
    if items:
        return items
    names = re.split(r"[,，、]", parts)
    if re.search(r"\d+\s*대", parts) or _NOT_PLACES.search(parts):
        return None
    if _SENTENCE.search(parts) or any(len(n.strip()) > _PLACE_CHARS for n in names):
        return None  # a remark ("… 안내판으로 알려드립니다"), not a list of places
    return [[parts, "", f"{m.group('num')}대"]]


def _key_values(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """Keys and values of a run of `key : value` lines that states a count and where or
    why: the run read as a one-row table."""
    keys, values = [], []
    for line in lines:
        m = _KEY_VALUE.match(line)
        if m is None:
            continue
        field = map_header(m.group("key"))
        if field and field != "ignore" and field not in {map_header(k) for k in keys}:
            keys.append(m.group("key").strip())
            values.append(m.group("value").strip())
    fields = [map_header(k) for k in keys]
    if "camera_count" not in fields or not set(fields) & {"location", "unit", "purpose"}:
        return None
    if not _COUNT_VALUE.match(values[fields.index("camera_count")]):
        return None  # "붙임 파일 참조": the count is elsewhere
    return keys, values


def _grid(rows: list[list[str]], numbers: list[int]) -> Grid:
    return Grid("text", [HEADER, *rows], header_rows=1, row_numbers=[numbers[0], *numbers])


def inventory_grids(lines: list[str]) -> list[Grid]:
    """Grids of the inventories stated in `lines` (a page's text lines, in order; a row's
    `row_ref` is "text, row N" with N the 1-based line). Lines that are only a total, or
    prose without counts per place, give nothing."""
    if not any(map(may_state_count, lines)):
        return []  # every inventory below, key/value runs included, needs a count in 대
    grids: list[Grid] = []
    run: list[list[str]] = []
    numbers: list[int] = []
    flat = [nfkc(raw) for raw in lines]
    for number, line in enumerate(flat, start=1):
        item = _ITEM.match(line) if "대" in line else None  # items, breakdowns, places: N대
        if item and not _TOTAL_WORD.search(re.sub(r"\s", "", item.group("label"))):
            run.append(_row(item.group("label"), item.group("num")))
            numbers.append(number)
            continue
        if len(run) >= 2:
            grids.append(_grid(run, numbers))
        run, numbers = [], []
        rows = (_bracketed(line) or _placed(line)) if "대" in line else None
        if rows:
            grids.append(_grid(rows, [number] * len(rows)))
    if len(run) >= 2:
        grids.append(_grid(run, numbers))
    if not grids and (pairs := _key_values(flat)) is not None:
        keys, values = pairs
        first = next(n for n, line in enumerate(flat, start=1) if _KEY_VALUE.match(line))
        grids.append(Grid("text", [keys, values], header_rows=1, row_numbers=[first, first]))
    return grids
