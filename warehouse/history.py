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
from typing import Any
from urllib.parse import urlsplit

from archive.index import Capture
from domain.text import compact, fold
from transforms.contract import PARSER_VERSION
from warehouse.parsing import ArchiveError, DocumentError, DocumentParser, Parsed
from warehouse.records import PolicyVersionRow


def _camera_total(contract: dict) -> int:
    return sum(c["camera_count"] or 0 for c in contract["cameras"] if not c["is_template"])


def policy_key(url: str) -> str:
    """Which of an institution's policies a page is: its path and query. The host is left
    out because sites move between hosts (www. or not, http or https) and keep their paths."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def policy_versions(captures: list[Capture], parser: DocumentParser) -> list[PolicyVersionRow]:
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
    rows: list[PolicyVersionRow] = []
    for (inst_code, _), seen in by_policy.items():
        versions: list[PolicyVersionRow] = []
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


# What `cctv diff` compares, field by field. Policy fields are the page's own statements;
# `stated_total` is compared when the parse gives one.
POLICY_FIELDS = (
    "title",
    "device_scope",
    "retention_days_min",
    "retention_days_max",
    "recording_hours",
    "storage_locations",
    "enacted_on",
    "revised_on",
    "stated_total",
)
ROW_FIELDS = (
    "camera_count",
    "retention_days",
    "location",
    "purpose",
    "purpose_raw",
    "unit",
    "device_type",
    "recording_hours",
    "storage_location",
)


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class PolicyChange:
    """One policy page of an institution (by its path and query, `policy_key`)."""

    inst_code: str
    policy: str
    change: str  # "added" | "removed" | "changed"
    fields: list[FieldChange] = field(default_factory=list)
    items_added: list[int] = field(default_factory=list)
    items_dropped: list[int] = field(default_factory=list)
    text_changed: bool = False  # the normalised page text differs


@dataclass
class RowChange:
    inst_code: str
    key: str  # unit | location | purpose, as the page writes them
    change: str  # "added" | "removed" | "changed"
    fields: list[FieldChange] = field(default_factory=list)
    row_ref: str | None = None
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
    policies: list[PolicyChange] = field(default_factory=list)
    camera_totals: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    rows: list[RowChange] = field(default_factory=list)

    def institutions(self) -> list[str]:
        """Every institution with a change of any kind, in code order."""
        codes = {*self.policies_added, *self.policies_removed, *self.policies_changed}
        codes |= {p.inst_code for p in self.policies} | set(self.camera_totals)
        return sorted(codes | {r.inst_code for r in self.rows})


def crawl_ids(captures: list[Capture]) -> list[str]:
    """Crawls in the order they ran (imports excluded)."""
    first: dict[str, dt.datetime] = {}
    for c in captures:
        if c.crawl_id.startswith("crawl-"):
            first.setdefault(c.crawl_id, c.fetched_at)
    return sorted(first, key=first.__getitem__)


@dataclass
class Snapshot:
    """What one crawl says, per institution."""

    policies: dict[str, dict[str, tuple[dict, str | None]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # inst → policy key → (policy, content hash)
    rows: dict[tuple[str, str], dict] = field(default_factory=dict)  # (inst, key #n) → row
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def hashes(self) -> dict[str, str]:
        """Per institution, its policies' content hashes (a change in any is a change)."""
        return {
            inst: " ".join(f"{key}={h}" for key, (_, h) in sorted(by_key.items()))
            for inst, by_key in self.policies.items()
        }


def _row_key(camera: dict) -> str:
    # Rows have no ids; unit + location + purpose identify one well enough to follow it
    # across crawls, and the row's position among equal keys breaks ties.
    return " | ".join(compact(camera.get(k) or "") for k in ("unit", "location", "purpose_raw"))


def _row_label(camera: dict) -> str:
    """The row as a person finds it on the page: its unit, place and purpose as written."""
    parts = (fold(camera.get(k)) for k in ("unit", "location", "purpose_raw"))
    return " | ".join(p for p in parts if p) or (camera.get("row_ref") or "?")


def _snapshot(captures: list[Capture], crawl_id: str, parser: DocumentParser) -> Snapshot:
    snap = Snapshot()
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
            add_policy(
                snap,
                capture.inst_code,
                capture.url,
                parsed.contract["policy"] or {},
                parsed.content_hash,
            )
        add_cameras(snap, capture.inst_code, capture.url, parsed.contract["cameras"])
    return snap


