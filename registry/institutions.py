"""관리기관명 → the 7-digit 기관코드 of one 지방자치단체, valid on a given day.

Standard-data files name the same body many ways: `서울특별시 종로구청`, `서울특별시_서초구`,
`서울특별시동작구청`, `용산구청`, `유성구청`, `부산광역시 사상구`, `부산광역시(자연재난과)
부산진구청`. Some short names exist in several 광역 (중구, 동구, 서구, 북구, 남구, 고성군),
so a name alone can be ambiguous: the 광역 prefix or the file's code column
(개방자치단체코드/제공기관코드) decides, and when neither does the answer is None with the
reason, never a guess. Codes changed on renames and on the 2026-07-01 reorganisation, so
candidates are filtered by validity on the row's date (SCD-2 rows, domain.md §3).

Pure: the institution rows are passed in (see `registry.dimension` for the file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from domain.text import nfkc
from registry.area_codes import area_code_for

# Codes seen in old data for an institution that now has another code (README of the
# reference list: SR uses 3510000, the pre-2018 남구 code, for 미추홀구).
CODE_ALIASES: dict[str, str] = {"3510000": "3510500"}
# Names of renamed bodies → their code (인천 남구 became 미추홀구 on 2018-07-01).
NAME_ALIASES: dict[tuple[str, str], str] = {("6280000", "남구"): "3510500"}

_CODE = re.compile(r"^\d{7}$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SIDO_SUFFIXES = ("특별자치시", "특별자치도", "통합특별시", "특별시", "광역시", "도")
_OFFICE = re.compile(r"(?<=[시군구])청$")
_SELF = {"", "청", "본청"}


class InstitutionLike(Protocol):
    inst_code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None


class Validity:
    """SCD-2 validity, shared by the dimension's rows and the crawl registry's: a code is
    in force from `valid_from` to `valid_to`, both inclusive, open where None."""

    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Institutional(Validity):
    """What every institution row offers, from the dimension or the crawl registry."""

    inst_code: str
    name: str
    parent_code: str | None

    @property
    def area_code(self) -> str | None:
        """The area code its local phone numbers take (that of its 광역)."""
        return area_code_for(self.inst_code, self.parent_code)

    def hint(self, directory: InstitutionDirectory | None = None) -> InstitutionHint:
        """What a parse is told about a document known to be this institution's."""
        return InstitutionHint(
            code=self.inst_code, name=self.name, area_code=self.area_code, directory=directory
        )


