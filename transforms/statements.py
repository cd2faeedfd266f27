"""Page-level statements: what a policy says once for all its cameras (촬영시간, 보관기간,
보관장소), in prose ("보관기간 : 촬영일로부터 30일 이내"), definition lists, small tables, or
one sentence of a 개인정보 처리방침's CCTV section ("영상정보는 24시간 촬영되며 촬영일로부터
30일간 관제실에 보관"). A sentence that only points elsewhere ("위 표의 보관장소와 같음",
"붙임 참조") states no value."""

from __future__ import annotations

import re

from domain.text import compact, fold
from transforms.columns import map_columns, map_header
from transforms.grid import Grid
from transforms.html.document import Document
from transforms.sections import CCTV, cctv_blocks

HOURS, RETENTION, STORAGE = "촬영시간", "보관기간", "보관장소"
_FIELDS = {"recording_hours": HOURS, "retention": RETENTION, "storage_location": STORAGE}
_KEY_VALUE = re.compile(
    r"^(?:[가-하]\.|\d{1,2}[.)]|[①-⑳]|[-·ㆍ*※○●▶■□◦•])?\s*"
    r"(?P<prefix>[^:：]{0,14}?)\s*"
    r"(?P<key>촬영\s*시간|녹화\s*시간|(?:영상\s*)?(?:보관|보존|보유|저장)\s*기간|"
    r"(?:영상\s*)?(?:보관|보존|저장)\s*장소|처리\s*방법)\s*[:：]\s*(?P<value>.+)$"
)
# The first word of every key `_KEY_VALUE` knows.
_KEY_WORDS = re.compile("촬영|녹화|보관|보존|보유|저장|처리")
# A prefix that makes a statement about only part of the cameras (고정형 …, 이동형 …).
_SCOPED = re.compile(r"고정형|이동형|차량|드론|일부|청사|방범")


# Words that send the reader elsewhere instead of giving the value: "위 표의 …" as the
# value's opening, or a part that ends in one of `_POINTER_ENDS`.
_POINTS_UP = r"(위|상기|아래|하기|다음|앞|해당)의?(표|현황|내용|사항|목록|설치현황|시설별)"
_POINTER_ENDS = ("참조", "참고", "같", "확인", "내용", "공개", "게시", "안내")
_POINTS_UP_AT_START = re.compile(_POINTS_UP)
_POINTER_END = re.compile("|".join(_POINTER_ENDS))
_POINTER = re.compile(
    rf"^{_POINTS_UP}|"
    r"(붙임|별첨|별표|첨부|별지)(파일|자료|문서|\d+)?(을|를|의|과|와)?(참조|참고|같|확인|내용)|"
    r"(표|현황|목록)(을|를)?(참조|참고)|(게시판|홈페이지|제\d+조|별도).{0,40}?(공개|게시|참조|참고|안내)|"
    r"(과|와)같(음|습니다|다)\.?$|(참조|참고)(바랍니다|하시기)?\.?$"
)


def is_pointer(text: str) -> bool:
    """A value that only points elsewhere ("위 표의 보관장소", "붙임 참조", "별첨과 같음")."""
    return _points_elsewhere(compact(text))


def _points_elsewhere(flat: str) -> bool:
    if not flat:
        return False
    # Most values hold none of the end words: then only the opening words can point, and
    # an anchored match costs a fraction of the search through the whole value.
    if not _POINTER_END.search(flat):
        return _POINTS_UP_AT_START.match(flat) is not None
    return _POINTER.search(flat) is not None


def statement_key(key: str) -> str:
    flat = compact(key)
    if "시간" in flat:
        return HOURS
    if "기간" in flat:
        return RETENTION
    if "장소" in flat:
        return STORAGE
    return flat


# Where one line holds several statements: "촬영시간 : 24시간 / 보관기간 : 20일 / 보관장소 :
# 1층 종합안내실", "… 24시간 촬영하며, 보관기간 : 촬영일로부터 30일, 보관장소 : …", "가. … 나. …".
_NEXT_STATEMENT = re.compile(
    r"(?<=[^\d])\s(?=[가-하]\.\s)|\s*[/|,·]\s*(?=(?:영상\s*)?(?:촬영|녹화|보관|보존|보유|저장)\s*"
    r"(?:시간|기간|장소)\s*[:：])"
)

_PART_SEPARATOR = re.compile("[/|,·]")


def _statement_parts(text: str) -> list[str]:
    if "." not in text and not _PART_SEPARATOR.search(text):
        parts = [text]  # no "가. " to start a part at and no separator to split at
    else:
        parts = _NEXT_STATEMENT.split(text)
    return [part for part in parts if part and part.strip()]


def from_lines(doc: Document) -> list[tuple[str, str, bool]]:
    """(key, value, scoped) for each prose statement; `scoped` when it speaks of a subset."""
    found = []
    for block in doc.blocks:
        if block.kind != "line" or not (":" in block.text or "：" in block.text):
            continue  # every statement has its colon
        if not _KEY_WORDS.search(block.text):
            continue  # and one of the keys' first words
        for part in _statement_parts(block.text):
            if m := _KEY_VALUE.match(part.strip()):
                if is_pointer(m.group("value")):
                    continue
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
                if row[col].strip() and not is_pointer(row[col]):
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


