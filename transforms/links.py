"""Which links matter: the policy page (found by its link text) and attachment downloads.

Sites word the policy link in many ways, old and new (영상정보처리기기 운영·관리방침,
운영방침, 영상정보처리기기운영, 개인영상정보 보호방침, CCTV 설치·운영 안내, 고정형·이동형 …),
so links are scored on normalised text against the reviewed vocabulary
`maps/policy_vocabulary.csv` rather than matched against a list of URLs. A new wording
found in the field is a row there, with a note of where it was seen.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from domain.formats import ATTACHMENT_EXTENSIONS, extension_pattern
from domain.text import compact

KINDS = frozenset(
    {
        "title",  # a wording of the policy's name; weight = its link score
        "device",  # names the device; with policy words it makes a policy link
        "policy_word",  # 방침, 운영, 관리 …: weights summed with the device's
        "scope",  # 고정형, 이동형, 본청, 사업소: links of different scopes are different policies
        "privacy",  # the 개인정보 처리방침
        "not_policy",  # complaints, maps, forms: never the policy, whatever else they say
        "earlier_version",  # 이전, 지난, 종전 …: history, not a policy in force
        "current",  # 현재, 현행: a dated item that is the one in force
        "revision",  # 제정, 개정, 변경: a dated entry of the policy's revision history
        "sitemap",
        "fact",  # the Decree's items (보관기간, 설치대수 …): what a policy page holds
        "attachment",  # 첨부파일, 다운로드: a file list
        "js_notice",  # <noscript> notices
        "browser_block",  # "browser not supported" pages
        "login",
        "error_page",
    }
)
# A link scoring below this is not a policy link.
MIN_POLICY_SCORE = 4
# Titles this strong name the policy on their own (a board post's subject, a page heading).
NAMING_WEIGHT = 7


@dataclass(frozen=True)
class Term:
    text: str  # as written in the vocabulary
    key: str  # the form it is matched in (`term_key`)
    kind: str
    weight: int


_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=16384)
def term_key(text: str | None) -> str:
    """The form texts and terms are compared in: NFKC, lower case, letters and digits only
    (운영·관리 방침, 운영ㆍ관리방침 and 운영 관리 방침 are one key)."""
    return _NOT_WORD.sub("", compact(text).lower())


def read_vocabulary(lines: Iterable[str]) -> tuple[Term, ...]:
    """Terms from CSV lines (term, kind, weight, notes); a row with an unknown kind, no
    term or a weight that is not a whole number is an error naming its line, so that a
    typo cannot silently drop a wording."""
    terms = []
    for line, row in enumerate(csv.DictReader(lines), start=2):
        kind, key = (row.get("kind") or "").strip(), term_key(row.get("term"))
        weight = (row.get("weight") or "").strip()
        if kind not in KINDS or not key or not weight.isdigit():
            raise ValueError(f"policy_vocabulary.csv line {line}: bad row {row!r}")
        terms.append(Term(row["term"], key, kind, int(weight)))
    return tuple(terms)


@cache
def vocabulary() -> tuple[Term, ...]:
    """The reviewed vocabulary, `maps/policy_vocabulary.csv`."""
    path = resources.files("transforms") / "maps" / "policy_vocabulary.csv"
    with path.open(encoding="utf-8") as fh:
        return read_vocabulary(fh)


@cache
def terms(kind: str) -> tuple[Term, ...]:
    """The terms of one kind, longest first (a longer term is the more specific match)."""
    if kind not in KINDS:
        raise ValueError(f"no such vocabulary kind: {kind}")
    return tuple(sorted((t for t in vocabulary() if t.kind == kind), key=lambda t: -len(t.key)))


def found(text: str, kind: str) -> list[Term]:
    """Terms of `kind` the text contains."""
    key = term_key(text)
    return [t for t in terms(kind) if t.key in key] if key else []


def mentions(text: str, kind: str) -> bool:
    key = term_key(text)
    return bool(key) and any(t.key in key for t in terms(kind))


def policy_link_score(text: str) -> int:
    """0 when the link is not a CCTV policy link; higher is more certain. The better of the
    strongest title the text contains and the device's weight plus its policy words."""
    key = term_key(text)
    if not key or mentions(key, "privacy") or mentions(key, "not_policy"):
        return 0
    devices = [t.weight for t in terms("device") if t.key in key]
    if not devices:
        return 0
    composed = max(devices) + sum(t.weight for t in terms("policy_word") if t.key in key)
    title = max((t.weight for t in terms("title") if t.key in key), default=0)
    score = max(composed, title)
    return score if score >= MIN_POLICY_SCORE else 0


def policy_scope(text: str) -> frozenset[str]:
    """Which policy of the institution a link names (고정형, 이동형, 본청, 사업소 …); links
    with different scopes lead to different policies, links with the same scope to one."""
    return frozenset(t.key for t in found(text, "scope"))


