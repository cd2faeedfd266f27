"""The real spider over the whole simulated national web (243 sites): on every site it finds
exactly the policies in force however the site leads to them (never an earlier version, a
notice, a login or error page, a wrapper), the camera totals in the warehouse are the
ground truth's, the report names the route each policy was found by, and every miss
carries its reason. Also: every injected fault recorded with its cause, every response
archived, robots.txt obeyed.

The per-route table of the same comparison: `python -m tests.national_web.score`."""

from __future__ import annotations

import urllib.robotparser
from collections import Counter

import pytest

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import data_paths
from pipelines.stages import crawl
from registry import load_registry
from tests.national_web import NationalWeb
from tests.national_web.generate import DISPOSITION_STYLES
from tests.national_web.score import RouteScore, Verdict, observe, score, shortfalls
from tests.support import query_warehouse
from warehouse.build import build

pytestmark = [pytest.mark.slow, pytest.mark.server]
COUNT = 243  # the whole simulated country
FILE_KINDS = ("csv", "xlsx", "hwp", "hwpx", "pdf")


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("national")
    paths = data_paths(root / "data")
    with NationalWeb(count=COUNT, seed=7, timeout_delay=3.0, slow_delay=0.2) as web:
        registry = web.write_registry(root / "registry.csv")
        crawl(paths, registry_path=registry, fast=True, download_timeout=1.5)
        served = list(web.requests_served)
        faults = dict(web.faults)
        netlocs = dict(web.netlocs)
        truth = web.truth
        specs = {s.inst_code: s for s in web.specs}
    build(paths, load_registry(registry))
    return paths, served, faults, netlocs, truth, specs


@pytest.fixture(scope="module")
def scores(national) -> list[RouteScore]:
    paths, *_, truth, _ = national
    return score(truth, observe(paths.duckdb))


def _verdicts(scores: list[RouteScore]) -> list[Verdict]:
    return [v for s in scores for v in s.verdicts]


def _listed(verdicts: list[Verdict], limit: int = 12) -> str:
    lines = [f"{v.route} {v.inst_code}: {v.detail}" for v in verdicts[:limit]]
    more = len(verdicts) - limit
    return "\n".join(lines + ([f"... and {more} more"] if more > 0 else []))


def test_every_institution_has_a_report_row(national) -> None:
    paths, _, _, netlocs, _, _ = national
    reported = {r[0] for r in query_warehouse(paths.root, "SELECT inst_code FROM crawl_reports")}
    assert reported == set(netlocs)


def test_the_policies_in_force_are_found_wherever_a_crawler_can(scores) -> None:
    """Exactly the current policies counted, and the cameras on their pages and in their
    files are the truth's, on every site whose route a crawler without a browser can take."""
    missed = [v for v in _verdicts(scores) if v.expected == "found" and not v.found]
    assert not missed, f"{len(missed)} sites:\n{_listed(missed)}"


def test_nothing_but_the_policies_in_force_is_counted(scores) -> None:
    """No earlier version, notice, login page, error page, wrapper or script shell is ever a
    policy in the warehouse."""
    wrong = [v for v in _verdicts(scores) if v.wrong]
    assert not wrong, f"{len(wrong)} sites:\n{_listed(wrong)}"


def test_the_report_names_the_route_of_every_policy_found(scores) -> None:
    unnamed = [v for v in _verdicts(scores) if v.found and not v.route_named]
    assert not unnamed, f"{len(unnamed)} sites:\n{_listed(unnamed)}"


def test_every_miss_carries_its_reason(scores) -> None:
    """robots, timeout, redirect loop, HTTP status, a blocked User-Agent, a "browser not
    supported" page, a page drawn by script, no policy text, no link."""
    silent = [
        v for v in _verdicts(scores) if v.expected != "found" and not v.found and not v.reason_named
    ]
    assert not silent, f"{len(silent)} sites:\n{_listed(silent)}"


def test_every_route_ends_as_it_should_on_all_its_sites(scores) -> None:
    """The per-route thresholds: every site of every route as its route expects."""
    assert not shortfalls(scores), "\n".join(shortfalls(scores, examples=1))


