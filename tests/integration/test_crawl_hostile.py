"""Hostile sites over real HTTP on 127.0.0.1, crawled by the real spider in its own process.

Each attack ends in a recorded refusal (a crawl-log event with URL, institution, the page it
was found on and why), the crawl goes on and ends in bounded time and memory, and what the
archive held before is unchanged. The attempts, and what happens:

- links to file:///etc/passwd, file:///dev/zero, ftp:// (a server that never answers),
  data:, gopher:, s3: as attachments, as the policy link, as sitemap and privacy links, as
  frames: `request_refused` (scheme); nothing fetched, no connection, the crawl ends;
- malformed links (a broken IPv6 host, a port out of range): `request_refused`, and the
  rest of the page is still read;
- links to 169.254.169.254, [::1], [::ffff:127.0.0.1], 10.0.0.1, 0.0.0.0, 224.0.0.1,
  240.0.0.1, localhost, 2130706433 and another port of 127.0.0.1: `request_refused`
  (the kind of address); no connection made;
- a 302 to file:, ftp:, data:, gopher:, javascript:: the 302 archived, `request_refused`;
- a 302 to another host (localhost, www.example.com): `redirect_offsite`, not followed;
- a 302 or a meta refresh to another port of the loopback host: `request_refused`;
- a 302 within the site: followed;
- a site on 127.0.0.1 whose registry row lacks `network=local`: `request_refused`, the
  server gets no request at all, not even for robots.txt;
- a site that answers 200 with a page of links to every URL: at most
  CCTV_MAX_PAGES_PER_SITE requests, `page_cap_reached` once, other sites unaffected;
- SIGTERM, SIGINT, SIGHUP to `cctv crawl` during a download that never ends: one line,
  exit 1, no crawler left, the WARC reads to its end, the index is written;
- SIGKILL to `cctv crawl`: the crawler sees its parent gone and stops as cleanly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import DataPaths, data_paths
from pipelines.stages import StageError, crawl, write_registry
from registry import crawlable, load_registry
from tests.support import PROJECT, QuietHandler, RecordingSite

pytestmark = [pytest.mark.slow, pytest.mark.server]

POLICY_TEXT = "영상정보처리기기 운영·관리 방침"
# What makes a page the policy (the spider takes no page without it): the Decree's items.
POLICY_BODY = (
    "<h2>영상정보처리기기 운영·관리 방침</h2><p>설치 대수 3대, 설치 위치 청사 출입구, "
    "촬영시간 24시간, 보관기간 30일, 관리책임자 총무과장</p>"
)
# Bounds for one small crawl: generous, so a noisy machine does not make them flake, and far
# below what the attacks cost before (a hang, or memory growing to the limit).
CRAWL_SECONDS = 90
CRAWL_RSS_BYTES = 1024**3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    wait: float = 0.0  # seconds before answering (a slow server)


def page(*links: tuple[str, str], head: str = "", body: str = "") -> Reply:
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    html = (
        f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}<ul>{anchors}</ul></body></html>"
    )
    return Reply(body=html.encode())


def redirect(location: str) -> Reply:
    return Reply(status=302, headers=(("Location", location), ("Content-Length", "0")))


class Site(RecordingSite):
    """One site on 127.0.0.1 answering every request with `answer(target)`; it keeps the
    targets it was asked for."""

    def __init__(self, answer: Callable[[str], Reply]) -> None:
        self.answer = answer
        self.stopping = threading.Event()
        super().__init__()

    def serve(self, target: str, handler: QuietHandler) -> None:
        reply = self.answer(target)
        if reply.wait:
            self.stopping.wait(reply.wait)
        handler.respond(reply.status, reply.body, reply.headers)

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()  # a slow answer ends now
        super().__exit__(*exc_info)


class Tarpit:
    """A TCP port that accepts connections and never says a word (an ftp:// or gopher://
    server that hangs); it counts the connections it got."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def __enter__(self) -> Tarpit:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


def registry(path: Path, sites: list[tuple[str, bool]]) -> tuple[Path, list[str]]:
    """A registry of real institution codes whose homepages are these local sites; a row
    says `network=local` only where asked."""
    rows = crawlable(load_registry())[: len(sites)]
    local = [
        dataclasses.replace(
            inst,
            homepage=homepage.rstrip("/"),
            network="local" if is_local else None,
            policy_url=None,
            link_text=None,
            valid_to=None,
        )
        for inst, (homepage, is_local) in zip(rows, sites, strict=True)
    ]
    return write_registry(local, path), [i.inst_code for i in local]


