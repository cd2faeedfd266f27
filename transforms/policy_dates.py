"""When a policy was enacted (제정) and last changed (변경, 개정, 시행, 적용).

Pages put several dates in one sentence ("2013. 3. 4. 제정되었으며, 2023. 9. 15. … 개정")
or in one line ("제정 2012. 1. 2. / 개정 2022. 11. 21."), so each date takes the keyword
of its own clause. Page metadata (최근수정일, 등록일) is the CMS's, not the policy's.
"""

from __future__ import annotations

import datetime as dt
import re

from domain.text import compact
from transforms.html.document import Document
from transforms.values import find_dates

_ENACTED = re.compile(r"제정")
_REVISED = re.compile(r"변경|개정|시행|적용")
_PAGE_META = re.compile(r"수정일|등록일|작성일|게시일|조회수")
_HISTORY_HEADER = re.compile(r"시행기간|적용기간|시행일|개정일|변경일|시행일자|개정이력|변경이력")
_CLAUSE = re.compile(r"[/,，()（）;]|(?<=며)\s|(?<=고)\s|(?<=다\.)\s")


_YEAR = re.compile(r"(19|20)\d\d")


def _has_year(text: str) -> bool:
    """Whether a year (19xx, 20xx) is written: every date has one, most lines none."""
    return ("19" in text or "20" in text) and _YEAR.search(text) is not None


def _classify(text: str, in_history: bool, enacted: list, revised: list) -> None:
    if not _has_year(text):
        return
    for clause in _CLAUSE.split(text):
        if not _YEAR.search(clause):
            continue
        dates = find_dates(clause)
        if not dates:
            continue
        if _ENACTED.search(clause):
            enacted.extend(dates)
        elif in_history or _REVISED.search(clause) or _REVISED.search(text):
            revised.extend(dates)


def policy_dates(doc: Document) -> tuple[dt.date | None, dt.date | None]:
    enacted: list[dt.date] = []
    revised: list[dt.date] = []
    in_history = False
    for block in doc.blocks:
        if block.kind == "heading":
            in_history = bool(_REVISED.search(block.text)) or "이력" in block.text
        elif block.kind == "line":
            if _has_year(block.text) and not _PAGE_META.search(block.flat):
                _classify(block.text, in_history, enacted, revised)
        elif block.kind == "table" and block.grid is not None:
            grid = block.grid
            header = " ".join(" ".join(r) for r in grid.header) or " ".join(
                grid.rows[0] if grid.rows else []
            )
            if _HISTORY_HEADER.search(compact(header + grid.caption)) or in_history:
                for row in grid.body:
                    _classify(" ".join(row), True, enacted, revised)
    enacted_on = min(enacted) if enacted else None
    revised_on = max(revised) if revised else None
    return enacted_on, revised_on