def add_policy(snap: Snapshot, inst: str, url: str, policy: dict, content_hash: str | None) -> None:
    """A policy page into a snapshot: a crawl's parse, or a row of a release's `policies`."""
    snap.totals[inst] += 0  # an institution whose rows all went counts 0, not unknown
    snap.policies[inst][policy_key(url)] = (policy, content_hash)


def add_cameras(snap: Snapshot, inst: str, url: str, cameras: list[dict]) -> None:
    """A document's camera rows into a snapshot (template rows give no numbers)."""
    snap.totals[inst] += 0
    for camera in cameras:
        if camera["is_template"]:
            continue
        key, n = _row_key(camera), 1
        while (inst, f"{key} #{n}") in snap.rows:
            n += 1
        snap.rows[(inst, f"{key} #{n}")] = {
            **camera,
            "_doc": policy_key(url),
            "_label": _row_label(camera),
        }
        snap.totals[inst] += camera["camera_count"] or 0


def _field_changes(old: dict, new: dict, names: tuple[str, ...]) -> list[FieldChange]:
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    ]


def _policy_changes(inst: str, before: dict, after: dict) -> list[PolicyChange]:
    changes = []
    for key in sorted(set(before) | set(after)):
        if key not in before or key not in after:
            changes.append(PolicyChange(inst, key, "added" if key not in before else "removed"))
            continue
        (old, old_hash), (new, new_hash) = before[key], after[key]
        old_items = set(old.get("items_present") or [])
        new_items = set(new.get("items_present") or [])
        change = PolicyChange(
            inst,
            key,
            "changed",
            _field_changes(old, new, POLICY_FIELDS),
            sorted(new_items - old_items),
            sorted(old_items - new_items),
            old_hash != new_hash,
        )
        if change.fields or change.items_added or change.items_dropped or change.text_changed:
            changes.append(change)
    return changes


def _row_change(inst: str, key: str, old: dict | None, new: dict | None) -> RowChange:
    either = old or new or {}
    if old is None or new is None:
        kind = "added" if old is None else "removed"
        fields = [
            FieldChange(f, either.get(f), None) if new is None else FieldChange(f, None, new[f])
            for f in ("camera_count", "retention_days")
            if either.get(f) is not None
        ]
    else:
        kind, fields = "changed", _field_changes(old, new, ROW_FIELDS)
    return RowChange(
        inst,
        (new or old or {}).get("_label") or key,
        kind,
        fields,
        (new or old or {}).get("row_ref"),
        old["camera_count"] if old else None,
        new["camera_count"] if new else None,
        old["retention_days"] if old else None,
        new["retention_days"] if new else None,
    )


def _row_changes(before: dict, after: dict) -> list[RowChange]:
    """Rows matched by identity; a row whose place or purpose changed is matched by its
    position instead (same document, same table row), so it shows as changed."""
    changes: list[RowChange] = []
    gone = {k: v for k, v in before.items() if k not in after}
    new = {k: v for k, v in after.items() if k not in before}
    for key in sorted(set(before) & set(after)):
        if _field_changes(before[key], after[key], ROW_FIELDS):
            changes.append(_row_change(key[0], key[1].rsplit(" #", 1)[0], before[key], after[key]))
    by_place = {(k[0], v["_doc"], v.get("row_ref")): k for k, v in gone.items() if v.get("row_ref")}
    for key, row in sorted(new.items()):
        old_key = by_place.pop((key[0], row["_doc"], row.get("row_ref")), None)
        if old_key is not None:
            changes.append(_row_change(key[0], key[1].rsplit(" #", 1)[0], gone.pop(old_key), row))
        else:
            changes.append(_row_change(key[0], key[1].rsplit(" #", 1)[0], None, row))
    for key, row in sorted(gone.items()):
        changes.append(_row_change(key[0], key[1].rsplit(" #", 1)[0], row, None))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda r: (r.inst_code, order[r.change], r.key))


def diff_crawls(
    captures: list[Capture], parser: DocumentParser, from_crawl: str, to_crawl: str
) -> CrawlDiff:
    """What changed between two crawls, per institution and field by field."""
    before, after = _snapshot(captures, from_crawl, parser), _snapshot(captures, to_crawl, parser)
    return diff_snapshots(before, after, from_crawl, to_crawl)


