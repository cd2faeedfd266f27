"""Per crawl and institution: did the crawl reach the policy (how, and how many policy
pages), what did it fetch, what did the server confirm unchanged (304), what went wrong
and, when no policy was found, why; how long it took. Read from the capture index and the
crawl log, nothing else.

The spider logs every page it took as a policy (`policy_accepted`, with the route) and
every miss once (`policy_not_found`, with the reason); those decide. Crawls logged before
it did so are read from their captures, as they always were.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from archive.index import Capture
from warehouse.records import CrawlReportRow

_PROBLEMS = {
    "fetch_failed",
    "request_failed",
    "http_error",
    "policy_not_found",
    "request_refused",
    "redirect_offsite",
    "page_cap_reached",
    "not_a_policy",
    "policy_needs_js",
    "blocked_user_agent",
    "browser_unsupported",
    "render_timeout",
    "render_failed",
    "render_unavailable",
}
# A render=js site whose page could not be rendered is reported as that, not as a page
# that needs JavaScript (which is what the page as served then looks like).
_RENDER_FAILURES = {"render_timeout", "render_failed", "render_unavailable"}
# Events only a crawl that judges its policy pages writes.
_JUDGING = {
    "policy_accepted",
    "policy_wrapper",
    "not_a_policy",
    "policy_needs_js",
    "browser_unsupported",
}


def _when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _judging_crawls(events: list[dict]) -> set[str]:
    return {
        e["crawl_id"]
        for e in events
        if e.get("crawl_id")
        and (e.get("event") in _JUDGING or (e.get("event") == "policy_not_found" and "reason" in e))
    }


def _earlier_reason(row: dict, kinds: set[str], failures: list[str]) -> str:
    """Why a crawl logged before reasons were written found no policy, as far as its
    events tell."""
    if (row["homepage_status"] or 0) >= 400:
        return "http_status"
    if any("robots" in m.lower() for m in failures):
        return "robots"
    if any("timeout" in m.lower() or "took longer" in m.lower() for m in failures):
        return "timeout"
    if any("redirection" in m.lower() for m in failures):
        return "redirect_loop"
    for kind, reason in (
        ("policy_not_found", "no_link"),
        ("fetch_failed", "fetch_failed"),
        ("request_failed", "http_status"),
        ("request_refused", "request_refused"),
        ("page_cap_reached", "page_cap"),
    ):
        if kind in kinds:
            return reason
    return "incomplete"


def crawl_report_rows(captures: Iterable[Capture], events: Iterable[dict]) -> list[CrawlReportRow]:
    events = list(events)
    judging = _judging_crawls(events)
    rows: dict[tuple[str, str], CrawlReportRow] = {}

    def row(crawl_id: str, inst_code: str) -> CrawlReportRow:
        key = (crawl_id, inst_code)
        if key not in rows:
            rows[key] = {
                "crawl_id": crawl_id,
                "inst_code": inst_code,
                "homepage_status": None,
                "policy_found": False,
                "policy_url": None,
                "policy_in_privacy": False,
                "route": None,
                "reason": None,
                "policies": 0,
                "attachments": 0,
                "responses": 0,
                "not_modified": 0,
                "problems": 0,
                "problem_kinds": [],
                "first_at": None,
                "last_at": None,
                "seconds": None,  # set once every time of the crawl is known
            }
        return rows[key]

    times: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for c in captures:
        if not c.inst_code or not c.crawl_id.startswith("crawl-"):
            continue
        r = row(c.crawl_id, c.inst_code)
        r["responses"] += 1
        r["not_modified"] += c.status == 304
        times[(c.crawl_id, c.inst_code)].append(c.fetched_at)
        if c.role == "homepage" and r["homepage_status"] is None:
            r["homepage_status"] = c.status
        elif c.role == "policy" and c.has_content and c.crawl_id not in judging:
            r["policies"] += 1
            if not r["policy_found"]:  # the first reached; tabs and sub-pages come after
                r["policy_found"], r["policy_url"] = True, c.url
        elif c.role == "attachment" and c.has_content:
            r["attachments"] += 1
    accepted: dict[tuple[str, str], list[dict]] = defaultdict(list)
    in_privacy: dict[tuple[str, str], set[str]] = defaultdict(set)
    rendered: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in events:
        inst, crawl_id, kind = e.get("inst_code"), e.get("crawl_id"), e.get("event")
        if not inst or not crawl_id:
            continue
        key = (crawl_id, inst)
        r = row(crawl_id, inst)
        kinds[key].add(kind or "")
        if kind == "policy_in_privacy":
            r["policy_in_privacy"] = True
            in_privacy[key].add(str(e.get("url")))
        elif kind == "policy_accepted":
            accepted[key].append(e)
        elif kind == "page_rendered":
            rendered[key].add(str(e.get("url")))
        elif kind == "policy_not_found" and e.get("reason"):
            r["reason"] = e["reason"]
        elif kind == "request_failed":
            failures[key].append(str(e.get("message") or ""))
        if kind in _PROBLEMS:
            r["problems"] += 1
            if kind not in r["problem_kinds"]:
                r["problem_kinds"].append(kind)
        if (at := _when(e.get("at"))) is not None:
            times[key].append(at)
    for key, r in rows.items():
        if key[0] in judging:
            taken = accepted.get(key, [])
            main = [e for e in taken if not e.get("sub_policy")] or taken
            r["policies"] = len({e.get("url") for e in taken})
            # The privacy page held the items; it is the policy only if nothing else was.
            r["policy_in_privacy"] = bool(main) and main[0].get("url") in in_privacy[key]
            if main:
                r["policy_found"], r["policy_url"] = True, main[0].get("url")
                r["route"] = main[0].get("route")
                if main[0].get("url") in rendered[key]:
                    r["route"] = "rendered"
        elif r["policy_found"]:
            in_privacy, linked = r["policy_in_privacy"], "policy_link" in kinds[key]
            r["route"] = "privacy_page" if in_privacy else ("link" if linked else "override")
        if r["policy_found"]:
            r["reason"] = None
        elif kinds[key] & _RENDER_FAILURES:
            r["reason"] = "render_failed"
        elif r["reason"] is None and key[0] in judging:
            r["reason"] = "incomplete"  # the crawl stopped before it was done with the site
        elif r["reason"] is None:
            r["reason"] = _earlier_reason(r, kinds[key], failures[key])
        stamps = sorted(t for t in times[key] if t is not None)
        if stamps:
            r["first_at"], r["last_at"] = stamps[0], stamps[-1]
        r["seconds"] = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0
    return sorted(rows.values(), key=lambda r: (r["crawl_id"], r["inst_code"]))
