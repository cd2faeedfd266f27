"""A policy page as an ordered list of blocks (headings, lines, tables), chrome removed.

Government CMS pages wrap the policy in menus, news lists, surveys and footers. Rather than
knowing each CMS, the policy body is found as the smallest element that still holds most
of the page's policy vocabulary; blocks are then read from it in document order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

from lxml import etree

from domain.text import compact, fold
from transforms.grid import Grid
from transforms.html.dom import drop_all, parse_html, stopped_at_depth_limit, text_of
from transforms.html.tables import MAX_CELLS, read_table
from transforms.issues import Issue

# Words that policy bodies use and page chrome does not.
_POLICY_WORDS = re.compile(
    r"영상정보처리기기|개인영상정보|보관기간|촬영시간|설치목적|설치근거|관리책임자|접근권한|열람|"
    r"보관장소|촬영범위|설치대수|안전성확보|위탁|처리방법"
)
# Blocks that are chrome wherever they appear, by id/class.
_CHROME = re.compile(
    r"(^|[\s_-])(gnb|lnb|snb|header|footer|foot|quick|skip|breadcrumb|location|util|"
    r"satisfaction|survey|research|weather|banner|sitemap|allmenu|top_?menu|side|sns|share|"
    r"kogl|copyright|page_?info|manager|charge|dept_?info|cont_?info|nav)([\s_-]|$)",
    re.I,
)
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "dd",
    "dt",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "caption",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "br",
    "tr",
    "address",
    "center",
    "fieldset",
    "form",
} | _HEADING_TAGS

_STRUCTURE = {"ul", "ol", "table", "p", "div", "dl", "br"}
MAX_DEPTH = 400  # deeper nesting is hostile or broken; it is cut, not recursed into


class _KeptText:
    """A text worked out from its object on first read and kept in the object's __dict__,
    as `functools.cached_property` keeps it, without the lock that one takes on each first
    read (Python 3.11): every line of a page is read this way, by one thread."""

    def __init__(self, work: Callable[[Any], str]) -> None:
        self.work = work
        self.__doc__ = work.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _KeptText: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str: ...
    def __get__(self, obj: object, owner: type | None = None) -> str | _KeptText:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.work(obj)
        return value


@dataclass
class Block:
    kind: str  # "heading" | "line" | "table"
    text: str = ""
    level: int = 0
    grid: Grid | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) inside the block

    @_KeptText
    def flat(self) -> str:
        """`compact(text)`, the form matching works on, worked out once: half a dozen
        extractors read every line, and a page of more lines than the memo of `compact`
        holds would otherwise normalise each line once per extractor."""
        return compact(self.text)


@dataclass
class Document:
    title: str
    blocks: list[Block]
    page_headings: list[str]  # every heading of the whole page: the title often sits outside
    links: list[tuple[str, str]]  # every (href, text) in the policy body, in order
    text: str  # the body's normalised text, lines joined with "\n"
    full_text: str  # lines and table rows in page order: what a change of content changes
    issues: list[Issue] = field(default_factory=list)  # what was cut to keep the work bounded
    # href → the link's title attribute, where it has one: "현황(2024).hwp 다운로드" on a
    # link whose words say only "다운로드" tells the attachment's kind.
    link_titles: dict[str, str] = field(default_factory=dict)
    # Readings of the blocks that several extractors share (section titles, the CCTV part),
    # worked out once per document (transforms.sections); not part of what the page says.
    derived: dict[str, tuple[tuple[Block, ...], object]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @_KeptText
    def flat(self) -> str:
        """`compact(text)`, read by the item vocabulary and the device scope. Put together
        from the lines' own compact forms, which the extractors have worked out already:
        the lines are joined by newlines, which NFKC never composes with and compact drops,
        so the pieces are the whole. A document whose text was set apart from its blocks
        is normalised as it stands."""
        lines = [b for b in self.blocks if b.kind != "table"]
        if "\n".join(b.text for b in lines) != self.text:
            return compact(self.text)
        return "".join(b.flat for b in lines)


def _classes(el: etree._Element) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


# First syllables of the words above: a cheap test before normalising a text node.
_FIRST_SYLLABLES = re.compile("[영개보촬설관접열안위처]")


def _flat_words(text: str) -> str:
    """`compact(text)` as far as the policy words can tell: NFKC, whitespace removed. The
    middle dots and tildes compact also unifies are in none of the words, and a page's
    texts are each read once here, so neither the unifying nor compact's memo pays."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def vocabulary_counts(root: etree._Element) -> dict[etree._Element, int]:
    """Policy words under every element, counted once per text and summed upwards, so
    finding the content root costs one pass instead of one pass per level. Texts are read
    as each element's text and tail: an XPath over text nodes walks back over every
    adjacent text node for each one (quadratic where dropped elements left many). Sums
    move up once, children before parents: adding each text's words to all its ancestors
    in turn costs the page's depth per text (quadratic on deeply nested pages)."""
    counts: dict[etree._Element, int] = {}
    first = _FIRST_SYLLABLES.search
    elements = list(root.iter())
    words = _POLICY_WORDS.findall
    for el in elements:
        text = el.text
        # isascii() reads a flag CPython keeps: whitespace and markup-only texts cost nothing
        if text and not text.isascii() and first(text) and (hits := len(words(_flat_words(text)))):
            counts[el] = counts.get(el, 0) + hits
        tail = el.tail
        if (
            tail
            and not tail.isascii()
            and first(tail)
            and (hits := len(words(_flat_words(tail))))
            and (holder := el.getparent()) is not None
        ):
            counts[holder] = counts.get(holder, 0) + hits
    for el in reversed(elements):  # document order puts every parent before its children
        if hits := counts.get(el):
            parent = el.getparent()
            if parent is not None:
                counts[parent] = counts.get(parent, 0) + hits
    return counts


