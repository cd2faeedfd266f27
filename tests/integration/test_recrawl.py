"""A recrawl over real HTTP: unchanged pages cost a 304, the 304 is archived as a revisit of
the copy it confirms, and the build reads it as that copy. Also: several policies per
institution (고정형 | 이동형 tabs), and retries that wait."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.crawl_log import read_crawl_log
from archive.fields import NOT_MODIFIED_PROFILE
from archive.index import read_index
from archive.paths import data_paths
from pipelines.stages import crawl
from registry import load_registry
from tests.national_web import NationalWeb
from tests.support import query_warehouse
from warehouse.build import build

pytestmark = [pytest.mark.slow, pytest.mark.server]
COUNT = 12
# Cameras listed on the policy pages themselves (the inventory file repeats them).
CAMERAS_ON_POLICY_PAGES = (
    "SELECT c.inst_code, sum(c.camera_count) FROM cameras c "
    "WHERE c.capture_sha256 IN (SELECT sha256 FROM captures WHERE role = 'policy') "
    "GROUP BY ALL ORDER BY 1"
)


@pytest.fixture(scope="module")
def recrawl(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("recrawl")
    paths = data_paths(root / "data")
    with NationalWeb(count=COUNT, seed=7, timeout_delay=3.0, slow_delay=0.2) as web:
        registry = load_registry(web.write_registry(root / "registry.csv"))
        first = crawl(paths, registry_path=root / "registry.csv", fast=True, download_timeout=1.5)
        served_first = len(web.requests_served)
        build(paths, registry)
        before = {
            "cameras": query_warehouse(paths.root, CAMERAS_ON_POLICY_PAGES),
            "policies": query_warehouse(
                paths.root, "SELECT inst_code, source_url, content_hash FROM policies"
            ),
        }
        plain = [s for s in web.specs if not s.faults]
        revised = plain[0].inst_code
        web.revise(revised)
        second = crawl(paths, registry_path=root / "registry.csv", fast=True, download_timeout=1.5)
        served = web.requests_served[served_first:]
        sites = {s.inst_code: s for s in web.specs}
        netlocs = dict(web.netlocs)
    build(paths, registry)
    return {
        "paths": paths,
        "first": first.crawl_id,
        "second": second.crawl_id,
        "served": served,
        "revised": revised,
        "plain": [s.inst_code for s in plain],
        "sites": sites,
        "netlocs": netlocs,
        "before": before,
    }


def test_unchanged_pages_cost_a_304(recrawl) -> None:
    host = {v: k for k, v in recrawl["netlocs"].items()}
    statuses: dict[str, Counter] = {}
    for netloc, target, status in recrawl["served"]:
        statuses.setdefault(host[netloc], Counter())[(target, status)] += 1
    for code in recrawl["plain"]:
        site = recrawl["sites"][code]
        policy = statuses[code]
        # The revision changes the policy and its inventory file; nothing else changed.
        changed = 200 if code == recrawl["revised"] else 304
        assert policy[(site.policy_target, changed)] == 1, policy
        assert policy[(site.attachment_target, changed)] == 1, policy
        assert policy[("/", 304)] == 1


def test_a_304_is_archived_as_a_revisit_of_the_copy_it_confirms(recrawl) -> None:
    paths = recrawl["paths"]
    captures = read_index(paths)
    earlier = {c.url: c for c in captures if c.crawl_id == recrawl["first"] and c.has_content}
    stored = {}  # where each payload's bytes are (identical robots.txt files are stored once)
    for c in captures:
        if c.record_type == "response":
            stored.setdefault(c.sha256, c.url)
    not_modified = [c for c in captures if c.crawl_id == recrawl["second"] and c.status == 304]
    assert len(not_modified) >= 3 * (len(recrawl["plain"]) - 1)
    for capture in not_modified:
        assert capture.record_type == "revisit"
        assert capture.has_content
        assert capture.sha256 == earlier[capture.url].sha256
        assert capture.size_bytes == earlier[capture.url].size_bytes
        with (paths.warc_dir / capture.warc_file).open("rb") as fh:
            fh.seek(capture.warc_offset)
            record = next(iter(ArchiveIterator(fh)))
        assert record.rec_type == "revisit"
        assert record.rec_headers.get_header("WARC-Profile") == NOT_MODIFIED_PROFILE
        assert record.rec_headers.get_header("WARC-Refers-To-Target-URI") == stored[capture.sha256]
        assert record.http_headers.get_statuscode() == "304"
        assert record.content_stream().read() == b""


def test_the_build_reads_a_304_as_the_unchanged_copy(recrawl) -> None:
    paths, revised = recrawl["paths"], recrawl["revised"]
    before = dict(recrawl["before"]["cameras"])
    after = dict(query_warehouse(paths.root, CAMERAS_ON_POLICY_PAGES))
    assert after.pop(revised) == before.pop(revised) + 1  # the revision added one camera
    for code, total in before.items():
        assert after[code] == total, code
    # Unchanged policies come from the second crawl, read from the archived copy.
    current = query_warehouse(
        paths.root,
        "SELECT p.inst_code, k.crawl_id, k.status FROM policies p "
        "JOIN captures k ON k.sha256 = p.capture_sha256 AND k.url = p.source_url "
        "AND k.fetched_at = p.fetched_at",
    )
    second = {code for code, crawl_id, _ in current if crawl_id == recrawl["second"]}
    assert set(recrawl["plain"]) <= second
    assert {status for code, _, status in current if code != revised} <= {200, 304}


def test_only_the_revised_policy_gets_a_new_version(recrawl) -> None:
    rows = query_warehouse(
        recrawl["paths"].root,
        "SELECT inst_code, source_url, count(*), max(captures) FROM policy_versions GROUP BY ALL",
    )
    revised_site = recrawl["sites"][recrawl["revised"]]
    for code, url, versions, captures in rows:
        if code == recrawl["revised"] and url.endswith(revised_site.policy_target):
            assert versions == 2
        elif code in recrawl["plain"]:
            assert (versions, captures) == (1, 2), (code, url)


def test_every_policy_tab_is_a_policy_of_its_own(recrawl) -> None:
    with_tabs = {c: s for c, s in recrawl["sites"].items() if s.sub_policy_targets}
    reachable = {c for c in with_tabs if c in recrawl["plain"]}
    assert reachable, "the seed should give a fault-free site with an 이동형 tab"
    policies = query_warehouse(
        recrawl["paths"].root, "SELECT inst_code, source_url, title FROM policies"
    )
    reports = dict(
        query_warehouse(
            recrawl["paths"].root,
            f"SELECT inst_code, policies FROM crawl_reports WHERE crawl_id = '{recrawl['second']}'",
        )
    )
    for code in reachable:
        urls = sorted(url for inst, url, _ in policies if inst == code)
        expected = [with_tabs[code].policy_target, *with_tabs[code].sub_policy_targets]
        assert [u.split("/", 3)[3] for u in urls] == sorted(t.lstrip("/") for t in expected)
        assert reports[code] == 2
    cameras = query_warehouse(
        recrawl["paths"].root,
        "SELECT inst_code, count(*) FROM cameras WHERE location LIKE '%탑재%' GROUP BY ALL",
    )
    assert {code for code, _ in cameras} >= reachable  # the 이동형 inventory is read


def test_crawl_report_counts_what_was_confirmed_unchanged(recrawl) -> None:
    rows = query_warehouse(
        recrawl["paths"].root,
        "SELECT inst_code, crawl_id, not_modified, responses FROM crawl_reports",
    )
    for code, crawl_id, not_modified, responses in rows:
        if crawl_id == recrawl["first"]:
            assert not_modified == 0
        elif code in recrawl["plain"] and code != recrawl["revised"]:
            assert not_modified == responses  # robots.txt, homepage, policy, file: all 304


def test_retries_wait_before_asking_again(recrawl) -> None:
    events = [e for e in read_crawl_log(recrawl["paths"]) if e["event"] == "retry_scheduled"]
    assert events, "the seeded 5xx burst and timeout sites are retried"
    assert all(e["wait_seconds"] > 0 for e in events)
    captures = read_index(recrawl["paths"])
    for event in events:
        if event.get("role") != "policy":
            continue
        tries = sorted(
            c.fetched_at
            for c in captures
            if c.url == event["url"] and c.crawl_id == event["crawl_id"] and c.status == 503
        )
        later = [
            c.fetched_at
            for c in captures
            if c.url == event["url"] and c.crawl_id == event["crawl_id"] and tries
            if c.fetched_at > tries[0]
        ]
        if tries and later:
            gap = min(later) - tries[0]
            assert gap >= dt.timedelta(seconds=event["wait_seconds"])
