"""One institution's page: what a regulator prints or sends, with no code in it.

The page is rendered from `SiteData` alone (no query per page, no figure drawn: counts are
plain HTML bars), so a site of 243 pages takes a fraction of a second. Every value goes
through the shared Korean vocabulary (warehouse.labels) and the formats of
warehouse.site.format before the template sees it: the template receives only strings and
numbers already written for people, and Jinja's autoescape keeps captured text inert.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import jinja2

from warehouse.labels import (
    MISSING,
    NOT_STATED,
    issue_title,
    item_label,
    value_label,
)
from warehouse.site.archived import archived_path, extension
from warehouse.site.data import (
    CountGroup,
    InstitutionData,
    SiteData,
    Version,
    institution_codes,
)
from warehouse.site.format import (
    count,
    day_range,
    days,
    korean_date,
    kst_time,
    percent,
    ratio,
    row_place,
)

STYLESHEET = "assets/site.css"
INDEX = "index.html"


@functools.cache
def page_templates() -> jinja2.Environment:
    """The site's templates, HTML-escaped (names and URLs come from the web)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("warehouse.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def stylesheet() -> str:
    """The pages' stylesheet (screen and A4 print), as shipped with the package."""
    return resources.files("warehouse.site").joinpath("static", "site.css").read_text("utf-8")


def write_stylesheet(root: Path) -> Path:
    """`root`/assets/site.css, where every page's `{root}/assets/site.css` link points."""
    target = root / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stylesheet(), encoding="utf-8")
    return target


def page_name(inst_code: str) -> str:
    """The file name of an institution's page: `<기관코드>.html`."""
    return f"{inst_code}.html"


def render_institution(
    data: SiteData,
    inst_code: str,
    *,
    root: str = "..",
    index: bool = True,
    archive: bool = True,
) -> str:
    """The institution's page as one HTML document. `root` is the site's root relative to
    the page (its stylesheet is `{root}/assets/site.css`, the index `{root}/index.html`,
    archived copies `{root}/archive/…`); `index=False` leaves out the link to an index that
    is not there (a report of single pages), `archive=False` the links to archived copies
    that were not written. KeyError for a code with no page."""
    page = data.institutions[inst_code]
    context = page_context(page, data)
    context["root"] = root.rstrip("/") or "."
    context["index_href"] = f"{context['root']}/{INDEX}" if index else None
    if archive:
        for source in context["sources"]:
            source["archived_href"] = f"{context['root']}/{source['archived']}"
    return page_templates().get_template("institution.html.j2").render(context)


def page_context(page: InstitutionData, data: SiteData) -> dict:
    """Everything the template shows, as text people read."""
    inst = page.institution
    issues = _issues(page)
    errors = sum(g["n"] for g in issues if g["raw_level"] == "error")
    warnings = sum(g["n"] for g in issues if g["raw_level"] == "warning")
    required = len([i for i in page.items_present if 1 <= i <= 7])
    retention = _retention(page)
    return {
        "inst": inst,
        "level": value_label("institution_level", inst.level),
        "generated": kst_time(data.generated_at),
        "crawled": "수집함" if inst.crawled else "수집하지 않음",
        "crawl": _crawl(page),
        "ended": _ended(page),
        "policies": [
            {
                "title": p.title or MISSING,
                "note": "서식(예시)만 있는 방침" if p.is_template else "",
            }
            for p in page.policies
        ],
        "required_present": required,
        "items": [
            {
                "number": n,
                "label": item_label(n),
                "present": n in page.items_present,
                "evidence": (page.statement(n) or "여러 문장에 걸쳐 기재")
                if n in page.items_present
                else NOT_STATED,
            }
            for n in range(1, 9)
        ],
        "retention": retention,
        "retention_headline": retention["headline"],
        "over_30": retention["over_30"],
        "cameras": _cameras(page),
        "camera_headline": count(page.camera_total, "대")
        if page.camera_total is not None
        else count(page.stated_total, "대(방침 기재)"),
        "standard": _standard(page),
        "versions": [_version(v) for v in page.versions],
        "issues": issues,
        "issue_errors": errors,
        "issue_warnings": warnings,
        "issue_headline": _issue_headline(issues),
        "sources": _sources(page),
    }


def _crawl(page: InstitutionData) -> str:
    crawl = page.crawl
    if crawl is None:
        return ""
    when = kst_time(crawl.first_at)
    if crawl.policy_found:
        return f"{when} · 방침 찾음 ({value_label('route', crawl.route)})"
    return f"{when} · 방침을 찾지 못함 ({value_label('reason', crawl.reason)})"


def _ended(page: InstitutionData) -> str:
    inst = page.institution
    if inst.valid_to is None:
        return ""
    after = f", 이후 {inst.successor_code.replace(';', ', ')}" if inst.successor_code else ""
    return f"{korean_date(inst.valid_to)}까지{after}"


