"""Routes through plain `<a href>` links: the template's own link (with the seeded faults),
other wordings of the policy's name, and policies split over pages that do not link each
other (고정형 and 이동형, 본청 and 사업소)."""

from __future__ import annotations

from html import escape

from tests.national_web.routes.common import (
    Reach,
    fill,
    homepage,
    mobile_facts,
    office_facts,
    plain_link,
    policy_page,
    privacy,
    robots,
    sitemap,
    with_query,
)
from tests.national_web.site import Answer, Draft
from tests.national_web.templates import Facts

__all__ = ["WORDINGS", "link", "split_fixed_mobile", "split_offices", "wording"]

_MOBILE_EVERY = 4  # one plain site in this many publishes a second policy (이동형) as a tab

# The names sites give the policy, old and new, beyond the templates' own.
WORDINGS = (
    "영상정보처리기기 운영관리방침",
    "고정형 영상정보처리기기 운영·관리방침",
    "영상정보처리기기방침",
    "개인영상정보 보호방침",
    "CCTV 운영방침",
    "CCTV 설치·운영 안내",
    "폐쇄회로 텔레비전(CCTV) 운영·관리 방침",
    "영상정보처리장치 운영방침",
)
_OFFICES = ("상수도사업소", "농업기술센터", "보건소", "시설관리사업소", "차량등록사업소")


def _tabs(current: str, targets: tuple[str, str]) -> str:
    """The 고정형 | 이동형 tab bar real CMSs put above a split policy."""
    labels = ("고정형 영상정보처리기기 운영·관리방침", "이동형 영상정보처리기기 운영·관리방침")
    on = ' class="on"'
    items = "".join(
        f'<li{on if t == current else ""}><a href="{escape(t)}">{label}</a></li>'
        for t, label in zip(targets, labels, strict=True)
    )
    return f'<ul class="tab_menu">{items}</ul>'


def link(d: Draft, reach: Reach) -> None:
    """The template's link in the footer, and the seeded faults: no link on the homepage
    (the sitemap has it), the policy inside the 개인정보 처리방침, robots.txt, 5xx bursts,
    timeouts, redirect loops, truncated files. One site in four has an 이동형 tab."""
    faults = d.faults
    paths = d.paths
    in_privacy = "policy_in_privacy" in faults
    links = [plain_link(d)]
    homepage(
        d,
        [] if in_privacy or "no_policy_link" in faults else links,
        fault="slow" if "slow" in faults else None,
    )
    robots(d, [paths.policy.split("?", 1)[0]] if "robots_disallow" in faults else [])
    sitemap(d, [] if in_privacy else links)
    if in_privacy:
        privacy(d, section=d.policy_body(d.facts))
        truncated = "truncated_file" in faults
        file = d.inventory(d.facts, fault="truncated_file" if truncated else None)
        reach.current(d.page_cameras(d.facts), paths.privacy, d.facts, None if truncated else file)
        return
    privacy(d)
    fault = next((f for f in faults if f in ("server_error_burst", "timeout", "slow")), None)
    burst = d.rng.randint(1, 2) if fault == "server_error_burst" else 0
    if d.index % _MOBILE_EVERY == 2 and "redirect_loop" not in faults:
        mobile = with_query(paths.policy, "tab=2")
        tabs = (paths.policy, mobile)
        policy_page(d, reach, before=_tabs(paths.policy, tabs), fault=fault, burst=burst)
        other = mobile_facts(d.facts, d.rng)
        body = _tabs(mobile, tabs) + d.template.policy(other, paths)  # the same file link
        d.answers[mobile] = d.page("이동형 영상정보처리기기 운영·관리방침", body)
        reach.current(d.page_cameras(other), mobile, other, None)
    else:
        policy_page(d, reach, fault=fault, burst=burst)
    if "redirect_loop" in faults:
        other = with_query(paths.policy, "returnUrl=1")
        d.answers[paths.policy] = Answer(status=302, headers=(("Location", other),))
        d.answers[other] = Answer(status=302, headers=(("Location", paths.policy),))


def wording(d: Draft, reach: Reach) -> None:
    """The link names the policy in another wording in use, old or new."""
    text = WORDINGS[d.rank % len(WORDINGS)]
    policy_page(d, reach, title=text)
    fill(d, [plain_link(d, text=text)])


def _split(d: Draft, reach: Reach, parts: list[tuple[str, str, Facts]]) -> None:
    """Policies on pages of their own, each linked from the footer, none linking another."""
    links = []
    for target, text, facts in parts:
        policy_page(d, reach, facts, target=target, title=text)
        links.append(plain_link(d, target, text))
    fill(d, links)


def split_fixed_mobile(d: Draft, reach: Reach) -> None:
    """고정형 and 이동형 policies on separate pages, each with its own inventory file."""
    mobile = with_query(d.paths.policy, "type=mobile")
    _split(
        d,
        reach,
        [
            (d.paths.policy, "고정형 영상정보처리기기 운영·관리방침", d.facts),
            (mobile, "이동형 영상정보처리기기 운영·관리방침", mobile_facts(d.facts, d.rng)),
        ],
    )


def split_offices(d: Draft, reach: Reach) -> None:
    """The 본청's policy and an office's (사업소) policy, published side by side."""
    office = _OFFICES[d.rank % len(_OFFICES)]
    name = d.template.link_text
    _split(
        d,
        reach,
        [
            (d.paths.policy, f"{name}(본청)", d.facts),
            (
                with_query(d.paths.policy, "office=2"),
                f"{name}({office})",
                office_facts(d.facts, office, d.rng),
            ),
        ],
    )