def test_the_report_counts_the_policies_in_force(national, scores) -> None:
    paths, *_, truth, _ = national
    rows = query_warehouse(
        paths.root, "SELECT inst_code, policy_found, policies FROM crawl_reports"
    )
    found = {v.inst_code for v in _verdicts(scores) if v.found}
    for inst, policy_found, policies in rows:
        if inst in found:
            assert policy_found and policies == len(truth[inst].policies), inst
        elif truth[inst].outcome != "found":
            assert not policy_found, (inst, truth[inst].route)


def test_every_response_the_server_sent_is_archived(national) -> None:
    paths, served, faults, _, _, _ = national
    late = {host for host, kinds in faults.items() if "timeout" in kinds}
    archived = Counter(
        (
            c.url.split("://", 1)[1].split("/", 1)[0],
            "/" + c.url.split("://", 1)[1].split("/", 1)[1],
            c.status,
        )
        for c in read_index(paths)
    )
    sent = Counter(s for s in served if s[0] not in late)
    missing = sent - archived
    # A truncated body never completes: the crawler logs it instead of archiving it.
    truncated = {host for host, kinds in faults.items() if "truncated_file" in kinds}
    assert all(host in truncated for host, _, _ in missing), missing


def test_every_fault_is_recorded_with_its_cause(national) -> None:
    paths, _, faults, netlocs, _, _ = national
    host_of = {v: k for k, v in netlocs.items()}
    events = list(read_crawl_log(paths))
    by_inst: dict[str, list[dict]] = {}
    for e in events:
        by_inst.setdefault(e.get("inst_code"), []).append(e)
    for host, kinds in faults.items():
        inst = host_of[host]
        seen = {e["event"] for e in by_inst.get(inst, [])}
        errors = " ".join(
            str(e.get("error")) + " " + str(e.get("message")) for e in by_inst.get(inst, [])
        )
        for kind in kinds:
            if kind == "timeout":
                assert "TimeoutError" in errors or "timed out" in errors.lower(), (host, seen)
            elif kind == "server_error_burst":
                assert "http_error" in seen, (host, seen)
            elif kind == "redirect_loop":
                assert "redirect" in errors.lower(), (host, errors[:300])
            elif kind == "robots_disallow":
                assert "robots" in errors.lower(), (host, errors[:300])
            elif kind == "truncated_file":
                assert "fetch_failed" in seen or "request_failed" in seen, (host, seen)
            elif kind == "policy_in_privacy":
                assert "policy_in_privacy" in seen, (host, seen)


def test_nothing_robots_forbids_is_fetched(national) -> None:
    _, served, faults, netlocs, _, specs = national
    inst_of = {host: inst for inst, host in netlocs.items()}
    rules = {}
    for host, kinds in faults.items():
        if "robots_disallow" in kinds:
            robots = urllib.robotparser.RobotFileParser()
            robots.parse(specs[inst_of[host]].answers["/robots.txt"].body.decode().splitlines())
            rules[host] = robots
    assert rules
    fetched = [(h, p) for h, p, _ in served if h in rules]
    assert not [p for h, p in fetched if not rules[h].can_fetch("*", f"http://{h}{p}")]


def test_korean_download_names_are_read_however_the_server_sends_them(national) -> None:
    """RFC 5987, raw UTF-8 and raw EUC-KR `filename` bytes all give the same name."""
    paths, *_, specs = national
    styles = set()
    for capture in read_index(paths):
        if capture.role != "attachment" or not capture.has_content:
            continue
        index = list(specs).index(capture.inst_code)
        styles.add(DISPOSITION_STYLES[index % len(DISPOSITION_STYLES)])
        stem = f"{specs[capture.inst_code].short_name} 영상정보처리기기 "
        name = capture.filename or ""
        assert name.startswith(stem) and name.rsplit(".", 1)[-1] in FILE_KINDS, name
    assert styles == set(DISPOSITION_STYLES)