def archive_digests(paths: DataPaths) -> dict[str, str]:
    """sha256 of every WARC and capture-index file: what must not change."""
    files = [*paths.warc_dir.glob("*"), *paths.index_dir.glob("*")]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}


def warc_records(path: Path) -> list[tuple[str, str, bytes]]:
    """(type, target URI, payload) of every record; warcio reads the whole file or raises."""
    records = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            records.append((record.rec_type, uri, record.content_stream().read()))
    return records


def children_peak_rss() -> int:
    """Peak resident memory of the largest child process waited for so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def events(paths: DataPaths, kind: str, crawl_id: str | None = None) -> list[dict]:
    return [
        e
        for e in read_crawl_log(paths)
        if e["event"] == kind and (crawl_id is None or e.get("crawl_id") == crawl_id)
    ]


def prior_crawl(paths: DataPaths, tmp: Path) -> dict[str, str]:
    """A first, ordinary crawl into the data directory; the digests of what it archived."""
    with Site(lambda t: page(("/p", POLICY_TEXT)) if t == "/" else page()) as site:
        path, _ = registry(tmp / "prior.csv", [(site.url(), True)])
        crawl(paths, registry_path=path, fast=True, download_timeout=5)
    digests = archive_digests(paths)
    assert digests, "the prior crawl archived something"
    return digests


# --- one crawl of four hostile sites -----------------------------------------------------

SCHEME_LINKS = {
    "file:///etc/passwd": "붙임 CCTV 현황.xlsx",
    "file:///dev/zero": "설치현황.xlsx",
    "ftp://127.0.0.1:{tarpit}/cctv.xlsx": "현황 파일 다운로드 cctv.xlsx",
    "data:application/vnd.ms-excel;base64,AAAA": "현황.xls",
    "gopher://127.0.0.1:{tarpit}/1cctv.xlsx": "gopher 현황.xlsx",
    "s3://bucket/cctv.xlsx": "s3 현황.xlsx",
}
ADDRESS_LINKS = {
    "http://169.254.169.254/latest/meta-data/cctv.xlsx": "link-local",
    "http://[::1]:{other}/cctv.xlsx": "loopback",
    "http://[::ffff:127.0.0.1]:{other}/cctv.xlsx": "loopback",
    "http://10.0.0.1/cctv.xlsx": "private",
    "http://0.0.0.0:{other}/cctv.xlsx": "unspecified",
    "http://224.0.0.1/cctv.xlsx": "multicast",
    "http://240.0.0.1/cctv.xlsx": "reserved",
    "http://localhost:{other}/cctv.xlsx": "loopback",
    "http://2130706433:{other}/cctv.xlsx": "loopback",
    "http://127.0.0.1:{other}/cctv.xlsx": "loopback",
}
# Links too broken to join or parse: before, one of them lost every link of its page.
MALFORMED_LINKS = ["http://[::1/cctv.xlsx", "http://127.0.0.1:99999/cctv.xlsx"]
SCHEME_REDIRECTS = {
    "file": "file:///etc/passwd",
    "ftp": "ftp://127.0.0.1:{tarpit}/",
    "data": "data:text/html,<h1>x</h1>",
    "gopher": "gopher://127.0.0.1:{tarpit}/1",
    "javascript": "javascript:alert(1)",
}
OFFSITE_REDIRECTS = {
    "localhost": "http://localhost:{other}/",
    "example": "http://www.example.com/cctv",
}


def files(target: str) -> Reply:
    """A file server whose download links redirect to the file, on the same host."""
    if target == "/download.do?fileId=1":
        return redirect("/files/real.xlsx")
    if target == "/files/real.xlsx":
        return Reply(body=b"PK\x03\x04", headers=(("Content-Type", XLSX),))
    return page()


def linking(files_site: Site) -> Callable[[str], Reply]:
    """A site whose policy links a file on another (registered, local) host."""
    port = files_site.port

    def answer(target: str) -> Reply:
        if target == "/":
            return page(("/policy.html", POLICY_TEXT))
        if target == "/policy.html":
            link = (f"http://localhost:{port}/download.do?fileId=1", "현황.xlsx")
            return page(link, body=POLICY_BODY)
        return Reply(status=404)

    return answer


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("hostile")
    paths = data_paths(tmp / "data")
    before = prior_crawl(paths, tmp)
    with Tarpit() as tarpit, Site(lambda t: page()) as other:
        fill = {"tarpit": tarpit.port, "other": other.port}

        def links(target: str) -> Reply:
            if target == "/":  # the best-scored policy link is not a web link
                return page(
                    ("file:///etc/shadow", "CCTV 운영·관리 방침 (고정형)"),
                    ("/policy.html", POLICY_TEXT),
                )
            if target == "/policy.html":
                hrefs = [(h.format(**fill), t) for h, t in SCHEME_LINKS.items()]
                hrefs += [(h.format(**fill), "현황.xlsx") for h in ADDRESS_LINKS]
                hrefs += [("file:///etc/hostname", "이동형 영상정보처리기기 운영방침")]
                hrefs += [(h, "현황.xlsx") for h in MALFORMED_LINKS]
                return page(*hrefs, ("/files/ok.xlsx", "운영현황.xlsx"), body=POLICY_BODY)
            if target == "/files/ok.xlsx":
                return Reply(
                    body=b"PK\x03\x04 not much of a workbook", headers=(("Content-Type", XLSX),)
                )
            return Reply(status=404)

        def redirects(target: str) -> Reply:
            names = [*SCHEME_REDIRECTS, *OFFSITE_REDIRECTS, "other-port", "same"]
            if target == "/":
                return page(("/policy.html", POLICY_TEXT))
            if target == "/policy.html":
                subs = [(f"/r/{n}", f"이동형 영상정보처리기기 운영방침 {n}") for n in names]
                meta = ("/meta", "이동형 영상정보처리기기 운영방침 meta")
                return page(*subs, meta, body=POLICY_BODY)
            name = target.removeprefix("/r/")
            if name in SCHEME_REDIRECTS:
                return redirect(SCHEME_REDIRECTS[name].format(**fill))
            if name in OFFSITE_REDIRECTS:
                return redirect(OFFSITE_REDIRECTS[name].format(**fill))
            if name == "other-port":
                return redirect(other.url("/from-redirect"))
            if name == "same":
                return redirect("/policy2.html")
            if target == "/meta":
                refresh = f'<meta http-equiv="refresh" content="0; url={other.url("/meta")}">'
                return page(head=refresh)
            return page() if target == "/policy2.html" else Reply(status=404)

        def discovery(target: str) -> Reply:
            if target == "/":  # no policy link; the sitemap and privacy links lead nowhere
                return page(
                    (f"ftp://127.0.0.1:{tarpit.port}/sitemap.html", "사이트맵"),
                    ("file:///etc/passwd", "개인정보처리방침"),
                )
            return Reply(status=404)

        def frames(target: str) -> Reply:
            if target == "/":
                return Reply(
                    body=(
                        '<html><head><meta charset="utf-8"></head><frameset cols="30%,70%">'
                        '<frame src="file:///etc/passwd">'
                        f'<frame src="ftp://127.0.0.1:{tarpit.port}/menu.html">'
                        '<frame src="/menu.html"></frameset></html>'
                    ).encode()
                )
            if target == "/menu.html":
                return page(("/policy.html", POLICY_TEXT))
            return page() if target == "/policy.html" else Reply(status=404)

        with (
            Site(links) as a,
            Site(redirects) as b,
            Site(frames) as c,
            Site(lambda t: page(("/policy.html", POLICY_TEXT))) as d,
            Site(discovery) as e,
            Site(files) as g,
            Site(linking(g)) as f,
        ):
            path, codes = registry(
                tmp / "registry.csv",
                [
                    (a.url(), True),
                    (b.url(), True),
                    (c.url(), True),
                    (d.url(), False),
                    (e.url(), True),
                    (f.url(), True),
                    (g.url().replace("127.0.0.1", "localhost"), True),
                ],
            )
            started = time.monotonic()
            result = crawl(paths, registry_path=path, fast=True, download_timeout=5)
            seconds = time.monotonic() - started
            yield {
                "paths": paths,
                "crawl_id": result.crawl_id,
                "codes": dict(zip("abcdefg", codes, strict=True)),
                "sites": {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g},
                "other": other,
                "tarpit": tarpit,
                "fill": fill,
                "seconds": seconds,
                "peak_rss": children_peak_rss(),
                "before": before,
            }


def _refused(hostile: dict, site: str) -> dict[str, dict]:
    code = hostile["codes"][site]
    return {
        e["url"]: e for e in events(hostile["paths"], "request_refused") if e["inst_code"] == code
    }


def test_links_to_other_schemes_are_refused_and_recorded(hostile) -> None:
    refused = _refused(hostile, "a")
    policy = hostile["sites"]["a"].url("/policy.html")
    for href in SCHEME_LINKS:
        event = refused[href.format(**hostile["fill"])]
        assert event["found_on"] == policy and "not http or https" in event["reason"]
        assert event["role"] == "attachment"
    # The best-scored policy link was a file: link; the next one was taken instead.
    homepage = hostile["sites"]["a"].url("/")
    assert refused["file:///etc/shadow"]["role"] == "policy"
    assert refused["file:///etc/shadow"]["found_on"] == homepage
    [link] = [e for e in events(hostile["paths"], "policy_link") if e["found_on"] == homepage]
    assert link["url"] == policy
    captures = read_index(hostile["paths"])
    assert all(c.url.startswith("http") for c in captures)
    assert hostile["tarpit"].connections == [], "the ftp/gopher server was never contacted"
    # The crawl went on: the one real attachment is archived.
    assert any(c.url.endswith("/files/ok.xlsx") and c.status == 200 for c in captures)
    for warc in hostile["paths"].warc_dir.glob("*.warc.gz"):
        assert not any(b"root:x:0:0" in body for _, _, body in warc_records(warc))


def test_malformed_links_are_refused_and_the_page_is_still_read(hostile) -> None:
    refused = _refused(hostile, "a")
    for href in MALFORMED_LINKS:
        assert refused[href]["reason"].startswith("malformed URL"), refused[href]
        assert refused[href]["found_on"] == hostile["sites"]["a"].url("/policy.html")
    captures = read_index(hostile["paths"])
    assert any(c.url.endswith("/files/ok.xlsx") and c.status == 200 for c in captures)


def test_links_to_addresses_that_are_not_public_are_refused(hostile) -> None:
    refused = _refused(hostile, "a")
    for href, kind in ADDRESS_LINKS.items():
        event = refused[href.format(**hostile["fill"])]
        assert kind in event["reason"], event
        assert event["found_on"] == hostile["sites"]["a"].url("/policy.html")
    assert hostile["other"].requests == [], "no request reached the unregistered local port"


def test_redirects_to_other_schemes_are_refused_and_the_redirect_archived(hostile) -> None:
    refused = _refused(hostile, "b")
    site = hostile["sites"]["b"]
    for name, target in SCHEME_REDIRECTS.items():
        event = refused[target.format(**hostile["fill"])]
        assert event["found_on"] == site.url(f"/r/{name}")
        assert event["reason"].startswith("redirect to scheme")
    archived = {c.url: c.status for c in read_index(hostile["paths"])}
    assert all(archived[site.url(f"/r/{n}")] == 302 for n in SCHEME_REDIRECTS)
    assert hostile["tarpit"].connections == []


def test_redirects_stay_on_the_institutions_hosts(hostile) -> None:
    paths, code, site = hostile["paths"], hostile["codes"]["b"], hostile["sites"]["b"]
    offsite = {e["url"]: e for e in events(paths, "redirect_offsite") if e["inst_code"] == code}
    for name, target in OFFSITE_REDIRECTS.items():
        event = offsite[target.format(**hostile["fill"])]
        assert event["found_on"] == site.url(f"/r/{name}") and "hosts" in event["reason"]
    # Same host, another port: the address check refuses it (and a meta refresh likewise).
    refused = _refused(hostile, "b")
    assert "loopback" in refused[hostile["other"].url("/from-redirect")]["reason"]
    assert "loopback" in refused[hostile["other"].url("/meta")]["reason"]
    assert hostile["other"].requests == []
    # A redirect within the site is followed.
    assert "/policy2.html" in site.requests
    # A refusal is a finding of its own, not a failed request as well.
    failed = [e for e in events(paths, "request_failed") if e["inst_code"] == code]
    assert not [e for e in failed if e["url"] in refused or e["url"] in offsite]


def test_a_redirect_on_the_host_it_came_from_is_followed(hostile) -> None:
    """A file on another host than the institution's may redirect within that host."""
    code, port = hostile["codes"]["f"], hostile["sites"]["g"].port
    files = {c.url: c for c in read_index(hostile["paths"]) if c.inst_code == code}
    assert files[f"http://localhost:{port}/download.do?fileId=1"].status == 302
    assert files[f"http://localhost:{port}/files/real.xlsx"].status == 200
    assert not [e for e in events(hostile["paths"], "redirect_offsite") if e["inst_code"] == code]


