"""The build stage on its own: an archive written here → Parquet + DuckDB."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from archive.crawl_log import CrawlLog
from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.seeds import GIMCHEON, MICHUHOL, SEOUL
from tests.support import archive_response, archive_sample_pages, query_warehouse
from warehouse import build as build_module
from warehouse.build import build


def _archive(root: Path, crawl_id: str = "crawl-1", at: dt.datetime | None = None) -> None:
    paths = data_paths(root)
    at = at or dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    with ArchiveWriter(paths, crawl_id) as writer:
        archive_sample_pages(writer, at)
        archive_response(
            writer,
            "https://www.seoul.go.kr/broken.do",
            b"<html>error</html>",
            status=500,
            fetched_at=at,
            inst_code="6110000",
            role="attachment",
        )
    log = CrawlLog(paths, crawl_id)
    log.event(
        "fetch_failed",
        url="https://www.seoul.go.kr/slow.do",
        inst_code="6110000",
        role="attachment",
        error="TimeoutError",
        message="took longer than 10.0 seconds",
    )
    log.close()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    _archive(tmp_path)
    build(data_paths(tmp_path), load_registry())
    return tmp_path


def test_tables_and_provenance(built: Path) -> None:
    tables = {
        r[0] for r in query_warehouse(built, "SELECT table_name FROM information_schema.tables")
    }
    assert {
        "institutions",
        "captures",
        "policies",
        "cameras",
        "contacts",
        "contractors",
        "quality_issues",
        "retention_by_institution",
        "item_coverage",
    } <= tables
    assert query_warehouse(
        built,
        f"SELECT count(*), sum(camera_count) FROM cameras WHERE inst_code = '{MICHUHOL.code}'",
    ) == [(MICHUHOL.camera_rows, MICHUHOL.cameras)]
    missing = query_warehouse(
        built,
        "SELECT count(*) FROM cameras WHERE capture_sha256 IS NULL "
        "OR source_url IS NULL OR fetched_at IS NULL OR row_ref IS NULL "
        "OR parser_version IS NULL",
    )
    assert missing == [(0,)]
    kinds = dict(
        query_warehouse(
            built, "SELECT inst_code, list(DISTINCT source_kind) FROM cameras GROUP BY ALL"
        )
    )
    assert kinds[GIMCHEON.code] == ["attachment"] and kinds[MICHUHOL.code] == ["page"]
    assert query_warehouse(built, "SELECT count(*) FROM captures") == [(4,)]


def test_failures_become_quality_issues_with_where_they_happened(built: Path) -> None:
    rows = query_warehouse(
        built,
        "SELECT stage, code, inst_code, source_url FROM quality_issues WHERE stage = 'crawl'",
    )
    assert ("crawl", "fetch_failed", SEOUL.code, f"https://{SEOUL.host}/slow.do") in rows


def test_rebuild_reuses_parsed_documents(built: Path) -> None:
    unchanged = build(data_paths(built), load_registry())
    assert unchanged.up_to_date and unchanged.rows["cameras"] > 0
    forced = build(data_paths(built), load_registry(), force=True)
    assert not forced.up_to_date
    assert (forced.parsed, forced.reused) == (0, 3)


def test_a_later_crawl_replaces_an_institutions_documents(built: Path) -> None:
    _archive(built, "crawl-2", dt.datetime(2026, 11, 9, tzinfo=dt.UTC))
    build(data_paths(built), load_registry())
    cameras = query_warehouse(
        built, f"SELECT count(*) FROM cameras WHERE inst_code = '{MICHUHOL.code}'"
    )
    assert cameras == [(MICHUHOL.camera_rows,)]
    crawls = query_warehouse(built, "SELECT count(*), count(DISTINCT crawl_id) FROM captures")
    assert crawls == [(8, 2)]
    revisits = query_warehouse(built, "SELECT count(*) FROM captures WHERE record_type = 'revisit'")
    assert revisits == [(4,)]


def test_the_warehouse_opens_from_any_directory(built: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        assert query_warehouse(built, "SELECT count(*) FROM policies") == [(2,)]
    finally:
        os.chdir(cwd)


def test_a_failed_build_leaves_the_previous_warehouse(built: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "_write_duckdb", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build(data_paths(built), load_registry(), force=True)
    cameras = query_warehouse(
        built, f"SELECT count(*) FROM cameras WHERE inst_code = '{MICHUHOL.code}'"
    )
    assert cameras == [(MICHUHOL.camera_rows,)]
    assert not list(data_paths(built).warehouse.glob(".build-*"))


def test_refused_requests_are_quality_issues(tmp_path: Path) -> None:
    """What the crawler would not fetch (a file:// link, a private address, a redirect off
    the site, a site over its page cap) is a finding, not a silence."""
    _archive(tmp_path)
    paths = data_paths(tmp_path)
    log = CrawlLog(paths, "crawl-1")
    for event, url in [
        ("request_refused", "file:///etc/passwd"),
        ("redirect_offsite", "https://elsewhere.example/"),
        ("page_cap_reached", "https://www.michuhol.go.kr/page/201"),
    ]:
        log.event(event, url=url, inst_code="3510500", role="policy", message="refused")
    log.event(
        "request_refused",
        url="http://10.0.0.1/",
        inst_code="5060000",
        role="homepage",
        message="a private address",
    )
    log.close()
    build(paths, load_registry())
    rows = query_warehouse(
        tmp_path,
        "SELECT code, level, row_ref FROM quality_issues WHERE stage = 'crawl' "
        "AND inst_code = '3510500' ORDER BY code",
    )
    assert rows == [
        ("page_cap_reached", "warning", "https://www.michuhol.go.kr/page/201"),
        ("redirect_offsite", "warning", "https://elsewhere.example/"),
        ("request_refused", "warning", "file:///etc/passwd"),
    ]
    kinds = query_warehouse(
        tmp_path,
        "SELECT problems, problem_kinds FROM crawl_reports WHERE inst_code = '3510500'",
    )
    assert kinds[0][0] == 3
    homepage = query_warehouse(
        tmp_path,
        "SELECT level FROM quality_issues WHERE code = 'request_refused' AND inst_code = '5060000'",
    )
    assert homepage == [("error",)]  # a refused homepage leaves nothing of the site
