"""Generate every synthetic institution site, and its faults, as plain data from a seed.

Kept separate from the server so that a seed's pages can be compared byte for byte without
sockets, and so benchmarks can size the web without starting it. Every random choice comes
from `random.Random` seeded with strings, which Python hashes the same way in every process.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from crawler.national_web.templates import TEMPLATES, Facts, Template

__all__ = [
    "ENCODINGS",
    "FAULT_KINDS",
    "LOCAL_GOVERNMENTS",
    "TEMPLATES",
    "Route",
    "SiteSpec",
    "generate",
    "load_institutions",
]

LOCAL_GOVERNMENTS = Path(__file__).resolve().parent.parent / "registry" / "local_governments.csv"
VALID_ON = date(2026, 7, 1)
ENCODINGS = ("utf-8", "euc-kr")

# Each kind is given to at least one site whenever there are enough sites; see `generate`.
FAULT_KINDS = (
    "server_error_burst",  # the policy page answers 503 for its first k requests
    "timeout",  # the policy page answers later than the server's `timeout`
    "slow",  # homepage and policy page answer after `slow_delay`, within any timeout
    "redirect_loop",  # the policy page redirects to a URL that redirects back
    "wrong_charset",  # pages declare UTF-8 while sending EUC-KR, or the reverse
    "truncated_file",  # the attachment promises more bytes than it sends, then hangs up
    "robots_disallow",  # robots.txt forbids the policy path
    "no_policy_link",  # the homepage lacks the policy link; only the sitemap has it
    "policy_in_privacy",  # no policy page: the text is a section of 개인정보 처리방침
)
_EXTRA_FAULT_RATE = 0.15  # beyond one site per kind, the share of sites given a fault
_EUC_KR_RATE = 0.3
_XLSX_EVERY = 6  # one attachment in this many is a spreadsheet, the rest CSV
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed member times keep xlsx bytes stable
_W3CDTF = re.compile(rb">\d{4}-\d\d-\d\dT[\d:.]+Z?<")

_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_INVENTORY_HEADER = ("연번", "관리부서", "설치목적", "설치장소", "설치대수", "촬영시간", "보관기간")


@dataclass(frozen=True)
class Route:
    """One answer of a site; `fault` is applied by the server when the request arrives."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None
    burst: int = 0  # failures before success, for `server_error_burst`


@dataclass(frozen=True)
class SiteSpec:
    """An institution as the registry names it and its synthetic site as served."""

    inst_code: str
    name: str
    short_name: str
    level: str
    parent_code: str
    host: str  # the real homepage's host, a stable key across runs
    template: str
    encoding: str  # what the bytes are
    declared: str  # what the headers and <meta> say they are
    faults: tuple[str, ...]
    policy_target: str  # where the policy text is (the privacy page for policy_in_privacy)
    attachment_target: str
    sitemap_target: str
    routes: dict[str, Route] = field(default_factory=dict)


def load_institutions(
    path: Path | str = LOCAL_GOVERNMENTS, valid_on: date = VALID_ON
) -> list[dict[str, str]]:
    """Registry rows in force on `valid_on`, in file order."""
    day = valid_on.isoformat()
    with open(path, encoding="utf-8", newline="") as f:
        return [
            row
            for row in csv.DictReader(f)
            if (row["valid_from"] or "0000") <= day
            and (not row["valid_to"] or row["valid_to"] >= day)
        ]


def _host(homepage: str) -> str:
    return homepage.split("://", 1)[-1].split("/", 1)[0].lower()


def _assign(count: int, seed: int) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
    """Templates, encodings and faults per site position, so that every value appears."""
    rng = random.Random(f"national-web:{seed}")
    order = list(range(count))
    rng.shuffle(order)
    templates = [""] * count
    for rank, index in enumerate(order):
        templates[index] = TEMPLATES[rank % len(TEMPLATES)].name
    rng.shuffle(order)
    euc_kr = max(1, round(count * _EUC_KR_RATE)) if count > 1 else 0
    encodings = ["utf-8"] * count
    for index in order[:euc_kr]:
        encodings[index] = "euc-kr"
    rng.shuffle(order)
    faults: list[tuple[str, ...]] = [()] * count
    for rank, index in enumerate(order):
        if rank < len(FAULT_KINDS):
            faults[index] = (FAULT_KINDS[rank],)
        elif rng.random() < _EXTRA_FAULT_RATE:
            faults[index] = (rng.choice(FAULT_KINDS),)
    return templates, encodings, faults


def _facts(row: dict[str, str], seed: int) -> Facts:
    rng = random.Random(f"facts:{seed}:{row['inst_code']}")
    departments = rng.sample(
        [
            "총무과",
            "안전총괄과",
            "교통행정과",
            "정보통신과",
            "청소행정과",
            "공원녹지과",
            "재난안전과",
        ],
        rng.randint(2, 4),
    )
    purposes = {
        "총무과": "시설안전 및 화재예방",
        "안전총괄과": "범죄예방 및 수사",
        "교통행정과": "교통단속",
        "정보통신과": "시설안전 및 화재예방",
        "청소행정과": "쓰레기 무단투기 단속",
        "공원녹지과": "시설안전 및 범죄예방",
        "재난안전과": "재난·재해 예방",
    }
    places = ["청사 출입구", "주차장", "공원", "이면도로", "어린이보호구역", "하천변", "민원실"]
    inventory = tuple(
        (
            dept,
            purposes[dept],
            rng.choice(places),
            rng.randint(3, 400),
            "24시간",
            f"{rng.choice([14, 30, 30, 30, 60])}일",
        )
        for dept in departments
    )
    return Facts(
        name=row["name"],
        short_name=row["short_name"],
        inventory=inventory,
        manager=rng.choice(["정보통신과장", "안전총괄과장", "총무과장", "부시장", "부구청장"]),
        phone=f"0{rng.randint(31, 64)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        effective=date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        file_id=f"FILE_{rng.randint(10**9, 10**12):015d}",
    )


