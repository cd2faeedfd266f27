"""Pages that look like the policy and are not, and sites that show nothing to a crawler:
a notice post about the policy listed before the footer link, a stale footer link to an
error page served with status 200, a menu landing page that only links the policy, an
empty script shell, a login page; a policy drawn by script from a JSON endpoint; a server
that answers 403 to non-browser clients; a "browser not supported" page."""

from __future__ import annotations

import json
from html import escape

from tests.national_web.routes.common import (
    Reach,
    fill,
    homepage,
    plain_link,
    policy_page,
)
from tests.national_web.site import Answer, Draft
from tests.national_web.templates import attr, sections

__all__ = [
    "blocked_ua",
    "browser_unsupported",
    "decoy_error200",
    "decoy_js_shell",
    "decoy_login",
    "decoy_news",
    "decoy_wrapper",
    "js_rendered",
]

_POLICY_JS = "/static/js/cctvPolicy.js"
_POLICY_API = "/api/policy/cctv.json"
_SHELL_JS = "/cctv/static/js/main.4e2b7c.js"

# The policy drawn in the browser: the same headings and inventory table as the templates.
_RENDER_JS = """/* 영상정보처리기기 운영·관리방침: 본문을 API에서 불러와 그립니다. */
(function () {
  "use strict";
  var POLICY_API = "%s";
  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function render(data) {
    var html = "<h3>" + esc(data.title) + "</h3>";
    data.sections.forEach(function (section) {
      html += "<h4>" + esc(section.heading) + "</h4><ul>";
      section.items.forEach(function (item) { html += "<li>" + esc(item) + "</li>"; });
      html += "</ul>";
    });
    html += '<table class="tbl"><caption>영상정보처리기기 설치 현황</caption><thead><tr>' +
      "<th>관리부서</th><th>설치목적</th><th>설치장소</th><th>설치대수</th>" +
      "<th>촬영시간</th><th>보관기간</th></tr></thead><tbody>";
    data.inventory.forEach(function (row) {
      html += "<tr><td>" + [row.dept, row.purpose, row.place, row.count, row.hours,
        row.kept].map(esc).join("</td><td>") + "</td></tr>";
    });
    html += "</tbody></table>";
    html += '<p class="file"><a href="' + esc(data.file.url) + '" class="file_down">' +
      esc(data.file.name) + "</a></p>";
    document.getElementById("policyApp").innerHTML = html;
  }
  document.addEventListener("DOMContentLoaded", function () {
    fetch(POLICY_API, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(render);
  });
})();
"""

_SHELL = """(function () {
  var root = document.getElementById("root");
  root.innerHTML = '<div class="ready"><p>서비스 준비 중입니다.</p>' +
    '<p><a href="/">처음으로</a></p></div>';
})();
"""


def decoy_news(d: Draft, reach: Reach) -> None:
    """The main page's notices list "… 개정 안내" before the footer's policy link; the notice
    mentions the policy and links it, but is not it."""
    target = policy_page(d, reach)
    name = d.template.link_text
    notice = "/bbs/view.do?bbsId=BBSMSTR_000000000001&nttId=4410"
    d.answers[notice] = d.page(
        f"{name} 개정 안내",
        f'<div class="board_view"><h3>{escape(name)} 개정 안내</h3>'
        f'<p class="date">{d.facts.effective:%Y-%m-%d}</p><div class="cont">'
        f"<p>「{escape(name)}」이 개정되어 {d.facts.effective:%Y년 %m월 %d일}부터 시행됨을 "
        "알려드립니다.</p><p>주요 개정 내용: 방범용 CCTV 설치 현황 현행화</p>"
        f'<p><a href="{attr(target)}">{escape(name)} 바로가기</a></p></div></div>',
    )
    reach.not_policies.append(notice)
    news = (
        '<div class="main_notice"><h3>공지사항</h3><ul>'
        f'<li><a href="{attr(notice)}">{escape(name)} 개정 안내</a>'
        f'<span class="date">{d.facts.effective:%Y-%m-%d}</span></li>'
        '<li><a href="/bbs/view.do?bbsId=BBSMSTR_000000000001&amp;nttId=4409">'
        "주민참여예산 공모 안내</a></li></ul></div>\n"
    )
    homepage(d, [plain_link(d)], news=news)
    fill(d)


def decoy_error200(d: Draft, reach: Reach) -> None:
    """The footer still links the policy's old address, now an error page sent with status
    200; the sitemap links the policy where it is now."""
    stale = "/board/cctv_policy.jsp"
    d.answers[stale] = d.page(
        "페이지를 찾을 수 없습니다",
        '<div class="error_page"><h2>요청하신 페이지를 찾을 수 없습니다.</h2>'
        "<p>방문하시려는 페이지의 주소가 잘못 입력되었거나, 변경 혹은 삭제되어 요청하신 "
        '페이지를 찾을 수 없습니다.</p><p><a href="/">메인으로</a></p></div>',
    )
    reach.not_policies.append(stale)
    policy_page(d, reach)
    homepage(d, [plain_link(d, stale)])
    fill(d)


