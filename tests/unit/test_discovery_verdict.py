"""Is this page the policy? (transforms/discovery/verdict.py) Every labelled policy page is
taken; wrappers lead on; login, error, 'browser not supported' and script-only pages are
findings with their reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.sample_web import SITES_DIR
from tests.support import PROJECT
from transforms.discovery.markup import read_page
from transforms.discovery.verdict import judge, judge_document

URL = "https://www.example.go.kr/cctv.do"
POLICY = (
    "<h3>영상정보처리기기 운영·관리 방침</h3><h4>1. 설치 근거 및 설치 목적</h4><p>범죄 예방</p>"
    "<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4><p>청사 출입구 3대</p>"
    "<h4>3. 관리책임자</h4><p>총무과장</p><h4>4. 촬영시간, 보관기간</h4><p>24시간, 30일</p>"
)
CHROME = (
    '<div id="header"><ul class="gnb"><li><a href="/a">민원안내</a></li>'
    '<li><a href="/b">알림소식</a></li></ul></div>'
)
FOOTER = (
    '<div id="footer"><a href="/privacy.do">개인정보처리방침</a>'
    '<a href="/cctv.do">영상정보처리기기 운영·관리방침</a>'
    "<p>(12345) 행복시 중앙로 1 대표전화 02-000-0000</p></div>"
)


def _judge(body: str, head: str = "", url: str = URL):
    return judge(read_page(f"<html><head>{head}</head><body>{body}</body></html>", url))


def _corpus_pages() -> list[Path]:
    files = PROJECT / "tests" / "files"
    return sorted(
        p
        for folder in ("policies", "policies_holdout", "policies_blind")
        for p in (files / folder).glob("*/page.html")
    )


@pytest.mark.parametrize("page", _corpus_pages(), ids=lambda p: p.parent.name)
def test_every_labelled_policy_page_is_taken(page: Path) -> None:
    meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
    encoding = meta.get("encoding", "utf-8")
    verdict = judge_document(page.read_bytes(), f"text/html; charset={encoding}", meta["url"])
    assert verdict.accepted, verdict


@pytest.mark.parametrize("site", sorted(SITES_DIR.iterdir()), ids=lambda p: p.name)
def test_the_sample_webs_policy_pages_are_taken(site: Path) -> None:
    routes = json.loads((site / "routes.json").read_text(encoding="utf-8"))["routes"]
    for target, route in routes.items():
        if route.get("file") == "policy.html":
            content_type = f"text/html; charset={route.get('encoding', 'utf-8')}"
            body = (site / "policy.html").read_bytes()
            assert judge_document(body, content_type, target).kind == "policy"


def test_a_policy_in_chrome_is_taken() -> None:
    assert _judge(CHROME + POLICY + FOOTER).kind == "policy"


def test_a_board_post_whose_policy_is_the_attached_file() -> None:
    post = (
        '<table class="bbs_view"><tr><th>제목</th><td>영상정보처리기기 운영·관리방침 게시</td>'
        '</tr><tr><th>첨부파일</th><td><a href="/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0">'
        "운영방침.hwp</a></td></tr></table>"
    )
    assert _judge(CHROME + post + FOOTER).kind == "board_post"
    scripted = post.replace(
        'href="/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0"',
        "href=\"javascript:fn_egov_downFile('F1','0')\"",
    )
    assert _judge(CHROME + scripted + FOOTER).kind == "board_post"


def test_a_post_without_a_file_or_a_title_is_not_a_board_post() -> None:
    no_file = "<table><tr><th>제목</th><td>영상정보처리기기 운영·관리방침 게시</td></tr></table>"
    assert not _judge(CHROME + no_file + FOOTER).accepted
    notice = (
        "<table><tr><th>제목</th><td>방범용 CCTV 추가 설치 안내</td></tr><tr><td>"
        '<a href="/files/notice.hwp">공고문.hwp</a></td></tr></table>'
    )
    assert not _judge(CHROME + notice + FOOTER).accepted


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (
            '<form action="/login.do"><input name="id"><input type="password" name="pw"></form>',
            "login",
            "not_a_policy",
        ),
        ("<p>로그인이 필요한 서비스입니다.</p>", "login", "not_a_policy"),
        ("<h2>요청하신 페이지를 찾을 수 없습니다.</h2>", "error_page", "not_a_policy"),
        (
            "<p>지원하지 않는 브라우저입니다. 최신 브라우저를 이용해 주십시오.</p>",
            "browser_block",
            "browser_unsupported",
        ),
        (
            '<div id="contents"></div><noscript>자바스크립트를 사용할 수 있도록 설정해 '
            "주십시오.</noscript>",
            "needs_js",
            "needs_js",
        ),
        (
            "<div id=\"cont\"></div><script>$.ajax({url: '/cctv/policy.json', success: draw});"
            "</script>",
            "needs_js",
            "needs_js",
        ),
        ('<div id="app"></div><script src="/static/app.js"></script>', "needs_js", "needs_js"),
        ("", "empty", "not_a_policy"),
    ],
)
def test_pages_that_are_not_the_policy_say_why(body: str, kind: str, reason: str) -> None:
    verdict = _judge(CHROME + body + FOOTER)
    assert (verdict.kind, verdict.reason, verdict.accepted) == (kind, reason, False)


def test_a_content_page_without_policy_vocabulary_is_not_a_policy() -> None:
    news = "<h2>보도자료</h2>" + "<p>행복시는 올해 도로 정비 사업을 마무리하였습니다.</p>" * 20
    verdict = _judge(CHROME + news + FOOTER)
    assert (verdict.kind, verdict.reason) == ("not_a_policy", "not_a_policy")


def test_a_generic_noscript_notice_does_not_hide_a_page_with_content() -> None:
    noscript = (
        "<noscript>자바스크립트를 지원하지 않는 브라우저에서는 일부 기능이 제한됩니다.</noscript>"
    )
    assert _judge(CHROME + POLICY + noscript + FOOTER).kind == "policy"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ('<frameset rows="100%"><frame src="/cctv/content.html"></frameset>', "frames"),
        (
            '<h2>영상정보처리기기 운영·관리방침</h2><iframe src="/html/cctv.html" title="본문">'
            "</iframe>",
            "frames",
        ),
        ("<script>location.replace('/cctv/view.do');</script>", "redirect"),
        (
            '<ul class="tab"><li><a href="/cctv.do?tab=1">고정형 영상정보처리기기 운영·관리방침</a>'
            '</li><li><a href="/cctv.do?tab=2">이동형 영상정보처리기기 운영·관리방침</a></li></ul>',
            "landing",
        ),
    ],
)
def test_wrappers_lead_on_and_are_not_findings(body: str, kind: str) -> None:
    verdict = _judge(CHROME + body + FOOTER)
    assert (verdict.kind, verdict.reason, verdict.accepted) == (kind, None, False)


def test_a_footer_link_to_the_page_itself_does_not_make_it_a_list_of_policies() -> None:
    login = '<p>회원 로그인</p><input type="password">'
    assert _judge(CHROME + login + FOOTER).kind == "login"
    shell = '<div id="app"></div>'
    assert _judge(CHROME + shell + FOOTER).kind == "needs_js"
    # The same empty page with a link to *another* policy lists it.
    other = FOOTER.replace("/cctv.do", "/mobile_cctv.do")
    assert _judge(CHROME + other).kind == "landing"


def test_the_verdict_does_not_depend_on_the_address() -> None:
    body = f"<html><body>{CHROME}{POLICY}{FOOTER}</body></html>".encode()
    kinds = {judge_document(body, "text/html", url).kind for url in (URL, "http://x/", "")}
    assert kinds == {"policy"}


def test_a_page_in_the_wrong_charset_is_judged_on_its_text() -> None:
    body = f"<html><body>{POLICY}</body></html>".encode("cp949")
    assert judge_document(body, "text/html; charset=utf-8", URL).kind == "policy"
