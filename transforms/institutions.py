"""관리기관명 → the 7-digit 기관코드 of one 지방자치단체, valid on a given day.

Standard-data files name the same body many ways: `서울특별시 종로구청`, `서울특별시_서초구`,
`서울특별시동작구청`, `용산구청`, `유성구청`, `부산광역시 사상구`, `부산광역시(자연재난과)
부산진구청`. Some short names exist in several 광역 (중구, 동구, 서구, 북구, 남구, 고성군),
so a name alone can be ambiguous: the 광역 prefix or the file's code column
(개방자치단체코드/제공기관코드) decides, and when neither does the answer is None with the
reason, never a guess. Codes changed on renames and on the 2026-07-01 reorganisation, so
candidates are filtered by validity on the row's date (SCD-2 rows, domain.md §3).

Pure: the institution rows are passed in (see `crawler.registry.dimension` for the file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from transforms.text import nfkc

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


@dataclass(frozen=True)
class InstitutionRow(Validity):
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
                return Resolution(hinted.inst_code, "code", "no 관리기관명; code column")
            return Resolution(None, "unknown", "no 관리기관명 and no known code")
        found = self._candidates(name or "")
        codes = sorted({i.inst_code for i in found})
        if hinted is not None:
            if hinted.inst_code in codes:
                return self._dated(hinted.inst_code, on, found)
            if hinted.level != "sido":
                if not codes:
                    return Resolution(hinted.inst_code, "code", f"{name!r} is not an institution")
                if any(_linked(i, hinted) for i in found):
                    return Resolution(
                        hinted.inst_code, "name", "the code column has its other-era code"
                    )
                return Resolution(
                    hinted.inst_code,
                    "mismatch",
                    f"{name!r} names {', '.join(codes)}, the code column says {hint}",
                )
            else:  # a 광역 code (a provider's trailer) only tells the 광역
                family = self.sido_of(hinted.inst_code)
                found = [i for i in found if i.parent_code in family or i.inst_code in family]
                codes = sorted({i.inst_code for i in found})
        if not codes:
            return Resolution(None, "unknown", f"{name!r} matches no institution")
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
                return Resolution(every[0], "expired", f"{every[0]} was not valid on {on}")
            codes = every
        return Resolution(None, "ambiguous", "candidates " + ", ".join(codes))


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
