"""What a careful person clicking through each synthetic site would find: the ground truth
the crawl is scored against.

It is written while the site is generated, from the same facts as its pages, and never
read back from what a crawler fetched. Targets are `path?query` on the site's own origin.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OUTCOMES", "REASONS", "SiteTruth"]

# What a crawl without a browser should end with on a site:
#   found   every current policy counted, nothing else, totals right
#   missed  no policy counted, and the reason said
#   either  found, or missed with the reason said (a 5xx burst longer than the retries)
#   browser the policy is drawn by script: missed with `needs_js` unless the crawl renders
#           pages in a browser, then found
OUTCOMES = ("found", "missed", "either", "browser")

# Why no policy can be found, in the words the scorer accepts (tests/national_web/score.py
# maps each to the spellings a crawl report may use).
REASONS = (
    "robots",  # robots.txt forbids the policy page
    "timeout",  # the policy page answers after any download timeout
    "redirect_loop",  # the policy page redirects in a circle
    "http_status",  # the policy page answers 5xx
    "blocked_user_agent",  # 403 to any client that is not a browser
    "browser_unsupported",  # a "browser not supported" page to non-browser clients
    "needs_js",  # the policy page is empty until script draws it
    "not_a_policy",  # the only candidate is a login page, an error page, a shell
    "no_link",  # nothing on the site links a CCTV policy
)


@dataclass(frozen=True)
class SiteTruth:
    """One institution's site, as a careful reader would report it."""

    route: str  # how the policy is reached (tests/national_web/routes.py ROUTES)
    outcome: str  # one of OUTCOMES
    categories: frozenset[str]  # crawl_reports route values that name that way rightly
    policies: tuple[str, ...] = ()  # targets of the policies in force
    earlier: tuple[str, ...] = ()  # earlier versions: may be archived, never counted
    not_policies: tuple[str, ...] = ()  # decoys and wrappers on the way: never counted
    files: tuple[str, ...] = ()  # files of the current policies that can be downloaded
    earlier_files: tuple[str, ...] = ()  # files of earlier versions: never counted
    page_cameras: int = 0  # cameras listed on the current policy pages (placeholders: 0)
    file_cameras: int = 0  # cameras in `files`
    cameras: int = 0  # cameras the institution declares in force: the current policies' sum
    reason: str | None = None  # one of REASONS, when the outcome may be a miss

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if self.reason is not None and self.reason not in REASONS:
            raise ValueError(f"unknown reason {self.reason!r}")
        if (self.outcome == "found") != (self.reason is None):
            raise ValueError(f"{self.route}: a reason is given exactly when a miss may be right")
