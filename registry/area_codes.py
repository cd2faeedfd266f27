"""Which area code an institution's local phone numbers take: that of its 광역.

Pages in one city's own table write numbers without the area code ("(880-4031)"); the
phone grammar completes them with this, and leaves them out where the 광역 spans two.
"""

from __future__ import annotations

import re

from domain.text import nfkc

# 광역 기관코드 → area code.
AREA_CODES: dict[str, str] = {
    "6110000": "02",  # 서울
    "6260000": "051",  # 부산
    "6270000": "053",  # 대구
    "6280000": "032",  # 인천
    "6290000": "062",  # 광주 (until 2026-06-30)
    "6300000": "042",  # 대전
    "6310000": "052",  # 울산
    "5690000": "044",  # 세종
    "6410000": "031",  # 경기
    "6420000": "033",  # 강원도 (old code)
    "6530000": "033",  # 강원특별자치도
    "6430000": "043",  # 충북
    "6440000": "041",  # 충남
    "6450000": "063",  # 전라북도 (old code)
    "6540000": "063",  # 전북특별자치도
    "6460000": "061",  # 전남 (until 2026-06-30)
    "6470000": "054",  # 경북
    "6480000": "055",  # 경남
    "6500000": "064",  # 제주
}
# 전남광주통합특별시 (from 2026-07-01) spans 062 (광주) and 061 (전남): a local number there
# cannot be completed, so the code is deliberately absent from AREA_CODES and stops the lookup.
AMBIGUOUS_AREA: frozenset[str] = frozenset({"6130000"})


def area_code_for(inst_code: str | None, parent_code: str | None = None) -> str | None:
    """Area code of an institution's 광역, from its own code or its parent's."""
    for code in (inst_code, parent_code):
        key = re.sub(r"[^0-9]", "", nfkc(code))
        if key in AMBIGUOUS_AREA:
            return None
        if key in AREA_CODES:
            return AREA_CODES[key]
    return None
