"""What a page calls the body that publishes it: the names a reader would take as "who wrote
this", in the order a reader trusts them.

Most policy pages never show a 기관코드, and many live on hosts no registry lists (a
library's or welfare centre's own site). They do name themselves: "본 ○○복지관(이하
'복지관')은 …", "○○시는 「개인정보 보호법」 …", the policy title ("○○구 영상정보처리기기
운영·관리 방침"), the browser title, and the footer's copyright line. This module only finds
those names; `registry.institutions.identify_institution` decides what they point at.

Pure: strings in, names out. Nothing here knows the list of institutions.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from domain.text import nfkc

# Words that end the name of a public body, longest first where one ends another.
_BODY_ENDINGS = (
    "특별자치시",
    "특별자치도",
    "통합특별시",
    "특별시",
    "광역시",
    "시설관리공단",
    "도시관리공사",
    "사업본부",
    "소방본부",
    "본부",
    "소방서",
    "경찰서",
    "교육지원청",
    "관리공단",
    "공단",
    "공사",
    "재단",
    "도서관",
    "복지관",
    "복지센터",
    "센터",
    "사업소",
    "보건소",
    "의료원",
    "병원",
    "학교",
    "박물관",
    "미술관",
    "문화원",
    "문화의집",
    "회관",
    "수련관",
    "수련원",
    "체육회",
    "청",
    "시",
    "군",
    "구",
    "도",
)
_ENDING = "(?:" + "|".join(_BODY_ENDINGS) + ")"
# One word of a name: Hangul, digits or Latin letters, optionally led by a legal form.
_WORD = r"(?:\((?:재|사|주)\))?[가-힣][가-힣0-9]*"
# "본 ○○○복지관 (이하 '복지관'이라 함)은": up to three words before "(이하".
_DEFINED = re.compile(
    rf"(?:^|(?<=[\s「『\"'“‘]))(?:본\s*)?(?P<name>(?:{_WORD}\s){{0,2}}{_WORD}{_ENDING})\s*\(\s*이하"
)
# "김천시는 「개인정보 보호법」…" at the start of a line: a body speaking of itself.
_SPEAKS = re.compile(
    rf"^(?:\d+[.)]?\s*)?(?:본\s*)?(?P<name>(?:{_WORD}\s)?{_WORD}{_ENDING})(?:은|는|에서는)\s"
)
_NAME = re.compile(rf"(?:{_WORD}\s){{0,2}}{_WORD}{_ENDING}")
_ABOUT_POLICY = re.compile(r"개인정보|영상정보|CCTV|cctv|방침|설치|운영")
# The policy's own subject, after which the title names the document, not its author.
_POLICY_WORDS = re.compile(
    r"\s*(?:고정형|이동형|영상정보|개인영상|개인정보|CCTV|cctv|폐쇄회로|민원실|청사)"
)
_TITLE_SEPARATORS = re.compile(r"\s*(?:[|<>›»:/–—]|\s-\s)\s*")
_DECORATION = re.compile(r"[【】\[\]<>《》「」『』\"'“”‘’]")
_COPYRIGHT = re.compile(r"copyright|&copy;|&#169;|ⓒ|©|\(c\)", re.IGNORECASE)
# The same marks over the lower-cased markup: a case-blind scan of a whole page costs as much
# as parsing it, a case-sensitive one a fraction.
_COPYRIGHT_LOWER = re.compile(r"copyright|&copy;|&#169;|ⓒ|©|\(c\)")
_JOINED = re.compile(rf"(?P<first>.*?{_ENDING})(?:과|와|및)\s.*")
_TAGS = re.compile(r"<[^>]*>?")
# Where a copyright line ends in the markup: a block closes or a line breaks.
_LINE_END = re.compile(r"</(?:p|div|li|dd|address|footer|td)\s*>|<br\b", re.IGNORECASE)
_FOOTER_NAME = re.compile(rf"(?P<name>(?:{_WORD}\s){{0,2}}{_WORD}{_ENDING})(?![가-힣])")
# The years a copyright line gives ("2008-2024"), and where its name ends.
_YEARS = re.compile(r"\b(?:19|20)\d{2}(?:\s*[-~]\s*(?:19|20)?\d{2,4})?\b")
_RIGHTS = re.compile(r"all\s+rights|reserved", re.IGNORECASE)
# The footer is the page's last part; copyright lines further up are quotes of other sites.
_FOOTER_CHARS = 200
_MAX_FOOTER_LINES = 5
# Self-naming happens in the opening lines; further down pages quote other bodies.
_OPENING_LINES = 60
_GENERIC = {
    "본기관",
    "기관",
    "우리기관",
    "본원",
    "당원",
    "본관",
    "복지관",
    "도서관",
    "센터",
    "공단",
}


@dataclass(frozen=True)
class PageName:
    """A name the page gives itself and where it says so: `source` is one of self_naming,
    title (the policy's title or the browser title) and footer."""

    name: str
    source: str


def _clean(name: str) -> str | None:
    """The name as a page would print it, or None when it names no particular body."""
    name = nfkc(_DECORATION.sub(" ", name))
    name = re.sub(r"^(?:재단법인|사단법인|사회복지법인|\((?:재|사)\))\s*", "", name)
    # "○○복지관과 부설 ○○센터": the first body named is the one that speaks.
    if joined := _JOINED.fullmatch(name):
        name = joined["first"]
    if len(name) < 2 or name.replace(" ", "") in _GENERIC:
        return None
    return name


def _may_name(text: str) -> bool:
    """The words `self_named` needs before its patterns can match: "이하", or a speaker's
    particle and the policy's words. Most lines have neither."""
    return "이하" in text or (("은" in text or "는" in text) and bool(_ABOUT_POLICY.search(text)))


def self_named(lines: list[str]) -> list[str]:
    """Names the opening lines define or speak as: "본 ○○(이하 …)", "○○시는 …"."""
    found: list[str] = []
    for line in lines[:_OPENING_LINES]:
        if (line.isascii() or unicodedata.is_normalized("NFKC", line)) and not _may_name(line):
            continue  # nfkc would only fold spaces, dots and tildes, none of which the tests read
        text = nfkc(line)
        if "이하" in text:  # every definition says it; the pattern is slow on long lines
            found.extend(match["name"] for match in _DEFINED.finditer(text))
        # the speaker's particle (은, 는) and the policy's words first: both cheap, both needed
        speaks = ("은" in text or "는" in text) and _ABOUT_POLICY.search(text)
        if speaks and (spoken := _SPEAKS.match(text)):
            found.append(spoken["name"])
    return [n for n in map(_clean, found) if n]


def _is_name(text: str) -> bool:
    """`_NAME` is the whole text: which needs the text to end like a body's name, a test
    that costs a fraction of the pattern's backtracking through every ending."""
    return text.endswith(_BODY_ENDINGS) and _NAME.fullmatch(text) is not None


def title_names(titles: list[str]) -> list[str]:
    """Authors named by titles: "파주시 영상정보처리기기 운영·관리 방침" → 파주시; the
    browser title's parts ("영상정보처리방침 | ○○도서관") that end like a body's name."""
    found: list[str] = []
    for title in titles:
        for part in _TITLE_SEPARATORS.split(nfkc(title)):
            part = nfkc(_DECORATION.sub(" ", part))
            subject = _POLICY_WORDS.search(part)
            if subject and _is_name(part[: subject.start()]) and "방침" in part:
                found.append(part[: subject.start()])
            elif _is_name(part):
                found.append(part)
    return [n for n in map(_clean, found) if n]


def _copyright_marks(html_text: str) -> Iterator[re.Match[str]]:
    """`_COPYRIGHT`'s matches, found in the lower-cased text where lowering keeps every
    character in place (no "İ" growing into two) and "ı" (which the case-blind pattern
    takes for "i") is absent; the marks have fixed lengths, so the spans are the same."""
    lowered = html_text.lower()
    if len(lowered) != len(html_text) or "ı" in html_text:
        return _COPYRIGHT.finditer(html_text)
    return _COPYRIGHT_LOWER.finditer(lowered)


def footer_names(html_text: str) -> list[str]:
    """Names in the copyright lines of a page's markup ("Copyright © 2024 ○○군청. All
    rights reserved.", "ⓒ ○○시설관리공단"), the last lines first."""
    lines = []
    for match in _copyright_marks(html_text):
        chunk = html_text[match.end() : match.end() + _FOOTER_CHARS]
        chunk = _LINE_END.split(chunk, maxsplit=1)[0]
        lines.append(html.unescape(_TAGS.sub(" ", chunk)))
    found: list[str] = []
    for chunk in reversed(lines[-_MAX_FOOTER_LINES:]):
        text = nfkc(_YEARS.sub(" ", chunk))
        text = _RIGHTS.split(text)[0]
        if match := _FOOTER_NAME.search(text):
            found.append(match["name"])
    # "Copyright &copy;" and "COPYRIGHT(C)" mark one line twice.
    return list(dict.fromkeys(n for n in map(_clean, found) if n))


def page_names(
    lines: list[str], policy_titles: list[str], html_title: str, html_text: str
) -> list[PageName]:
    """Every name the page gives itself, most trusted first: what the body text says it is,
    the policy's title, the browser title, then the footer."""
    names = [PageName(n, "self_naming") for n in self_named(lines)]
    names += [PageName(n, "title") for n in title_names([*policy_titles, html_title])]
    names += [PageName(n, "footer") for n in footer_names(html_text)]
    return names
