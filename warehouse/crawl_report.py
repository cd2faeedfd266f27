"""Per crawl and institution: did the crawl reach the policy (and how many policy pages),
what did it fetch, what did the server confirm unchanged (304), what went wrong, how long
it took. Read from the capture index and the crawl log, nothing else."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from warehouse.archive import Capture

_PROBLEMS = {
    "fetch_failed",
    "request_failed",
    "http_error",
    "policy_not_found",
    "request_refused",
    "redirect_offsite",
    "page_cap_reached",
}


def _when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def crawl_report_rows(captures: Iterable[Capture], events: Iterable[dict]) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}

    def row(crawl_id: str, inst_code: str) -> dict:
        key = (crawl_id, inst_code)
        if key not in rows:
            rows[key] = {
                "crawl_id": crawl_id,
                "inst_code": inst_code,
                "homepage_status": None,
                "policy_found": False,
                "policy_url": None,
                "policy_in_privacy": False,
                "policies": 0,
                "attachments": 0,
                "responses": 0,
                "not_modified": 0,
                "problems": 0,
                "problem_kinds": [],
                "first_at": None,
                "last_at": None,
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
        elif c.role == "policy" and c.has_content:
            r["policies"] += 1
            if not r["policy_found"]:  # the first reached; tabs and sub-pages come after
                r["policy_found"], r["policy_url"] = True, c.url
        elif c.role == "attachment" and c.has_content:
            r["attachments"] += 1
    for e in events:
        inst, crawl_id = e.get("inst_code"), e.get("crawl_id")
        if not inst or not crawl_id:
            continue
        r = row(crawl_id, inst)
        if e.get("event") == "policy_in_privacy":
            r["policy_in_privacy"] = True
        if e.get("event") in _PROBLEMS:
            r["problems"] += 1
            if e["event"] not in r["problem_kinds"]:
                r["problem_kinds"].append(e["event"])
        if (at := _when(e.get("at"))) is not None:
            times[(crawl_id, inst)].append(at)
    for key, r in rows.items():
        stamps = sorted(t for t in times[key] if t is not None)
        if stamps:
            r["first_at"], r["last_at"] = stamps[0], stamps[-1]
        r["seconds"] = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0
    return sorted(rows.values(), key=lambda r: (r["crawl_id"], r["inst_code"]))
