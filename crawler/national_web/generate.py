"""Generate every synthetic institution site, and its faults, as plain data from a seed.

Kept separate from the server so that a seed's pages can be compared byte for byte without
sockets, and so benchmarks can size the web without starting it. Every random choice comes
from `random.Random` seeded with strings, which Python hashes the same way in every process.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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
_MOBILE_EVERY = 4  # one site in this many publishes a second policy (이동형) as a tab
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed member times keep xlsx bytes stable
_FIRST_PUBLISHED = date(2024, 1, 1)  # Last-Modified of revision 0; each revision a day later
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
    sub_policy_targets: tuple[str, ...] = ()  # further policies one tab away (이동형)
    revision: int = 0  # how often the institution has revised its policy since the seed


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


def _facts(row: dict[str, str], seed: int, revision: int = 0) -> Facts:
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
    if revision:  # a revised policy: the first department installed more cameras
        first = inventory[0]
        inventory = ((*first[:3], first[3] + revision, *first[4:]), *inventory[1:])
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


DISPOSITION_STYLES = ("rfc5987", "raw_utf8", "raw_euckr")


def _disposition(name: str, fallback: str, style: str = "rfc5987") -> str:
    """The header value as the server sends it. Real servers use RFC 5987 `filename*`, or
    put the name's raw UTF-8 or EUC-KR bytes in `filename`; http.server writes headers as
    Latin-1, so raw bytes are carried as the Latin-1 string of those bytes."""
    from urllib.parse import quote

    if style == "raw_utf8":
        return f'attachment; filename="{name.encode("utf-8").decode("latin-1")}"'
    if style == "raw_euckr":
        return f'attachment; filename="{name.encode("cp949").decode("latin-1")}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _html(template: Template, facts: Facts, declared: str, title: str, body: str) -> str:
    return template.page(facts, declared=declared, title=escape(title), body=body)


def last_modified(revision: int) -> str:
    """The HTTP date a site gives for its pages at this revision."""
    from email.utils import format_datetime

    day = _FIRST_PUBLISHED.toordinal() + revision
    moment = datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def _mobile_facts(facts: Facts, rng: random.Random) -> Facts:
    """The 이동형 policy of the same institution: vehicle-mounted and body-worn devices."""
    inventory = (
        ("교통행정과", "불법 주정차 단속", "단속차량 탑재", rng.randint(2, 12), "24시간", "30일"),
        ("안전총괄과", "재난 현장 확인", "휴대형(바디캠)", rng.randint(1, 8), "운용 시", "7일"),
    )
    return dataclasses.replace(facts, inventory=inventory)


def _with_query(target: str, parameter: str) -> str:
    """`target` with one more query parameter, the way CMS links vary a page."""
    return target + ("&" if "?" in target else "?") + parameter


def _tabs(current: str, targets: tuple[str, str]) -> str:
    """The 고정형 | 이동형 tab bar real CMSs put above a split policy."""
    labels = ("고정형 영상정보처리기기 운영·관리방침", "이동형 영상정보처리기기 운영·관리방침")
    on = ' class="on"'
    items = "".join(
        f'<li{on if t == current else ""}><a href="{escape(t)}">{label}</a></li>'
        for t, label in zip(targets, labels, strict=True)
    )
    return f'<ul class="tab_menu">{items}</ul>'


def _site(
    row: dict[str, str],
    seed: int,
    template: Template,
    encoding: str,
    faults: tuple[str, ...],
    index: int,
    revision: int = 0,
) -> SiteSpec:
    facts = _facts(row, seed, revision)
    rng = random.Random(f"site:{seed}:{row['inst_code']}")
    declared = encoding
    if "wrong_charset" in faults:
        declared = "utf-8" if encoding == "euc-kr" else "euc-kr"
    content_type = f"text/html; charset={declared}"
    paths = template.paths(facts)
    in_privacy = "policy_in_privacy" in faults
    sub_policies: tuple[str, ...] = ()
    link_on_home = not in_privacy and "no_policy_link" not in faults
    link_in_sitemap = not in_privacy

    validators = (("Last-Modified", last_modified(revision)),)

    def page(title: str, body: str, fault: str | None = None, burst: int = 0) -> Route:
        text = _html(template, facts, declared, title, body)
        return Route(
            body=text.encode(encoding),
            content_type=content_type,
            headers=validators,
            fault=fault,
            burst=burst,
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
        if index % _MOBILE_EVERY == 2 and "redirect_loop" not in faults:
            mobile = _with_query(paths.policy, "tab=2")
            sub_policies = (mobile,)
            tabs = (paths.policy, mobile)
            policy_body = _tabs(paths.policy, tabs) + policy_body
            mobile_body = _tabs(mobile, tabs) + template.policy(_mobile_facts(facts, rng), paths)
            routes[mobile] = page("이동형 영상정보처리기기 운영·관리방침", mobile_body)
        routes[paths.policy] = page(
            template.link_text,
            policy_body,
            fault=policy_fault,
            burst=rng.randint(1, 2) if policy_fault == "server_error_burst" else 0,
        )
        if "redirect_loop" in faults:
            other = _with_query(paths.policy, "returnUrl=1")
            routes[paths.policy] = Route(status=302, headers=(("Location", other),))
            routes[other] = Route(status=302, headers=(("Location", paths.policy),))
    body, kind, name = _attachment(facts, encoding, as_xlsx=index % _XLSX_EVERY == _XLSX_EVERY - 1)
    fallback = f"{facts.file_id}.{name.rsplit('.', 1)[1]}"
    routes[paths.attachment] = Route(
        body=body,
        content_type=kind,
        headers=(
            (
                "Content-Disposition",
                _disposition(name, fallback, DISPOSITION_STYLES[index % len(DISPOSITION_STYLES)]),
            ),
            *validators,
        ),
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
        sub_policy_targets=sub_policies,
        revision=revision,
    )


def generate(
    institutions: list[dict[str, str]], seed: int, revisions: dict[str, int] | None = None
) -> list[SiteSpec]:
    """One site per registry row; the same rows, seed and revisions always give the same
    bytes. `revisions` (inst_code → n) makes those institutions' policies n times revised."""
    templates, encodings, faults = _assign(len(institutions), seed)
    by_name = {t.name: t for t in TEMPLATES}
    revisions = revisions or {}
    return [
        _site(
            row,
            seed,
            by_name[templates[i]],
            encodings[i],
            faults[i],
            i,
            revisions.get(row["inst_code"], 0),
        )
        for i, row in enumerate(institutions)
    ]
