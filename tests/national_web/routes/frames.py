"""Routes through homepages that are only a way in: a script redirect (`location.href`,
`location.replace`), a meta refresh, a frameset, a full-page iframe; and policies whose
text sits in a frame (an iframe, or a frameset) of the page the link opens."""

from __future__ import annotations

from html import escape

from tests.national_web.routes.common import (
    Reach,
    fill,
    homepage,
    plain_link,
    policy_page,
)
from tests.national_web.site import Draft
from tests.national_web.templates import attr

__all__ = ["frameset", "iframe_home", "policy_in_frame", "redirect_meta", "redirect_script"]


def _stub(d: Draft, head: str, body: str = "") -> None:
    d.answers["/"] = d.document(d.bare(d.facts.name, body, head))


def redirect_script(d: Draft, reach: Reach) -> None:
    """`/` is an empty page whose script sends the browser to the real main page."""
    main = "/index.do"
    calls = (
        f'location.href = "{main}";',
        f"window.location.replace('{main}');",
        f"document.location.href='{main}';",
    )
    _stub(d, f'<script type="text/javascript">\n{calls[d.rank % 3]}\n</script>\n')
    policy_page(d, reach)
    homepage(d, [plain_link(d)], target=main)
    fill(d)


def redirect_meta(d: Draft, reach: Reach) -> None:
    """`/` is a meta refresh to the real main page."""
    main = "/main.do"
    _stub(
        d,
        f'<meta http-equiv="refresh" content="0; url={main}">\n',
        "<p>잠시만 기다려 주십시오.</p>",
    )
    policy_page(d, reach)
    homepage(d, [plain_link(d)], target=main)
    fill(d)


def frameset(d: Draft, reach: Reach) -> None:
    """`/` is a frameset: a hidden blank frame and the main page in the other."""
    main = "/main/index.html"
    d.answers["/"] = d.document(
        '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN">\n<html lang="ko">\n'
        f'<head>\n<meta http-equiv="Content-Type" content="text/html; charset={d.declared}">\n'
        f"<title>{d.facts.name}</title>\n</head>\n"
        '<frameset rows="0,*" frameborder="0" border="0">\n'
        '<frame src="/blank.html" name="hidden" title="빈 프레임" noresize scrolling="no">\n'
        f'<frame src="{main}" name="main" title="{attr(d.facts.name)} 누리집" noresize>\n'
        "</frameset>\n<noframes><body><p>프레임을 지원하는 브라우저에서 이용해 주십시오.</p>"
        "</body></noframes>\n</html>\n"
    )
    d.answers["/blank.html"] = d.document(d.bare("blank", ""))
    policy_page(d, reach)
    homepage(d, [plain_link(d)], target=main)
    fill(d)


def iframe_home(d: Draft, reach: Reach) -> None:
    """`/` holds one iframe the size of the window with the real main page."""
    main = "/portal/index.do"
    _stub(
        d,
        "<style>html, body { margin: 0; height: 100%; overflow: hidden; }</style>\n",
        f'<iframe src="{main}" name="mainFrame" id="mainFrame" title="{attr(d.facts.name)} '
        '누리집" style="width:100%;height:100%;border:0" frameborder="0"></iframe>',
    )
    policy_page(d, reach)
    homepage(d, [plain_link(d)], target=main)
    fill(d)


def policy_in_frame(d: Draft, reach: Reach) -> None:
    """The policy link opens a page whose content is a frame: the policy's text is the
    framed document (uploaded HTML), not the page around it. The page is the site's chrome
    around an iframe, or (every other site) a frameset of a menu frame and the text."""
    wrapper = d.paths.policy
    content = f"/upload/html/cctv_policy_{d.rank + 1:02d}.html"
    title = d.template.link_text
    d.answers[content] = d.document(d.bare(title, d.policy_body(d.facts)))
    file = d.inventory(d.facts)
    reach.current(d.page_cameras(d.facts), content, d.facts, file)
    if d.rank % 2 == 0:
        d.answers[wrapper] = d.page(
            title,
            f'<h3>{escape(title)}</h3><div class="iframe_wrap"><iframe src="{content}" '
            f'title="{attr(title)}" width="100%" height="3000" frameborder="0" scrolling="no">'
            "</iframe></div>",
        )
    else:
        menu = "/inc/policy_top.html"
        d.answers[menu] = d.document(
            d.bare(d.facts.name, f'<p><a href="/" target="_top">{escape(d.facts.name)}</a></p>')
        )
        d.answers[wrapper] = d.document(
            '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN">\n<html lang="ko">\n'
            f'<head>\n<meta http-equiv="Content-Type" content="text/html; charset={d.declared}">'
            f"\n<title>{escape(title)}</title>\n</head>\n"
            '<frameset rows="60,*" frameborder="0" border="0">\n'
            f'<frame src="{menu}" name="top" title="메뉴" scrolling="no" noresize>\n'
            f'<frame src="{content}" name="body" title="{attr(title)}">\n</frameset>\n</html>\n'
        )
    reach.not_policies.append(wrapper)
    fill(d)
