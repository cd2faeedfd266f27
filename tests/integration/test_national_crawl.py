"""The real spider over the whole simulated national web (243 sites): every institution
reported, every injected fault recorded with its cause, every response archived, robots.txt
obeyed."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from crawler.national_web import NationalWeb
from crawler.national_web.generate import DISPOSITION_STYLES
from crawler.registry import load_registry
from pipelines.stages import crawl
from warehouse.archive import read_crawl_log, read_index
from warehouse.build import build
from warehouse.paths import data_paths

pytestmark = pytest.mark.slow
COUNT = 243  # the whole simulated country


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
    build(paths, load_registry(registry))
    return paths, served, faults, netlocs


def test_every_institution_has_a_report_row(national) -> None:
    paths, _, _, netlocs = national
    con = duckdb.connect(str(paths.duckdb), read_only=True)
    reported = {r[0] for r in con.execute("SELECT inst_code FROM crawl_reports").fetchall()}
    found = con.execute("SELECT count(*) FROM crawl_reports WHERE policy_found").fetchall()[0][0]
    con.close()
    assert reported == set(netlocs)
    assert found >= COUNT * 0.7  # faults cost some policies, not most


def test_every_response_the_server_sent_is_archived(national) -> None:
    paths, served, faults, _ = national
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
    paths, _, faults, netlocs = national
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
    _, served, faults, _ = national
    forbidden = {host for host, kinds in faults.items() if "robots_disallow" in kinds}
    fetched = [(h, p) for h, p, _ in served if h in forbidden and p not in ("/robots.txt", "/")]
    assert not [p for _, p in fetched if "FileDown" not in p and "sitemap" not in p.lower()]


def test_korean_download_names_are_read_however_the_server_sends_them(national) -> None:
    """RFC 5987, raw UTF-8 and raw EUC-KR `filename` bytes all give the same name."""
    paths = national[0]
    sites = {s.inst_code: s for s in NationalWeb(count=COUNT, seed=7).specs}
    styles = set()
    for capture in read_index(paths):
        if capture.role != "attachment" or not capture.has_content:
            continue
        index = list(sites).index(capture.inst_code)
        styles.add(DISPOSITION_STYLES[index % len(DISPOSITION_STYLES)])
        stem = f"{sites[capture.inst_code].short_name} 영상정보처리기기 설치현황"
        assert capture.filename in (f"{stem}.csv", f"{stem}.xlsx"), capture.filename
    assert styles == set(DISPOSITION_STYLES)
