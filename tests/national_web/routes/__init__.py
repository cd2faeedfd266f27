"""The ways real government sites lead to their CCTV policy, each given to a share of the
synthetic sites, and what a careful reader finds through each (the ground truth).

Every route is a function that writes a site's answers in its template's look and
collects what is there to find (`common.Reach`); `ROUTES` says how many of 243 sites take
it, what a crawl without a browser should end with, how a crawl report may name the way it
went, and why a miss is right where it is. Sites with a seeded fault keep the template's
plain link, and their route is named after the fault.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.national_web.routes import decoys, frames, images, links, privacy, scripts, versions
from tests.national_web.routes.common import Reach
from tests.national_web.site import Draft
from tests.national_web.truth import SiteTruth

__all__ = ["ROUTES", "RouteKind", "assign", "build", "route_of"]

_NATIONAL = 243  # `sites` below are per this many sites


@dataclass(frozen=True)
class RouteKind:
    name: str
    sites: int  # sites given this route per 243; 0: only through a seeded fault
    outcome: str  # tests/national_web/truth.py OUTCOMES
    categories: tuple[str, ...]  # crawl_reports route values that name the way rightly
    reason: str | None  # why a miss is right (truth.REASONS)
    write: Callable[[Draft, Reach], None]


def _kind(
    name: str,
    sites: int,
    write: Callable[[Draft, Reach], None],
    categories: tuple[str, ...] = ("link",),
    outcome: str = "found",
    reason: str | None = None,
) -> RouteKind:
    return RouteKind(name, sites, outcome, categories, reason, write)


ROUTES: tuple[RouteKind, ...] = (
    # The template's own link, and the seeded faults on it.
    _kind("link", 0, links.link),
    _kind("sitemap", 0, links.link, ("sitemap",)),  # no_policy_link
    _kind("privacy_section", 0, links.link, ("privacy",)),  # policy_in_privacy
    _kind("link+slow", 0, links.link),
    _kind("link+wrong_charset", 0, links.link),
    _kind("link+truncated_file", 0, links.link),
    _kind("link+server_error_burst", 0, links.link, outcome="either", reason="http_status"),
    _kind("link+timeout", 0, links.link, outcome="missed", reason="timeout"),
    _kind("link+redirect_loop", 0, links.link, outcome="missed", reason="redirect_loop"),
    _kind("link+robots_disallow", 0, links.link, outcome="missed", reason="robots"),
    # Other wordings; policies split over pages.
    _kind("wording", 8, links.wording),
    _kind("split_fixed_mobile", 5, links.split_fixed_mobile),
    _kind("split_offices", 5, links.split_offices),
    # Links written as script.
    _kind("script_window_open", 5, scripts.script_window_open, ("script_link",)),
    _kind("script_location", 5, scripts.script_location, ("script_link",)),
    _kind("script_gopage", 5, scripts.script_gopage, ("script_link",)),
    _kind("script_fn_gomenu", 5, scripts.script_fn_gomenu, ("script_link",)),
    _kind("script_fnlinkpage", 5, scripts.script_fnlinkpage, ("script_link",)),
    _kind("script_download", 5, scripts.script_download),
    # Links named by an image, a title or aria-label.
    _kind("image_alt", 5, images.image_alt, ("image_link",)),
    _kind("image_title", 5, images.image_title, ("image_link",)),
    _kind("aria_label", 5, images.aria_label, ("image_link", "link")),
    _kind("image_map", 5, images.image_map, ("image_link",)),
    # Homepages that only lead on; policies inside a frame.
    _kind("redirect_script", 5, frames.redirect_script, ("redirect", "link")),
    _kind("redirect_meta", 5, frames.redirect_meta, ("redirect", "link")),
    _kind("frameset", 5, frames.frameset, ("frame", "link")),
    _kind("iframe_home", 5, frames.iframe_home, ("frame", "link")),
    _kind("policy_in_frame", 5, frames.policy_in_frame, ("frame",)),
    # Through the 개인정보 처리방침; the registry's own URL; no policy at all.
    _kind("privacy_link", 5, privacy.privacy_link, ("privacy",)),
    _kind("privacy_tab", 5, privacy.privacy_tab, ("privacy",)),
    _kind("override", 5, privacy.override, ("override",)),
    _kind("privacy_without_cctv", 5, privacy.privacy_without_cctv, (), "missed", "no_link"),
    # Earlier versions beside the policy in force; policies as board posts.
    _kind("earlier_select", 5, versions.earlier_select),
    _kind("earlier_dated", 5, versions.earlier_dated),
    _kind("earlier_button", 5, versions.earlier_button),
    _kind("board", 8, versions.board, ("board",)),
    # Pages that look like the policy and are not; sites that show a crawler nothing.
    _kind("decoy_news", 5, decoys.decoy_news),
    _kind("decoy_error200", 5, decoys.decoy_error200, ("sitemap",)),
    _kind("decoy_wrapper", 5, decoys.decoy_wrapper),
    _kind("decoy_js_shell", 5, decoys.decoy_js_shell, ("sitemap",)),
    _kind("decoy_login", 5, decoys.decoy_login, (), "missed", "not_a_policy"),
    _kind("js_rendered", 5, decoys.js_rendered, ("link",), "browser", "needs_js"),
    _kind("blocked_ua", 5, decoys.blocked_ua, (), "missed", "blocked_user_agent"),
    _kind(
        "browser_unsupported", 5, decoys.browser_unsupported, (), "missed", "browser_unsupported"
    ),
)
_BY_NAME = {kind.name: kind for kind in ROUTES}
_FAULT_ROUTES = {"no_policy_link": "sitemap", "policy_in_privacy": "privacy_section"}


def route_of(faults: tuple[str, ...]) -> str:
    """The route of a site with these seeded faults (and no route of its own)."""
    if not faults:
        return "link"
    return _FAULT_ROUTES.get(faults[0], f"link+{faults[0]}")


def assign(faults: list[tuple[str, ...]], seed: int) -> list[tuple[str, int]]:
    """(route, rank among that route's sites) per site. Fault-free sites are dealt out in
    a seeded order, each route taking its share of the web (none in a web too small for
    one site per route); the rest, and every site with a fault, keep the plain link."""
    count = len(faults)
    rng = random.Random(f"national-web-routes:{seed}")
    free = [i for i, f in enumerate(faults) if not f]
    rng.shuffle(free)
    assigned: list[tuple[str, int]] = [(route_of(f), 0) for f in faults]
    taken = 0
    for kind in ROUTES:
        share = count * kind.sites // _NATIONAL
        for rank, index in enumerate(free[taken : taken + share]):
            assigned[index] = (kind.name, rank)
        taken += share
    plain = sorted(i for i, (name, _) in enumerate(assigned) if name == "link")
    for rank, index in enumerate(plain):
        assigned[index] = ("link", rank)
    return assigned


def build(route: str, draft: Draft) -> SiteTruth:
    """Write the site's answers for `route` into `draft`; what there is to find."""
    kind = _BY_NAME[route]
    reach = Reach()
    kind.write(draft, reach)
    return SiteTruth(
        route=route,
        outcome=kind.outcome,
        categories=frozenset(kind.categories),
        policies=tuple(reach.policies),
        earlier=tuple(reach.earlier),
        not_policies=tuple(reach.not_policies),
        files=tuple(reach.files),
        earlier_files=tuple(reach.earlier_files),
        page_cameras=reach.page_cameras,
        file_cameras=reach.file_cameras,
        cameras=reach.cameras,
        reason=kind.reason,
    )