def names_policy(text: str) -> bool:
    """The text carries a full title of the policy (a page heading, a board post subject)."""
    key = term_key(text)
    if not key or mentions(key, "privacy"):
        return False
    return any(t.key in key for t in terms("title") if t.weight >= NAMING_WEIGHT)


def is_privacy_link(text: str) -> bool:
    return mentions(text, "privacy")


def is_sitemap_link(text: str) -> bool:
    return mentions(text, "sitemap")


def has_cctv_policy(text: str) -> bool:
    """A page (a 개인정보 처리방침, say) that sets out the CCTV items: the device named
    and at least three of the facts the Decree asks for."""
    return mentions(text, "device") and len(found(text, "fact")) >= 3


_DATED = re.compile(r"(19|20)\d\d\s*[.\-/년]\s*\d{1,2}")


def is_earlier_version_link(context: str) -> bool:
    """A link to an earlier version of the policy, judged by its surroundings (the list
    item or table row, a date beside it, its title attribute): "2012. 03. 30 ~ 2018. 03.
    31. (클릭 … 으로 이동)" or "이전 방침 보기". An item marked 현재 or 현행 is the one in
    force. Earlier versions are history, not another policy in force."""
    if mentions(context, "current"):
        return False
    return mentions(context, "earlier_version") or bool(_DATED.search(compact(context)))


def is_version_entry(context: str) -> bool:
    """A dated entry of the policy's revision history ("2016. 01. 변경 되었으며 즉시
    적용됩니다.", "2015. 1. 최초 제정"): one version of the policy, often a file, never
    an inventory of the one in force."""
    if mentions(context, "current"):
        return False
    return bool(_DATED.search(compact(context))) and mentions(context, "revision")


_EXTS = extension_pattern(ATTACHMENT_EXTENSIONS)  # xlsx|hwpx|xls|csv|hwp|pdf|zip
_FILE_EXT = re.compile(rf"\.({_EXTS})(?:$|[?#])", re.I)
_DOWNLOAD = re.compile(
    r"(file_?down|down_?load|download|filedown|atchfileid|fileSn|file_?id=|getfile|downfile|"
    r"fms/|attach)",
    re.I,
)


def is_attachment_link(href: str, text: str = "") -> bool:
    """A link that downloads a file rather than opening a page."""
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return False
    parts = urlsplit(href)
    if _FILE_EXT.search(parts.path) or names_file(text) or _query_kind(parts.query):
        return True
    if _text_kind(text):
        return True
    if _DOWNLOAD.search(parts.path) or _DOWNLOAD.search(parts.query):
        return True
    query = parse_qs(parts.query)
    return any(k.lower() in ("atchfileid", "filesn", "fileid", "file_id") for k in query)


_FILE_NAME = re.compile(rf"\.({_EXTS})(?![a-z0-9])", re.I)


def names_file(text: str) -> bool:
    """Link text that names a document file (운영방침.hwp, 붙임 현황.xlsx (35KB))."""
    return bool(_FILE_NAME.search(compact(text)))


# A file name inside a query value: "?fileNm=현황.hwp", "?file=/upload/a.pdf&sn=1".
_QUERY_FILE = re.compile(rf"\.({_EXTS})$", re.I)
# The kind said in words beside the link: "hwp다운로드", "[PDF]", "PDF 파일", "한글파일".
_TEXT_KIND = re.compile(
    rf"(?<![a-z])({_EXTS})(?:다운로드|내려받기|다운|download|파일|file|문서|\])|"
    rf"\[({_EXTS})|(?:다운로드|내려받기)\(?({_EXTS})|"
    r"(한글|엑셀)(?:파일|문서|다운로드)",
    re.I,
)
_WORD_KINDS = {"한글": "hwp", "엑셀": "xlsx"}


def _query_kind(query: str) -> str | None:
    for values in parse_qs(query).values():
        for value in values:
            if m := _QUERY_FILE.search(value.strip()):
                return m.group(1).lower()
    return None


def _text_kind(text: str | None) -> str | None:
    m = _TEXT_KIND.search(compact(text).lower())
    if m is None:
        return None
    word = next(g for g in m.groups() if g)
    return _WORD_KINDS.get(word, word.lower())


def attachment_kind(href: str, text: str | None = None, title: str | None = None) -> str:
    """The file kind a link promises before it is fetched: the path's extension, the link's
    title, the query string (?fileNm=현황.hwp), then the link's words (hwp다운로드, [PDF]);
    "unknown" when none says. The fetched file's Content-Disposition and magic bytes
    (transforms.sniff) decide in the end."""
    parts = urlsplit(href or "")
    if m := _FILE_EXT.search(parts.path):
        return m.group(1).lower()
    for name in (title, text):
        if m := _FILE_NAME.search(compact(name)):
            return m.group(1).lower()
    if kind := _query_kind(parts.query):
        return kind
    return _text_kind(title) or _text_kind(text) or "unknown"