def test_frames_are_followed_over_http_only(hostile) -> None:
    refused = _refused(hostile, "c")
    site = hostile["sites"]["c"]
    for src in ("file:///etc/passwd", f"ftp://127.0.0.1:{hostile['tarpit'].port}/menu.html"):
        assert refused[src]["role"] == "frame" and refused[src]["found_on"] == site.url("/")
    captures = read_index(hostile["paths"])
    code = hostile["codes"]["c"]
    assert {c.url for c in captures if c.inst_code == code and c.role == "policy"} == {
        site.url("/policy.html")
    }


def test_sitemap_and_privacy_branches_are_checked_too(hostile) -> None:
    refused = _refused(hostile, "e")
    tarpit = hostile["tarpit"].port
    assert refused[f"ftp://127.0.0.1:{tarpit}/sitemap.html"]["role"] == "sitemap"
    assert refused["file:///etc/passwd"]["role"] == "privacy"
    code = hostile["codes"]["e"]
    assert [e["inst_code"] for e in events(hostile["paths"], "policy_not_found")].count(code) == 1
    assert hostile["tarpit"].connections == []


def test_a_site_on_loopback_is_contacted_only_when_the_registry_says_it_lives_there(
    hostile,
) -> None:
    refused = _refused(hostile, "d")
    site = hostile["sites"]["d"]
    assert "loopback" in refused[site.url("/")]["reason"]
    assert refused[site.url("/")]["role"] == "homepage"
    assert site.requests == [], "not even robots.txt"
    assert all(hostile["sites"][s].requests for s in "abce")  # the local rows were crawled