def _retention(page: InstitutionData) -> dict:
    r = page.retention
    # "미기재" is a finding about a policy; with no policy there is nothing to find.
    stated = day_range(r.stated_min, r.stated_max, stated=bool(page.policies))
    rows = day_range(r.row_min, r.row_max, stated=False)
    over = r.keeps_over_30_days
    longest = max((v for v in (r.stated_max, r.row_max) if v is not None), default=None)
    return {
        "stated": stated,
        "rows": rows,
        "rows_with": count(r.rows_with_retention, "행"),
        "median": days(r.row_median, stated=False),
        "rows_over_30": count(r.rows_over_30, "행"),
        "over_30": bool(over),
        "over_30_text": MISSING if over is None else ("예" if over else "아니오"),
        "said_by": (
            f"근거: {value_label('said_by', r.over_30_said_by)}"
            if over
            else ("보관기간이 적혀 있지 않음" if over is None else "방침과 행 모두 30일 이하")
        ),
        "headline": f"최대 {days(longest)}"
        if longest is not None
        else (NOT_STATED if page.policies else MISSING),
    }


def _bars(groups: tuple[CountGroup, ...], rest: CountGroup | None = None) -> list[dict]:
    shown = [*groups, *([rest] if rest else [])]
    widest = max((g.cameras or 0 for g in shown), default=0)
    return [
        {
            "label": g.label or "분류되지 않음",
            "rows": count(g.rows),
            "cameras": count(g.cameras),
            "width": f"{percent(g.cameras, widest):.1f}",
        }
        for g in shown
    ]


def _cameras(page: InstitutionData) -> dict:
    stated = page.stated_total
    total = page.camera_total
    if stated is None:
        agreement, disagree = "방침에 총 대수가 적혀 있지 않음", False
    elif total is None:
        agreement, disagree = "행에 대수가 없어 비교할 수 없음", False
    elif stated == total:
        agreement, disagree = "일치", False
    else:
        agreement, disagree = f"불일치 (차이 {count(abs(stated - total), '대')})", True
    return {
        "rows": page.camera_rows,
        "rows_text": count(page.camera_rows, "행"),
        "total": count(total, "대"),
        "stated": count(stated, "대")
        if stated is not None
        else (NOT_STATED if page.policies else MISSING),
        "agreement": agreement,
        "disagree": disagree,
        "by_purpose": _bars(page.by_purpose),
        "by_place": _bars(page.by_place, page.places_not_shown),
        "template_rows": count(page.template_rows, "행") if page.template_rows else "",
    }


def _standard(page: InstitutionData) -> dict | None:
    s = page.standard
    if s is None:
        return None
    return {
        "policy_rows": count(s.policy_rows),
        "policy_cameras": count(s.policy_cameras),
        "standard_points": count(s.standard_points),
        "standard_cameras": count(s.standard_cameras),
        "ratio": ratio(s.standard_to_policy),
        "flag": value_label("flag", s.flag),
        "reference": korean_date(s.reference_date) if s.reference_date else "",
    }


def _version(v: Version) -> dict:
    until = "현재" if v.is_current or v.valid_to is None else korean_date(v.valid_to)
    required = len([i for i in v.items_present if 1 <= i <= 7])
    return {
        "number": count(v.version),
        "period": f"{korean_date(v.valid_from)} – {until}",
        "title": v.title or MISSING,
        "note": "해석기 변경으로 다시 읽음" if v.rederived_from else "",
        "coverage": f"{required}/7" + (" (제8호 포함)" if 8 in v.items_present else ""),
        "retention": day_range(v.retention_min, v.retention_max),
        "cameras": count(v.camera_total, "대") if v.camera_rows else MISSING,
        "captures": count(v.captures, "회"),
        "current": v.is_current,
    }


def _issues(page: InstitutionData) -> list[dict]:
    groups = []
    for g in page.issues:
        examples = [
            {
                "message": e.message or issue_title(g.code),
                "where": _where(e.stage, e.row_ref),
            }
            for e in g.examples
        ]
        groups.append(
            {
                "raw_level": g.level,
                "level": value_label("issue_level", g.level),
                "level_class": g.level if g.level in ("error", "warning", "info") else "info",
                "title": issue_title(g.code),
                "n": g.count,
                "count": count(g.count, "건"),
                "examples": examples,
                "more": count(g.count - len(examples), "건") if g.count > len(examples) else "",
            }
        )
    return groups


def _where(stage: str | None, row_ref: str | None) -> str:
    """Which stage found it and where in the document: 해석 · 표 1, 3행."""
    parts = (value_label("stage", stage) if stage else "", row_place(row_ref))
    return " · ".join(p for p in parts if p)


def _issue_headline(issues: list[dict]) -> str:
    if not issues:
        return "없음"
    by_level: dict[str, int] = {}
    for g in issues:
        by_level[g["level"]] = by_level.get(g["level"], 0) + g["n"]
    return " · ".join(f"{level} {count(n, '건')}" for level, n in by_level.items())


def _sources(page: InstitutionData) -> list[dict]:
    return [
        {
            "role": value_label("role", s.role) if s.role else "문서",
            "kind": "웹 페이지"
            if extension(s.media_type) == "html"
            else (f"{extension(s.media_type).upper()} 파일"),
            "fetched": kst_time(s.fetched_at),
            "url": s.url if s.url and not s.url.lower().startswith("javascript:") else None,
            "sha256": s.sha256,
            "archived": archived_path(s),
            "archived_href": None,
            "warc": f"{s.warc_file} @ {s.warc_offset:,}" if s.warc_file else "",
        }
        for s in page.sources
    ]


__all__ = [
    "INDEX",
    "STYLESHEET",
    "institution_codes",
    "page_name",
    "render_institution",
    "stylesheet",
    "write_stylesheet",
]