@dataclass(frozen=True)
class InstitutionRow(Institutional):
    """One row of the institution dimension (SCD-2: a code with its validity)."""

    inst_code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    sigungu_code5: str | None = None
    homepage: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_code: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The answer and why: status is one of
    - "name": the name (and any code given) point at one institution;
    - "code": only the code column identified it (name absent or not an institution);
    - "expired": one institution, but its code was no longer valid on the date;
    - "mismatch": the name points elsewhere than the code column; the code is kept;
    - "ambiguous": the name fits several institutions and nothing decides (code None);
    - "unknown": no institution has that name (code None)."""

    inst_code: str | None
    status: str
    detail: str = ""


def _valid(inst: InstitutionLike, day: dt.date) -> bool:
    return (inst.valid_from is None or inst.valid_from <= day) and (
        inst.valid_to is None or day <= inst.valid_to
    )


def _sido_aliases(full: str) -> list[str]:
    """Short spellings of a 광역 name: 서울특별시 → 서울; 경상북도 → 경상북, 경북."""
    aliases = []
    for suffix in _SIDO_SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix) + 1:
            short = full[: -len(suffix)]
            aliases.append(short)
            if len(short) == 3 and short[-1] in "남북":
                aliases.append(short[0] + short[2])
            break
    return aliases


class InstitutionResolver:
    """Name (+ optional code, date) → inst_code, over a list of institution rows."""

    def __init__(self, institutions: Iterable[InstitutionLike]) -> None:
        self.rows: list[InstitutionLike] = list(institutions)
        self._by_code: dict[str, list[InstitutionLike]] = defaultdict(list)
        self._by_short: dict[str, list[InstitutionLike]] = defaultdict(list)
        for inst in self.rows:
            self._by_code[inst.inst_code].append(inst)
            if inst.level != "sido":
                self._by_short[_key(inst.short_name)].append(inst)
        self._sido_family = self._families()
        # Full 광역 names may be followed directly by the rest ("서울특별시동작구청");
        # short forms only by a space, since "광주시" is also a 시 in 경기도.
        self._full: list[tuple[str, str]] = []
        self._short: list[tuple[str, str]] = []
        for inst in self.rows:
            if inst.level != "sido":
                continue
            self._full.append((_key(inst.name), inst.inst_code))
            for alias in _sido_aliases(inst.name):
                self._short.append((alias, inst.inst_code))
                # "서울시", "부산시" — but not "광주시", which is a 시 of 경기도.
                if inst.name.endswith("시") and f"{alias}시" not in self._by_short:
                    self._short.append((f"{alias}시", inst.inst_code))
        self._full.sort(key=lambda a: -len(a[0]))
        self._short.sort(key=lambda a: -len(a[0]))

    def _families(self) -> dict[str, frozenset[str]]:
        """Each 광역 code → the codes of the same 광역 in every era (predecessors and
        successors), so "광주광역시 동구" finds 전남광주통합특별시's 동구 after 2026-07-01."""
        links: dict[str, set[str]] = defaultdict(set)
        for inst in self.rows:
            if inst.level == "sido":
                links[inst.inst_code].add(inst.inst_code)
                for successor in (inst.successor_code or "").split(";"):
                    if successor := successor.strip():
                        links[inst.inst_code].add(successor)
                        links[successor].add(inst.inst_code)
        families: dict[str, frozenset[str]] = {}
        for code in links:
            seen, todo = set(), [code]
            while todo:
                current = todo.pop()
                if current not in seen:
                    seen.add(current)
                    todo.extend(links[current] - seen)
            families[code] = frozenset(seen)
        return families

    def by_code(self, code: str | None, day: dt.date | None = None) -> InstitutionLike | None:
        """The row of a code (the one valid on the day when the code has several)."""
        code = CODE_ALIASES.get(code or "", code or "")
        rows = self._by_code.get(code, [])
        if day is not None:
            rows = [r for r in rows if _valid(r, day)] or rows
        return rows[-1] if rows else None

    def sido_of(self, code: str) -> frozenset[str]:
        inst = self.by_code(code)
        if inst is None:
            return frozenset()
        own = inst.inst_code if inst.level == "sido" else (inst.parent_code or "")
        return self._sido_family.get(own, frozenset({own}))

    def split_sido(self, text: str) -> tuple[str | None, str]:
        """(광역 code, rest of the name); None when the name starts with no 광역."""
        for alias, code in self._full:
            if text.startswith(alias):
                return code, text[len(alias) :].strip()
        for alias, code in self._short:
            if text.startswith(alias + " ") or text == alias:
                return code, text[len(alias) :].strip()
        return None, text

    def _candidates(self, name: str) -> list[InstitutionLike]:
        """Institutions the name may mean, narrowed by its 광역 prefix when it has one."""
        text = _normalise(name)
        sido, rest = self.split_sido(text)
        if sido is not None and rest in _SELF:
            return list(self._by_code[sido])
        rest = _OFFICE.sub("", rest)
        tokens = rest.split()
        if sido is not None and tokens and (alias := NAME_ALIASES.get((sido, tokens[0]))):
            return list(self._by_code[alias])
        found: list[InstitutionLike] = []
        # The whole rest, its first word ("성남시 분당구"), its last ("경상북도 김천시" when
        # the list holds no 경상북도 row).
        for probe in (rest.replace(" ", ""), *(tokens[:1] + tokens[-1:])):
            found = list(self._by_short.get(_OFFICE.sub("", probe), []))
            if found:
                break
        if sido is not None:
            family = self._sido_family.get(sido, frozenset({sido}))
            found = [i for i in found if i.parent_code in family]
        return found

    def resolve(
        self, name: str | None, *, on: dt.date | None = None, code: str | None = None
    ) -> Resolution:
        """The institution a 관리기관명 (and the row's code column, if any) names on a day."""
        hint = CODE_ALIASES.get((code or "").strip(), (code or "").strip())
        hinted = self.by_code(hint, on) if _CODE.match(hint) else None
        if not (name or "").strip():
            if hinted is not None:
                return Resolution(hinted.inst_code, "code", "관리기관명 없음: 코드 열로 찾음")
            return Resolution(None, "unknown", "관리기관명도 알려진 코드도 없음")
        found = self._candidates(name or "")
        codes = sorted({i.inst_code for i in found})
        if hinted is not None:
            if hinted.inst_code in codes:
                return self._dated(hinted.inst_code, on, found)
            if hinted.level != "sido":
                if not codes:
                    return Resolution(hinted.inst_code, "code", f"'{name}'은(는) 기관명이 아님")
                if any(_linked(i, hinted) for i in found):
                    return Resolution(hinted.inst_code, "name", "코드 열에 다른 시기의 코드가 적힘")
                return Resolution(
                    hinted.inst_code,
                    "mismatch",
                    f"관리기관명 '{name}'에 해당하는 기관은 {', '.join(codes)}인데 "
                    f"코드 열은 {hint}",
                )
            else:  # a 광역 code (a provider's trailer) only tells the 광역
                family = self.sido_of(hinted.inst_code)
                found = [i for i in found if i.parent_code in family or i.inst_code in family]
                codes = sorted({i.inst_code for i in found})
        if not codes:
            return Resolution(None, "unknown", f"'{name}'에 해당하는 기관이 없음")
        return self._dated(None, on, found)

    def _dated(
        self, chosen: str | None, on: dt.date | None, found: list[InstitutionLike]
    ) -> Resolution:
        """Pick among candidates by validity on the day; report expiry and ambiguity."""
        if chosen is not None:
            found = [i for i in found if i.inst_code == chosen]
        if on is None:
            current = [i for i in found if i.valid_to is None]
            pool = current or found
        else:
            pool = [i for i in found if _valid(i, on)]
        codes = sorted({i.inst_code for i in pool})
        if len(codes) == 1:
            return Resolution(codes[0], "name")
        if not codes:
            every = sorted({i.inst_code for i in found})
            if len(every) == 1:
                return Resolution(
                    every[0], "expired", f"기관코드 {every[0]}은(는) {on}에 유효하지 않음"
                )
            codes = every
        return Resolution(None, "ambiguous", "후보 " + ", ".join(codes))


