"""URLs written as script, read without running it (transforms/discovery/scripts.py). The
helpers are modelled on the ones government CMSs ship: eGovFrame's fn_egov_downFile, menu
helpers (goPage, fn_goMenu, fnLinkPage) that set location, open a window or submit a
form."""

from __future__ import annotations

import pytest

from transforms.discovery.scripts import (
    MAX_SCRIPT_CHARS,
    Call,
    calls,
    helpers,
    looks_like_url,
    navigations,
    resolve,
    string_value,
)

EGOV_FILE_LIST = """
<!-- EgovFileList.jsp, as served -->
function fn_egov_downFile(atchFileId, fileSn){
    window.open("/cmm/fms/FileDown.do?atchFileId="+atchFileId+"&fileSn="+fileSn);
}
function fn_egov_deleteFile(atchFileId, fileSn) {
    forms = document.getElementsByTagName("form");
    form.action = "/cmm/fms/deleteFileInfs.do";
    form.submit();
}
"""


def test_egov_download_helper() -> None:
    found = helpers(EGOV_FILE_LIST)
    url = found["fn_egov_downFile"].url(("FILE_000000000012926", "0"))
    assert url == "/cmm/fms/FileDown.do?atchFileId=FILE_000000000012926&fileSn=0"


def test_a_form_action_with_no_field_set_is_its_url() -> None:
    # Deleting submits a form with fields the helper does not set from its parameters.
    found = helpers(EGOV_FILE_LIST)
    assert found["fn_egov_deleteFile"].url(("F", "1")) == "/cmm/fms/deleteFileInfs.do"


@pytest.mark.parametrize(
    ("script", "name", "args", "url"),
    [
        (
            "function goPage(menuNo) {\n\tlocation.href = '/main/contents.do?menuNo=' + menuNo;\n}",
            "goPage",
            ("1234",),
            "/main/contents.do?menuNo=1234",
        ),
        (
            'var fn_goMenu = function(menuUrl) { if (menuUrl == "") { return false; }'
            " document.location.href = menuUrl; };",
            "fn_goMenu",
            ("/contents.do?key=2285",),
            "/contents.do?key=2285",
        ),
        (
            "function fnLinkPage(menuId, key) {"
            ' location.href = "/www/contents.do?key=" + key + "&menuId=" + menuId; }',
            "fnLinkPage",
            ("M0012", "5043"),
            "/www/contents.do?key=5043&menuId=M0012",
        ),
        (
            "function fnLinkPage(pageNo){ document.listForm.pageIndex.value = pageNo;"
            ' document.listForm.action = "/bbs/selectBoardList.do";'
            " document.listForm.submit(); }",
            "fnLinkPage",
            ("2",),
            "/bbs/selectBoardList.do?pageIndex=2",
        ),
        (
            "function goMenu(id){ $('#menuNo').val(id); $('#frm').attr('action',"
            " '/portal/contents.do').submit(); }",
            "goMenu",
            ("0401140000",),
            "/portal/contents.do?menuNo=0401140000",
        ),
        (
            "function goSub(key) { var url = '/sub.do?key=' + encodeURIComponent(key);"
            " url += '&lang=ko'; location.replace(url); }",
            "goSub",
            ("영상 정보",),
            "/sub.do?key=%EC%98%81%EC%83%81%20%EC%A0%95%EB%B3%B4&lang=ko",
        ),
        (
            "const goTab = (n) => { $('iframe[name=contents]').attr('src', `/tab${n}.html`); };",
            "goTab",
            ("2",),
            "/tab2.html",
        ),
        (
            "cmm.openPolicy = function (seq) { window.open('/policy/view.do?seq=' + seq,"
            " 'policy', 'width=800'); };",
            "openPolicy",
            ("7",),
            "/policy/view.do?seq=7",
        ),
    ],
)
def test_menu_helpers(script: str, name: str, args: tuple[str, ...], url: str) -> None:
    found = helpers(script)
    assert found[name].url(args) == url


@pytest.mark.parametrize(
    "script",
    [
        "function roll(img) { img.src = '/img/menu_on.gif'; }",  # an image, not a page
        "function goTop() { window.scrollTo(0, 0); }",
        "function go(id) { location.href = MENU[id]; }",  # a lookup table: not guessed
        "function go(id) { location.href = base() + id; }",  # a computed prefix
        "function go(el) { location.href = el.getAttribute('data-url'); }",
        "function go(id) { var u = `/p/${other}`; location.href = u; }",  # unknown name
    ],
)
def test_what_cannot_be_read_is_not_guessed(script: str) -> None:
    assert helpers(script) == {}