_PROSE_HOURS = re.compile(
    r"(?P<value>24\s*시간|\d{1,2}\s*[:시]\s*\d{0,2}\s*분?\s*[~∼～-]\s*\d{1,2}\s*[:시]\s*"
    r"\d{0,2}\s*분?)\s*(?:연속|상시|계속|동안)?\s*(?:으로\s*)?(?:촬영|녹화)"
)
_PROSE_RETENTION = re.compile(
    r"(?P<value>(?:촬영\s*(?:한\s*날|일|시점)\s*(?:로)?부터\s*)?\d{1,3}\s*(?:일|개월|주일?)\s*"
    r"(?:간|동안|이내)?)\s*(?:\S+\s*){0,3}?(?:보관|보존|저장)"
)
# "보관장소는 각 시설 방재실이며", "관제실에 보관합니다".
_PROSE_STORAGE = (
    re.compile(
        r"(?:보관|보존|저장)\s*장소는\s*(?P<value>[^,.]{2,30}?)\s*(?:이며|입니다|이고|이다|로|으로)"
    ),
    re.compile(
        r"(?P<value>[가-힣A-Za-z0-9()]{2,20}(?:\s+[가-힣A-Za-z0-9()]{2,20}){0,3})(?:내|안)?에\s*"
        r"(?:서\s*)?(?:보관|저장)(?:하|한|할|해|되|된|합|됩|중)"
    ),
)
# Words before a place that are not part of it ("30일간 관제실", "영상정보는 관제실").
_NOT_PLACE = re.compile(r"\d(?!층)|간$|동안|부터|정보|영상|은$|는$|을$|를$|후$|뒤$|기간|며$|고$")


def _storage_in(sentence: str, loose: bool) -> str | None:
    for pattern in _PROSE_STORAGE if loose else _PROSE_STORAGE[:1]:
        if m := pattern.search(sentence):
            words = m.group("value").split()
            while words and _NOT_PLACE.search(words[0]):
                words.pop(0)
            value = " ".join(words)
            if value and not is_pointer(value) and not _NOT_PLACE.search(value):
                return value
    return None


_SENTENCE_END = re.compile(r"(?<=다)\.\s*|(?<=[.。])\s+")
_PROSE_KEYS = (HOURS, RETENTION, STORAGE)
# The words one of the prose patterns needs (kept: 보관/보존/저장, shot: 촬영/녹화).
_MAY_STATE = re.compile("보관|보존|저장|촬영|녹화")
_DIGIT = re.compile(r"\d")  # as the patterns' \d: any decimal digit


def from_prose(doc: Document) -> list[tuple[str, str, bool]]:
    """(key, value, False) read from sentences of the CCTV part of a page that say hours,
    retention and storage in running text, as a table would. Only sentences about the
    footage (영상, CCTV, 촬영) count; a sentence pointing elsewhere gives nothing. Prose
    repeats itself, so each key keeps its first value, and reading stops once all three
    have one."""
    first: dict[str, tuple[str, str, bool]] = {}
    for block in cctv_blocks(doc):
        if len(first) == len(_PROSE_KEYS):
            break
        if block.kind != "line" or not _MAY_STATE.search(block.text):
            continue  # a sentence holds these words only where its line does
        for sentence in _SENTENCE_END.split(block.text):
            # Each pattern ends in a word the sentence must hold: most sentences have none.
            kept = "보관" in sentence or "보존" in sentence or "저장" in sentence
            shot = "촬영" in sentence or "녹화" in sentence
            if not (kept or shot):
                continue
            flat = block.flat if sentence == block.text else compact(sentence)
            if not ("촬영" in flat or CCTV.search(flat)) or _points_elsewhere(flat):
                continue
            # A key with its first value is looked for again only where the storage
            # pattern still needs to know whether the sentence states a period or hours;
            # both of those values hold a number.
            store = kept and STORAGE not in first
            numbered = _DIGIT.search(sentence) is not None
            hours = retention = None
            if shot and numbered and (HOURS not in first or store):
                hours = _PROSE_HOURS.search(sentence)
            if kept and numbered and (RETENTION not in first or store):
                retention = _PROSE_RETENTION.search(sentence)
            if hours:
                first.setdefault(HOURS, (HOURS, fold(hours.group("value")), False))
            if retention:
                first.setdefault(RETENTION, (RETENTION, fold(retention.group("value")), False))
            # "… 방재실에 보관" names the footage's place only beside its period or hours;
            # elsewhere it is where a recorder or a form is kept.
            if store and (place := _storage_in(sentence, loose=bool(hours or retention))):
                first[STORAGE] = (STORAGE, fold(place), False)
    return list(first.values())


def with_prose(doc: Document, said: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    """The statements, plus what prose says of the things no statement or table states."""
    stated = {key for key, _, _ in said}
    return said + [s for s in from_prose(doc) if s[0] not in stated]