def content_root(root: etree._Element, counts: dict[etree._Element, int]) -> etree._Element:
    """The deepest element holding at least 80% of the page's policy vocabulary."""
    body = root.find("body")
    best = body if body is not None else root
    total = counts.get(best, 0)
    if total == 0:
        return best
    while True:
        nxt = next(
            (c for c in best if isinstance(c.tag, str) and counts.get(c, 0) >= 0.8 * total),
            None,
        )
        if nxt is None:
            return best
        best = nxt


_CHROME_TAGS = {"header", "footer", "nav", "aside"}


def _chrome(el: etree._Element, counts: dict[etree._Element, int]) -> list[etree._Element]:
    """Menus, footers and banners below `el`, to be dropped. One walk over the elements: an
    XPath union of the same tests merges its node sets pairwise (quadratic on large pages)."""
    chrome = []
    for child in el.iter(etree.Element):  # elements only, not comments
        if child is el:
            continue
        is_chrome = child.tag in _CHROME_TAGS or (
            (child.get("id") is not None or child.get("class") is not None)
            and _CHROME.search(_classes(child))
        )
        if is_chrome and counts.get(child, 0) < 3:  # never what carries the policy itself
            chrome.append(child)
    return chrome


def _link_text(a: etree._Element) -> str:
    return fold(text_of(a)) or fold(a.get("title"))