def _xlsx(rows: list[tuple[object, ...]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "설치현황"
    for row in rows:
        sheet.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the current time
                data = _W3CDTF.sub(b">2024-01-01T00:00:00Z<", data)
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _attachment(facts: Facts, encoding: str, as_xlsx: bool) -> tuple[bytes, str, str]:
    """The inventory file: body, content type, Korean download name."""
    rows: list[tuple[object, ...]] = [_INVENTORY_HEADER]
    rows += [(i, *item) for i, item in enumerate(facts.inventory, start=1)]
    stem = f"{facts.short_name} 영상정보처리기기 설치현황"
    if as_xlsx:
        return _xlsx(rows), _XLSX_TYPE, f"{stem}.xlsx"
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    wire = "cp949" if encoding == "euc-kr" else "utf-8-sig"
    return text.getvalue().encode(wire), f"text/csv; charset={encoding}", f"{stem}.csv"


def _disposition(name: str, fallback: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _html(template: Template, facts: Facts, declared: str, title: str, body: str) -> str:
    return template.page(facts, declared=declared, title=escape(title), body=body)


def _site(
    row: dict[str, str],
    seed: int,
    template: Template,
    encoding: str,
    faults: tuple[str, ...],
    index: int,
) -> SiteSpec:
    facts = _facts(row, seed)
    rng = random.Random(f"site:{seed}:{row['inst_code']}")
    declared = encoding
    if "wrong_charset" in faults:
        declared = "utf-8" if encoding == "euc-kr" else "euc-kr"
    content_type = f"text/html; charset={declared}"
    paths = template.paths(facts)
    in_privacy = "policy_in_privacy" in faults
    link_on_home = not in_privacy and "no_policy_link" not in faults
    link_in_sitemap = not in_privacy

    def page(title: str, body: str, fault: str | None = None, burst: int = 0) -> Route:
        text = _html(template, facts, declared, title, body)
        return Route(
            body=text.encode(encoding), content_type=content_type, fault=fault, burst=burst
        )

    routes: dict[str, Route] = {}
    routes["/"] = page(
        f"{facts.short_name} 누리집",
        template.homepage(facts, paths, policy_link=link_on_home),
        fault="slow" if "slow" in faults else None,
    )
    disallow = ["/admin/"]
    if "robots_disallow" in faults:
        disallow.append(paths.policy.split("?", 1)[0])
    robots = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in disallow)
    routes["/robots.txt"] = Route(body=robots.encode("ascii"), content_type="text/plain")
    routes[paths.sitemap] = page(
        "사이트맵", template.sitemap(facts, paths, policy_link=link_in_sitemap)
    )
    policy_body = template.policy(facts, paths)
    if in_privacy:
        routes[paths.privacy] = page("개인정보 처리방침", template.privacy(facts, policy_body))
        policy_target = paths.privacy
    else:
        routes[paths.privacy] = page("개인정보 처리방침", template.privacy(facts, ""))
        policy_target = paths.policy
        policy_fault = next(
            (f for f in faults if f in ("server_error_burst", "timeout", "slow")), None
        )
        routes[paths.policy] = page(
            template.link_text,
            policy_body,
            fault=policy_fault,
            burst=rng.randint(1, 2) if policy_fault == "server_error_burst" else 0,
        )
        if "redirect_loop" in faults:
            other = paths.policy + ("&" if "?" in paths.policy else "?") + "returnUrl=1"
            routes[paths.policy] = Route(status=302, headers=(("Location", other),))
            routes[other] = Route(status=302, headers=(("Location", paths.policy),))
    body, kind, name = _attachment(facts, encoding, as_xlsx=index % _XLSX_EVERY == _XLSX_EVERY - 1)
    fallback = f"{facts.file_id}.{name.rsplit('.', 1)[1]}"
    routes[paths.attachment] = Route(
        body=body,
        content_type=kind,
        headers=(("Content-Disposition", _disposition(name, fallback)),),
        fault="truncated_file" if "truncated_file" in faults else None,
    )
    return SiteSpec(
        inst_code=row["inst_code"],
        name=row["name"],
        short_name=row["short_name"],
        level=row["level"],
        parent_code=row["parent_code"],
        host=_host(row["homepage"]),
        template=template.name,
        encoding=encoding,
        declared=declared,
        faults=faults,
        policy_target=policy_target,
        attachment_target=paths.attachment,
        sitemap_target=paths.sitemap,
        routes=routes,
    )


def generate(institutions: list[dict[str, str]], seed: int) -> list[SiteSpec]:
    """One site per registry row; the same rows and seed always give the same bytes."""
    templates, encodings, faults = _assign(len(institutions), seed)
    by_name = {t.name: t for t in TEMPLATES}
    return [
        _site(row, seed, by_name[templates[i]], encodings[i], faults[i], i)
        for i, row in enumerate(institutions)
    ]