def test_missing_arguments_leave_the_url_unknown() -> None:
    found = helpers("function go(a, b) { location.href = '/x.do?a=' + a + '&b=' + b; }")
    assert found["go"].url(("1",)) is None
    assert found["go"].url(("1", None)) is None


@pytest.mark.parametrize(
    ("handler", "urls"),
    [
        ("window.open('/main/cctv.do', 'cctv', 'width=800,height=600'); return false;", None),
        ("location.href='/main/cctv.do';", None),
        ("document.location.href = '/main/cctv.do'; return false;", None),
        ("javascript:window.location='/main/cctv.do';", None),
        ('top.location.replace("/main/cctv.do")', None),
        ("location.href='/main/' + 'cctv.do'", None),
        ("alert('준비중입니다.');", []),
        ("location.href=this.value", []),
    ],
)
def test_handlers_that_navigate(handler: str, urls: list[str] | None) -> None:
    assert navigations(handler) == (["/main/cctv.do"] if urls is None else urls)


def test_a_homepage_redirect_is_read_outside_named_functions_only() -> None:
    script = """
        function goLogin() { location.href = '/member/login.do'; }
        window.onload = function () { location.replace('/main/main.do'); };
    """
    assert navigations(script, top_level=True) == ["/main/main.do"]
    assert navigations("setTimeout(function(){ location.href='/index.do'; }, 0);", top_level=True)
    assert navigations("function a(){ location.href='/x.do'; }", top_level=True) == []


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (
            "javascript:fn_egov_downFile('FILE_0001','0'); return false;",
            [("fn_egov_downFile", ("FILE_0001", "0"))],
        ),
        ("goPage('1234');", [("goPage", ("1234",))]),
        ('fnLinkPage("M0012", 5043)', [("fnLinkPage", ("M0012", "5043"))]),
        ("fnMenu(this); return false;", [("fnMenu", (None,))]),
        ("javascript:void(0);", []),
    ],
)
def test_calls_and_their_literal_arguments(handler: str, expected: list) -> None:
    assert [(c.name, c.args) for c in calls(handler)] == expected


def test_calls_resolve_through_the_sites_helpers_first() -> None:
    known = helpers("function fn_goMenu(key) { location.href = '/kor/' + key; }")
    call = Call("fn_goMenu", ("sub05_03.do",))
    assert resolve(call, known) == "/kor/sub05_03.do"
    # Without the helper, an argument that is an address is taken only when guessing.
    assert resolve(call, {}, guess=False) is None
    assert resolve(call, {}) == "sub05_03.do"
    assert resolve(Call("goPage", ("1234",)), {}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/contents.do?key=1", True),
        ("https://www.seoul.go.kr/helper/cctv.do", True),
        ("sub05_03.do", True),
        ("../policy/cctv.html", True),
        ("1234", False),
        ("영상정보처리기기", False),
        ("width=800,height=600", False),
        (None, False),
    ],
)
def test_arguments_that_are_addresses(value: str | None, expected: bool) -> None:
    assert looks_like_url(value) is expected


def test_string_escapes() -> None:
    assert string_value(r"'\/cctv.do?a=1\u0026b=2'") == "/cctv.do?a=1&b=2"
    assert string_value(r'"it\'s"') == "it's"


@pytest.mark.parametrize(
    "script",
    [
        "function go(a) { location.href = '/x.do?a=' + a",  # unterminated body
        "function go(a) { location.href = '/x.do?a=' + a; /* unterminated comment",
        "function go(a) { location.href = 'unterminated string + a; }",
        "function go(a) { var re = /'/g; location.href = '/x.do?a=' + a; }",
        "{" * 5000 + "}" * 10,
        "function ((((",
    ],
)
def test_broken_scripts_are_read_without_failing(script: str) -> None:
    helpers(script)
    navigations(script, top_level=True)
    calls(script)


def test_a_huge_script_is_read_up_to_its_limit() -> None:
    filler = "var x = 1;\n" * (MAX_SCRIPT_CHARS // 11 + 100)
    late = "function goPage(n) { location.href = '/p.do?n=' + n; }"
    assert "early" in helpers("function early(n) { location.href = '/e.do?n=' + n; }" + filler)
    assert helpers(filler + late) == {}