def _successors(inst: InstitutionLike) -> set[str]:
    return {c.strip() for c in (inst.successor_code or "").split(";") if c.strip()}


def _linked(a: InstitutionLike, b: InstitutionLike) -> bool:
    """One is the other's predecessor or successor (a renamed or reorganised body)."""
    return b.inst_code in _successors(a) or a.inst_code in _successors(b)


def _key(text: str) -> str:
    return nfkc(text).replace(" ", "")


def _normalise(name: str) -> str:
    """Parenthesised notes and underscores out, whitespace folded: `부산광역시(자연재난과)
    부산진구청` → `부산광역시 부산진구청`, `서울특별시_서초구` → `서울특별시 서초구`."""
    text = _PARENTHESES.sub(" ", nfkc(name)).replace("_", " ")
    return " ".join(text.split())


# ── Which institution a page is from ─────────────────────────────────────────────────────
# The registry says who a page was crawled for; the page says who wrote it. Both are read,
# in the order of how much they can be trusted, and a disagreement is reported, never settled
# by picking one silently.

IDENTIFIED_BY = (
    "hint",
    "registry_host",
    "registry_parent_host",
    "self_naming",
    "title",
    "footer",
    "dimension_name",
)
CONFIDENCE = ("high", "medium", "low")
# Short names this short are common words as well (중구 in 집중구역): only read where a
# 광역 name precedes them or nothing Hangul does.
_SHORT_WORD = 2
_SCHOOL = re.compile(r"(?<!대)학교$")


