"""A policy page (its blocks) → the policy facts: items, retention, hours, storage, dates,
contacts, contractors, attachments, and the camera rows of any inventory table on it."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from transforms.cameras import as_inventory, rows_from_inventory
from transforms.columns import header_key, map_columns, map_header
from transforms.grid import Grid
from transforms.html.document import Document
from transforms.issues import Issue
from transforms.links import is_attachment_link
from transforms.sections import items_present
from transforms.text import compact, nfkc
from transforms.values import (
    find_dates,
    find_phones,
    is_placeholder,
    parse_recording_hours,
    parse_retention,
)

_KEY_VALUE = re.compile(
    r"^(?:[가-하]\.|\d{1,2}[.)]|[①-⑳]|[-·*※○●▶■□◦])?\s*(?:CCTV|영상정보|영상)?\s*"
    r"(?P<key>촬영\s*시간|녹화\s*시간|(?:영상\s*)?(?:보관|보존|보유|저장)\s*기간|"
    r"(?:영상\s*)?(?:보관|보존|저장)\s*장소|처리\s*방법)\s*[:：]\s*(?P<value>.+)$"
)
_ENACTED = re.compile(r"제정")
_REVISED = re.compile(r"변경|개정|시행|적용")
_PAGE_META = re.compile(r"수정일|등록일|작성일|게시일|조회수")
_HISTORY_HEADER = re.compile(r"시행기간|적용기간|시행일|개정일|변경일|시행일자")
_CONTRACT_CONTEXT = re.compile(r"위탁|수탁")
_CONTRACTOR_HEADER = re.compile(r"수탁업체|수탁자|수탁기관|위탁업체|업체명|수탁사|위탁사")
_ROLE_WORDS = (
    ("보호책임자", re.compile(r"보호책임자")),
    ("관리책임자", re.compile(r"관리책임자|책임자")),
    ("접근권한자", re.compile(r"접근권한자|취급자")),
    ("담당자", re.compile(r"담당자|관리담당")),
)
_CONTACT_COLUMNS = (
    ("role", re.compile(r"^(구분|역할|담당구분)$")),
    ("name", re.compile(r"^(이름|성명|담당자)$")),
    ("title", re.compile(r"^(직위|직급|직책)$")),
    ("department", re.compile(r"^(소속|부서|부서명|소속부서|기관명부서|기관명)$")),
    ("phone", re.compile(r"^(연락처|전화번호|전화|연락처전화)$")),
)
# Links to where the inventory is kept when it is not on the page (a board, a list page).
_INVENTORY_LINK = re.compile(
    r"(CCTV|영상정보처리기기)(설치|운영)?(현황|내역|목록|위치)|설치현황|운영현황|운영내역"
)
_EXTENSIONS = ("xlsx", "xls", "csv", "hwpx", "hwp", "pdf")


@dataclass
class PolicyFacts:
    policy: dict
    cameras: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


_NUMBERED = re.compile(r"^(\d{1,2}[.)]|[가-하][.)]|제\d+조|[①-⑳])")
_SECTION_WORDS = re.compile(r"변경|관한사항|에관한|사항$")


_BRACKETS = "【】「」『』[]<>〈〉《》"


def _title(doc: Document) -> str | None:
    """The page's own name for the policy: a heading (or a short bold/lead line) that names
    the policy itself, not a numbered section that merely mentions it ("10. … 방침 변경에
    관한 사항")."""
    best: tuple[int, str] | None = None
    lines = [
        b.text
        for b in doc.blocks[:12]
        if b.kind == "line" and len(b.text) <= 60 and "방침" in b.text
    ]
    candidates = doc.page_headings + [b.text for b in doc.blocks if b.kind == "heading"] + lines
    for text in candidates:
        flat = compact(text)
        if "영상정보처리기" not in flat and "CCTV" not in flat.upper():
            continue
        score = 2 * ("방침" in flat) + ("관리" in flat) + ("운영" in flat)
        score -= 3 * bool(_NUMBERED.match(flat)) + 4 * bool(_SECTION_WORDS.search(flat))
        if best is None or score > best[0]:
            best = (score, text)
    if best and best[0] > 0:
        return best[1].strip(_BRACKETS + " ") or None
    page_title = re.split(r"\s[|\-:<>]\s", doc.title)[0].strip()
    return page_title or None


def _device_scope(title: str | None) -> str:
    flat = compact(title)
    if "이동형" in flat:
        return "both" if "고정형" in flat else "mobile"
    return "fixed"


def _statement_key(key: str) -> str:
    flat = compact(key)
    if "시간" in flat:
        return "촬영시간"
    if "기간" in flat:
        return "보관기간"
    if "장소" in flat:
        return "보관장소"
    return flat


def _key_values(doc: Document) -> list[tuple[str, str]]:
    """Prose statements such as "보관기간 : 촬영일로부터 30일 이내"."""
    found = []
    for block in doc.blocks:
        if block.kind != "line":
            continue
        for part in re.split(r"(?<=[^\d])\s(?=[가-하]\.\s)", block.text):
            if m := _KEY_VALUE.match(part.strip()):
                found.append((_statement_key(m.group("key")), m.group("value").strip()))
    return found


_STATEMENT_FIELDS = {
    "recording_hours": "촬영시간",
    "retention": "보관기간",
    "storage_location": "보관장소",
}


def transpose_if_vertical(grid: Grid) -> Grid | None:
    """A key/value table (`<th>설치대수</th><td>총 17 대</td>` down the page, in one or two
    column pairs) turned into one header row over one value row."""
    if grid.width not in (2, 4) or len(grid.rows) < 2:
        return None
    keys, values = [], []
    for row in grid.rows:
        for k in range(0, grid.width, 2):
            if map_header(row[k]) not in (None, "ignore") and row[k + 1].strip():
                keys.append(row[k])
                values.append(row[k + 1])
    if len(keys) < 2 or len(keys) * 2 < len(grid.rows):
        return None
    return Grid(
        name=grid.name,
        rows=[keys, values],
        header_rows=1,
        row_numbers=[grid.row_numbers[0], grid.row_numbers[0]],
        caption=grid.caption,
    )


def _table_statements(grids: list[Grid]) -> list[tuple[str, str]]:
    """Tables that state hours, retention or storage for the whole page: `촬영시간 |
    보관기간 | 보관장소` over one value row, or the same as key/value pairs."""
    found = []
    for grid in grids:
        if not grid.header_rows:
            continue
        fields = map_columns(grid).fields
        wanted = {c: f for c, f in fields.items() if f in _STATEMENT_FIELDS}
        if len(wanted) < 2 or "camera_count" in fields.values():
            continue
        for row in grid.body:
            for col, f in wanted.items():
                if row[col].strip():
                    found.append((_STATEMENT_FIELDS[f], row[col]))
    return found


def page_defaults(statements: list[tuple[str, str]]) -> dict[str, str]:
    """Values a page states once for all its cameras; only when it states exactly one."""
    defaults = {}
    for name, key in _STATEMENT_FIELDS.items():
        values = {nfkc(v) for k, v in statements if k == key}
        if len(values) == 1:
            defaults[name] = values.pop()
    return defaults


def _dates(doc: Document) -> tuple[str | None, str | None]:
    """제정 date, and the latest date the change section or a change sentence states.
    Page metadata (최근수정일, 등록일) is the CMS's, not the policy's, and is left out."""
    enacted, revised = [], []
    in_history = False
    for block in doc.blocks:
        if block.kind == "heading":
            in_history = bool(_REVISED.search(block.text))
        elif block.kind == "line":
            if _PAGE_META.search(compact(block.text)):
                continue
            if _ENACTED.search(block.text):
                enacted.extend(find_dates(block.text))
            elif in_history or _REVISED.search(block.text):
                revised.extend(find_dates(block.text))
        elif block.kind == "table" and block.grid is not None:
            header = " ".join(" ".join(r) for r in block.grid.header) or " ".join(
                block.grid.rows[0] if block.grid.rows else []
            )
            if _HISTORY_HEADER.search(compact(header)):
                for row in block.grid.body:
                    revised.extend(find_dates(" ".join(row)))
    enacted_on = min(enacted) if enacted else None
    latest = max(revised) if revised else None
    return (enacted_on.isoformat() if enacted_on else None, latest.isoformat() if latest else None)


def _role(text: str) -> str | None:
    flat = compact(text)
    for role, pattern in _ROLE_WORDS:
        if pattern.search(flat):
            return role
    return None


_MASK = "*＊○◯〇ㅇᄋOoXx"


def is_masked_name(text: str) -> bool:
    """A real person's name published masked (서 * *, 김○○): kept, unlike 홍길동 or 0000."""
    flat = compact(text)
    return bool(re.fullmatch(rf"[가-힣][{_MASK}]{{1,3}}|[가-힣][{_MASK}][가-힣]", flat))


def _contacts_from_grid(grid: Grid, area_code: str | None) -> list[dict]:
    if not grid.rows:
        return []
    header_rows = grid.header_rows or 1
    columns: dict[str, int] = {}
    for col in range(grid.width):
        text = header_key(" ".join(dict.fromkeys(r[col] for r in grid.rows[:header_rows])))
        for name, pattern in _CONTACT_COLUMNS:
            if name not in columns and pattern.match(text):
                columns[name] = col
                break
    if "role" not in columns or not ({"name", "title", "phone"} & columns.keys()):
        return []
    contacts = []
    for row in grid.rows[header_rows:]:
        role = _role(row[columns["role"]])
        if role is None or any(is_placeholder(c) and not is_masked_name(c) for c in row if c):
            continue
        value = {k: (nfkc(row[c]) or None) for k, c in columns.items() if k != "role"}
        phones = find_phones(value.get("phone"), area_code)
        contacts.append(
            {
                "role": role,
                "name": value.get("name"),
                "title": value.get("title"),
                "department": value.get("department"),
                "phone": phones[0] if phones else None,
            }
        )
    return contacts


def _contractors(doc: Document, area_code: str | None) -> list[dict]:
    found: list[dict] = []
    in_context = False
    for block in doc.blocks:
        if block.kind == "heading":
            in_context = bool(_CONTRACT_CONTEXT.search(block.text))
            continue
        if block.kind == "table" and block.grid is not None:
            grid = block.grid
            header = [
                header_key(" ".join(dict.fromkeys(r[c] for r in grid.rows[:1])))
                for c in range(grid.width)
            ]
            name_col = next((i for i, h in enumerate(header) if _CONTRACTOR_HEADER.search(h)), None)
            if name_col is None:
                continue
            phone_col = next(
                (i for i, h in enumerate(header) if "연락처" in h or "전화" in h), None
            )
            for row in grid.rows[1:]:
                if any(is_placeholder(c) for c in row if c) or not row[name_col].strip():
                    continue
                phones = find_phones(row[phone_col], area_code) if phone_col is not None else []
                found.append({"name": nfkc(row[name_col]), "phone": phones[0] if phones else None})
            continue
        if _CONTRACT_CONTEXT.search(block.text):
            in_context = True
            continue
        if not in_context:
            continue
        phones = find_phones(block.text, area_code)
        if len(phones) != 1:
            continue
        name = re.split(r"\(?\s*0\d{1,2}\s*[-)]", block.text)[0].strip()
        name = name.rstrip(" :-·(").lstrip(" :-·")
        if name and len(name) <= 40 and not is_placeholder(name):
            found.append({"name": name, "phone": phones[0]})
    unique = {(c["name"], c["phone"]): c for c in found}
    return list(unique.values())


def _attachments(doc: Document, base_url: str | None) -> list[dict]:
    seen, found = set(), []
    for href, text in doc.links:
        url = urljoin(base_url, href) if base_url else href
        if url in seen or not (
            is_attachment_link(url, text) or _INVENTORY_LINK.search(compact(text))
        ):
            continue
        seen.add(url)
        probe = (urlsplit(url).path + " " + text).lower()
        kind = next((e for e in _EXTENSIONS if f".{e}" in probe), "unknown")
        found.append({"url": url, "text": text or None, "kind": kind})
    return found


def extract_policy(
    doc: Document, *, base_url: str | None = None, area_code: str | None = None
) -> PolicyFacts:
    issues: list[Issue] = []
    cameras: list[dict] = []
    contacts: list[dict] = []
    grids = [b.grid for b in doc.blocks if b.kind == "table" and b.grid is not None]
    grids = [transpose_if_vertical(g) or g for g in grids]
    statements = _key_values(doc) + _table_statements(grids)
    defaults = page_defaults(statements)
    for grid in grids:
        table = as_inventory(grid)
        if table is None:
            found = _contacts_from_grid(grid, area_code)
            contacts.extend(found)
            if not found and (issue := _places_without_counts(grid)):
                issues.append(issue)
            continue
        rows, row_issues = rows_from_inventory(table, area_code=area_code, defaults=defaults)
        cameras.extend(rows)
        issues.extend(row_issues)
        contacts.extend(
            {
                "role": "관리책임자",
                "name": None,
                "title": None,
                "department": row["unit"],
                "phone": row["phone"],
            }
            for row in rows
            if row["phone"] and not row["is_template"]
        )
    page_hours = [parse_recording_hours(v).value for k, v in statements if k == "촬영시간"]
    page_retention = [parse_retention(v) for k, v in statements if k == "보관기간"]
    page_storage = [nfkc(v) for k, v in statements if k == "보관장소"]

    real_rows = [c for c in cameras if not c["is_template"]]
    retention_days = [r.days for r in page_retention if r.days is not None] + [
        c["retention_days"] for c in real_rows if c["retention_days"] is not None
    ]
    nonzero = [d for d in retention_days if d > 0]
    hours = next((h for h in page_hours if h), None)
    if hours is None:
        row_hours = [c["recording_hours"] for c in real_rows if c["recording_hours"]]
        hours = statistics.mode(row_hours) if row_hours else None
    storage = list(
        dict.fromkeys(
            [s for s in page_storage if s and not is_placeholder(s)]
            + [c["storage_location"] for c in real_rows if c["storage_location"]]
        )
    )
    attachments = _attachments(doc, base_url)
    title = _title(doc)
    enacted_on, revised_on = _dates(doc)
    table_headers = " ".join(" ".join(" ".join(r) for r in g.header) for g in grids)
    policy = {
        "title": title,
        "device_scope": _device_scope(title),
        "items_present": items_present(doc.text + " " + table_headers),
        "recording_hours": hours,
        "retention_days_max": max(retention_days) if retention_days else None,
        "retention_days_min": min(nonzero) if nonzero else None,
        "storage_locations": storage,
        "enacted_on": enacted_on,
        "revised_on": revised_on,
        "contractors": _contractors(doc, area_code),
        "contacts": _dedupe(contacts),
        "attachments": attachments,
        "is_template": bool(cameras) and all(c["is_template"] for c in cameras),
    }
    if not cameras:
        if attachments:
            issues.append(
                Issue(
                    "info",
                    "inventory_elsewhere",
                    f"no inventory table on the page; {len(attachments)} attachment(s) may hold it",
                    None,
                )
            )
        else:
            issues.append(
                Issue(
                    "warning",
                    "no_inventory",
                    "the page has no inventory table and no attachment",
                    None,
                )
            )
    elif policy["is_template"]:
        issues.append(
            Issue(
                "info",
                "template_inventory",
                "every inventory row on the page is a template placeholder",
                None,
            )
        )
    return PolicyFacts(policy=policy, cameras=cameras, issues=issues)


def _places_without_counts(grid: Grid) -> Issue | None:
    """A table of camera places with no count column (one camera per row, perhaps): kept
    as a finding rather than turned into rows with invented counts."""
    if not grid.header_rows or len(grid.body) < 2:
        return None
    fields = set(map_columns(grid).fields.values())
    if len(fields & {"location", "unit", "purpose"}) < 2 or "location" not in fields:
        return None
    return Issue("info", "places_without_counts",
                 f"{grid.name} lists {len(grid.body)} places but states no camera counts",
                 grid.name)


def _dedupe(contacts: list[dict]) -> list[dict]:
    unique: dict[tuple, dict] = {}
    for c in contacts:
        unique.setdefault((c["role"], c["name"], c["department"], c["phone"]), c)
    return list(unique.values())
