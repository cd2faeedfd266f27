"""Generate every synthetic institution site, its faults and its ground truth, as plain data
from a seed.

Kept separate from the server so that a seed's pages can be compared byte for byte without
sockets, and so benchmarks can size the web without starting it. Every random choice comes
from `random.Random` seeded with strings, which Python hashes the same way in every process.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from registry.dimension import DIMENSION_CSV
from tests.national_web import routes
from tests.national_web.files import DISPOSITION_STYLES
from tests.national_web.routes import ROUTES
from tests.national_web.site import Answer, Draft
from tests.national_web.templates import TEMPLATES, Facts, Template
from tests.national_web.truth import SiteTruth

__all__ = [
    "DISPOSITION_STYLES",
    "ENCODINGS",
    "FAULT_KINDS",
    "LOCAL_GOVERNMENTS",
    "ROUTES",
    "TEMPLATES",
    "Answer",
    "SiteSpec",
    "generate",
    "load_institutions",
]

LOCAL_GOVERNMENTS = DIMENSION_CSV
VALID_ON = date(2026, 7, 1)
ENCODINGS = ("utf-8", "euc-kr")

# Each kind is given to at least one site whenever there are enough sites; see `_assign`.
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
_FIRST_PUBLISHED = date(2024, 1, 1)  # Last-Modified of revision 0; each revision a day later


@dataclass(frozen=True)
class SiteSpec:
    """An institution as the registry names it, its synthetic site as served, and what a
    careful reader finds there (`truth`)."""

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
    route: str  # how the policy is reached (tests/national_web/routes ROUTES)
    truth: SiteTruth
    # The first policy in force (the privacy page for policy_in_privacy); where the site has
    # none, the path its template would give it.
    policy_target: str
    attachment_target: str  # its file
    sitemap_target: str
    answers: dict[str, Answer] = field(default_factory=dict)
    sub_policy_targets: tuple[str, ...] = ()  # further policies in force (이동형, 사업소)
    revision: int = 0  # how often the institution has revised its policy since the seed
    # What clients that are not browsers get instead: ("block", 403) or ("unsupported", …).
    gate: tuple[str, Answer] | None = None


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


def last_modified(revision: int) -> str:
    """The HTTP date a site gives for its pages at this revision."""
    from email.utils import format_datetime

    day = _FIRST_PUBLISHED.toordinal() + revision
    moment = datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def _site(
    row: dict[str, str],
    seed: int,
    template: Template,
    encoding: str,
    faults: tuple[str, ...],
    route: tuple[str, int],
    index: int,
    revision: int = 0,
) -> SiteSpec:
    declared = encoding
    if "wrong_charset" in faults:
        declared = "utf-8" if encoding == "euc-kr" else "euc-kr"
    draft = Draft(
        template=template,
        facts=_facts(row, seed, revision),
        encoding=encoding,
        declared=declared,
        faults=faults,
        index=index,
        rank=route[1],
        rng=random.Random(f"site:{seed}:{row['inst_code']}"),
        validators=(("Last-Modified", last_modified(revision)),),
    )
    truth = routes.build(route[0], draft)
    policies = truth.policies or (draft.paths.policy,)
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
        route=route[0],
        truth=truth,
        policy_target=policies[0],
        attachment_target=truth.files[0] if truth.files else draft.paths.attachment,
        sitemap_target=draft.paths.sitemap,
        answers=draft.answers,
        sub_policy_targets=policies[1:],
        revision=revision,
        gate=draft.gate,
    )


def generate(
    institutions: list[dict[str, str]], seed: int, revisions: dict[str, int] | None = None
) -> list[SiteSpec]:
    """One site per registry row; the same rows, seed and revisions always give the same
    bytes. `revisions` (inst_code → n) makes those institutions' policies n times revised."""
    templates, encodings, faults = _assign(len(institutions), seed)
    ways = routes.assign(faults, seed)
    by_name = {t.name: t for t in TEMPLATES}
    revisions = revisions or {}
    return [
        _site(
            row,
            seed,
            by_name[templates[i]],
            encodings[i],
            faults[i],
            ways[i],
            i,
            revisions.get(row["inst_code"], 0),
        )
        for i, row in enumerate(institutions)
    ]