def diff_snapshots(before: Snapshot, after: Snapshot, from_label: str, to_label: str) -> CrawlDiff:
    """What changed between two snapshots (two crawls, or two releases' tables)."""
    before_hash, after_hash = before.hashes(), after.hashes()
    diff = CrawlDiff(from_label, to_label)
    diff.policies_added = sorted(set(after_hash) - set(before_hash))
    diff.policies_removed = sorted(set(before_hash) - set(after_hash))
    diff.policies_changed = sorted(
        i for i in set(before_hash) & set(after_hash) if before_hash[i] != after_hash[i]
    )
    for inst in sorted(set(before.policies) & set(after.policies)):
        diff.policies += _policy_changes(inst, before.policies[inst], after.policies[inst])
    for inst in sorted(set(before.totals) | set(after.totals)):
        old, new = before.totals.get(inst), after.totals.get(inst)
        if old != new:
            diff.camera_totals[inst] = (old, new)
    diff.rows = _row_changes(before.rows, after.rows)
    return diff


def diff_document(diff: CrawlDiff, names: dict[str, str | None]) -> dict[str, Any]:
    """The diff as one JSON-ready document (`cctv diff --json`): per institution, its
    policy pages' field changes, its camera total and its camera rows."""

    def fields(changes: list[FieldChange]) -> list[dict]:
        return [{"field": c.field, "before": c.before, "after": c.after} for c in changes]

    institutions = []
    for inst in diff.institutions():
        total = diff.camera_totals.get(inst)
        institutions.append(
            {
                "inst_code": inst,
                "name": names.get(inst),
                "policy": (
                    "added"
                    if inst in diff.policies_added
                    else "removed"
                    if inst in diff.policies_removed
                    else "changed"
                    if inst in diff.policies_changed
                    else "unchanged"
                ),
                "policies": [
                    {
                        "policy": p.policy,
                        "change": p.change,
                        "text_changed": p.text_changed,
                        "fields": fields(p.fields),
                        "items_added": p.items_added,
                        "items_dropped": p.items_dropped,
                    }
                    for p in diff.policies
                    if p.inst_code == inst
                ],
                "camera_total": {"before": total[0], "after": total[1]} if total else None,
                "rows": [
                    {
                        "change": r.change,
                        "row": r.key,
                        "row_ref": r.row_ref,
                        "fields": fields(r.fields),
                    }
                    for r in diff.rows
                    if r.inst_code == inst
                ],
            }
        )
    return {
        "from": diff.from_crawl,
        "to": diff.to_crawl,
        "policies_added": diff.policies_added,
        "policies_removed": diff.policies_removed,
        "policies_changed": diff.policies_changed,
        "institutions": institutions,
    }


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def diff_lines(diff: CrawlDiff, names: dict[str, str | None]) -> list[str]:
    """The diff as lines a person reads: per institution, each change on one line."""
    lines = [f"{diff.from_crawl} → {diff.to_crawl}"]
    for label, codes in (
        ("policies added", diff.policies_added),
        ("policies removed", diff.policies_removed),
        ("policies changed", diff.policies_changed),
    ):
        lines.append(f"{label}: {', '.join(codes) or '–'}")
    for inst in diff.institutions():
        lines.append(f"{inst} {names.get(inst) or ''}".rstrip())
        for p in (p for p in diff.policies if p.inst_code == inst):
            where = f"  policy {p.policy}:"
            if p.change != "changed":
                lines.append(f"{where} {p.change}")
                continue
            lines += [f"{where} {c.field} {_shown(c.before)} → {_shown(c.after)}" for c in p.fields]
            lines += [f"{where} item {i} added" for i in p.items_added]
            lines += [f"{where} item {i} dropped" for i in p.items_dropped]
            if p.text_changed and not (p.fields or p.items_added or p.items_dropped):
                lines.append(f"{where} text changed, no field changed")
        if inst in diff.camera_totals:
            old, new = diff.camera_totals[inst]
            lines.append(f"  camera total: {_shown(old)} → {_shown(new)}")
        for r in (r for r in diff.rows if r.inst_code == inst):
            what = "; ".join(f"{c.field} {_shown(c.before)} → {_shown(c.after)}" for c in r.fields)
            where = f" ({r.row_ref})" if r.row_ref else ""
            lines.append(f"  row {r.change} {r.key}{where}" + (f": {what}" if what else ""))
    if not diff.rows:
        lines.append("camera rows: no change")
    else:
        counts = {k: sum(r.change == k for r in diff.rows) for k in ("changed", "added", "removed")}
        lines.append("camera rows: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return lines
