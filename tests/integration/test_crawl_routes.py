"""The real spider over real HTTP on 127.0.0.1, one small site per way real government
sites publish their policy: plain, script and image links, CMS helpers defined in the
site's own scripts, homepages that only redirect or are frames, policies in a frame,
through the 개인정보 처리방침, in the sitemap, as a board post with an attached file,
separate 고정형 and 이동형 pages; and pages that look like the policy but are not (a login
page, an error page served with 200, a script-only page, a site refusing the crawler).

Each site's crawl report must name the route (or the reason for a miss), the policy pages
taken must be exactly the current ones, and the warehouse's totals must be theirs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from archive.crawl_log import read_crawl_log
from archive.index import read_index
from archive.paths import data_paths
from pipelines.stages import crawl, write_registry
from registry import crawlable, load_registry
from tests.support import PROJECT, QuietHandler, RecordingSite, query_warehouse
from warehouse.build import build

pytestmark = [pytest.mark.slow, pytest.mark.server]

HWP = PROJECT / "tests" / "files" / "inventories" / "hwp_inventory" / "cctv.hwp"
HTML = "text/html; charset=utf-8"


def policy_body(cameras: int, title: str = "영상정보처리기기 운영·관리 방침") -> str:
    """A policy page's content: the Decree's items and one inventory row."""
    return (
        f"<h3>{title}</h3><h4>1. 설치 근거 및 설치 목적</h4><p>범죄 예방 및 시설 안전</p>"
        "<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4><table><tr><th>설치목적</th>"
        "<th>설치장소</th><th>설치대수</th><th>촬영시간</th><th>보관기간</th></tr>"
        f"<tr><td>범죄예방</td><td>청사 출입구</td><td>{cameras}</td><td>24시간</td>"
        "<td>30일</td></tr></table><h4>3. 관리책임자 및 접근권한자</h4>"
        "<p>관리책임자: 총무과장</p><h4>4. 보관장소 및 처리방법</h4><p>보관장소: 전산실</p>"
    )


def html(body: str, head: str = "", title: str = "누리집") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>'
        f'{head}</head><body><div id="header"><h1>누리집</h1></div>{body}'
        '<div id="footer"><p>주소 및 연락처</p></div></body></html>'
    ).encode()


def footer(*links: tuple[str, str]) -> str:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f'<ul class="foot_menu"><li><a href="/privacy.do">개인정보처리방침</a></li>{items}</ul>'


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()
    browsers_only: bool = False  # answers 403 unless the User-Agent says Mozilla


@dataclass
class SiteCase:
    """One site: its pages, and what the crawl must make of it."""

    routes: dict[str, Reply]
    route: str | None = None  # crawl_reports.route expected
    reason: str | None = None  # crawl_reports.reason expected (no policy)
    policies: set[str] = field(default_factory=set)  # paths taken as policies
    cameras: int | None = None  # cameras in the warehouse for the institution
    never: set[str] = field(default_factory=set)  # paths that must never be fetched
    policy_url: str | None = None  # the registry override


PLAIN = Reply(html(policy_body(3)))


def cases() -> dict[str, SiteCase]:
    cctv = "영상정보처리기기 운영·관리방침"
    return {
        "plain_link": SiteCase(
            {"/": Reply(html(footer(("/cctv.do", cctv)))), "/cctv.do": PLAIN},
            route="link",
            policies={"/cctv.do"},
            cameras=3,
        ),
        "window_open": SiteCase(
            {
                "/": Reply(
                    html(
                        '<a href="javascript:void(0)" onclick="window.open(\'/privacy/cctv.do\','
                        f" 'cctv', 'width=800,height=600')\">{cctv}</a>"
                    )
                ),
                "/privacy/cctv.do": PLAIN,
            },
            route="script_link",
            policies={"/privacy/cctv.do"},
        ),
        "location_href": SiteCase(
            {
                "/": Reply(
                    html(
                        '<ul><li><a href="#" onclick="location.href=\'/main/cctv.do\';'
                        f' return false;">{cctv}</a></li></ul>'
                    )
                ),
                "/main/cctv.do": PLAIN,
            },
            route="script_link",
            policies={"/main/cctv.do"},
        ),
        # goPage('1234') is defined in the site's own script, not on the page; the jQuery
        # file beside it is a library and is not fetched.
        "helper_in_linked_script": SiteCase(
            {
                "/": Reply(
                    html(
                        f"<a href=\"javascript:goPage('1234');\">{cctv}</a>",
                        head='<script src="/js/jquery-3.7.1.min.js"></script>'
                        '<script src="/js/common.js"></script>',
                    )
                ),
                "/js/common.js": Reply(
                    b"// menu\nfunction goPage(menuNo) {\n"
                    b"  location.href = '/contents.do?menuNo=' + menuNo;\n}\n",
                    content_type="application/javascript",
                ),
                "/contents.do?menuNo=1234": PLAIN,
            },
            route="script_link",
            policies={"/contents.do?menuNo=1234"},
            never={"/js/jquery-3.7.1.min.js"},
        ),
        "helper_inline_form": SiteCase(
            {
                "/": Reply(
                    html(
                        '<form name="menuForm" method="post"><input type="hidden" name="key">'
                        "</form><script>function fn_goMenu(key) {"
                        " document.menuForm.key.value = key;"
                        " document.menuForm.action = '/contents.do';"
                        " document.menuForm.submit(); }</script>"
                        f'<a href="#none" onclick="fn_goMenu(\'2285\')">{cctv}</a>'
                    )
                ),
                "/contents.do?key=2285": PLAIN,
            },
            route="script_link",
            policies={"/contents.do?key=2285"},
        ),
        "image_alt": SiteCase(
            {
                "/": Reply(
                    html(
                        '<a href="/cctv.do"><img src="/img/foot_07.gif" '
                        'alt="영상정보처리기기 운영방침"></a>'
                    )
                ),
                "/cctv.do": PLAIN,
            },
            route="image_link",
            policies={"/cctv.do"},
        ),
        "image_map": SiteCase(
            {
                "/": Reply(
                    html(
                        '<img src="/img/foot.gif" usemap="#foot" alt="하단 메뉴">'
                        '<map name="foot"><area shape="rect" coords="0,0,80,20" '
                        'href="/privacy.do" alt="개인정보처리방침">'
                        '<area shape="rect" coords="90,0,200,20" href="/cctv_policy.do" '
                        'alt="CCTV 운영·관리방침"></map>'
                    )
                ),
                "/cctv_policy.do": PLAIN,
            },
            route="image_link",
            policies={"/cctv_policy.do"},
        ),
        "script_redirect": SiteCase(
            {
                "/": Reply(
                    b"<html><head><script>location.replace('/main/main.do');</script>"
                    b"</head><body></body></html>"
                ),
                "/main/main.do": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": PLAIN,
            },
            route="redirect",
            policies={"/cctv.do"},
        ),
        "meta_refresh": SiteCase(
            {
                "/": Reply(
                    b'<html><head><meta http-equiv="refresh" content="0; url=/index.do">'
                    b"</head><body></body></html>"
                ),
                "/index.do": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": PLAIN,
            },
            route="redirect",
            policies={"/cctv.do"},
        ),
        "frameset_homepage": SiteCase(
            {
                "/": Reply(
                    b'<html><frameset rows="100%,*"><frame src="/main.html" name="main">'
                    b"</frameset></html>"
                ),
                "/main.html": Reply(html(footer(("/cctv.html", cctv)))),
                "/cctv.html": PLAIN,
            },
            route="frame",
            policies={"/cctv.html"},
        ),
        "full_page_iframe": SiteCase(
            {
                "/": Reply(
                    b'<html><body style="margin:0"><iframe src="/portal/main.do" '
                    b'width="100%" height="100%" frameborder="0"></iframe></body></html>'
                ),
                "/portal/main.do": Reply(html(footer(("/portal/cctv.do", cctv)))),
                "/portal/cctv.do": PLAIN,
            },
            route="frame",
            policies={"/portal/cctv.do"},
        ),
        # The policy page is the CMS's chrome around an iframe that holds the text: the
        # frame is the policy, and both are archived.
        "policy_in_iframe": SiteCase(
            {
                "/": Reply(html(footer(("/sub.do?menu=77", cctv)))),
                "/sub.do?menu=77": Reply(
                    html(
                        f'<h2>{cctv}</h2><iframe src="/html/cctv_policy.html" title="본문">'
                        "</iframe>",
                        title=cctv,
                    )
                ),
                "/html/cctv_policy.html": Reply(html(policy_body(6))),
            },
            route="frame",
            policies={"/html/cctv_policy.html"},
            cameras=6,
        ),
        "privacy_links_policy": SiteCase(
            {
                "/": Reply(html(footer())),
                "/privacy.do": Reply(
                    html(
                        "<h2>개인정보 처리방침</h2><h3>제12조 영상정보처리기기의 설치·운영</h3>"
                        '<p><a href="/cctv_view.do">영상정보처리기기 운영·관리방침 보기</a></p>'
                    )
                ),
                "/cctv_view.do": PLAIN,
            },
            route="privacy_page",
            policies={"/cctv_view.do"},
        ),
        "privacy_tab": SiteCase(
            {
                "/": Reply(html(footer())),
                "/privacy.do": Reply(
                    html(
                        '<ul class="tab"><li><a href="#tab1">개인정보 처리방침</a></li>'
                        '<li><a href="#tab2">영상정보처리기기 운영·관리방침</a></li></ul>'
                        '<div id="tab1"><h2>개인정보 처리방침</h2><p>처리 목적</p></div>'
                        f'<div id="tab2" style="display:none">{policy_body(2)}</div>'
                    )
                ),
            },
            route="privacy_page",
            policies={"/privacy.do"},
            cameras=2,
        ),
        "sitemap": SiteCase(
            {
                "/": Reply(html('<a href="/sitemap.do">사이트맵</a>')),
                "/sitemap.do": Reply(html(f'<ul><li><a href="/cctv.do">{cctv}</a></li></ul>')),
                "/cctv.do": PLAIN,
            },
            route="sitemap",
            policies={"/cctv.do"},
        ),
        # 고정형 and 이동형 published apart, neither linking the other: both are taken.
        "fixed_and_mobile": SiteCase(
            {
                "/": Reply(
                    html(
                        footer(
                            ("/fixed.do", "고정형 영상정보처리기기 운영·관리방침"),
                            ("/mobile.do", "이동형 영상정보처리기기 운영·관리방침"),
                        )
                    )
                ),
                "/fixed.do": Reply(html(policy_body(4, "고정형 영상정보처리기기 운영·관리 방침"))),
                "/mobile.do": Reply(html(policy_body(3, "이동형 영상정보처리기기 운영·관리 방침"))),
            },
            route="link",
            policies={"/fixed.do", "/mobile.do"},
            cameras=7,
        ),
        # Only a board post with the policy as an HWP file, behind fn_egov_downFile.
        "board_post": SiteCase(
            {
                "/": Reply(html(footer(("/bbs/view.do?nttId=88", cctv)))),
                "/bbs/view.do?nttId=88": Reply(
                    html(
                        "<script>function fn_egov_downFile(atchFileId, fileSn) {"
                        ' window.open("/cmm/fms/FileDown.do?atchFileId=" + atchFileId'
                        ' + "&fileSn=" + fileSn); }</script>'
                        '<table class="bbs_view"><tr><th>제목</th><td>영상정보처리기기 '
                        '운영·관리방침 게시</td></tr><tr><th>첨부파일</th><td><a href="javascript:'
                        "fn_egov_downFile('FILE_000000000001234','0')\">영상정보처리기기 "
                        "운영방침.hwp</a></td></tr></table>"
                    )
                ),
                "/cmm/fms/FileDown.do?atchFileId=FILE_000000000001234&fileSn=0": Reply(
                    HWP.read_bytes(),
                    content_type="application/x-hwp",
                    headers=(("Content-Disposition", 'attachment; filename="cctv.hwp"'),),
                ),
            },
            route="board",
            policies={"/bbs/view.do?nttId=88"},
        ),
        # The footer opens a board of posts titled like the policy: the newest post (its
        # date in a sibling cell) is the one in force, the older one is history.
        "board_list": SiteCase(
            {
                "/": Reply(html(footer(("/bbs/list.do?bbsId=B0091", cctv)))),
                "/bbs/list.do?bbsId=B0091": Reply(
                    html(
                        f'<h3>{cctv}</h3><table class="bbs_list"><tr><th>번호</th><th>제목</th>'
                        '<th>작성일</th></tr><tr><td>2</td><td><a href="/bbs/view.do?nttId=9">'
                        f"{cctv}</a></td><td>2024-01-02</td></tr><tr><td>1</td><td>"
                        f'<a href="/bbs/view.do?nttId=4">{cctv}</a></td><td>2019-03-01</td>'
                        "</tr></table>",
                        title=cctv,
                    )
                ),
                "/bbs/view.do?nttId=9": Reply(
                    html(
                        f"<table><tr><th>제목</th><td>{cctv}</td></tr><tr><th>첨부파일</th>"
                        '<td><a href="/files/cctv_2024.hwp">영상정보처리기기 운영방침.hwp</a>'
                        "</td></tr></table>",
                        title=cctv,
                    )
                ),
                "/bbs/view.do?nttId=4": Reply(html(policy_body(9))),
                "/files/cctv_2024.hwp": Reply(HWP.read_bytes(), content_type="application/x-hwp"),
            },
            route="board",
            policies={"/bbs/view.do?nttId=9"},
            never={"/bbs/view.do?nttId=4"},
        ),
        # The current policy lists its earlier versions: a <select>, dated items whose
        # date sits in a sibling element, an 이전 방침 button. None is fetched or counted.
        "earlier_versions": SiteCase(
            {
                "/": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": Reply(
                    html(
                        policy_body(7) + '<select name="ver" onchange="location.href=this.value">'
                        '<option value="/cctv.do" selected>2024. 1. 1. ~ 현재</option>'
                        '<option value="/cctv.do?ver=2">2019. 3. 1. ~ 2023. 12. 31.</option>'
                        '</select><ul class="history"><li><a href="/cctv.do?ver=1">'
                        f'{cctv}</a><span class="date">2016.05.01</span></li></ul>'
                        '<button type="button" onclick="location.href=\'/cctv.do?ver=2\'">'
                        "이전 영상정보처리기기 운영방침 보기</button>"
                    )
                ),
                "/cctv.do?ver=1": Reply(html(policy_body(5))),
                "/cctv.do?ver=2": Reply(html(policy_body(6))),
            },
            route="link",
            policies={"/cctv.do"},
            cameras=7,
            never={"/cctv.do?ver=1", "/cctv.do?ver=2"},
        ),
        # The best-scored link is an error page served with 200; the next one is the policy.
        "error_page_then_policy": SiteCase(
            {
                "/": Reply(
                    html(
                        footer(
                            ("/old/cctv.do", cctv),
                            ("/cctv_guide.do", "CCTV 설치·운영 안내"),
                        )
                    )
                ),
                "/old/cctv.do": Reply(
                    html("<p>요청하신 페이지를 찾을 수 없습니다.</p>", title="오류")
                ),
                "/cctv_guide.do": PLAIN,
            },
            route="link",
            policies={"/cctv_guide.do"},
        ),
        "login_page": SiteCase(
            {
                "/": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": Reply(
                    html(
                        '<form action="/login.do" method="post"><input name="id">'
                        '<input type="password" name="pw"><button>로그인</button></form>'
                    )
                ),
            },
            reason="not_a_policy",
        ),
        "script_only": SiteCase(
            {
                "/": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": Reply(
                    html(
                        '<div id="contents"></div><noscript>자바스크립트를 사용할 수 있도록 '
                        "설정해 주십시오.</noscript><script>fetch('/api/policy/cctv.json')"
                        ".then(r => r.json()).then(render);</script>",
                        title=cctv,
                    )
                ),
            },
            reason="needs_js",
        ),
        "browser_only_homepage": SiteCase(
            {"/": Reply(html(footer(("/cctv.do", cctv))), browsers_only=True), "/cctv.do": PLAIN},
            reason="blocked_user_agent",
            never={"/cctv.do"},
        ),
        "browser_not_supported": SiteCase(
            {
                "/": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": Reply(
                    html("<p>지원하지 않는 브라우저입니다. 최신 브라우저를 이용해 주십시오.</p>")
                ),
            },
            reason="browser_unsupported",
        ),
        "robots": SiteCase(
            {
                "/robots.txt": Reply(
                    b"User-agent: *\nDisallow: /cctv.do\n", content_type="text/plain"
                ),
                "/": Reply(html(footer(("/cctv.do", cctv)))),
                "/cctv.do": PLAIN,
            },
            reason="robots",
            never={"/cctv.do"},
        ),
        "broken_link": SiteCase(
            {"/": Reply(html(footer(("/cctv.do", cctv))))},
            reason="http_status",
        ),
        "no_link": SiteCase(
            {"/": Reply(html('<a href="/news.do">알림소식</a>'))},
            reason="no_link",
        ),
        "override": SiteCase(
            {"/": Reply(html("<p>누리집</p>")), "/policy/cctv.html": PLAIN},
            route="override",
            policies={"/policy/cctv.html"},
            policy_url="/policy/cctv.html",
        ),
    }


class Site(RecordingSite):
    """One site on 127.0.0.1 serving its routes (404 elsewhere); it keeps what it was
    asked for."""

    def __init__(self, routes: dict[str, Reply]) -> None:
        self.routes = routes
        super().__init__()

    def serve(self, target: str, handler: QuietHandler) -> None:
        reply = self.routes.get(target, Reply(b"", status=404))
        agent = handler.headers.get("User-Agent") or ""
        if reply.browsers_only and "Mozilla" not in agent:
            reply = Reply(b"Forbidden", status=403, content_type="text/plain")
        headers = (("Content-Type", reply.content_type), *reply.headers)
        handler.respond(reply.status, reply.body, headers)


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("routes")
    paths = data_paths(tmp / "data")
    specs = cases()
    rows = crawlable(load_registry())[: len(specs)]
    sites = {name: Site(spec.routes) for name, spec in specs.items()}
    for site in sites.values():
        site.__enter__()
    try:
        local = [
            dataclasses.replace(
                inst,
                homepage=site.url(),
                network="local",
                policy_url=site.url(spec.policy_url) if spec.policy_url else None,
                link_text=None,
                valid_to=None,
            )
            for inst, (site, spec) in zip(rows, ((sites[n], specs[n]) for n in specs), strict=True)
        ]
        registry = write_registry(local, tmp / "registry.csv")
        result = crawl(paths, registry_path=registry, fast=True, download_timeout=5)
    finally:
        for site in sites.values():
            site.__exit__()
    build(paths, load_registry(registry))
    codes = {name: inst.inst_code for name, inst in zip(specs, local, strict=True)}
    yield {"paths": paths, "specs": specs, "sites": sites, "codes": codes, "crawl": result}


def _path(url: str) -> str:
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _report(routes: dict) -> dict[str, tuple]:
    rows = query_warehouse(
        routes["paths"].root,
        "SELECT inst_code, policy_found, route, reason, policies FROM crawl_reports",
    )
    by_code = {r[0]: r[1:] for r in rows}
    return {name: by_code.get(code) for name, code in routes["codes"].items()}


def _each(routes: dict, check: Callable[[str, SiteCase], Any]) -> None:
    failed = {}
    for name, spec in routes["specs"].items():
        try:
            check(name, spec)
        except AssertionError as exc:
            failed[name] = str(exc)
    assert not failed, failed


def test_every_route_is_found_and_reported(routes) -> None:
    report = _report(routes)

    def check(name: str, spec: SiteCase) -> None:
        found, route, reason, policies = report[name]
        if spec.route:
            assert (found, route, reason) == (True, spec.route, None), report[name]
            assert policies == len(spec.policies), report[name]
        else:
            assert (found, route, reason) == (False, None, spec.reason), report[name]

    _each(routes, check)


def test_only_the_current_policies_are_taken(routes) -> None:
    """The pages taken as policies (crawl log and warehouse) are exactly the site's
    current ones: no wrapper, no decoy, no earlier version."""
    taken: dict[str, set[str]] = {}
    for e in read_crawl_log(routes["paths"]):
        if e["event"] == "policy_accepted":
            taken.setdefault(e["inst_code"], set()).add(_path(e["url"]))
    stored: dict[str, set[str]] = {}
    for code, url in query_warehouse(
        routes["paths"].root, "SELECT inst_code, source_url FROM policies"
    ):
        stored.setdefault(code, set()).add(_path(url))

    def check(name: str, spec: SiteCase) -> None:
        code = routes["codes"][name]
        assert taken.get(code, set()) == spec.policies, taken.get(code)
        assert stored.get(code, set()) == spec.policies, stored.get(code)

    _each(routes, check)


def test_the_totals_are_the_current_policies_own(routes) -> None:
    cameras = dict(
        query_warehouse(
            routes["paths"].root, "SELECT inst_code, sum(camera_count) FROM cameras GROUP BY 1"
        )
    )

    def check(name: str, spec: SiteCase) -> None:
        if spec.cameras is not None:
            assert cameras.get(routes["codes"][name]) == spec.cameras, cameras.get(
                routes["codes"][name]
            )

    _each(routes, check)


def test_what_must_not_be_fetched_is_not(routes) -> None:
    def check(name: str, spec: SiteCase) -> None:
        asked = set(routes["sites"][name].requests)
        assert not (asked & spec.never), asked & spec.never

    _each(routes, check)


def test_every_miss_is_a_finding_with_its_reason(routes) -> None:
    events = list(read_crawl_log(routes["paths"]))
    issues = query_warehouse(routes["paths"].root, "SELECT inst_code, code FROM quality_issues")

    def check(name: str, spec: SiteCase) -> None:
        code = routes["codes"][name]
        missed = [e for e in events if e["event"] == "policy_not_found" and e["inst_code"] == code]
        if spec.route:
            assert not missed, missed
            return
        assert [e["reason"] for e in missed] == [spec.reason], missed
        assert (code, "policy_not_found") in issues
        finding = {"needs_js": "policy_needs_js"}.get(spec.reason, spec.reason)
        if finding in ("policy_needs_js", "not_a_policy", "blocked_user_agent"):
            assert (code, finding) in issues, [i for i in issues if i[0] == code]
        if finding == "browser_unsupported":
            assert (code, finding) in issues, [i for i in issues if i[0] == code]

    _each(routes, check)


def test_frames_and_their_wrappers_are_both_archived(routes) -> None:
    code = routes["codes"]["policy_in_iframe"]
    captures = {_path(c.url): c.role for c in read_index(routes["paths"]) if c.inst_code == code}
    assert captures["/sub.do?menu=77"] == "policy"  # asked for as the policy, archived
    assert captures["/html/cctv_policy.html"] == "policy"
    wrappers = [e for e in read_crawl_log(routes["paths"]) if e["event"] == "policy_wrapper"]
    assert [(_path(e["url"]), e["kind"]) for e in wrappers if e["inst_code"] == code] == [
        ("/sub.do?menu=77", "frames")
    ]


def test_a_board_posts_script_download_is_archived(routes) -> None:
    code = routes["codes"]["board_post"]
    files = [
        c
        for c in read_index(routes["paths"])
        if c.inst_code == code and c.role == "attachment" and c.status == 200
    ]
    assert [_path(c.url) for c in files] == [
        "/cmm/fms/FileDown.do?atchFileId=FILE_000000000001234&fileSn=0"
    ]
    cameras = query_warehouse(
        routes["paths"].root, f"SELECT count(*) FROM cameras WHERE inst_code = '{code}'"
    )
    assert cameras[0][0] > 0, "the attached inventory is read"


def test_earlier_versions_are_noted_not_followed(routes) -> None:
    code = routes["codes"]["earlier_versions"]
    noted = {
        _path(e["url"])
        for e in read_crawl_log(routes["paths"])
        if e["event"] == "earlier_version" and e["inst_code"] == code
    }
    assert noted == {"/cctv.do?ver=1", "/cctv.do?ver=2"}


def test_the_sites_own_script_is_read_once_and_libraries_never(routes) -> None:
    asked = routes["sites"]["helper_in_linked_script"].requests
    assert asked.count("/js/common.js") == 1
    assert "/js/jquery-3.7.1.min.js" not in asked


def test_the_institution_report_says_why(routes) -> None:
    """`cctv crawl`'s report and the crawl_reports table agree on what was missed."""
    missed = query_warehouse(
        routes["paths"].root, "SELECT count(*) FROM crawl_reports WHERE NOT policy_found"
    )[0][0]
    expected = sum(1 for spec in routes["specs"].values() if spec.route is None)
    assert missed == expected
    assert not query_warehouse(
        routes["paths"].root,
        "SELECT inst_code FROM crawl_reports WHERE NOT policy_found AND reason IS NULL",
    )


def test_the_privacy_page_is_the_policy_only_when_it_holds_it(routes) -> None:
    flags = dict(
        query_warehouse(
            routes["paths"].root, "SELECT inst_code, policy_in_privacy FROM crawl_reports"
        )
    )
    assert flags[routes["codes"]["privacy_tab"]] is True
    assert flags[routes["codes"]["privacy_links_policy"]] is False
