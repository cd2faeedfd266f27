"""What every route builds on: the standard pages of a site (robots.txt, homepage, sitemap,
개인정보 처리방침, a policy page with its file) and the ground truth collected while the
site is written."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from tests.national_web.site import Answer, Draft
from tests.national_web.templates import Facts

__all__ = [
    "GIF",
    "Reach",
    "earlier_facts",
    "fill",
    "homepage",
    "mobile_facts",
    "office_facts",
    "plain_link",
    "policy_page",
    "privacy",
    "robots",
    "sitemap",
    "with_query",
]

# A 1×1 transparent GIF: the images that stand in for link text.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass
class Reach:
    """What a careful reader finds on the site, collected as its pages are written."""

    policies: list[str] = field(default_factory=list)
    earlier: list[str] = field(default_factory=list)
    not_policies: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    earlier_files: list[str] = field(default_factory=list)
    page_cameras: int = 0
    file_cameras: int = 0
    cameras: int = 0

    def current(self, page_cameras: int, target: str, facts: Facts, file: str | None) -> None:
        """A policy in force at `target`; `file` is its downloadable inventory, if any."""
        self.policies.append(target)
        self.page_cameras += page_cameras
        self.cameras += facts.total
        if file is not None and file not in self.files:
            self.files.append(file)
            self.file_cameras += facts.total


def with_query(target: str, parameter: str) -> str:
    """`target` with one more query parameter, the way CMS links vary a page."""
    return target + ("&" if "?" in target else "?") + parameter


def plain_link(d: Draft, target: str | None = None, text: str | None = None) -> str:
    """The policy link as the template writes it: a plain `<a href>` with the link text."""
    return d.template.anchor(target or d.paths.policy, text or d.template.link_text)


def robots(d: Draft, disallow: Sequence[str] = ()) -> None:
    lines = "".join(f"Disallow: {path}\n" for path in ("/admin/", *disallow))
    d.answers["/robots.txt"] = Answer(
        body=f"User-agent: *\n{lines}".encode("ascii"), content_type="text/plain"
    )


def homepage(
    d: Draft,
    links: Sequence[str],
    *,
    target: str = "/",
    head: str = "",
    news: str = "",
    footer: str | None = None,
    fault: str | None = None,
) -> None:
    body = d.template.homepage(d.facts, d.paths, policy_links=links, news=news, footer=footer)
    d.answers[target] = d.page(f"{d.facts.short_name} 누리집", body, head=head, fault=fault)


def sitemap(d: Draft, links: Sequence[str], head: str = "") -> None:
    body = d.template.sitemap(d.facts, d.paths, policy_links=links)
    d.answers[d.paths.sitemap] = d.page("사이트맵", body, head=head)


def privacy(d: Draft, section: str = "", after: str = "") -> None:
    body = d.template.privacy(d.facts, section, after=after)
    d.answers[d.paths.privacy] = d.page("개인정보 처리방침", body)


def fill(d: Draft, links: Sequence[str] | None = None) -> None:
    """The standard pages a route has not written itself: robots.txt, a homepage and a
    sitemap that link the policy with `links` (the plain link by default), and a
    개인정보 처리방침 without CCTV items."""
    links = [plain_link(d)] if links is None else links
    if "/robots.txt" not in d.answers:
        robots(d)
    if "/" not in d.answers:
        homepage(d, links)
    if d.paths.sitemap not in d.answers:
        sitemap(d, links)
    if d.paths.privacy not in d.answers:
        privacy(d)


def policy_page(
    d: Draft,
    reach: Reach,
    facts: Facts | None = None,
    *,
    target: str | None = None,
    title: str | None = None,
    head: str = "",
    before: str = "",
    after: str = "",
    attachment_href: str | None = None,
    fault: str | None = None,
    burst: int = 0,
    current: bool = True,
) -> str:
    """A policy page and its inventory file; counted in `reach` as in force unless
    `current` is false (an earlier version). Returns the page's target."""
    facts = facts or d.facts
    target = target or d.paths.policy
    body = before + d.policy_body(facts, attachment_href) + after
    d.answers[target] = d.page(
        title or d.template.link_text, body, head=head, fault=fault, burst=burst
    )
    truncated = "truncated_file" in d.faults
    file = d.inventory(facts, fault="truncated_file" if truncated else None)
    if current:
        reach.current(d.page_cameras(facts), target, facts, None if truncated else file)
    else:
        reach.earlier.append(target)
        reach.earlier_files.append(file)
    return target


def mobile_facts(facts: Facts, rng: random.Random) -> Facts:
    """The 이동형 policy of the same institution: vehicle-mounted and body-worn devices."""
    inventory = (
        ("교통행정과", "불법 주정차 단속", "단속차량 탑재", rng.randint(2, 12), "24시간", "30일"),
        ("안전총괄과", "재난 현장 확인", "휴대형(바디캠)", rng.randint(1, 8), "운용 시", "7일"),
    )
    return dataclasses.replace(facts, inventory=inventory, file_id=f"{facts.file_id}M")


def office_facts(facts: Facts, office: str, rng: random.Random) -> Facts:
    """The policy of one of the institution's offices (사업소), published on its own."""
    inventory = (
        (office, "시설안전 및 화재예방", "청사 출입구", rng.randint(2, 30), "24시간", "30일"),
        (office, "범죄예방", "주차장", rng.randint(2, 20), "24시간", "30일"),
    )
    return dataclasses.replace(facts, inventory=inventory, file_id=f"{facts.file_id}S")


def earlier_facts(facts: Facts, step: int) -> Facts:
    """The policy as it stood `step` revisions ago: fewer cameras, an older date, its own
    inventory file."""
    inventory = tuple(
        (*item[:3], max(1, item[3] - 3 * step), *item[4:]) for item in facts.inventory
    )
    effective = facts.effective.replace(year=facts.effective.year - 2 * step, day=1)
    return dataclasses.replace(
        facts, inventory=inventory, effective=effective, file_id=f"{facts.file_id}V{step}"
    )