def decoy_wrapper(d: Draft, reach: Reach) -> None:
    """The footer link opens a menu landing page titled like the policy that only links
    the full text."""
    landing = "/privacy/cctvIndex.do"
    target = policy_page(d, reach, target=f"/privacy/cctvPolicy.do?menuNo={d.rank + 301}")
    name = d.template.link_text
    d.answers[landing] = d.page(
        name,
        f'<h3>{escape(name)}</h3><div class="menu_guide"><p>아래 메뉴를 선택하여 주십시오.</p>'
        f'<ul class="sub_menu_list"><li><a href="{attr(target)}">{escape(name)} 전문 보기</a>'
        f'</li><li><a href="{attr(d.paths.privacy)}">개인정보 처리방침</a></li></ul></div>',
    )
    reach.not_policies.append(landing)
    fill(d, [plain_link(d, landing)])


def decoy_js_shell(d: Draft, reach: Reach) -> None:
    """The footer link opens an empty single-page-app shell whose script draws only
    "서비스 준비 중"; the sitemap links the policy."""
    shell = "/cctv/index.html"
    d.answers[shell] = d.document(
        d.bare(
            d.template.link_text,
            '<div id="root"></div>\n<noscript>You need to enable JavaScript to run this app.'
            "</noscript>",
            f'<script src="{_SHELL_JS}" defer></script>\n',
        )
    )
    d.answers[_SHELL_JS] = d.asset(_SHELL, "application/javascript")
    reach.not_policies.append(shell)
    policy_page(d, reach)
    homepage(d, [plain_link(d, shell)])
    fill(d)


def decoy_login(d: Draft, reach: Reach) -> None:
    """Every link named like the policy opens a login form (status 200); the site
    publishes no policy a visitor can read."""
    login = "/member/login.do?returnUrl=%2Fcctv%2Fpolicy.do"
    d.answers[login] = d.page(
        "로그인",
        '<div class="login_box"><h3>로그인</h3><p>로그인이 필요한 서비스입니다.</p>'
        '<form action="/member/loginProc.do" method="post">'
        '<label for="userId">아이디</label><input type="text" id="userId" name="userId">'
        '<label for="userPw">비밀번호</label><input type="password" id="userPw" name="userPw">'
        '<button type="submit">로그인</button></form></div>',
    )
    reach.not_policies.append(login)
    fill(d, [plain_link(d, login)])


def js_rendered(d: Draft, reach: Reach) -> None:
    """The policy page is an empty container, a `<noscript>` notice and a script that
    fetches the text from a JSON endpoint and draws it."""
    target = d.paths.policy
    file = d.inventory(d.facts)
    data = {
        "title": d.template.link_text,
        "sections": [{"heading": h, "items": items} for h, items in sections(d.facts)],
        "inventory": [
            dict(zip(("dept", "purpose", "place", "count", "hours", "kept"), item, strict=True))
            for item in d.facts.inventory
        ],
        "file": {"url": file, "name": f"{d.facts.short_name} 영상정보처리기기 설치현황"},
    }
    d.answers[_POLICY_API] = d.asset(
        json.dumps(data, ensure_ascii=False), "application/json; charset=UTF-8"
    )
    d.answers[_POLICY_JS] = d.asset(_RENDER_JS % _POLICY_API, "application/javascript")
    d.answers[target] = d.page(
        d.template.link_text,
        '<div id="policyApp" class="policy_app"></div>\n<noscript><p>이 페이지는 '
        "자바스크립트로 내용을 표시합니다. 브라우저의 자바스크립트 사용을 허용해 주십시오."
        "</p></noscript>",
        head=f'<script type="text/javascript" src="{_POLICY_JS}" defer></script>\n',
    )
    reach.current(d.facts.total, target, d.facts, file)  # as drawn by a browser
    fill(d)


def blocked_ua(d: Draft, reach: Reach) -> None:
    """A firewall in front of the site answers 403 to every client that is not a browser;
    browsers get a site with the usual link."""
    policy_page(d, reach)
    fill(d)
    body = (
        "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>"
        "<h1>Forbidden</h1><p>You don't have permission to access this resource.</p>"
        "</body></html>"
    )
    d.gate = ("block", Answer(status=403, body=body.encode("ascii")))


def browser_unsupported(d: Draft, reach: Reach) -> None:
    """Clients that are not browsers get a "browser not supported" page (status 200) for
    every page; browsers get a site with the usual link."""
    policy_page(d, reach)
    fill(d)
    page = d.page(
        "브라우저 업데이트 안내",
        '<div class="browser_notice"><h2>브라우저 업데이트 안내</h2>'
        "<p>현재 사용 중인 브라우저에서는 누리집을 이용하실 수 없습니다.</p>"
        "<p>Chrome, Edge, Firefox, Whale 등 최신 브라우저를 이용해 주시기 바랍니다.</p></div>",
    )
    d.gate = ("unsupported", page)