@dataclass(frozen=True)
class InstitutionDirectory:
    """Every institution a page may be from, with its homepage: the dimension (both eras)
    and the crawl registry (whose hosts may differ). Frozen and hashable, so the worker that
    parses many documents builds its indexes once."""

    rows: tuple[InstitutionRow, ...]

    @classmethod
    def of(cls, *sources: Iterable[InstitutionLike]) -> InstitutionDirectory:
        seen: set[tuple[str, str | None]] = set()
        rows: list[InstitutionRow] = []
        for source in sources:
            for inst in source:
                homepage = getattr(inst, "homepage", None) or None
                if (inst.inst_code, homepage) in seen:
                    continue
                seen.add((inst.inst_code, homepage))
                rows.append(
                    InstitutionRow(
                        inst_code=inst.inst_code,
                        name=inst.name,
                        short_name=inst.short_name,
                        level=inst.level,
                        parent_code=inst.parent_code,
                        homepage=homepage,
                        valid_from=inst.valid_from,
                        valid_to=inst.valid_to,
                        successor_code=inst.successor_code,
                    )
                )
        return cls(tuple(rows))


@dataclass(frozen=True)
class Identification:
    """Who a document is from, how that was decided (`identified_by`, one of IDENTIFIED_BY)
    and how sure it is (`confidence`, one of CONFIDENCE); `issues` say what could not be
    settled."""

    code: str | None = None
    name: str | None = None
    identified_by: str | None = None
    confidence: str | None = None
    parent_code: str | None = None
    issues: tuple[tuple[str, str, str], ...] = ()  # (level, code, message)


@dataclass(frozen=True)
class _Claim:
    """What one name on the page points at: the institution (None when nothing or several
    equals) and the name as the page writes it."""

    inst: InstitutionLike | None
    name: str
    source: str
    body: bool  # the name is of a body other than the local government itself
    candidates: tuple[str, ...] = ()  # the equals it could be, when it is none of them


