"""The site's front page: every institution in one table a reader can search, sort and
filter in the browser, read straight from the warehouse in one query.

The rows are plain HTML table rows, so the table is complete without JavaScript (and in
print); what `site.js` needs to sort and filter travels in `data-` attributes of the same
rows, never in a request: the page must work from `file://` and on any static host.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.text import compact
from warehouse.labels import MISSING, NOT_STATED, value_label
from warehouse.site.data import InstitutionData, SiteData, institution_codes
from warehouse.site.format import count
from warehouse.site.institution import page_name, page_templates

REQUIRED_ITEMS = 7  # 시행령 제25조제1항 제1호–제7호; 제8호 (그 밖의 사항) is open-ended
RETENTION_LIMIT_DAYS = 30
# ASCII folder names: a Hangul folder is percent-encoded in every link and its name can
# arrive decomposed (NFD) from a Mac or mangled by a zip tool, which breaks relative links.
INSTITUTION_DIR = "institutions"
LEVEL_ORDER = ("sido", "si", "gun", "gu", "other")


@dataclass(frozen=True)
class IndexRow:
    """One institution as the index lists it; None where the warehouse has no fact."""

    inst_code: str
    name: str
    sido: str | None
    level: str | None
    crawled: bool
    policy_found: bool | None  # None: never crawled (only the dimension names it)
    required_items: int | None  # of 제1호–제7호, stated on any of its policy pages
    template_only: bool
    retention_max: int | None  # the longer of what the policy states and its rows say
    over_30: bool | None
    cameras: int | None
    errors: int
    warnings: int
    infos: int

    @classmethod
    def of(cls, page: InstitutionData) -> IndexRow:
        """The row of one institution, from the same facts as its page."""
        inst, retention = page.institution, page.retention
        policies = page.policies
        found = True if policies else (page.crawl.policy_found if page.crawl else None)
        stated = [d for d in (retention.stated_max, retention.row_max) if d is not None]
        levels = {"error": 0, "warning": 0, "info": 0}
        for group in page.issues:
            levels[group.level] = levels.get(group.level, 0) + group.count
        return cls(
            inst_code=inst.code,
            name=inst.name,
            sido=inst.sido or None,
            level=inst.level,
            crawled=inst.crawled or page.crawl is not None or bool(policies),
            policy_found=found,
            required_items=sum(1 for i in page.items_present if 1 <= i <= REQUIRED_ITEMS)
            if policies
            else None,
            template_only=bool(policies) and all(p.is_template for p in policies),
            retention_max=max(stated) if stated else None,
            over_30=retention.keeps_over_30_days,
            cameras=page.camera_total,
            errors=levels["error"],
            warnings=levels["warning"],
            infos=levels["info"],
        )

    @property
    def compliance(self) -> str:
        """all: every required item stated; some: a policy that omits one; none: no policy."""
        if not self.policy_found or self.required_items is None:
            return "none"
        return "all" if self.required_items >= REQUIRED_ITEMS else "some"

    @property
    def issues(self) -> int:
        return self.errors + self.warnings + self.infos

    @property
    def search_key(self) -> str:
        """What the search box matches: name, code and 시도, NFKC-folded without spaces and
        lower-cased, as site.js folds what is typed."""
        return compact(f"{self.name} {self.inst_code} {self.sido or ''}").lower()

    @property
    def page(self) -> str:
        return institution_href(self.inst_code)

    # What the cells show: words and numbers as people write them.
    @property
    def level_text(self) -> str:
        return value_label("institution_level", self.level)

    @property
    def level_rank(self) -> int:
        """Where the level sorts: 광역 first, then 시, 군, 구 (not in 가나다 order)."""
        return LEVEL_ORDER.index(self.level) if self.level in LEVEL_ORDER else len(LEVEL_ORDER)

    @property
    def found_text(self) -> str:
        return _yes_no(self.policy_found, "미수집")

    @property
    def items_text(self) -> str:
        return MISSING if self.required_items is None else f"{self.required_items}/{REQUIRED_ITEMS}"

    @property
    def retention_text(self) -> str:
        if self.retention_max is not None:
            return count(self.retention_max, "일")
        return NOT_STATED if self.policy_found else MISSING

    @property
    def over_30_text(self) -> str:
        return _yes_no(self.over_30, MISSING)

    @property
    def cameras_text(self) -> str:
        return count(self.cameras)


def _yes_no(value: bool | None, unknown: str) -> str:
    return unknown if value is None else ("예" if value else "아니오")


def institution_href(inst_code: str) -> str:
    """The page of one institution, relative to the site's root."""
    return f"{INSTITUTION_DIR}/{page_name(inst_code)}"


def index_rows(data: SiteData) -> list[IndexRow]:
    """Every institution with a page: the crawled ones first (what a reader came for),
    each group in the pages' order (시도, 광역 first, then name)."""
    rows = [IndexRow.of(data.institutions[code]) for code in institution_codes(data)]
    return sorted(rows, key=lambda row: not row.crawled)  # stable: keeps the pages' order


# --- rendering -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexTotals:
    """The figures above the table."""

    institutions: int
    crawled: int
    policies: int
    complete: int
    over_30: int
    cameras: int

    @classmethod
    def of(cls, rows: Sequence[IndexRow]) -> IndexTotals:
        return cls(
            institutions=len(rows),
            crawled=sum(1 for r in rows if r.crawled),
            policies=sum(1 for r in rows if r.policy_found),
            complete=sum(1 for r in rows if r.compliance == "all"),
            over_30=sum(1 for r in rows if r.over_30),
            cameras=sum(r.cameras or 0 for r in rows),
        )


def render_index(
    rows: Sequence[IndexRow],
    *,
    national: Sequence[tuple[str, str]],
    built_at: str,
    sources: str,
) -> str:
    """The index page. `national`: (href, title) of the national summary pages; `built_at`
    and `sources` are already worded in Korean."""
    totals = IndexTotals.of(rows)
    found = {r.level for r in rows if r.level}
    levels = [(lv, value_label("institution_level", lv)) for lv in LEVEL_ORDER if lv in found]
    levels += [(lv, value_label("institution_level", lv)) for lv in sorted(found - {*LEVEL_ORDER})]
    return (
        page_templates()
        .get_template("index.html.j2")
        .render(
            rows=rows,
            totals={k: count(v) for k, v in vars(totals).items()},
            sidos=list(dict.fromkeys(r.sido for r in rows if r.sido)),
            levels=levels,
            national=national,
            built_at=built_at,
            sources=sources,
            required=REQUIRED_ITEMS,
            limit=RETENTION_LIMIT_DAYS,
            root=".",
        )
    )
