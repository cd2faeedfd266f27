"""What a page offers a person clicking through it (transforms/discovery/markup.py), on
markup modelled on government CMSs: eGov footers of image links, image maps, onclick and
javascript: menus, framesets, redirect-only homepages, version lists."""

from __future__ import annotations

import pytest

from transforms.discovery.markup import (
    MAX_LINKS,
    loads_content_by_script,
    read_page,
    resolve_links,
)
from transforms.discovery.scripts import helpers

BASE = "https://www.example.go.kr/main/index.do"


def _page(body: str, head: str = "", url: str = BASE):
    return read_page(f"<html><head>{head}</head><body>{body}</body></html>", url)


def _by_text(page):
    return {link.text: link for link in page.links}


def test_plain_links_are_joined_against_the_page() -> None:
    page = _page('<a href="/helper/cctv.do">영상정보처리기기 운영관리 방침</a>')
    [link] = page.links
    assert (link.url, link.how) == ("https://www.example.go.kr/helper/cctv.do", "link")


def test_a_base_element_moves_relative_links() -> None:
    page = _page('<a href="cctv.do">CCTV 운영방침</a>', head='<base href="/kor/">')
    assert page.links[0].url == "https://www.example.go.kr/kor/cctv.do"


def test_footer_image_links_take_their_alt_text() -> None:
    # A footer where every menu item is a GIF, as on older 공단 sites.
    page = _page(
        '<ul class="foot_menu"><li><a href="/footer/privacy.asp" target="_blank" '
        'title="새창 열림"><img src="/images/footer_menu_05.png" alt="개인정보처리방침"></a></li>'
        '<li><a href="/footer/media_policy.asp" target="_blank" title="새창 열림">'
        '<img src="/images/footer_menu_11.png" alt="영상정보처리기기 운영관리방침"></a></li></ul>'
    )
    link = _by_text(page)["영상정보처리기기 운영관리방침"]
    assert (link.how, link.url) == (
        "image_link",
        "https://www.example.go.kr/footer/media_policy.asp",
    )


def test_an_image_with_an_empty_alt_is_named_by_the_links_title() -> None:
    page = _page(
        '<a href="/cctv.do" title="영상정보처리기기 운영·관리방침 바로가기(새창)" target="_blank">'
        '<img src="/img/banner.gif" alt=""></a>'
    )
    assert (page.links[0].text, page.links[0].how) == (
        "영상정보처리기기 운영·관리방침 바로가기(새창)",
        "image_link",
    )


def test_an_icon_link_is_named_by_aria_label() -> None:
    page = _page(
        '<a href="/cctv.do" class="btn_cctv" aria-label="영상정보처리기기 운영방침">'
        '<i class="ico ico-cctv" aria-hidden="true"></i></a>'
    )
    assert (page.links[0].text, page.links[0].how) == ("영상정보처리기기 운영방침", "link")


def test_image_map_areas_are_links() -> None:
    page = _page(
        '<img src="/img/foot.gif" usemap="#footMenu" alt="하단 메뉴"><map name="footMenu">'
        '<area shape="rect" coords="0,0,140,30" href="/privacy.do" alt="개인정보처리방침">'
        '<area shape="rect" coords="150,0,330,30" href="/cctv.do" alt="CCTV 운영·관리방침">'
        "</map>"
    )
    link = _by_text(page)["CCTV 운영·관리방침"]
    assert (link.how, link.url) == ("image_link", "https://www.example.go.kr/cctv.do")


def test_onclick_links_with_a_dead_href() -> None:
    page = _page(
        "<a href=\"javascript:void(0);\" onclick=\"window.open('/privacy/cctv.do', '_blank',"
        ' \'width=1000\'); return false;" title="새창 열림">영상정보처리기기 운영·관리방침</a>'
        '<a href="#none" onclick="document.location.href = \'/main/sub.do?key=7\'; return'
        ' false;">CCTV 운영방침</a>'
    )
    links = _by_text(page)
    assert (
        links["영상정보처리기기 운영·관리방침"].url == "https://www.example.go.kr/privacy/cctv.do"
    )
    assert links["CCTV 운영방침"].url == "https://www.example.go.kr/main/sub.do?key=7"
    assert {link.how for link in page.links} == {"script_link"}


def test_a_real_href_wins_over_its_onclick() -> None:
    page = _page('<a href="/www/contents.do?key=5043" onclick="fnMenu(this);">운영방침</a>')
    assert (page.links[0].url, page.links[0].how) == (
        "https://www.example.go.kr/www/contents.do?key=5043",
        "link",
    )


def test_helper_calls_resolve_through_the_pages_own_script() -> None:
    page = _page(
        "<a href=\"javascript:fnLinkPage('M0012', '5043');\">영상정보처리기기운영방침</a>",
        head="<script>//<![CDATA[\nfunction fnLinkPage(menuId, key) {"
        ' location.href = "/www/contents.do?key=" + key + "&menuId=" + menuId; }\n//]]></script>',
    )
    assert page.links[0].url == "https://www.example.go.kr/www/contents.do?key=5043&menuId=M0012"
    assert "fnLinkPage" in page.helpers


