"""Where the search for one institution's policy stands.

Discovery fans out (homepage → its redirect, frames, sitemap, 개인정보 처리방침, the site's
scripts → candidate links → frames of a wrapper …), so whether the policy was found can
only be told when every request it made has answered. Each counted request adds one to
`pending` and its callback or errback takes it off; when nothing is pending, what was
put off (fallback links, the sitemap and privacy branches) is tried, and when nothing is
left either, the miss is reported once, with the reason the findings on the way give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transforms.discovery.scripts import Helper

# How a policy was reached, the most telling first: a route combining several steps
# (a privacy page reached through a frame) is reported by the first of them in this order.
ROUTES = (
    "override",  # the registry's policy_url
    "board",  # a board post whose policy is the attached file
    "privacy_page",  # the 개인정보 처리방침 holds it or links it
    "sitemap",
    "frame",  # a frameset homepage, or a page whose content is in a frame
    "redirect",  # a homepage that only redirects (script or meta refresh)
    "script_link",  # onclick, javascript: links, CMS helpers
    "image_link",  # an image's alt text, an image map
    "link",
)
# Why no policy was found, the most telling first.
REASONS = (
    "needs_js",  # the policy page (or the homepage) is rendered by script
    "blocked_user_agent",  # 403 to this crawler's User-Agent
    "browser_unsupported",  # a "browser not supported" page instead of the content
    "robots",  # robots.txt forbids it
    "not_a_policy",  # the policy link led to a page that is not one
    "http_status",  # 4xx/5xx
    "timeout",  # no answer in time
    "redirect_loop",  # redirects that go round
    "fetch_failed",  # DNS, connections, a body cut short
    "request_refused",  # not http(s), a private address, off the institution's hosts
    "page_cap",  # the site's request cap was spent first
    "no_link",  # nothing on the site links a policy
)
# The stage a finding belongs to: a candidate's failure says more than the homepage's,
# and the homepage's more than a side branch's (a missing sitemap is not why).
STAGES = ("policy", "homepage", "branch")


def stronger_route(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if ROUTES.index(a) <= ROUTES.index(b) else b


def stage_of(role: str | None) -> str:
    if role == "policy":
        return "policy"
    return "homepage" if role in ("homepage", "redirect") else "branch"


@dataclass
class Deferred:
    """A request put off until everything out has answered without the policy."""

    priority: int  # 0: fallback candidates, 1: redirect, frames, sitemap and privacy
    inst_code: str
    url: str
    role: str  # policy, or the discovery page's role (redirect, frame, sitemap, privacy)
    route: str | None
    found_on: str
    depth: int
    text: str = ""
    score: int | None = None
    fallbacks: list[Any] = field(default_factory=list)  # a candidate's own fallbacks


@dataclass
class SiteDiscovery:
    pending: int = 0
    accepted: list[str] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)  # pages and candidates already asked for
    deferred: list[Deferred] = field(default_factory=list)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # stage, reason, url
    concluded: bool = False
    helpers: dict[str, Helper] = field(default_factory=dict)  # from the site's own scripts
    scripts_asked: set[str] = field(default_factory=set)
    earlier_seen: set[str] = field(default_factory=set)

    def found(self, role: str | None, reason: str, url: str) -> None:
        self.findings.append((stage_of(role), reason, url))

    def next_batch(self) -> list[Deferred]:
        """The deferred requests of the lowest priority, taken off the list."""
        if not self.deferred:
            return []
        low = min(d.priority for d in self.deferred)
        batch = [d for d in self.deferred if d.priority == low]
        self.deferred = [d for d in self.deferred if d.priority != low]
        return batch

    def reason(self) -> tuple[str, str]:
        """(reason, where) for a miss: the most telling finding of the furthest stage."""
        for stage in STAGES[:2]:
            here = [(r, u) for s, r, u in self.findings if s == stage]
            if here:
                return min(here, key=lambda f: REASONS.index(f[0]))
        return "no_link", ""
