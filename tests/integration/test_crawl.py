"""The real spider over real HTTP on 127.0.0.1: discovery, archiving, politeness, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import data_paths
from crawler import settings as crawler_settings
from crawler.run import build_settings
from crawler.sample_web import SITES_DIR, SampleWeb
from pipelines.stages import crawl, crawl_sample, write_registry
from registry import load_registry

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.cli]


@pytest.fixture(scope="module")
def sample_crawl(tmp_path_factory: pytest.TempPathFactory):
    paths = data_paths(tmp_path_factory.mktemp("crawl"))
    result = crawl_sample(paths)
    return paths, result


def test_every_seed_policy_is_found_by_link_text(sample_crawl) -> None:
    paths, _ = sample_crawl
    captures = read_index(paths)
    policies = {c.inst_code: c for c in captures if c.role == "policy" and c.status == 200}
    assert set(policies) == {"5060000", "6110000", "3510500", "4671000"}
    links = {
        e["inst_code"]: e["text"] for e in read_crawl_log(paths) if e["event"] == "policy_link"
    }
    assert "영상정보처리기기운영" in links["4671000"]


def test_attachments_are_followed_and_archived_with_their_names(sample_crawl) -> None:
    paths, _ = sample_crawl
    files = {
        c.inst_code: c for c in read_index(paths) if c.role == "attachment" and c.status == 200
    }
    assert set(files) == {"5060000", "4671000"}
    assert files["4671000"].filename == "붙임-군산시 CCTV 운영현황.xlsx"
    assert files["5060000"].media_type.endswith("spreadsheetml.sheet")
    assert "FileDown.do?atchFileId=" in files["5060000"].url


def test_the_euc_kr_page_is_archived_as_served(sample_crawl) -> None:
    paths, _ = sample_crawl
    gunsan = next(c for c in read_index(paths) if c.inst_code == "4671000" and c.role == "policy")
    assert "euc-kr" in gunsan.content_type.lower()


def test_broken_links_are_logged_and_the_crawl_goes_on(sample_crawl) -> None:
    paths, result = sample_crawl
    failed = [e for e in read_crawl_log(paths) if e["event"] == "request_failed"]
    assert {e["status"] for e in failed} == {404, 500}
    assert all(e["inst_code"] == "6110000" for e in failed)
    errors = [c for c in read_index(paths) if c.status and c.status >= 500]
    assert errors, "a 500 response is archived too"
    assert result.problems >= 3


def test_robots_txt_is_fetched_and_requests_name_the_project(sample_crawl) -> None:
    paths, _ = sample_crawl
    captures = read_index(paths)
    assert sum(1 for c in captures if c.role == "robots") == 4
    assert not any("/admin/" in c.url for c in captures)
    agents = set()
    for warc in paths.warc_dir.glob("*.warc.gz"):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request":
                    agents.add(record.http_headers.get_header("User-Agent"))
    assert agents == {crawler_settings.USER_AGENT}
    assert "cctv-disclosures" in crawler_settings.USER_AGENT
    assert crawler_settings.PROJECT_URL in crawler_settings.USER_AGENT


def test_control_servers_are_off() -> None:
    settings = build_settings("/tmp/x", "crawl-x", fast=False, log_file=None)
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("ROBOTSTXT_OBEY") is True


def test_a_policy_page_forbidden_by_robots_txt_is_not_fetched(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR / "www.michuhol.go.kr", sites / "www.michuhol.go.kr")
    (sites / "www.michuhol.go.kr" / "robots.txt").write_text(
        "User-agent: *\nDisallow: /main/contents.do\n", encoding="utf-8"
    )
    paths = data_paths(tmp_path / "data")
    registry = [i for i in load_registry() if i.inst_code == "3510500"]
    with SampleWeb(sites_dir=sites) as web:
        local = [
            i.__class__(
                **{
                    **i.__dict__,
                    "homepage": web.local_url(i.homepage).rstrip("/"),
                    "network": "local",
                }
            )
            for i in registry
        ]
        crawl(paths, registry_path=write_registry(local, tmp_path / "registry.csv"), fast=True)
    captures = read_index(paths)
    assert not [c for c in captures if c.role == "policy"]
    refused = [e for e in read_crawl_log(paths) if e["event"] == "request_failed"]
    assert refused and refused[0]["error"] == "IgnoreRequest"


def test_an_unreachable_homepage_is_logged_not_fatal(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inst = load_registry()[0]
    registry = write_registry(
        [
            inst.__class__(
                **{**inst.__dict__, "homepage": f"http://127.0.0.1:{port}", "network": "local"}
            )
        ],
        tmp_path / "registry.csv",
    )
    paths = data_paths(tmp_path / "data")
    crawl(paths, registry_path=registry, fast=True)
    events = [e for e in read_crawl_log(paths) if e["event"] in ("fetch_failed", "request_failed")]
    assert events and all(e["inst_code"] == inst.inst_code for e in events)
    assert json.dumps(events, ensure_ascii=False)


def test_registry_overrides_steer_the_spider(tmp_path: Path) -> None:
    """policy_url skips discovery; link_text names the site's own wording; enabled=no skips."""
    paths = data_paths(tmp_path / "data")
    seeds = {
        i.inst_code: i for i in load_registry() if i.inst_code in ("3510500", "5060000", "6110000")
    }
    with SampleWeb() as web:
        local = {code: web.local_url(i.homepage).rstrip("/") for code, i in seeds.items()}
        michuhol = seeds["3510500"].__class__(
            **{
                **seeds["3510500"].__dict__,
                "homepage": local["3510500"],
                "policy_url": local["3510500"] + "/main/contents.do?key=2285",
                "network": "local",
            }
        )
        gimcheon = seeds["5060000"].__class__(
            **{
                **seeds["5060000"].__dict__,
                "homepage": local["5060000"],
                "link_text": "개인정보처리방침",
                "network": "local",
            }
        )
        seoul = seeds["6110000"].__class__(
            **{
                **seeds["6110000"].__dict__,
                "homepage": local["6110000"],
                "enabled": False,
                "network": "local",
            }
        )
        registry = tmp_path / "registry.csv"
        write_registry([michuhol, gimcheon, seoul], registry)
        crawl(paths, registry_path=registry, fast=True)
    captures = read_index(paths)
    roles = {(c.inst_code, c.role) for c in captures}
    assert ("3510500", "policy") in roles and ("3510500", "homepage") not in roles
    gimcheon_policy = next(c for c in captures if c.inst_code == "5060000" and c.role == "policy")
    # The site's own wording wins over the scoring (a deliberate decoy here: the privacy page).
    assert gimcheon_policy.url.endswith("/portal/contents.do?mId=0401130000")
    assert not any(c.inst_code == "6110000" for c in captures)


def test_cctv_crawl_prints_a_report_per_institution(tmp_path: Path) -> None:
    from tests.support import run_cctv

    result = run_cctv("crawl", "--sample", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 of 4 institutions: policy page reached" in result.stdout
    assert "http_error" in result.stdout  # 서울's broken detail links, reported per institution
