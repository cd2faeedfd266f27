"""Which of the eight items of 시행령 제25조제1항 a policy states.

Pages number their sections every way (1., 가., ①, 제1조, none at all), so items are found
by the vocabulary each one needs, in headings and body text alike.
"""

from __future__ import annotations

import re

from transforms.text import compact

# Each item: patterns over whitespace-free text, and how many distinct ones must occur.
ITEMS: dict[int, tuple[re.Pattern[str], int]] = {
    1: (re.compile(r"설치근거|설치목적|설치·운영목적"), 1),
    2: (re.compile(r"설치대수|설치운영대수|설치현황|운영현황|설치위치|촬영범위|설치장소"), 1),
    3: (re.compile(r"관리책임자|접근권한|보호책임자|관리담당자|담당부서"), 1),
    4: (re.compile(r"촬영시간|보관기간|보존기간|보관장소|처리방법|파기"), 2),
    5: (re.compile(r"확인방법|확인장소"), 1),
    6: (re.compile(r"열람등(의)?요구|열람·존재확인|열람또는존재확인"), 1),
    7: (re.compile(r"안전성확보|기술적·관리적|물리적조치|기술적조치|관리적조치|물리적보관"), 1),
    8: (re.compile(r"위탁|방침(의)?변경|관리대장|제3자제공|목적외이용"), 1),
}


def items_present(text: str) -> list[int]:
    """Items 1-8 whose vocabulary appears in the text (headings, lines and table headers)."""
    flat = compact(text)
    found = []
    for item, (pattern, needed) in ITEMS.items():
        if len({m.group(0) for m in pattern.finditer(flat)}) >= needed:
            found.append(item)
    return found
