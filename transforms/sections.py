"""Which of the eight items of 시행령 제25조제1항 a policy states, and which part of a page a
block belongs to (the CCTV section of a 개인정보 처리방침, a 이동형 section).

Pages number their sections every way (1., 가., ①, 제1조, none at all), so items are found
by the vocabulary each one needs, in headings and body text alike: a section may be only a
number and a sentence, and headings are worded differently from the Decree.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import TypeVar

from domain.text import compact
from transforms.html.document import Block, Document

# Each item: patterns over whitespace-free text, and how many distinct ones must occur.
ITEMS: dict[int, tuple[re.Pattern[str], int]] = {
    1: (
        re.compile(
            r"설치근거|설치목적|설치·운영목적|설치·운영근거|설치및운영근거|"
            r"(위하여|목적으로)[^.]{0,40}?설치·?운영"
        ),
        1,
    ),
    2: (
        re.compile(
            r"설치대수|설치운영대수|설치현황|운영현황|운용현황|설치위치|촬영범위|설치장소|"
            r"\d+대(가|를|의)?설치|총\d+대"
        ),
        1,
    ),
    3: (re.compile(r"관리책임자|접근권한|보호책임자|관리담당자|담당부서"), 1),
    4: (
        re.compile(
            r"촬영시간|보관기간|보존기간|보관장소|처리방법|파기|촬영일로부터|"
            r"\d+시간(연속)?(촬영|녹화)|\d+일(간|동안)?(보관|보존)"
        ),
        2,
    ),
    5: (
        re.compile(
            r"확인방법|확인장소|확인하실수있|열람장소|(연락|방문)[가-힣]{0,12}확인|"
            r"확인은?[가-힣]{0,20}(연락|방문)"
        ),
        1,
    ),
    6: (
        re.compile(
            # Not "…파기, 열람 등 요구에 관한 사항을 기록·관리": item 4's 처리방법.
            r"열람등(의)?요구(?!에관한사항)|열람·존재확인|열람또는존재확인|권리행사|불복|존재확인(및|·)?열람|"
            r"열람(및|·|ㆍ)?(존재확인|삭제)"
        ),
        1,
    ),
    7: (
        re.compile(
            r"안전성확보|기술적·관리적|물리적조치|기술적조치|관리적조치|물리적보관|"
            r"암호화|접근통제|잠금장치|시건장치"
        ),
        1,
    ),
    8: (
        re.compile(
            r"위탁|방침(의)?변경|관리대장|제3자제공|목적외이용|사무의위탁|자체운영|"
            r"그밖에[가-힣·]{0,30}필요한사항"
        ),
        1,
    ),
}


def items_present(text: str) -> list[int]:
    """Items 1-8 whose vocabulary appears in the text (headings, lines and table headers)."""
    return _items_in_flat(compact(text))


def _items_in_flat(flat: str) -> list[int]:
    return [item for item, (pattern, needed) in ITEMS.items() if _occurs(pattern, flat, needed)]


def _occurs(pattern: re.Pattern[str], flat: str, needed: int) -> bool:
    """Whether `needed` distinct words of the pattern occur, read only as far as it takes."""
    seen: set[str] = set()
    for match in pattern.finditer(flat):
        seen.add(match.group(0))
        if len(seen) >= needed:
            return True
    return False


def items_in(doc: Document, table_headers: str) -> list[int]:
    """Items 1-8 a page states; in a 개인정보 처리방침, only what its CCTV section states
    (its 위탁 of other processing is not item 8)."""
    if not is_general_privacy_policy(doc):
        # compact(text + " " + headers): a space is never composed with, so the parts add up
        return _items_in_flat(doc.flat + compact(table_headers))
    parts = []
    for block in cctv_blocks(doc):
        if block.kind == "table" and block.grid is not None:
            parts.extend(" ".join(row) for row in block.grid.header)
        else:
            parts.append(block.text)
    return items_present(" ".join(parts))


# A statement is shown as evidence, not stored as the policy's text: long lines are cut.
STATEMENT_CHARS = 300


def item_statements(doc: Document, items: list[int]) -> list[dict[str, int | str]]:
    """For each item found, the page's own words that state it: the first section title
    (a heading or a short numbered line) in the item's vocabulary, where a policy names
    what the section covers; else the first sentence; else a table's header row. An item
    found only across two lines has no single statement and is left out, never guessed."""
    blocks = cctv_blocks(doc)
    titled = {id(b) for b, t in zip(doc.blocks, _section_titles(doc), strict=True) if t}
    # (text, its compact form) by preference: titles, sentences, tables' header rows
    candidates: tuple[list[tuple[str, str]], ...] = ([], [], [])
    for block in blocks:
        if block.kind == "table" and block.grid is not None:
            candidates[2].extend(
                (text, compact(text)) for text in (" ".join(row) for row in block.grid.header)
            )
        elif block.text:
            candidates[0 if id(block) in titled else 1].append((block.text, block.flat))
    searched = [_joined(kind) for kind in candidates]
    found = []
    for item in items:
        pattern = ITEMS[item][0]
        # the first text of the most preferred kind that states the item
        text = next(
            (
                kind[bisect_right(starts, m.start()) - 1][0]
                for kind, (joined, starts) in zip(candidates, searched, strict=True)
                if (m := pattern.search(joined))
            ),
            None,
        )
        if text is None:
            continue
        if len(text) > STATEMENT_CHARS:
            text = text[: STATEMENT_CHARS - 1] + "…"
        found.append({"item": item, "text": text})
    return found


def _joined(texts: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """The compact texts joined by ".", and where each starts: one search finds the first
    text an item's pattern matches in. No pattern of ITEMS matches a "." or looks behind,
    so none matches across two texts or differently beside one."""
    starts, at = [], 0
    for _, flat in texts:
        starts.append(at)
        at += len(flat) + 1
    return ".".join(flat for _, flat in texts), starts


# A short numbered line that names a part of the page: "제10조(영상정보처리기기 설치·운영)",
# "3. 이동형 영상정보처리기기 운영", "나. 이동형 CCTV".
_NUMBERED_TITLE = re.compile(r"^(제\s*\d+\s*조|\d{1,2}\s*[.)]|[가-하]\s*[.)]|[①-⑳]|[<【\[])")
_SENTENCE_END = re.compile(r"(다|요)\.?$")
CCTV = re.compile(r"영상정보처리기기|CCTV|폐쇄회로|영상정보|네트워크카메라", re.I)
MOBILE = re.compile(r"이동형|차량용|드론|바디캠|웨어러블|휴대용")
FIXED = re.compile(r"고정형")
# Sections a general 개인정보 처리방침 has and a CCTV policy has not.
_PRIVACY_SECTIONS = re.compile(
    r"개인정보의?(처리목적|처리및보유|처리항목|항목|파기|제3자제공|처리(업무)?의?위탁|"
    r"처리위탁|안전성확보)|처리하는개인정보|정보주체와법정대리인"
)


def section_title(block: Block) -> str | None:
    """The text of a block that opens a part of the page: a heading, or a short numbered
    line that is not a sentence."""
    if block.kind == "heading":
        return block.text
    if block.kind != "line" or len(block.text) > 60:
        return None
    flat = block.flat
    if _NUMBERED_TITLE.match(flat) and not _SENTENCE_END.search(flat):
        return block.text
    return None


_Derived = TypeVar("_Derived")


def _once(doc: Document, name: str, work: Callable[[Document], _Derived]) -> _Derived:
    """`work(doc)`, computed once per document and its blocks: items, statements, contacts
    and device types all read the same section titles and paths."""
    blocks = tuple(doc.blocks)  # held, so no other block can take one's place (id)
    held = doc.derived.get(name)
    same = held is not None and len(held[0]) == len(blocks)
    if same and all(map(operator.is_, held[0], blocks)):
        return held[1]  # type: ignore[index, return-value]
    value = work(doc)
    doc.derived[name] = (blocks, value)
    return value


def is_general_privacy_policy(doc: Document) -> bool:
    """A 개인정보 처리방침 that covers CCTV in one of its sections (법 제25조제7항 단서),
    told by the sections only such a policy has."""
    return _once(doc, "general_privacy_policy", _is_general_privacy_policy)


def _is_general_privacy_policy(doc: Document) -> bool:
    titles = [t for t in _section_titles(doc) if t]
    privacy = {m.group(0) for t in titles for m in _PRIVACY_SECTIONS.finditer(compact(t))}
    return len(privacy) >= 2


def _section_titles(doc: Document) -> list[str | None]:
    return _once(doc, "section_titles", lambda d: [section_title(b) for b in d.blocks])


def in_sections(doc: Document) -> Iterator[tuple[Block, str]]:
    """Each block with the titles of the sections it sits in, outermost first, joined by
    " > " ("" before the first). A title closes the sections at its level and below."""
    return iter(_once(doc, "in_sections", _paths))


def _paths(doc: Document) -> list[tuple[Block, str]]:
    found = []
    path: list[tuple[int, str]] = []
    joined = ""  # the path as shown, rebuilt only where a title changes it
    for block, title in zip(doc.blocks, _section_titles(doc), strict=True):
        if title is not None:
            depth = _depth(block, title)
            while path and path[-1][0] >= depth:
                path.pop()
            path.append((depth, title))
            joined = " > ".join(t for _, t in path)
        found.append((block, joined))
    return found


_ARTICLE_OR_NUMBER = re.compile(r"제\d+조|\d{1,2}[.)]|[<【\[]")


def _depth(block: Block, title: str) -> int:
    """Headings by their tag; numbered lines by their numbering (제N조 and 1. above 가.)."""
    if block.kind == "heading":
        return block.level
    flat = compact(title)
    if _ARTICLE_OR_NUMBER.match(flat):
        return 7
    return 8


def cctv_blocks(doc: Document) -> list[Block]:
    """The blocks that speak of CCTV: a whole CCTV policy, or only the CCTV section(s) of a
    general 개인정보 처리방침, whose other processing (홈페이지 유지보수, 문자 발송) is
    not about cameras."""
    return list(_once(doc, "cctv_blocks", _cctv_blocks))


def _cctv_blocks(doc: Document) -> list[Block]:
    if not is_general_privacy_policy(doc):
        return list(doc.blocks)
    return [b for b, title in in_sections(doc) if CCTV.search(compact(title))]


def _mobile_title(text: str) -> bool:
    flat = compact(text)
    return bool(MOBILE.search(flat)) and not FIXED.search(flat)


def device_types(doc: Document) -> dict[str, str]:
    """Grid name → "mobile" for the tables that sit in a 이동형 section (a title on their
    path says 이동형 and not 고정형) or carry a 이동형 caption: their rows are mobile
    devices whatever their own words say. Other tables are left to their rows."""
    found: dict[str, str] = {}
    for block, path in in_sections(doc):
        if block.kind != "table" or block.grid is None:
            continue
        titles = [t for t in path.split(" > ") if t]
        if any(_mobile_title(t) for t in titles) or _mobile_title(block.grid.caption):
            found[block.grid.name] = "mobile"
    return found