class _Walker:
    def __init__(self, heading_texts: dict[etree._Element, str] | None = None) -> None:
        # Headings' texts already read for the page's headings (and still whole).
        self.heading_texts = heading_texts or {}
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.buffer_links: list[tuple[str, str]] = []
        self.tables = 0
        self.links: list[tuple[str, str]] = []
        self.cells_left = MAX_CELLS
        # Tables cut or skipped once the page's cells ran out: (table, source row cut at).
        self.cut: list[tuple[str, int]] = []

    def flush(self) -> None:
        if not self.buffer and not self.buffer_links:
            return  # most block boundaries follow another one
        text = fold("".join(self.buffer))
        if text:
            self.blocks.append(Block("line", text, links=self.buffer_links))
        elif self.buffer_links and self.blocks:
            self.blocks[-1].links.extend(self.buffer_links)
        self.buffer, self.buffer_links = [], []

    def _table(self, el: etree._Element) -> None:
        self.flush()
        self.tables += 1
        grid, cut_at = read_table(el, f"table {self.tables}", self.cells_left)
        self.cells_left -= len(grid.rows) * grid.width
        if cut_at is not None:
            self.cut.append((grid.name, cut_at))
        links = [(a.get("href", ""), _link_text(a)) for a in el.iter("a") if a.get("href")]
        self.links.extend(links)
        self.blocks.append(Block("table", grid.caption, grid=grid, links=links))

    def _heading(self, el: etree._Element, level: int) -> None:
        self.flush()
        text = self.heading_texts.get(el)
        if text is None:
            text = fold(text_of(el))
        if text:
            self.blocks.append(Block("heading", text, level=level))
        for a in el.iter("a"):
            if a.get("href"):
                self.links.append((a.get("href", ""), _link_text(a)))

    def _definitions(self, el: etree._Element, depth: int) -> None:
        """<dl>: a short <dd> reads as "key : value" (보관기간 : 30일); a long or structured
        one (accordions: <dt>제1조 …</dt><dd>…</dd>) makes its <dt> a heading."""
        self.flush()
        key = ""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "dt":
                if key:
                    self.blocks.append(Block("heading", key, level=6))
                key = fold(text_of(child))
            elif child.tag == "dd":
                value = fold(text_of(child))
                structured = any(
                    isinstance(c.tag, str) and c.tag in _STRUCTURE for c in child.iter()
                )
                if key and value and len(value) <= 80 and not structured:
                    self.blocks.append(
                        Block(
                            "line",
                            f"{key} : {value}",
                            links=[
                                (a.get("href", ""), _link_text(a))
                                for a in child.iter("a")
                                if a.get("href")
                            ],
                        )
                    )
                    self.links.extend(self.blocks[-1].links)
                else:
                    if key:
                        self.blocks.append(Block("heading", key, level=6))
                    self.walk(child, depth + 1)
                    self.flush()
                key = ""
            else:
                self.walk(child, depth + 1)
        if key:
            self.blocks.append(Block("heading", key, level=6))

    def walk(self, el: etree._Element, depth: int = 0) -> None:
        tag = el.tag  # lxml makes a new string on every read of .tag
        if depth > MAX_DEPTH or not isinstance(tag, str):
            return
        tag = tag.lower()
        if tag == "table":
            if el.find(".//table") is None:
                self._table(el)
                return
            self.flush()  # a layout table: its cells hold the real content
        elif tag in _HEADING_TAGS:
            self._heading(el, int(tag[1]))
            return
        elif tag == "dl":
            self._definitions(el, depth)
            return
        elif tag in ("p", "div", "li") and _is_bold_line(el):
            self._heading(el, 6)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        if tag == "a" and el.get("href"):
            link = (el.get("href", ""), _link_text(el))
            self.links.append(link)
            self.buffer_links.append(link)
        # each read of .text or .tail makes a new string from the tree: read each once
        if text := el.text:
            self.buffer.append(text)
        for child in el:
            self.walk(child, depth + 1)
            if tail := child.tail:
                self.buffer.append(tail)
        if block:
            self.flush()


def _is_bold_line(el: etree._Element) -> bool:
    """<p><strong>…</strong></p>: pages that style headings instead of marking them up."""
    text = el.text
    if not len(el) or (text and not text.isspace()):
        return False  # the tests below, cheapest first: no child, or text before it
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in ("strong", "b"):
        return False
    if (text or "").strip() or (children[0].tail or "").strip():
        return False
    text = text_of(children[0]).strip()
    return 0 < len(text) <= 80 and children[0].find(".//*") is None


def read_document(html_text: str) -> Document:
    root = parse_html(html_text)
    too_deep = stopped_at_depth_limit()
    title_el = root.find(".//title")
    title = fold(text_of(title_el)) if title_el is not None else ""
    heading_texts = {h: fold(text_of(h)) for h in root.iter(*_HEADING_TAGS)}
    page_headings = list(heading_texts.values())
    counts = vocabulary_counts(root)
    body = content_root(root, counts)
    chrome = _chrome(body, counts)
    for dropped in chrome:
        for heading in dropped.iterancestors(*_HEADING_TAGS):
            heading_texts.pop(heading, None)  # loses part of its text with the chrome
    drop_all(chrome)
    walker = _Walker(heading_texts)
    walker.walk(body)
    walker.flush()
    issues = []
    if too_deep:
        issues.append(
            Issue(
                "warning",
                "html_too_deep",
                "페이지의 요소 중첩이 256단계를 넘어 그 아래 내용은 읽지 않음",
            )
        )
    if walker.cut:
        shown = ", ".join(f"{name} {row}행부터" for name, row in walker.cut[:5]) + (
            f" 외 {len(walker.cut) - 5}개" if len(walker.cut) > 5 else ""
        )
        issues.append(
            Issue(
                "warning",
                "tables_truncated",
                f"페이지의 표를 펼친 칸이 {MAX_CELLS:,}개를 넘어 읽지 않은 부분: {shown}",
                walker.cut[0][0],
            )
        )
    text = "\n".join(b.text for b in walker.blocks if b.kind != "table")
    full_text = "\n".join(
        b.text
        if b.kind != "table" or b.grid is None
        else "\n".join(" | ".join(row) for row in b.grid.rows)
        for b in walker.blocks
    )
    return Document(
        full_text=full_text,
        title=title,
        blocks=walker.blocks,
        page_headings=page_headings,
        links=walker.links,
        text=text,
        issues=issues,
        link_titles={
            a.get("href", ""): fold(a.get("title"))
            for a in body.iter("a")
            if a.get("title") and a.get("href")
        },
    )