def test_calls_of_unknown_helpers_wait_for_the_sites_scripts() -> None:
    page = _page(
        "<a href=\"javascript:goPage('1234');\">영상정보처리기기 운영방침</a>",
        head='<script src="/js/jquery.min.js"></script><script src="/js/common.js"></script>',
    )
    [link] = page.links
    assert link.url is None and link.call is not None and link.call.args == ("1234",)
    assert page.scripts == [
        "https://www.example.go.kr/js/jquery.min.js",
        "https://www.example.go.kr/js/common.js",
    ]
    known = helpers("function goPage(n) { location.href = '/main/contents.do?menuNo=' + n; }")
    [resolved] = resolve_links(page.links, known, page.base)
    assert resolved.url == "https://www.example.go.kr/main/contents.do?menuNo=1234"


def test_an_address_argument_is_used_only_when_guessing() -> None:
    page = _page('<a href="#" onclick="fn_goMenu(\'/contents.do?key=2285\')">CCTV 운영방침</a>')
    assert page.links[0].url is None
    [guessed] = resolve_links(page.links, {}, page.base, guess=True)
    assert guessed.url == "https://www.example.go.kr/contents.do?key=2285"


def test_onclick_on_other_elements_and_data_urls() -> None:
    page = _page(
        "<ul><li onclick=\"location.href='/cctv.do'\">영상정보처리기기 운영방침</li></ul>"
        '<button type="button" data-url="/mobile.do" onclick="goUrl(this)">이동형 영상정보처리기기'
        " 운영·관리방침</button>"
        '<input type="button" value="이전 방침 보기" onclick="location.href=\'/cctv.do?v=1\'">'
    )
    links = _by_text(page)
    assert links["영상정보처리기기 운영방침"].url == "https://www.example.go.kr/cctv.do"
    assert (
        links["이동형 영상정보처리기기 운영·관리방침"].url == "https://www.example.go.kr/mobile.do"
    )
    assert links["이전 방침 보기"].url == "https://www.example.go.kr/cctv.do?v=1"


def test_mail_and_phone_links_are_not_links() -> None:
    page = _page('<a href="mailto:a@example.go.kr">메일</a><a href="tel:120">전화</a>')
    assert page.links == []


def test_the_context_holds_a_date_in_a_sibling_element() -> None:
    page = _page(
        '<ul class="history"><li><a href="/cctv.do?v=1">영상정보처리기기 운영·관리방침</a>'
        '<span class="date">2016.05.01</span></li></ul>'
        '<div class="ver"><a href="/cctv.do?v=2">영상정보처리기기 운영방침</a>'
        "<em>2019-03-01</em></div>"
        '<table><tr><td><a href="/v3">CCTV 운영방침</a></td><td>2021-07-01</td></tr></table>'
    )
    contexts = {link.url.rsplit("/", 1)[1]: link.context for link in page.links}
    assert "2016.05.01" in contexts["cctv.do?v=1"]
    assert "2019-03-01" in contexts["cctv.do?v=2"]
    assert "2021-07-01" in contexts["v3"]


def test_a_version_select_is_not_a_set_of_links() -> None:
    page = _page(
        '<select onchange="location.href=this.value"><option value="/cctv.do?v=2">'
        "2019. 3. 1. ~ 2023. 12. 31.</option></select>"
    )
    assert page.links == []
    assert "2019" not in page.text


def test_frames_redirects_and_scripts() -> None:
    frameset = read_page(
        '<html><frameset rows="100%,*"><frame src="/main.html"><frame src="/main.html#top">'
        '<frame src="javascript:false"></frameset></html>',
        BASE,
    )
    assert frameset.frameset and frameset.frames == ["https://www.example.go.kr/main.html"]
    redirect = read_page(
        "<html><head><script>location.replace('/portal/main.do');</script></head></html>", BASE
    )
    assert redirect.redirects == ["https://www.example.go.kr/portal/main.do"]
    menu = _page("<script>function goLogin(){ location.href='/login.do'; }</script><p>홈</p>")
    assert menu.redirects == []


def test_visible_text_leaves_out_links_scripts_and_styles() -> None:
    page = _page(
        "<style>p{color:red}</style><p>보관기간 30일</p><a href='/x'>사이트맵</a>"
        "<script>var s = '설치대수';</script><noscript>자바스크립트를 켜 주십시오</noscript>",
        head="<title>영상정보처리기기 운영·관리방침</title>",
    )
    assert page.text == "보관기간 30일"
    assert page.link_text == "사이트맵"
    assert page.noscript == "자바스크립트를 켜 주십시오"
    assert page.title == "영상정보처리기기 운영·관리방침"


def test_script_shell_signals() -> None:
    shell = _page(
        '<div id="app"></div><script>fetch("/api/policy/cctv.json").then(r => r.json())'
        ".then(render);</script>"
    )
    assert shell.app_mount and loads_content_by_script(shell)
    form = _page('<form><input type="password" name="pw"></form>')
    assert form.has_password


@pytest.mark.slow
def test_a_page_of_many_links_is_read_up_to_the_limit() -> None:
    body = "".join(f'<a href="/p{n}">링크 {n}</a>' for n in range(MAX_LINKS + 500))
    assert len(_page(body).links) == MAX_LINKS
    # All in one list item: each link's context is that item, cut short.
    item = "<ul><li>" + body + "</li></ul>"
    assert {len(link.context) <= 300 for link in _page(item).links} == {True}


def test_empty_and_broken_markup() -> None:
    assert read_page("", BASE).links == []
    assert read_page("<a href='http://[::1/x'>CCTV 운영방침</a>", BASE).links[0].url == (
        "http://[::1/x"
    )
    assert read_page("<html><body>" + "<div>" * 200 + "보관기간", BASE).text == "보관기간"
    read_page("<html><body>" + "<div>" * 5000 + "보관기간", BASE)  # past libxml2's depth