def test_the_hostile_crawl_ends_in_bounded_time_and_memory(hostile) -> None:
    """file:///dev/zero ran to MemoryError and an ftp:// link hung the crawl before."""
    assert hostile["seconds"] < CRAWL_SECONDS
    assert hostile["peak_rss"] < CRAWL_RSS_BYTES
    closed = events(hostile["paths"], "crawl_closed", hostile["crawl_id"])
    assert closed and closed[0]["reason"] == "finished"


def test_what_was_archived_before_is_unchanged(hostile) -> None:
    after = archive_digests(hostile["paths"])
    assert {name: after.get(name) for name in hostile["before"]} == hostile["before"]


# --- a site that never ends --------------------------------------------------------------


def endless(target: str) -> Reply:
    """200 for every URL, each page linking 20 further policies and 20 files below it."""
    if target == "/":
        return page(("/policy", POLICY_TEXT))
    path = target.split("?", 1)[0].rstrip("/")
    subs = [(f"{path}/s{n}", f"이동형 영상정보처리기기 운영방침 {n}") for n in range(20)]
    files = [(f"{path}/f{n}.xlsx", f"현황 {n}.xlsx") for n in range(20)]
    return page(*subs, *files, body=POLICY_BODY)


def test_pages_per_site_are_capped_and_discovery_keeps_to_its_paths(tmp_path: Path) -> None:
    paths = data_paths(tmp_path / "data")
    with Site(endless) as site, Site(lambda t: page(("/p", POLICY_TEXT))) as calm:
        path, (code, calm_code) = registry(
            tmp_path / "r.csv", [(site.url(), True), (calm.url(), True)]
        )
        started = time.monotonic()
        result = crawl(paths, registry_path=path, fast=True, download_timeout=5, max_pages=30)
        seconds = time.monotonic() - started
    asked = [t for t in site.requests if t != "/robots.txt"]
    assert 0 < len(asked) <= 30
    capped = events(paths, "page_cap_reached", result.crawl_id)
    assert [(e["inst_code"], e["limit"]) for e in capped] == [(code, 30)]
    # homepage → policy → further policies one level below it → their files; nothing deeper.
    assert asked[:2] == ["/", "/policy"]
    for target in asked[2:]:
        assert target.startswith("/policy/"), target
        parts = target.removeprefix("/policy/").split("/")
        assert parts[0].startswith(("s", "f")) and len(parts) <= 2, target
        assert len(parts) == 1 or parts[1].startswith("f"), "a policy of a policy was followed"
    # Another institution in the same crawl is not held up by the cap.
    assert "/p" in calm.requests
    assert not [e for e in capped if e["inst_code"] == calm_code]
    assert seconds < CRAWL_SECONDS
    assert children_peak_rss() < CRAWL_RSS_BYTES


