"""What discovery leaves in the warehouse: crawl_reports' route and reason (from the
spider's events, or from the captures of crawls logged before it wrote them), and a page
the spider's verdict does not take never stored as a policy by the build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archive.crawl_log import CrawlLog
from archive.index import Capture
from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import SAMPLE_SITES, archive_response, query_warehouse
from warehouse.build import build
from warehouse.crawl_report import crawl_report_rows
from warehouse.policy_pages import NOT_TAKEN, judged

AT = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
LOGIN = b'<html><body><form><input type="password" name="pw"></form></body></html>'


def _capture(inst: str, role: str, url: str, sha: str = "0" * 64, status: int = 200) -> Capture:
    return Capture(
        sha256=sha,
        url=url,
        status=status,
        content_type="text/html",
        content_disposition=None,
        filename=None,
        last_modified=None,
        etag=None,
        media_type="text/html",
        size_bytes=10,
        fetched_at=AT,
        inst_code=inst,
        role=role,
        referer=None,
        warc_file="x.warc.gz",
        warc_offset=0,
        warc_length=10,
        record_type="response",
        crawl_id="crawl-1",
    )


def _event(event: str, inst: str, **fields: object) -> dict:
    return {
        "event": event,
        "inst_code": inst,
        "crawl_id": "crawl-1",
        "at": AT.isoformat(),
        **fields,
    }


def test_route_and_reason_come_from_the_spiders_events() -> None:
    captures = [
        _capture("1", "homepage", "http://a/"),
        _capture("1", "policy", "http://a/wrapper.do", sha="1" * 64),  # not taken
        _capture("1", "policy", "http://a/frame.html", sha="2" * 64),
        _capture("2", "homepage", "http://b/"),
        _capture("2", "policy", "http://b/login.do", sha="3" * 64),
        _capture("3", "homepage", "http://c/"),
        _capture("4", "privacy", "http://d/privacy.do"),
        _capture("4", "policy", "http://d/cctv.do"),
    ]
    events = [
        # Institution 4's privacy page sets out the items but links its own policy page.
        _event("policy_in_privacy", "4", url="http://d/privacy.do"),
        _event("policy_accepted", "4", url="http://d/cctv.do", route="privacy_page"),
        _event("policy_wrapper", "1", url="http://a/wrapper.do", kind="frames"),
        _event("policy_accepted", "1", url="http://a/frame.html", route="frame"),
        _event("policy_accepted", "1", url="http://a/tab2.do", route="link", sub_policy=True),
        _event("not_a_policy", "2", url="http://b/login.do", reason="not_a_policy"),
        _event("policy_not_found", "2", url="http://b/login.do", reason="not_a_policy"),
        # Institution 3's crawl was stopped before discovery ended: no event says why.
    ]
    rows = {r["inst_code"]: r for r in crawl_report_rows(captures, events)}
    one, two, three = rows["1"], rows["2"], rows["3"]
    assert (one["policy_found"], one["policy_url"], one["route"], one["reason"]) == (
        True,
        "http://a/frame.html",
        "frame",
        None,
    )
    assert one["policies"] == 2  # the frame and the tab, not the wrapper
    assert (two["policy_found"], two["route"], two["reason"]) == (False, None, "not_a_policy")
    assert "not_a_policy" in two["problem_kinds"]
    assert (three["policy_found"], three["reason"]) == (False, "incomplete")
    assert (rows["4"]["route"], rows["4"]["policy_in_privacy"]) == ("privacy_page", False)
    assert not one["policy_in_privacy"]


def test_crawls_logged_before_verdicts_are_read_from_their_captures() -> None:
    captures = [
        _capture("1", "homepage", "http://a/"),
        _capture("1", "policy", "http://a/cctv.do"),
        _capture("2", "homepage", "http://b/"),
        _capture("2", "policy", "http://b/privacy.do"),
        _capture("3", "homepage", "http://c/", status=404),
        _capture("4", "homepage", "http://d/"),
        _capture("5", "policy", "http://e/cctv.do"),
    ]
    events = [
        _event("policy_link", "1", url="http://a/cctv.do"),
        _event("policy_in_privacy", "2", url="http://b/privacy.do"),
        _event("policy_not_found", "4", url="http://d/"),
    ]
    rows = {r["inst_code"]: r for r in crawl_report_rows(captures, events)}
    assert {k: (r["policy_found"], r["route"], r["reason"]) for k, r in rows.items()} == {
        "1": (True, "link", None),
        "2": (True, "privacy_page", None),
        "3": (False, None, "http_status"),
        "4": (False, None, "no_link"),
        "5": (True, "override", None),
    }


def test_judged_captures_keep_the_policies_and_set_the_rest_apart() -> None:
    policy = (SAMPLE_SITES / "www.michuhol.go.kr" / "policy.html").read_bytes()
    payloads = {"a" * 64: policy, "b" * 64: LOGIN}
    captures = [
        _capture("1", "policy", "http://a/cctv.do", sha="a" * 64),
        _capture("1", "policy", "http://a/login.do", sha="b" * 64),
        _capture("1", "policy", "http://a/again.do", sha="b" * 64),
        _capture("1", "attachment", "http://a/x.xlsx", sha="c" * 64),
        _capture("1", "policy", "http://a/gone.do", sha="d" * 64, status=404),
    ]
    read: list[str] = []

    def payload(sha: str) -> bytes:
        read.append(sha)
        return payloads[sha]

    roles = [c.role for c in judged(captures, payload)]
    assert roles == ["policy", NOT_TAKEN, NOT_TAKEN, "attachment", "policy"]
    assert sorted(read) == ["a" * 64, "b" * 64], "each payload judged once, files never"


def test_the_build_stores_no_page_the_verdict_does_not_take(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    with ArchiveWriter(paths, "crawl-1") as writer:
        for url, body in [
            ("https://www.michuhol.go.kr/cctv.do", b""),
            ("https://www.michuhol.go.kr/login.do", LOGIN),
        ]:
            archive_response(
                writer,
                url,
                body or (SAMPLE_SITES / "www.michuhol.go.kr" / "policy.html").read_bytes(),
                fetched_at=AT,
                inst_code="3510500",
                role="policy",
            )
    log = CrawlLog(paths, "crawl-1")
    log.event(
        "not_a_policy",
        url="https://www.michuhol.go.kr/login.do",
        inst_code="3510500",
        role="policy",
        reason="not_a_policy",
        message="login: a login page",
    )
    log.close()
    build(paths, load_registry())
    stored = query_warehouse(tmp_path, "SELECT source_url FROM policies")
    versions = query_warehouse(tmp_path, "SELECT source_url FROM policy_versions")
    captured = query_warehouse(tmp_path, "SELECT count(*) FROM captures WHERE role = 'policy'")
    issues = query_warehouse(
        tmp_path, "SELECT level FROM quality_issues WHERE code = 'not_a_policy'"
    )
    assert stored == [("https://www.michuhol.go.kr/cctv.do",)]
    assert versions == [("https://www.michuhol.go.kr/cctv.do",)]
    assert captured == [(2,)], "the captures table keeps the index as archived"
    assert issues == [("warning",)]
