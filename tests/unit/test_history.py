"""Policy versions and crawl diffs, from archives written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from crawler.registry import load_registry
from tests.support import SAMPLE_SITES, archive_response, query_warehouse
from warehouse.archive import ArchiveWriter, read_index
from warehouse.build import build
from warehouse.history import crawl_ids, diff_crawls, policy_versions
from warehouse.parsing import DocumentParser
from warehouse.paths import data_paths

PAGE = (SAMPLE_SITES / "www.michuhol.go.kr" / "policy.html").read_bytes()
# The institution changes its page: 민원여권과 gets two more cameras and keeps 14 days.
_AT = PAGE.index("<td>10대</td>".encode())
CHANGED = PAGE[:_AT] + PAGE[_AT:].replace(
    "<td>10대</td>".encode(), "<td>12대</td>".encode(), 1
).replace(b"<td>-</td>", "<td>촬영일로부터 14일</td>".encode(), 1)


def _crawl(root: Path, crawl_id: str, day: int, body: bytes) -> None:
    with ArchiveWriter(data_paths(root), crawl_id) as writer:
        archive_response(
            writer,
            "https://www.michuhol.go.kr/policy",
            body,
            fetched_at=dt.datetime(2026, 11, day, tzinfo=dt.UTC),
            inst_code="3510500",
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
    assert (rows[0]["camera_total"], rows[1]["camera_total"]) == (2855, 2857)
    assert all(r["rederived_from"] is None for r in rows)


def test_a_new_parser_reading_the_same_capture_is_labelled_not_a_change(tmp_path: Path) -> None:
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    paths = data_paths(tmp_path)
    parser = DocumentParser(paths, load_registry())
    capture = read_index(paths)[0]
    old = paths.warehouse / "parsed" / "0.0.1"
    old.mkdir(parents=True)
    parser.parse(capture)
    earlier = (parser.dir / parser._key(capture)).read_text(encoding="utf-8")
    (old / parser._key(capture)).write_text(
        earlier.replace('"content_hash": "', '"content_hash": "x'), encoding="utf-8"
    )
    rows = policy_versions(read_index(paths), parser)
    assert len(rows) == 1 and rows[0]["rederived_from"] == "0.0.1"


def test_diff_between_two_crawls(tmp_path: Path) -> None:
    _crawl(tmp_path, "crawl-1", 1, PAGE)
    _crawl(tmp_path, "crawl-2", 8, CHANGED)
    paths = data_paths(tmp_path)
    captures = read_index(paths)
    assert crawl_ids(captures) == ["crawl-1", "crawl-2"]
    diff = diff_crawls(captures, DocumentParser(paths, load_registry()), "crawl-1", "crawl-2")
    assert diff.policies_changed == ["3510500"]
    assert not diff.policies_added and not diff.policies_removed
    [change] = diff.rows
    assert change.change == "changed" and change.key.startswith("민원여권과")
    assert (change.camera_count_before, change.camera_count_after) == (10, 12)
    assert (change.retention_before, change.retention_after) == (None, 14)


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
