"""How policies change over time: SCD-2 versions per institution, and the difference
between two crawls.

A version changes only when the normalised page text changes, so a re-fetch of unchanged
content, a new ETag or a CMS timestamp is not a change. A capture that an earlier parser
version read differently is labelled `rederived_from`, because that difference is ours,
not the institution's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from transforms.contract import PARSER_VERSION
from transforms.text import compact
from warehouse.archive import Capture
from warehouse.parsing import ArchiveError, DocumentError, DocumentParser, Parsed


def _camera_total(contract: dict) -> int:
    return sum(c["camera_count"] or 0 for c in contract["cameras"] if not c["is_template"])


def policy_key(url: str) -> str:
    """Which of an institution's policies a page is: its path and query. The host is left
    out because sites move between hosts (www. or not, http or https) and keep their paths."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def policy_versions(captures: list[Capture], parser: DocumentParser) -> list[dict]:
    """Rows of `policy_versions`, oldest first per institution."""
    by_policy: dict[tuple[str, str], list[tuple[Capture, Parsed]]] = defaultdict(list)
    for capture in captures:  # oldest first
        if capture.role != "policy" or not capture.has_content or not capture.inst_code:
            continue
        try:
            parsed = parser.parse(capture)
        except (DocumentError, ArchiveError):
            continue  # recorded as a quality issue by the build
        # An institution may publish several policies (본청, 사업소, 이동형), each at its
        # own address: each has its own history.
        by_policy[(capture.inst_code, policy_key(capture.url))].append((capture, parsed))
    rows: list[dict] = []
    for (inst_code, _), seen in by_policy.items():
        versions: list[dict] = []
        for capture, parsed in seen:
            current = versions[-1] if versions else None
            if current is not None and current["content_hash"] == parsed.content_hash:
                current["last_capture_sha256"] = capture.sha256
                current["captures"] += 1
                continue
            if current is not None:
                current["valid_to"] = capture.fetched_at
                current["is_current"] = False
            policy = parsed.contract["policy"] or {}
            earlier = parser.earlier_derivations(capture)
            rederived = sorted(v for v, h in earlier.items() if h != parsed.content_hash)
            versions.append(
                {
                    "inst_code": inst_code,
                    "version": len(versions) + 1,
                    "content_hash": parsed.content_hash,
                    "valid_from": capture.fetched_at,
                    "valid_to": None,
                    "is_current": True,
                    "first_capture_sha256": capture.sha256,
                    "last_capture_sha256": capture.sha256,
                    "captures": 1,
                    "title": policy.get("title"),
                    "items_present": policy.get("items_present"),
                    "retention_days_min": policy.get("retention_days_min"),
                    "retention_days_max": policy.get("retention_days_max"),
                    "camera_rows": len(parsed.contract["cameras"]),
                    "camera_total": _camera_total(parsed.contract),
                    "source_url": capture.url,
                    "parser_version": PARSER_VERSION,
                    "rederived_from": rederived[-1] if rederived else None,
                }
            )
        rows.extend(versions)
    return rows


@dataclass
class RowChange:
    inst_code: str
    key: str
    change: str  # "added" | "removed" | "changed"
    camera_count_before: int | None = None
    camera_count_after: int | None = None
    retention_before: int | None = None
    retention_after: int | None = None


@dataclass
class CrawlDiff:
    from_crawl: str
    to_crawl: str
    policies_added: list[str] = field(default_factory=list)
    policies_removed: list[str] = field(default_factory=list)
    policies_changed: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)


def crawl_ids(captures: list[Capture]) -> list[str]:
    """Crawls in the order they ran (imports excluded)."""
    first: dict[str, dt.datetime] = {}
    for c in captures:
        if c.crawl_id.startswith("crawl-"):
            first.setdefault(c.crawl_id, c.fetched_at)
    return sorted(first, key=first.__getitem__)


def _snapshot(captures: list[Capture], crawl_id: str, parser: DocumentParser):
    """Per institution: a hash over its policies' content hashes (by URL, so a change in
    any of them is a change) and its camera rows keyed by identity."""
    policy_hashes: dict[str, dict[str, str]] = defaultdict(dict)
    rows: dict[tuple[str, str], dict] = {}
    for capture in captures:
        if capture.crawl_id != crawl_id or not capture.has_content or not capture.inst_code:
            continue
        if capture.role not in ("policy", "attachment"):
            continue
        try:
            parsed = parser.parse(capture)
        except (DocumentError, ArchiveError):
            continue
        if capture.role == "policy":
            policy_hashes[capture.inst_code][policy_key(capture.url)] = parsed.content_hash
        for camera in parsed.contract["cameras"]:
            if camera["is_template"]:
                continue
            # Rows have no ids; unit + location + purpose identify one well enough to
            # follow it across crawls, and the row's position breaks ties.
            key = " | ".join(
                compact(camera.get(k) or "") for k in ("unit", "location", "purpose_raw")
            )
            n = 1
            while (capture.inst_code, f"{key} #{n}") in rows:
                n += 1
            rows[(capture.inst_code, f"{key} #{n}")] = camera
    hashes = {
        inst: " ".join(h for _, h in sorted(by_url.items()))
        for inst, by_url in policy_hashes.items()
    }
    return hashes, rows


def diff_crawls(
    captures: list[Capture], parser: DocumentParser, from_crawl: str, to_crawl: str
) -> CrawlDiff:
    before_hash, before_rows = _snapshot(captures, from_crawl, parser)
    after_hash, after_rows = _snapshot(captures, to_crawl, parser)
    diff = CrawlDiff(from_crawl, to_crawl)
    diff.policies_added = sorted(set(after_hash) - set(before_hash))
    diff.policies_removed = sorted(set(before_hash) - set(after_hash))
    diff.policies_changed = sorted(
        i for i in set(before_hash) & set(after_hash) if before_hash[i] != after_hash[i]
    )
    for key in sorted(set(before_rows) | set(after_rows)):
        old, new = before_rows.get(key), after_rows.get(key)
        if old is None or new is None:
            change = "added" if old is None else "removed"
        elif (old["camera_count"], old["retention_days"]) != (
            new["camera_count"],
            new["retention_days"],
        ):
            change = "changed"
        else:
            continue
        diff.rows.append(
            RowChange(
                key[0],
                key[1].rsplit(" #", 1)[0],
                change,
                old["camera_count"] if old else None,
                new["camera_count"] if new else None,
                old["retention_days"] if old else None,
                new["retention_days"] if new else None,
            )
        )
    return diff
