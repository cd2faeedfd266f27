"""Routes where earlier versions sit beside the policy in force, and must never be counted
with it: a version list as a `<select>`, dated items whose date is in a sibling element, an
"이전 방침" button; and policies published only as board posts with the policy as an
attachment (hwp, hwpx, pdf, xlsx; some downloaded through a script call), where older posts
of the same title are earlier versions."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from tests.national_web.files import DOCUMENT_KINDS, policy_document
from tests.national_web.routes.common import (
    Reach,
    earlier_facts,
    fill,
    plain_link,
    policy_page,
    with_query,
)
from tests.national_web.site import Draft
from tests.national_web.templates import Facts, attr

__all__ = ["board", "earlier_button", "earlier_dated", "earlier_select"]

_BOARD = "BBSMSTR_000000000091"


def _since(facts: Facts) -> str:
    return f"{facts.effective:%Y.%m.%d.}"


def _until(later: Facts) -> str:
    return f"{later.effective - timedelta(days=1):%Y.%m.%d.}"


def _versions(d: Draft, parameter: str, count: int) -> list[tuple[str, Facts]]:
    """(target, facts) of the policy in force, then of `count` earlier versions."""
    earlier = [
        (with_query(d.paths.policy, f"{parameter}={count + 1 - n}"), earlier_facts(d.facts, n))
        for n in range(1, count + 1)
    ]
    return [(d.paths.policy, d.facts), *earlier]


def _period(versions: list[tuple[str, Facts]], index: int) -> str:
    since = _since(versions[index][1])
    return f"{since} ~ 현재" if index == 0 else f"{since} ~ {_until(versions[index - 1][1])}"


def earlier_select(d: Draft, reach: Reach) -> None:
    """A `<select>` of versions above the text, each option the URL of a version."""
    versions = _versions(d, "ver", 2)
    for shown, (target, facts) in enumerate(versions):
        options = "".join(
            f'<option value="{attr(t)}"{" selected" if i == shown else ""}>'
            f"{_period(versions, i)}</option>"
            for i, (t, _) in enumerate(versions)
        )
        picker = (
            '<div class="policy_ver"><label for="policyVer">시행일자</label>'
            '<select id="policyVer" name="policyVer" title="이전 방침 선택" '
            f'onchange="location.href=this.value;">{options}</select></div>'
        )
        policy_page(d, reach, facts, target=target, before=picker, current=shown == 0)
    fill(d)


def earlier_dated(d: Draft, reach: Reach) -> None:
    """A revision history under the text: each earlier version a link named like the
    policy, its dates in a sibling element (a `<span>` beside it, or another cell)."""
    versions = _versions(d, "seq", 2)
    name = escape(d.template.link_text)
    if d.rank % 2 == 0:
        items = "".join(
            f'<li><span class="date">{_period(versions, i)}</span> '
            f'<a href="{attr(t)}">{name}</a></li>'
            for i, (t, _) in enumerate(versions)
            if i
        )
        history = f'<ul class="list_history">{items}</ul>'
    else:
        rows = "".join(
            f'<tr><td>{len(versions) - i}</td><td class="subject"><a href="{attr(t)}">{name}</a>'
            f"</td><td>{_period(versions, i)}</td></tr>"
            for i, (t, _) in enumerate(versions)
            if i
        )
        history = (
            '<table class="bbs_list"><thead><tr><th>번호</th><th>제목</th><th>시행기간</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    block = f'<div class="history"><h4>{name} 개정 이력</h4>{history}</div>'
    for shown, (target, facts) in enumerate(versions):
        policy_page(d, reach, facts, target=target, after=block, current=shown == 0)
    fill(d)


def earlier_button(d: Draft, reach: Reach) -> None:
    """An "이전 방침" button below the text (a link, or a button with an onclick); the
    earlier version links back to the policy in force."""
    (current, facts), (earlier, older) = _versions(d, "ver", 1)
    if d.rank % 2 == 0:
        button = (
            f'<a href="{attr(earlier)}" class="btn btn_prev" '
            f'title="이전 {attr(d.template.link_text)} 보기">이전 방침 보기</a>'
        )
    else:
        call = f"location.href='{earlier}'"
        button = (
            f'<button type="button" class="btn_prev" onclick="{attr(call)}">'
            f"이전 {escape(d.template.link_text)} 보기</button>"
        )
    policy_page(d, reach, facts, after=f'<div class="btn_area">{button}</div>')
    back = f'<div class="btn_area"><a href="{attr(current)}" class="btn">현행 방침 보기</a></div>'
    policy_page(d, reach, older, target=earlier, after=back, current=False)
    fill(d)


def _board_page(d: Draft, title: str, body: str) -> str:
    return (
        f'<div class="board_view"><table class="bbs_view"><caption>{escape(title)}</caption>'
        f"<tbody>{body}</tbody></table></div>"
    )


def board(d: Draft, reach: Reach) -> None:
    """The footer link opens a board; its newest post carries the policy as a file, an
    older post of the same title the earlier version, and a notice mentions CCTV."""
    kind = DOCUMENT_KINDS[d.rank % len(DOCUMENT_KINDS)]
    scripted = d.rank % 2 == 1
    title = d.template.link_text
    listing = f"/bbs/list.do?bbsId={_BOARD}"
    posts = []
    for step, facts in ((0, d.facts), (1, earlier_facts(d.facts, 1))):
        ntt = 2000 + 37 * d.rank + (2 - step)
        view = f"/bbs/view.do?bbsId={_BOARD}&nttId={ntt}"
        file_id = f"{facts.file_id}B"
        download = f"/cmm/fms/FileDown.do?atchFileId={file_id}&fileSn=0"
        document = policy_document(facts, kind)
        d.download(download, document)
        href = f"javascript:fn_egov_downFile('{file_id}','0');" if scripted else download
        rows = (
            f'<tr><th scope="row">제목</th><td>{escape(title)}</td></tr>'
            f'<tr><th scope="row">작성일</th><td>{facts.effective:%Y-%m-%d}</td></tr>'
            '<tr><th scope="row">첨부파일</th><td>'
            f'<a href="{attr(href)}" class="file">{escape(document.name)}</a></td></tr>'
            '<tr><td colspan="2" class="cont">'
            f"{escape(d.facts.short_name)}의 {escape(title)}을 붙임과 같이 게시합니다.</td></tr>"
        )
        head = (
            '<script type="text/javascript">\nfunction fn_egov_downFile(atchFileId, fileSn) {\n'
            '\twindow.open("/cmm/fms/FileDown.do?atchFileId=" + atchFileId + "&fileSn=" + '
            "fileSn);\n}\n</script>\n"
        )
        d.answers[view] = d.page(title, _board_page(d, title, rows), head=head)
        if step == 0:
            reach.current(0, view, facts, download)
        else:
            reach.earlier.append(view)
            reach.earlier_files.append(download)
        posts.append((view, facts))
    notice = f"/bbs/view.do?bbsId={_BOARD}&nttId={1000 + d.rank}"
    d.answers[notice] = d.page(
        "방범용 CCTV 추가 설치 안내",
        _board_page(
            d,
            "방범용 CCTV 추가 설치 안내",
            '<tr><th scope="row">제목</th><td>방범용 CCTV 추가 설치 안내</td></tr>'
            '<tr><td colspan="2" class="cont">주민 안전을 위하여 어린이보호구역에 방범용 '
            "CCTV를 추가로 설치할 예정입니다.</td></tr>",
        ),
    )
    reach.not_policies += [listing, notice]
    rows = "".join(
        f'<tr><td>{3 - i}</td><td class="subject"><a href="{attr(view)}">{escape(title)}</a></td>'
        f'<td><img src="/images/ico_file.gif" alt="첨부파일"></td>'
        f"<td>{facts.effective:%Y-%m-%d}</td><td>{120 + 31 * i}</td></tr>"
        for i, (view, facts) in enumerate(posts)
    )
    rows += (
        f'<tr><td>1</td><td class="subject"><a href="{attr(notice)}">방범용 CCTV 추가 설치 안내'
        "</a></td><td></td><td>2020-05-11</td><td>402</td></tr>"
    )
    d.answers[listing] = d.page(
        title,
        f"<h3>{escape(title)}</h3>"
        '<table class="bbs_list"><caption>게시물 목록</caption><thead><tr><th>번호</th>'
        f"<th>제목</th><th>첨부</th><th>작성일</th><th>조회</th></tr></thead><tbody>{rows}"
        "</tbody></table>",
    )
    fill(d, [plain_link(d, listing)])