def test_the_cap_comes_from_the_environment_and_a_bad_value_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = data_paths(tmp_path / "data")
    with Site(endless) as site:
        path, _ = registry(tmp_path / "r.csv", [(site.url(), True)])
        monkeypatch.setenv("CCTV_MAX_PAGES_PER_SITE", "7")
        crawl(paths, registry_path=path, fast=True, download_timeout=5)
        assert len([t for t in site.requests if t != "/robots.txt"]) <= 7
        monkeypatch.setenv("CCTV_MAX_PAGES_PER_SITE", "lots")
        with pytest.raises(StageError, match="CCTV_MAX_PAGES_PER_SITE") as err:
            crawl(paths, registry_path=path, fast=True)
    assert "\n" not in str(err.value)


# --- signals -------------------------------------------------------------------------------


def _crawler_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "crawler.run" in cmdline and str(data_dir) in cmdline:
            found.append(proc)
    return found


def _start_cctv_crawl(
    tmp_path: Path, site: Site
) -> tuple[subprocess.Popen, DataPaths, dict[str, str]]:
    """`cctv crawl` as a user runs it, stuck in a download that never ends; with the
    digests of what an earlier crawl archived."""
    paths = data_paths(tmp_path / "data")
    before = prior_crawl(paths, tmp_path)
    path, _ = registry(tmp_path / "r.csv", [(site.url(), True)])
    cctv = Path(sys.executable).with_name("cctv")
    process = subprocess.Popen(
        [str(cctv), "crawl", "--registry", str(path), "--data-dir", str(paths.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
    )
    deadline = time.monotonic() + 60
    while "/policy" not in site.requests:  # the download that never ends has begun
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the crawl did not reach the slow page"
        time.sleep(0.1)
    return process, paths, before


def _alive(process: psutil.Process) -> bool:
    """Running, and not a zombie nobody reaps (an orphan's reaper may be slow, or absent)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _slow(target: str) -> Reply:
    if target == "/":
        return page(("/policy", POLICY_TEXT))
    return Reply(body=b"late", wait=300) if target == "/policy" else Reply(status=404)


def _check_archive(paths: DataPaths, before: dict[str, str]) -> None:
    """The interrupted crawl's WARC reads to its end, its index is written, and what the
    archive held before is unchanged."""
    after = archive_digests(paths)
    assert {name: after.get(name) for name in before} == before
    new = [p for p in paths.warc_dir.glob("*.warc.gz") if p.name not in before]
    assert len(new) == 1
    records = warc_records(new[0])
    assert any(t == "response" for t, _, _ in records)
    crawl_id = new[0].name.removesuffix(".warc.gz")
    homepages = [c for c in read_index(paths) if c.crawl_id == crawl_id and c.role == "homepage"]
    assert homepages and homepages[0].status == 200


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_to_cctv_crawl_stops_the_crawler_cleanly(tmp_path: Path, signum: int) -> None:
    with Site(_slow) as site:
        process, paths, before = _start_cctv_crawl(tmp_path, site)
        children = psutil.Process(process.pid).children(recursive=True)
        assert children, "the crawler runs in a process of its own"
        sent = time.monotonic()
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        seconds = time.monotonic() - sent
    assert process.returncode == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and f"interrupted by {signal.Signals(signum).name}" in lines[0], stderr
    assert "stopped cleanly" in lines[0]
    assert seconds < 20, "the download in progress was cancelled, not waited for"
    assert not [c for c in children if _alive(c)]
    assert _crawler_processes(paths.root) == []
    _check_archive(paths, before)


def test_a_crawler_whose_cctv_is_killed_stops_by_itself(tmp_path: Path) -> None:
    with Site(_slow) as site:
        process, paths, before = _start_cctv_crawl(tmp_path, site)
        [child] = psutil.Process(process.pid).children()
        process.kill()  # SIGKILL: nothing can be passed on
        process.communicate(timeout=30)
        deadline = time.monotonic() + 30
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert not _alive(child), "the crawler went on without its parent"
    assert _crawler_processes(paths.root) == []
    _check_archive(paths, before)
