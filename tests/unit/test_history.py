"""Policy versions and crawl diffs, from archives written here."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pyarrow.parquet as pq

from archive.index import read_index
from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.seeds import MICHUHOL
from tests.support import SAMPLE_SITES, archive_response, query_warehouse
from warehouse.build import build
from warehouse.history import (
    _policy_changes,
    _row_changes,
    crawl_ids,
    diff_crawls,
    policy_versions,
)
from warehouse.parsing import DocumentParser

PAGE = (SAMPLE_SITES / MICHUHOL.host / "policy.html").read_bytes()
# The institution changes its page: 민원여권과 gets two more cameras and keeps 14 days.
_AT = PAGE.index("<td>10대</td>".encode())
CHANGED = PAGE[:_AT] + PAGE[_AT:].replace(
    "<td>10대</td>".encode(), "<td>12대</td>".encode(), 1
).replace(b"<td>-</td>", "<td>촬영일로부터 14일</td>".encode(), 1)
MORE = MICHUHOL.cameras + 2


def _crawl(root: Path, crawl_id: str, day: int, body: bytes) -> None:
    with ArchiveWriter(data_paths(root), crawl_id) as writer:
        archive_response(
            writer,
            f"https://{MICHUHOL.host}/policy",
            body,
            fetched_at=dt.datetime(2026, 11, day, tzinfo=dt.UTC),
            inst_code=MICHUHOL.code,
            role="policy",
        )


def test_a_version_only_when_the_content_changes(tmp_path: Path) -> None:
    assert CHANGED != PAGE
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    _crawl(tmp_path, "crawl-2", 8, PAGE)  # unchanged: a revisit
    _crawl(tmp_path, "crawl-3", 15, CHANGED)
    paths = data_paths(tmp_path)
    rows = policy_versions(read_index(paths), DocumentParser(paths, load_registry()))
    assert [(r["version"], r["captures"], r["is_current"]) for r in rows] == [
        (1, 2, False),
        (2, 1, True),
    ]
    assert rows[0]["valid_to"] == rows[1]["valid_from"] == dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
    assert (rows[0]["camera_total"], rows[1]["camera_total"]) == (MICHUHOL.cameras, MORE)
    assert all(r["rederived_from"] is None for r in rows)


def test_a_new_parser_reading_the_same_capture_is_labelled_not_a_change(tmp_path: Path) -> None:
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    paths = data_paths(tmp_path)
    parser = DocumentParser(paths, load_registry())
    capture = read_index(paths)[0]
    old = paths.warehouse / "parsed" / "0.0.1"
    old.mkdir(parents=True)
    parsed = parser.parse(capture)
    # Earlier parser versions cached plain records: camera rows as a list of dicts.
    contract = {**parsed.contract, "cameras": list(parsed.contract["cameras"])}
    earlier = {"contract": contract, "content_hash": f"x{parsed.content_hash}"}
    (old / parser._key(capture)).write_bytes(pickle.dumps(earlier))
    rows = policy_versions(read_index(paths), parser)
    assert len(rows) == 1 and rows[0]["rederived_from"] == "0.0.1"


def test_an_earlier_parser_version_cached_as_json_still_counts(tmp_path: Path) -> None:
    """Parses cached before the cache was binary are read for their content_hash."""
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    paths = data_paths(tmp_path)
    parser = DocumentParser(paths, load_registry())
    capture = read_index(paths)[0]
    old = paths.warehouse / "parsed" / "0.0.1"
    old.mkdir(parents=True)
    parsed = parser.parse(capture)
    # Earlier parser versions cached plain records: camera rows as a list of dicts.
    contract = {**parsed.contract, "cameras": list(parsed.contract["cameras"])}
    earlier = {"contract": contract, "content_hash": f"x{parsed.content_hash}"}
    (old / f"{parser._stem(capture)}-0123456789abcdef.json").write_text(
        json.dumps(earlier, ensure_ascii=False), encoding="utf-8"
    )
    assert parser.earlier_derivations(capture) == {"0.0.1": f"x{parsed.content_hash}"}


def test_diff_between_two_crawls(tmp_path: Path) -> None:
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    _crawl(tmp_path, "crawl-2", 8, CHANGED)
    paths = data_paths(tmp_path)
    captures = read_index(paths)
    assert crawl_ids(captures) == ["crawl-1", "crawl-2"]
    diff = diff_crawls(captures, DocumentParser(paths, load_registry()), "crawl-1", "crawl-2")
    assert diff.policies_changed == [MICHUHOL.code]
    assert not diff.policies_added and not diff.policies_removed
    [change] = diff.rows
    assert change.change == "changed" and change.key.startswith("민원여권과")
    assert (change.camera_count_before, change.camera_count_after) == (10, 12)
    assert (change.retention_before, change.retention_after) == (None, 14)
    fields = {f.field: (f.before, f.after) for f in change.fields}
    assert fields["camera_count"] == (10, 12) and fields["retention_days"] == (None, 14)
    assert diff.camera_totals == {MICHUHOL.code: (MICHUHOL.cameras, MORE)}


def test_building_twice_from_unchanged_sources_gives_identical_output(tmp_path: Path) -> None:
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    paths = data_paths(tmp_path)
    build(paths, load_registry())
    first = {
        t: pq.read_table(paths.parquet_dir / f"{t}.parquet")
        for t in ("policies", "cameras", "contacts", "contractors", "policy_versions")
    }
    _crawl(tmp_path, "crawl-2", 8, PAGE)  # fetched again, same bytes
    build(paths, load_registry())
    for table, before in first.items():
        after = pq.read_table(paths.parquet_dir / f"{table}.parquet")
        drop = [
            c for c in ("fetched_at", "captures", "last_capture_sha256") if c in after.column_names
        ]
        assert after.drop_columns(drop).equals(before.drop_columns(drop)), table
    assert query_warehouse(tmp_path, "SELECT count(*) FROM policy_versions") == [(1,)]


def _row(location: str, count: int, ref: str, retention: int | None = 30) -> dict:
    return {
        "unit": None,
        "location": location,
        "purpose_raw": "시설안전",
        "purpose": "시설물관리",
        "camera_count": count,
        "retention_days": retention,
        "row_ref": ref,
        "_doc": "/policy",
        "_label": f"{location} | 시설안전",
    }


def test_rows_are_followed_by_identity_then_by_their_place_in_the_table() -> None:
    before = {
        ("1", "a #1"): _row("본관", 3, "table 1, row 2"),
        ("1", "b #1"): _row("별관", 2, "table 1, row 3"),
        ("1", "c #1"): _row("주차장", 5, "table 1, row 4"),
    }
    after = {
        ("1", "a #1"): _row("본관", 4, "table 1, row 2", retention=60),
        ("1", "b2 #1"): _row("별관 1층", 2, "table 1, row 3"),  # renamed in place
        ("1", "d #1"): _row("문서고", 1, "table 1, row 9"),
    }
    changes = {(r.change, r.key): r for r in _row_changes(before, after)}
    assert set(changes) == {
        ("changed", "본관 | 시설안전"),
        ("changed", "별관 1층 | 시설안전"),
        ("added", "문서고 | 시설안전"),
        ("removed", "주차장 | 시설안전"),
    }
    fields = {f.field: (f.before, f.after) for f in changes["changed", "본관 | 시설안전"].fields}
    assert fields == {"camera_count": (3, 4), "retention_days": (30, 60)}
    moved = changes["changed", "별관 1층 | 시설안전"].fields
    assert [(f.field, f.before, f.after) for f in moved] == [("location", "별관", "별관 1층")]
    removed = changes["removed", "주차장 | 시설안전"]
    assert (removed.camera_count_before, removed.camera_count_after) == (5, None)


def test_policy_fields_items_and_text_are_compared_apart() -> None:
    old = {"retention_days_max": 30, "items_present": [1, 2, 7], "revised_on": "2025-01-01"}
    new = {"retention_days_max": 60, "items_present": [1, 2, 8], "revised_on": "2026-01-01"}
    [change] = _policy_changes("1", {"/p": (old, "h1")}, {"/p": (new, "h2")})
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("retention_days_max", 30, 60),
        ("revised_on", "2025-01-01", "2026-01-01"),
    ]
    assert (change.items_added, change.items_dropped, change.text_changed) == ([8], [7], True)
    assert _policy_changes("1", {"/p": (old, "h1")}, {"/p": (old, "h1")}) == []
    [gone] = _policy_changes("1", {"/p": (old, "h1"), "/q": (old, "h3")}, {"/p": (old, "h1")})
    assert (gone.policy, gone.change) == ("/q", "removed")
