"""Routes through links written as script, the way CMS menus are generated: `javascript:`
and `#` links whose onclick opens the page (`window.open`, `location.href`), and the CMS
helpers (`goPage('…')`, `fn_goMenu('…')`, `fnLinkPage('…', '…')`) whose URL is built from a
pattern in the site's own script, inline or in a linked .js file; and the eGovFrame
download call `fn_egov_downFile('…', '…')` for the policy's file.

Every URL can be read from the call's arguments and the site's script text, without
running the script."""

from __future__ import annotations

import re

from tests.national_web.routes.common import Reach, fill, homepage, policy_page, sitemap
from tests.national_web.site import Draft
from tests.national_web.templates import attr

__all__ = [
    "script_download",
    "script_fn_gomenu",
    "script_fnlinkpage",
    "script_gopage",
    "script_location",
    "script_window_open",
]

_COMMON_JS = "/js/common.js"
_FILE_CALL = re.compile(r"^(?P<prefix>.*[?&]atchFileId=)(?P<id>[^&]+)&fileSn=(?P<sn>\d+)$")


def _split_value(target: str) -> tuple[str, str]:
    """`/main/contents.do?key=2285` → (`/main/contents.do?key=`, `2285`); a path without a
    query splits at its last segment."""
    cut = target.rindex("=") + 1 if "=" in target else target.rindex("/") + 1
    return target[:cut], target[cut:]


def _inline(code: str) -> str:
    return f'<script type="text/javascript">\n//<![CDATA[\n{code}\n//]]>\n</script>\n'


def _js_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def script_window_open(d: Draft, reach: Reach) -> None:
    """`<a href="javascript:void(0);" onclick="window.open('…', …)">`: a new window."""
    target = policy_page(d, reach)
    call = f"window.open('{target}', '_blank', 'width=1000,height=800,scrollbars=yes'); "
    extra = f' onclick="{attr(call)}return false;" title="새창 열림"'
    fill(d, [d.template.anchor("javascript:void(0);", d.template.link_text, extra)])


def script_location(d: Draft, reach: Reach) -> None:
    """`<a href="#" onclick="location.href='…'">`, in the spellings CMSs use."""
    target = policy_page(d, reach)
    calls = (
        f"location.href='{target}';",
        f"document.location.href = '{target}'; return false;",
        f"javascript:window.location='{target}';",
    )
    href = ("#", "#none", "#")[d.rank % 3]
    extra = f' onclick="{attr(calls[d.rank % 3])}"'
    fill(d, [d.template.anchor(href, d.template.link_text, extra)])


def script_gopage(d: Draft, reach: Reach) -> None:
    """`<a href="javascript:goPage('1234');">`, goPage defined in the site's linked
    common.js, which builds the URL from the menu number."""
    target = policy_page(d, reach)
    prefix, value = _split_value(target)
    code = (
        "/* 공통 스크립트 */\n"
        "function goTop() {\n\twindow.scrollTo(0, 0);\n}\n\n"
        "function goPage(menuNo) {\n"
        f'\tlocation.href = "{_js_string(prefix)}" + menuNo;\n'
        "}\n"
    )
    d.answers[_COMMON_JS] = d.asset(code, "application/javascript")
    head = f'<script type="text/javascript" src="{_COMMON_JS}"></script>\n'
    link = d.template.anchor(f"javascript:goPage('{value}');", d.template.link_text)
    homepage(d, [link], head=head)
    sitemap(d, [link], head=head)
    fill(d)


def script_fn_gomenu(d: Draft, reach: Reach) -> None:
    """`onclick="fn_goMenu('/main/contents.do?key=…')"`, fn_goMenu inline on the page."""
    target = policy_page(d, reach)
    head = _inline(
        "function fn_goMenu(menuUrl) {\n"
        '\tif (menuUrl == "") {\n\t\treturn false;\n\t}\n'
        "\tdocument.location.href = menuUrl;\n}"
    )
    call = f"fn_goMenu('{target}'); return false;"
    extra = f' onclick="{attr(call)}"'
    link = d.template.anchor("#", d.template.link_text, extra)
    homepage(d, [link], head=head)
    sitemap(d, [link], head=head)
    fill(d)


def script_fnlinkpage(d: Draft, reach: Reach) -> None:
    """`javascript:fnLinkPage('M0012', '2285')`, fnLinkPage inline, putting both arguments
    into the URL."""
    prefix, value = _split_value(d.paths.policy)
    joiner = "&" if "?" in prefix else "?"
    menu = f"M{d.rank + 11:04d}"
    policy_page(d, reach, target=f"{prefix}{value}{joiner}menuId={menu}")
    head = _inline(
        "function fnLinkPage(menuId, key) {\n"
        f'\tlocation.href = "{_js_string(prefix)}" + key + "{joiner}menuId=" + menuId;\n}}'
    )
    link = d.template.anchor(f"javascript:fnLinkPage('{menu}', '{value}');", d.template.link_text)
    homepage(d, [link], head=head)
    sitemap(d, [link], head=head)
    fill(d)


def script_download(d: Draft, reach: Reach) -> None:
    """The policy page links its file as `javascript:fn_egov_downFile('FILE_…','0')`, the
    function inline on the page opening the eGovFrame download URL."""
    file = d.paths.attachment
    match = _FILE_CALL.match(file)
    if match:
        prefix, call = match["prefix"], f"fn_egov_downFile('{match['id']}','{match['sn']}');"
        code = (
            "function fn_egov_downFile(atchFileId, fileSn) {\n"
            f'\twindow.open("{_js_string(prefix)}" + atchFileId + "&fileSn=" + fileSn);\n}}'
        )
    else:
        prefix, value = _split_value(file)
        call = f"fn_egov_downFile('{value}');"
        code = (
            "function fn_egov_downFile(atchFileId) {\n"
            f'\twindow.open("{_js_string(prefix)}" + atchFileId);\n}}'
        )
    policy_page(d, reach, head=_inline(code), attachment_href=f"javascript:{call}")
    fill(d)
