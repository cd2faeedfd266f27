"""Purpose (설치목적) grammar: the ten national categories and the PIPA basis behind them.

Two kinds of input arrive here. Standard-data cells hold a category name or one of its old
spellings ("방범용", "주차단속", " 쓰레기불법투기"); those go through the reviewed alias table
`transforms/maps/purposes.csv`. Policy pages write purposes as sentences ("시설안전 및
화재예방. 고객의 안전을 위한 범죄 예방"); those are read by the ordered keyword table below.
A sentence naming two or more categories is "다목적" (domain.md §2.4).

Decisions (keep them in one place so reviewers can change them):
- "청사내방범" → 시설물관리: cameras inside an institution's own building are what pages
  list under "시설안전 및 화재예방" (PIPA 제25조제1항 item 3), even when the label says 방범.
- "수위관리 및 시설안전" → 다목적 (legal basis 3): water-level watch is 재난재해 and the
  facility wording is 시설물관리; two categories make 다목적, as for any other sentence.
- "물흘림" → 기타: the meaning of this old standard-data value is not documented.
- "법령에서 구체적으로 허용하고 있는 경우" (item 1) and "저장하지 아니하는 경우" (item 6) name a
  legal basis but no category; alone they give 기타.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from domain.text import compact, nfkc

CANONICAL_PURPOSES: tuple[str, ...] = (
    "생활방범",
    "다목적",
    "어린이보호",
    "교통단속",
    "시설물관리",
    "재난재해",
    "쓰레기단속",
    "차량방범",
    "기타",
    "교통정보수집",
)
# PIPA 제25조제1항 item each category rests on; 다목적/기타 take whatever the words say.
LEGAL_BASIS: dict[str, tuple[int, ...]] = {
    "생활방범": (2,),
    "차량방범": (2,),
    "어린이보호": (2,),
    "쓰레기단속": (2,),
    "시설물관리": (3,),
    "재난재해": (3,),
    "교통단속": (4,),
    "교통정보수집": (5,),
    "다목적": (),
    "기타": (),
}
ALIAS_TABLE = Path(__file__).resolve().parent.parent / "maps" / "purposes.csv"

_MULTI = "다목적"
_OTHER = "기타"
# Ordered: a match blanks its span, so "차량방범" is read as 차량방범 and not again as 방범,
# and "교통정보" is not read again as traffic enforcement. Category None = basis only.
_KEYWORDS: tuple[tuple[re.Pattern[str], str | None, tuple[int, ...]], ...] = tuple(
    (re.compile(pattern), canonical, basis)
    for pattern, canonical, basis in (
        (r"다목적|복합목적", _MULTI, ()),
        (
            r"교통정보|교통량|교통흐름|교통상황|교통소통|소통정보|교통관제|교통조사|돌발상황"
            r"|(?<![A-Za-z])ITS(?![A-Za-z])",
            "교통정보수집",
            (5,),
        ),
        (
            r"교통단속|주정차|주차단속|불법주차|과속|신호위반|속도위반|버스전용|전용차로"
            r"|꼬리물기|끼어들기|그린파킹|단속카메라|무인단속|교통위반",
            "교통단속",
            (4,),
        ),
        (r"쓰레기|무단투기|불법투기|투기단속|투기방지|폐기물|불법소각", "쓰레기단속", (2,)),
        (
            r"차량방범|차번|번호판|번호인식|차량번호|차량인식|차량판독|LPR|ANPR|수배차량|도난차량"
            r"|차량도난|차량파손|차량털이",
            "차량방범",
            (2,),
        ),
        (r"어린이|(?<!대)학교|유치원|스쿨존|아동|통학로|초등|중등", "어린이보호", (2,)),
        (
            r"재난|재해|산불|수위|하천|홍수|침수|적설|제설|수해|태풍|산사태|낙석|해일|지진"
            r"|방재|수문|월파|저수지|급경사|붕괴|해안감시|결빙",
            "재난재해",
            (3,),
        ),
        (r"시설|화재|청사|문화재|도난|출입|건물|주차장|보안|재산보호", "시설물관리", (3,)),
        (
            r"방범|범죄|치안|우범|여성안심|귀갓길|취약지|파출소|지구대|경찰|생활안전",
            "생활방범",
            (2,),
        ),
        (r"법령|다른법", None, (1,)),
        (r"저장하지(아니|않)", None, (6,)),
        (r"기타", _OTHER, ()),
    )
)


@dataclass(frozen=True)
class Purpose:
    """A purpose cell: one of the ten categories (or None) and the PIPA items it rests on."""

    canonical: str | None
    legal_basis: tuple[int, ...]
    raw: str | None


def _load_aliases(path: Path) -> dict[str, str]:
    """Read the reviewed alias table; a wrong category is a review error and must fail loudly."""
    aliases: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alias, canonical = compact(row.get("alias")), compact(row.get("canonical"))
            if not alias:
                continue
            if canonical not in CANONICAL_PURPOSES:
                raise ValueError(f"{path.name}: {alias!r} maps to unknown purpose {canonical!r}")
            aliases[alias.casefold()] = canonical
    return aliases


ALIASES: dict[str, str] = _load_aliases(ALIAS_TABLE)


def _signals(flat: str) -> list[tuple[int, str | None, tuple[int, ...]]]:
    """Keyword hits as (position, category, basis), in order of appearance."""
    hits: list[tuple[int, str | None, tuple[int, ...]]] = []
    text = flat
    for pattern, canonical, basis in _KEYWORDS:
        for m in pattern.finditer(text):
            hits.append((m.start(), canonical, basis))
        text = pattern.sub(lambda m: "\0" * len(m.group()), text)
    return sorted(hits, key=lambda hit: hit[0])


def _union(hits: list[tuple[int, str | None, tuple[int, ...]]]) -> tuple[int, ...]:
    items: list[int] = []
    for _, _, basis in hits:
        items.extend(i for i in basis if i not in items)
    return tuple(items)


@lru_cache(maxsize=8192)  # pure, and inventories repeat cell texts
def classify_purpose(text: str | None) -> Purpose:
    """Map a purpose cell or sentence to a category; unknown text gives canonical None."""
    raw = nfkc(text) or None
    flat = compact(text)
    if not flat:
        return Purpose(None, (), None)
    hits = _signals(flat)
    known = flat if flat in CANONICAL_PURPOSES else ALIASES.get(flat.casefold())
    if known:
        return Purpose(known, LEGAL_BASIS[known] or _union(hits), raw)
    if not hits:
        return Purpose(None, (), raw)
    categories = {c for _, c, _ in hits if c not in (None, _OTHER)}
    if _MULTI in categories or len(categories) > 1:
        canonical = _MULTI
    elif categories:
        canonical = categories.pop()
    else:
        canonical = _OTHER
    return Purpose(canonical, _union(hits), raw)
