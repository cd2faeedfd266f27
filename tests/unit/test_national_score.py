"""The scorer of national-web crawls: what it reads from a warehouse and how it judges a
site against its ground truth (tests/national_web/score.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.national_web.score import (
    Observed,
    judge,
    observe,
    score,
    shortfalls,
    table,
)
from tests.national_web.truth import SiteTruth

HOST = "http://127.0.0.1:4321"
LINK = SiteTruth(
    route="link",
    outcome="found",
    categories=frozenset({"link"}),
    policies=("/p.do?key=1",),
    files=("/f.do?atchFileId=A",),
    page_cameras=10,
    file_cameras=10,
    cameras=10,
)
BOARD = SiteTruth(
    route="board",
    outcome="found",
    categories=frozenset({"board"}),
    policies=("/bbs/view.do?nttId=2",),
    earlier=("/bbs/view.do?nttId=1",),
    not_policies=("/bbs/list.do",),
    files=("/f.do?atchFileId=B",),
    page_cameras=0,
    file_cameras=7,
    cameras=7,
)
BLOCKED = SiteTruth(
    route="blocked_ua",
    outcome="missed",
    categories=frozenset({"link"}),
    policies=("/p.do",),
    reason="blocked_user_agent",
)
SCRIPTED = SiteTruth(
    route="js_rendered",
    outcome="browser",
    categories=frozenset({"link"}),
    policies=("/p.do",),
    page_cameras=3,
    cameras=3,
    reason="needs_js",
)


def _warehouse(path: Path, *, report_columns: str = ", route VARCHAR, reason VARCHAR") -> Path:
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE policies (inst_code VARCHAR, source_url VARCHAR, capture_sha256 VARCHAR)"
    )
    con.execute(
        "CREATE TABLE cameras (inst_code VARCHAR, camera_count INTEGER, source_kind VARCHAR, "
        "is_template BOOLEAN, capture_sha256 VARCHAR)"
    )
    con.execute(f"CREATE TABLE crawl_reports (crawl_id VARCHAR, inst_code VARCHAR{report_columns})")
    con.execute("CREATE TABLE quality_issues (inst_code VARCHAR, code VARCHAR, stage VARCHAR)")
    con.executemany(
        "INSERT INTO policies VALUES (?, ?, ?)",
        [
            ("1", f"{HOST}/p.do?key=1", "s1"),
            ("2", f"{HOST}/bbs/view.do?nttId=2", "s2"),
            ("2", f"{HOST}/bbs/view.do?nttId=1", "s3"),  # an earlier version, counted
        ],
    )
    con.executemany(
        "INSERT INTO cameras VALUES (?, ?, ?, ?, ?)",
        [
            ("1", 4, "page", False, "s1"),
            ("1", 6, "page", False, "s1"),
            ("1", 9, "page", True, "s1"),  # a placeholder row: not a camera
            ("1", 10, "attachment", False, "f1"),
            ("2", 7, "attachment", False, "f2"),
            ("2", 5, "attachment", False, "f3"),
        ],
    )
    if report_columns:
        con.executemany(
            "INSERT INTO crawl_reports VALUES (?, ?, ?, ?)",
            [
                ("crawl-1", "1", "script link", None),
                ("crawl-2", "1", "Link", None),  # the latest crawl's value counts
                ("crawl-2", "2", "board", None),
                ("crawl-2", "3", None, "blocked_user_agent (403)"),
            ],
        )
    con.executemany(
        "INSERT INTO quality_issues VALUES (?, ?, ?)",
        [("4", "policy_needs_js", "crawl"), ("4", "unmapped_column", "parse")],
    )
    con.close()
    return path


def test_observe_reads_policies_cameras_routes_and_reasons(tmp_path: Path) -> None:
    seen = observe(_warehouse(tmp_path / "w.duckdb"))
    assert seen.policies == {
        "1": {"/p.do?key=1"},
        "2": {"/bbs/view.do?nttId=2", "/bbs/view.do?nttId=1"},
    }
    assert seen.page_cameras == {"1": 10}
    assert seen.file_cameras == {"1": 10, "2": 12}
    assert seen.routes == {"1": "Link", "2": "board", "3": ""}
    assert seen.reasons["3"] == {"blocked_user_agent (403)"}
    assert seen.reasons["4"] == {"policy_needs_js"}  # crawl findings only


def test_observe_without_route_or_reason_columns(tmp_path: Path) -> None:
    seen = observe(_warehouse(tmp_path / "w.duckdb", report_columns=""))
    assert seen.routes == {} and seen.reasons == {"4": {"policy_needs_js"}}


def test_a_site_is_found_only_with_its_policies_in_force_and_both_totals() -> None:
    seen = Observed(
        policies={"1": {"/p.do?key=1"}},
        page_cameras={"1": 10},
        file_cameras={"1": 10},
        routes={"1": "link"},
    )
    verdict = judge("1", LINK, seen)
    assert verdict.found and verdict.route_named and verdict.as_expected
    assert not judge("1", LINK, Observed(**{**seen.__dict__, "file_cameras": {"1": 20}})).found
    assert not judge(
        "1", LINK, Observed(**{**seen.__dict__, "routes": {"1": "sitemap"}})
    ).as_expected
    spelled = judge("1", BOARD, Observed(routes={"1": "Board page"}))
    assert not spelled.found and not spelled.route_named


def test_an_earlier_version_counted_is_wrong() -> None:
    seen = Observed(
        policies={"2": {"/bbs/view.do?nttId=2", "/bbs/view.do?nttId=1"}},
        file_cameras={"2": 12},
        routes={"2": "board"},
    )
    verdict = judge("2", BOARD, seen)
    assert not verdict.found and verdict.wrong == ("/bbs/view.do?nttId=1",)
    assert not verdict.as_expected


@pytest.mark.parametrize(
    ("reasons", "named"),
    [
        ({"blocked_user_agent"}, True),
        ({"http_403"}, True),
        ({"User-Agent refused"}, True),
        ({"policy_not_found"}, False),
        (set(), False),
    ],
)
def test_a_miss_needs_its_reason(reasons: set[str], named: bool) -> None:
    verdict = judge("3", BLOCKED, Observed(reasons={"3": reasons}))
    assert verdict.reason_named is named and verdict.as_expected is named


def test_a_miss_with_a_page_counted_is_not_a_miss() -> None:
    seen = Observed(policies={"3": {"/p.do"}}, reasons={"3": {"blocked_user_agent"}})
    assert not judge("3", BLOCKED, seen).as_expected


def test_a_page_drawn_by_script_is_a_miss_unless_the_crawl_renders() -> None:
    seen = Observed(reasons={"4": {"policy_needs_js"}})
    assert judge("4", SCRIPTED, seen).as_expected
    assert not judge("4", SCRIPTED, seen, browser=True).as_expected
    drawn = Observed(policies={"4": {"/p.do"}}, page_cameras={"4": 3}, routes={"4": "link"})
    assert judge("4", SCRIPTED, drawn, browser=True).as_expected


def test_the_table_and_shortfalls_per_route() -> None:
    truths = {"1": LINK, "2": BOARD, "3": BLOCKED}
    seen = Observed(
        policies={"1": {"/p.do?key=1"}, "2": {"/bbs/view.do?nttId=2"}},
        page_cameras={"1": 10},
        file_cameras={"1": 10, "2": 7},
        routes={"1": "link", "2": "link"},
        reasons={"3": {"robots"}},
    )
    scores = score(truths, seen)
    assert [s.route for s in scores] == ["link", "board", "blocked_ua"]  # the routes' order
    lines = table(scores).splitlines()
    assert lines[0].split()[:2] == ["route", "sites"]
    assert lines[2].split() == ["link", "1", "found", "1", "1", "0", "0", "1"]
    assert lines[3].split() == ["board", "1", "found", "1", "0", "0", "0", "0"]
    assert lines[-1].split() == ["all", "3", "2", "1", "0", "0", "1"]
    missing = shortfalls(scores)
    assert [line.split(":")[0] for line in missing] == ["board", "blocked_ua"]
    assert "0 of 1 sites as expected" in missing[0] and "\n" not in missing[0]
