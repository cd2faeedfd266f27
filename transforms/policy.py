"""A policy page (its blocks) → the policy facts: items, retention, hours, storage, dates,
contacts, contractors, attachments, and the camera rows of any inventory table on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from domain.formats import TABULAR_KINDS
from domain.text import compact
from transforms import statements, totals
from transforms.cameras import as_inventory, rows_from_inventory
from transforms.columns import map_columns
from transforms.grid import Grid
from transforms.grid_blocks import split_side_by_side
from transforms.html.document import Document
from transforms.issues import Issue
from transforms.links import attachment_kind, is_attachment_link
from transforms.people import contacts_from_grid, contacts_from_lines, contractors
from transforms.policy_dates import policy_dates
from transforms.prose_inventory import inventory_grids
from transforms.sections import device_types, item_statements, items_in
from transforms.statements import transpose_if_vertical
from transforms.values import is_placeholder, parse_recording_hours, parse_retention

# Links to where the inventory is kept when it is not on the page (a board, a list page).
_INVENTORY_LINK = re.compile(
    r"(CCTV|영상정보처리기기)(설치|운영)?(현황|내역|목록|위치)|설치현황|운영현황|운영내역"
)
_FORM = re.compile(r"청구서|신청서|요구서|서식|양식|위임장|동의서")
_PREVIEW = re.compile(r"viewer|preview|미리보기", re.I)
# A page that describes mobile devices of its own (제25조의2), not just mentions the word.
_MOBILE_SECTION = re.compile(r"이동형영상정보처리기기(의|를)?(운영|설치|촬영|현황|보관)")


@dataclass
class PolicyFacts:
    policy: dict
    cameras: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


_NUMBERED = re.compile(r"^(\d{1,2}[.)]|[가-하][.)]|제\d+조|[①-⑳])")
_SECTION_WORDS = re.compile(r"변경|관한사항|에관한|사항$")


_SENTENCE_END = re.compile(r"(다|요|니다|습니다)\.?$")
_BRACKETS = "【】「」『』[]<>〈〉《》"


def _title_score(text: str) -> int:
    """Names of the CCTV policy score highest (영상정보처리기기 …, the short 영상정보처리방침
    of libraries and welfare centres, CCTV …); the 개인정보 처리방침's own name is a title
    only where no line names the CCTV policy (its CCTV items are a section of it)."""
    flat = compact(text)
    if "영상정보처리" in flat or "CCTV" in flat.upper():
        base = 0
    elif "개인정보처리방침" in flat:
        base = -1
    else:
        return -99
    score = base + 2 * ("방침" in flat) + ("관리" in flat) + ("운영" in flat) + ("고정형" in flat)
    return score - 3 * bool(_NUMBERED.match(flat)) - 4 * bool(_SECTION_WORDS.search(flat))


def _title(doc: Document) -> str | None:
    """The page's own name for the policy: a heading (or a short bold/lead line, or a part
    of <title>) that names the policy itself, not a numbered section that merely mentions
    it ("10. … 방침 변경에 관한 사항")."""
    lines = [
        b.text
        for b in doc.blocks[:12]
        if b.kind == "line"
        and len(b.text) <= 60
        and "방침" in b.text
        and not _SENTENCE_END.search(b.text)
    ]
    title_parts = [p.strip() for p in re.split(r"\s[|\-:<>]\s|\s*[|>]\s*", doc.title)]
    candidates = (
        doc.page_headings
        + [b.text for b in doc.blocks if b.kind == "heading"]
        + lines
        + title_parts
    )
    best = max(candidates, key=_title_score, default=None)  # first of the best
    if best is None or _title_score(best) <= 0:
        return None
    return best.strip(_BRACKETS + " ") or None


def _device_scope(title: str | None, flat_text: str) -> str:
    """From the title; a page that also sets out 이동형 devices in its text (given in its
    compact form) covers both."""
    flat = compact(title)
    if "이동형" in flat:
        # "고정형·이동형", "고정·이동형": both kinds. A bare "·" says nothing: the standard
        # name of a mobile policy is "이동형 영상정보처리기기 운영·관리 방침".
        return "both" if "고정" in flat else "mobile"
    if _MOBILE_SECTION.search(flat_text):
        return "both"
    return "fixed"


def _attachments(doc: Document, base_url: str | None) -> list[dict]:
    seen, found = set(), []
    for href, text in doc.links:
        url = urljoin(base_url, href) if base_url else href
        if url in seen or not (
            is_attachment_link(url, text) or _INVENTORY_LINK.search(compact(text))
        ):
            continue
        if _FORM.search(compact(text)) or _PREVIEW.search(url):
            continue  # request forms and document viewers are not the inventory
        seen.add(url)
        # The path, the link's title, the query (?fileNm=…), then its words.
        kind = attachment_kind(url, text, doc.link_titles.get(href))
        kind = kind if kind in TABULAR_KINDS else "unknown"
        found.append({"url": url, "text": text or None, "kind": kind})
    return found


def extract_policy(
    doc: Document, *, base_url: str | None = None, area_code: str | None = None
) -> PolicyFacts:
    issues: list[Issue] = []
    cameras: list[dict] = []
    contacts = contacts_from_lines(doc, area_code)
    grids = [b.grid for b in doc.blocks if b.kind == "table" and b.grid is not None]
    grids = [transpose_if_vertical(part) or part for g in grids for part in split_side_by_side(g)]
    table_totals: list[int | None] = []
    said = statements.with_prose(doc, statements.from_lines(doc) + statements.from_tables(grids))
    defaults = statements.page_defaults(said)
    kinds = device_types(doc)  # 이동형 sections decide their tables' rows
    for grid in grids:
        table = as_inventory(grid)
        if table is None:
            found = contacts_from_grid(grid, area_code)
            contacts.extend(found)
            if not found and (issue := _places_without_counts(grid)):
                issues.append(issue)
            continue
        rows, row_issues = rows_from_inventory(
            table, area_code=area_code, defaults=defaults, device_type=kinds.get(grid.name)
        )
        cameras.extend(rows)
        issues.extend(row_issues)
        stated, mismatch = totals.table_check(table.grid, table.columns.fields, rows, base_url)
        table_totals.append(stated)
        issues.extend(mismatch)
    if not cameras:  # no inventory table: the text may state one (transforms.prose_inventory)
        cameras = _prose_rows(doc, area_code, defaults, issues)

    page_hours = [parse_recording_hours(v).value for k, v, _ in said if k == statements.HOURS]
    page_retention = [parse_retention(v) for k, v, _ in said if k == statements.RETENTION]
    page_storage = [v for k, v, _ in said if k == statements.STORAGE]
    real_rows = [c for c in cameras if not c["is_template"]]
    retention_days = [d for r in page_retention for d in (r.days, r.days_min) if d is not None]
    retention_days += [c["retention_days"] for c in real_rows if c["retention_days"] is not None]
    nonzero = [d for d in retention_days if d > 0]
    storage = [s for s in page_storage if s and not is_placeholder(s)]
    storage += [c["storage_location"] for c in real_rows if c["storage_location"]]
    attachments = _attachments(doc, base_url)
    title = _title(doc)
    enacted_on, revised_on = policy_dates(doc)
    table_headers = " ".join(" ".join(" ".join(r) for r in g.header) for g in grids)
    scope = _device_scope(title, doc.flat)
    if scope == "fixed" and any(c["device_type"] == "mobile" for c in real_rows):
        scope = "both" if any(c["device_type"] == "fixed" for c in real_rows) else "mobile"
    stated_total = _stated_total(doc, table_totals, cameras, base_url, issues)
    items_present = items_in(doc, table_headers)
    policy = {
        "title": title,
        "device_scope": scope,
        "items_present": items_present,
        "item_statements": item_statements(doc, items_present),
        "recording_hours": next((h for h in page_hours if h), None) or _uniform(real_rows),
        "retention_days_max": max(retention_days) if retention_days else None,
        "retention_days_min": min(nonzero) if nonzero else None,
        "storage_locations": list(dict.fromkeys(storage)),
        "enacted_on": enacted_on.isoformat() if enacted_on else None,
        "revised_on": revised_on.isoformat() if revised_on else None,
        "contractors": contractors(doc, area_code),
        "contacts": _dedupe(contacts),
        "attachments": attachments,
        "is_template": bool(cameras) and all(c["is_template"] for c in cameras),
        "stated_total": stated_total,
    }
    if not cameras:
        if attachments:
            issues.append(
                Issue(
                    "info",
                    "inventory_elsewhere",
                    f"페이지에 설치 현황 표가 없음: 첨부파일 {len(attachments)}개에 있을 수 있음",
                )
            )
        else:
            issues.append(
                Issue("warning", "no_inventory", "페이지에 설치 현황 표도 첨부파일도 없음")
            )
    elif policy["is_template"]:
        issues.append(
            Issue(
                "info",
                "template_inventory",
                "페이지의 설치 현황 행이 모두 빈 서식(예시 값)임",
            )
        )
    return PolicyFacts(policy=policy, cameras=cameras, issues=issues)


def _prose_rows(
    doc: Document, area_code: str | None, defaults: dict[str, str], issues: list[Issue]
) -> list[dict]:
    """Camera rows of an inventory given in lines, brackets or sentences, not a table."""
    rows: list[dict] = []
    lines = [b.text for b in doc.blocks if b.kind == "line"]
    for grid in inventory_grids(lines):
        table = as_inventory(grid)
        if table is not None:
            found, found_issues = rows_from_inventory(table, area_code=area_code, defaults=defaults)
            rows.extend(found)
            issues.extend(found_issues)
    return rows


def _stated_total(
    doc: Document,
    table_totals: list[int | None],
    cameras: list[dict],
    page: str | None,
    issues: list[Issue],
) -> int | None:
    """The page's own total: the one its text states ("총 12대"), else the sum of its tables'
    total rows when every inventory table states one. A text total is checked against all
    camera rows (a table total was already checked against its table)."""
    lines = [b.text for b in doc.blocks if b.kind in ("line", "heading")]
    prose, differ = totals.page_total(totals.stated_in_text(lines))
    issues.extend(differ)
    if prose is not None:
        if any(not c["is_template"] for c in cameras):
            where = next(line for v, line in totals.stated_in_text(lines) if v == prose)
            issue = totals.mismatch(prose, totals.rows_sum(cameras), f"text: {where}", page)
            if issue is not None:
                issues.append(issue)
        return prose
    if table_totals and all(t is not None for t in table_totals):
        return sum(t or 0 for t in table_totals)
    return None


def _uniform(rows: list[dict]) -> str | None:
    """Hours every camera row states alike stand for the page; mixed hours do not."""
    values = {r["recording_hours"] for r in rows if r["recording_hours"]}
    return values.pop() if len(values) == 1 else None


def _places_without_counts(grid: Grid) -> Issue | None:
    """A table of camera places with no count column (one camera per row, perhaps): kept
    as a finding rather than turned into rows with invented counts."""
    if not grid.header_rows or len(grid.body) < 2:
        return None
    fields = set(map_columns(grid).fields.values())
    if len(fields & {"location", "unit", "purpose"}) < 2 or "location" not in fields:
        return None
    return Issue(
        "info",
        "places_without_counts",
        f"설치 장소 {len(grid.body):,}곳을 적은 표({grid.name})에 카메라 대수가 없음",
        grid.name,
    )


def _dedupe(contacts: list[dict]) -> list[dict]:
    unique: dict[tuple, dict] = {}
    for c in contacts:
        unique.setdefault((c["role"], c["name"], c["department"], c["phone"]), c)
    return list(unique.values())