class _Index:
    """Host and name lookups over a directory, built once per directory."""

    def __init__(self, directory: InstitutionDirectory) -> None:
        self.resolver = InstitutionResolver(directory.rows)
        self.by_host: dict[str, list[InstitutionRow]] = defaultdict(list)
        for row in directory.rows:
            if host := _host(row.homepage):
                self.by_host[host].append(row)
        keys: dict[str, set[str]] = defaultdict(set)
        local_names = {_key(r.short_name) for r in directory.rows if r.level != "sido"}
        for row in directory.rows:
            keys[_key(row.name)].add(row.inst_code)
            if row.level == "sido":
                # 서울시, 경북도, 제주도; never 광주시, which is 경기도's.
                spoken = [a + row.name[-1] for a in _sido_aliases(row.name)]
                names = [_key(row.name)] + [a for a in spoken if a not in local_names]
            else:
                names = [_key(row.short_name)]
            for name in names:
                keys[name].add(row.inst_code)
                keys[_OFFICE.sub("", name) + "청"].add(row.inst_code)
        self.keys = dict(keys)
        # Bodies named after their government without its 시/군/구 or 광역 suffix: 용인도시공사,
        # 대구의료원, 전남대학교병원. Read only at the start of a body's name.
        stems: dict[str, set[str]] = defaultdict(set)
        for row in directory.rows:
            if row.level == "sido":
                for alias in _sido_aliases(row.name):
                    stems[alias].add(row.inst_code)
            elif len(stem := _key(row.short_name)[:-1]) >= _SHORT_WORD:
                stems[stem].add(row.inst_code)
        self.stems = sorted(stems.items(), key=lambda kv: -len(kv[0]))
        alternatives = sorted(self.keys, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(k) for k in alternatives if k))

    def host(self, url: str | None) -> tuple[list[InstitutionRow], str | None]:
        """Rows registered at the URL's host ("registry_host"), else at its nearest parent
        domain or at a subdomain of it ("registry_parent_host")."""
        host = _host(url)
        if not host:
            return [], None
        if rows := self.by_host.get(host):
            return rows, "registry_host"
        bare = host.removeprefix("www.")
        best: list[InstitutionRow] = []
        best_len = 0
        for registered, rows in self.by_host.items():
            base = registered.removeprefix("www.")
            related = bare == base or bare.endswith("." + base) or base.endswith("." + bare)
            if related and base.count(".") >= 2 and len(base) > best_len:
                best, best_len = rows, len(base)
        return best, ("registry_parent_host" if best else None)

    def named(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """(matched key, codes) for every institution name in `text`, longest first at each
        place; a two-letter short name (중구) only where no Hangul precedes it."""
        key = _key(text)
        found = []
        for match in self.pattern.finditer(key):
            word = match.group()
            before = key[match.start() - 1] if match.start() else ""
            sido_before = found and found[-1][2] == match.start()
            if len(word) <= _SHORT_WORD and "가" <= before <= "힣" and not sido_before:
                continue
            found.append((word, frozenset(self.keys[word]), match.end()))
        return [(w, c) for w, c, _ in found]


def _host(url: str | None) -> str:
    if not url:
        return ""
    netloc = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    return netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")


@lru_cache(maxsize=4)
def _index(directory: InstitutionDirectory) -> _Index:
    return _Index(directory)


def _one(rows: Iterable[InstitutionLike]) -> InstitutionLike | None:
    """The one institution the rows are, across its eras (the one in force today when a
    reorganised body has several codes); None when they are different bodies."""
    rows = list(rows)
    codes = {r.inst_code for r in rows}
    if len(codes) == 1:
        return rows[-1]
    current = [r for r in rows if r.valid_to is None]
    if len({r.inst_code for r in current}) == 1 and all(
        r in current or any(_linked(r, c) for c in current) for r in rows
    ):
        return current[-1]
    return None


def _today(index: _Index, inst: InstitutionLike | None) -> InstitutionLike | None:
    """A name of a body since reorganised into one other (전라남도 → 전남광주통합특별시) means
    that body today; a body split in several keeps its old code."""
    if inst is None or inst.valid_to is None or len(_successors(inst)) != 1:
        return inst
    return index.resolver.by_code(next(iter(_successors(inst)))) or inst


def _family(index: _Index, inst: InstitutionLike) -> frozenset[str]:
    return index.resolver.sido_of(inst.inst_code)


def _agrees(index: _Index, named: InstitutionLike, anchor: InstitutionLike) -> bool:
    """The page names the anchor itself, another era of it, or its 광역 (less precisely)."""
    if named.inst_code == anchor.inst_code or _linked(named, anchor):
        return True
    return named.level == "sido" and named.inst_code in _family(index, anchor)


def _claim(index: _Index, name: str, source: str, context: frozenset[str]) -> _Claim:
    """What one page name points at: its longest institution name, narrowed to the 광역 named
    in it or around it (`context`), one era; never a pick between equals."""
    matches = index.named(name)
    if not matches:
        key = _key(name)
        matches = [(w, frozenset(c)) for w, c in index.stems if key.startswith(w)][:1]
        if not matches or len(key) <= len(matches[0][0]) + 1:
            return _Claim(None, name, source, body=True)
    word, codes = max(matches, key=lambda m: len(m[0]))
    rows = [r for r in index.resolver.rows if r.inst_code in codes]
    sidos = {c for _, cs in matches for c in cs if index.resolver.by_code(c).level == "sido"}
    for near in (frozenset(sidos), context):
        if len({r.inst_code for r in rows}) > 1 and near:
            narrowed = [
                r
                for r in rows
                if r.inst_code in near or r.parent_code in near or _family(index, r) & near
            ]
            rows = narrowed or rows
    inst = _today(index, _one(rows))
    if inst is not None and _SCHOOL.search(_key(name)) and inst.level != "sido":
        inst = index.resolver.by_code(inst.parent_code)  # schools are the 광역's (교육청)
    body = _key(name) not in {_key(word), _key(inst.name) if inst else ""} and not (
        inst is not None and _key(name) in {_key(inst.name) + "청", word + "청"}
    )
    candidates = () if inst else tuple(sorted({r.inst_code for r in rows}))
    return _Claim(inst, name, source, body, candidates)


def identify_institution(
    directory: InstitutionDirectory | None,
    *,
    url: str | None = None,
    names: Iterable[tuple[str, str]] = (),
    opening: str = "",
    hint_code: str | None = None,
    hint_name: str | None = None,
) -> Identification:
    """Who a document is from: the given code or the registry by URL host first, then the
    names the page gives itself ((name, source) pairs, most trusted first), then institution
    names in its `opening` text. A page that names another institution than the registry's
    keeps the registry's, with an `institution_mismatch` issue naming both."""
    if directory is None:
        if hint_code:
            return Identification(hint_code, hint_name, "hint", "high")
        return Identification()
    index = _index(directory)
    anchor: InstitutionLike | None = None
    anchor_by: str | None = None
    host_rows, host_by = index.host(url)
    if hint_code:
        anchor = index.resolver.by_code(hint_code)
        anchor_by = host_by if any(r.inst_code == hint_code for r in host_rows) else "hint"
        if anchor is None:
            return Identification(hint_code, hint_name, "hint", "high")
    elif (hosted := _one(host_rows)) is not None:
        anchor, anchor_by = hosted, host_by
    context = (
        _family(index, anchor)
        if anchor
        else frozenset(c for r in host_rows for c in _family(index, r))
    )
    claims = [_claim(index, name, source, context) for name, source in names]
    named = [c for c in claims if c.inst is not None]
    if anchor is not None:
        return _anchored(index, anchor, anchor_by or "hint", claims, named, hint_name)
    if named:
        first = named[0]
        assert first.inst is not None
        speaker = next((c for c in claims if c.body and c.source == "self_naming"), None)
        # The page's own opening name wins over a longer one further down (its footer).
        ahead = speaker is not None and claims.index(speaker) < claims.index(first)
        body = speaker if ahead else first if first.body else None
        sources = {
            c.source
            for c in named
            if c.inst is not None and c.inst.inst_code == first.inst.inst_code
        }
        return Identification(
            first.inst.inst_code,
            body.name if body else first.inst.name,
            first.source,
            "high" if len(sources) > 1 else "medium",
            first.inst.parent_code,
        )
    mentioned = [
        r
        for _, codes in index.named(opening)
        for r in index.resolver.rows
        if r.inst_code in codes and r.level != "sido"
    ]
    if (inst := _one(mentioned)) is not None:
        return Identification(inst.inst_code, inst.name, "dimension_name", "low", inst.parent_code)
    return _unidentified(claims)


def _unidentified(claims: list[_Claim]) -> Identification:
    """No code: the page's own name kept when it gives one, and the reason as an issue."""
    first = claims[0] if claims else None
    ambiguous = next((c for c in claims if c.candidates), None)
    if ambiguous is not None:
        reason = (
            f"페이지가 밝힌 기관명('{ambiguous.name}')을 쓰는 기관이 여럿"
            f"({', '.join(ambiguous.candidates)})이고 페이지나 호스트로 어느 기관인지 가릴 수 없음"
        )
    elif first is not None:
        reason = f"페이지가 밝힌 기관명('{first.name}')에 해당하는 기관이 목록에 없음"
    else:
        reason = "등록된 호스트가 아니고 페이지에도 기관명이 없음"
    return Identification(
        None,
        first.name if first else None,
        first.source if first else None,
        "low" if first else None,
        issues=(("warning", "institution_unidentified", reason),),
    )


def _anchored(
    index: _Index,
    anchor: InstitutionLike,
    anchor_by: str,
    claims: list[_Claim],
    named: list[_Claim],
    hint_name: str | None,
) -> Identification:
    """The registry's institution, named as the page names it when the page agrees (a 공단
    or 도서관 of that government), with the disagreement recorded when it does not."""
    issues: tuple[tuple[str, str, str], ...] = ()
    if named and not _agrees(index, named[0].inst, anchor):  # type: ignore[arg-type]
        other = named[0].inst
        assert other is not None
        issues = (
            (
                "warning",
                "institution_mismatch",
                f"페이지가 밝힌 기관명('{named[0].name}', {other.inst_code} {other.name})이 "
                f"수집 대상({anchor.inst_code} {hint_name or anchor.name})과 달라 "
                f"{anchor.inst_code}로 둠",
            ),
        )
    body = next(
        (
            c
            for c in claims
            if c.body
            and (
                (c.inst is None and c.source == "self_naming")
                or (c.inst and _agrees(index, c.inst, anchor))
            )
        ),
        None,
    )
    name = body.name if body and not issues else hint_name or anchor.name
    confidence = "high" if anchor_by in ("hint", "registry_host") else "medium"
    return Identification(anchor.inst_code, name, anchor_by, confidence, anchor.parent_code, issues)


@dataclass(frozen=True)
class InstitutionHint:
    """What the caller knows of who a document is from: the registry row it was crawled for
    (code, name, area code for phones) and the institutions it may name (`directory`), which
    the parse reads the page against when the code is not known or the page disagrees."""

    code: str | None = None
    name: str | None = None
    area_code: str | None = None
    directory: InstitutionDirectory | None = None
