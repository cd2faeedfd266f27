"""Routes through the 개인정보 처리방침, and sites with no link at all: the privacy page
links a separate CCTV policy ("영상정보처리기기 운영·관리방침 보기") or carries it in a
same-page tab; a privacy page without any CCTV item on a site that links no policy; and a
site whose policy only the registry knows (`policy_url`)."""

from __future__ import annotations

from html import escape

from tests.national_web.routes.common import Reach, fill, plain_link, policy_page, privacy
from tests.national_web.site import Draft

__all__ = ["override", "privacy_link", "privacy_tab", "privacy_without_cctv"]


def privacy_link(d: Draft, reach: Reach) -> None:
    """Two steps: the homepage links only the 개인정보 처리방침, whose CCTV article says the
    policy is published apart and links it."""
    target = policy_page(d, reach)
    button = plain_link(d, target, "영상정보처리기기 운영·관리방침 보기")
    privacy(
        d,
        after=(
            "<h3>제12조 영상정보처리기기의 설치·운영</h3>"
            f"<p>{escape(d.facts.short_name)}의 영상정보처리기기 운영·관리에 관한 사항은 "
            "별도의 방침으로 정하여 공개하고 있습니다.</p>"
            f'<p class="btn_wrap">{button}</p>'
        ),
    )
    fill(d, [])


def privacy_tab(d: Draft, reach: Reach) -> None:
    """The 개인정보 처리방침 page has two tabs; the second, hidden until clicked, is the CCTV
    policy in full."""
    paths = d.paths
    tabs = (
        '<ul class="tab_list" role="tablist">'
        '<li class="on"><a href="#tab1" role="tab" aria-selected="true">개인정보 처리방침</a></li>'
        '<li><a href="#tab2" role="tab" aria-selected="false">영상정보처리기기 운영·관리방침</a>'
        "</li></ul>"
    )
    text = d.template.privacy(d.facts, "")
    body = (
        f'{tabs}<div id="tab1" class="tab_cont on" role="tabpanel">{text}</div>'
        '<div id="tab2" class="tab_cont" role="tabpanel" style="display:none">'
        f"{d.policy_body(d.facts)}</div>"
    )
    d.answers[paths.privacy] = d.page("개인정보 처리방침", body)
    file = d.inventory(d.facts)
    reach.current(d.page_cameras(d.facts), paths.privacy, d.facts, file)
    fill(d, [])


def privacy_without_cctv(d: Draft, reach: Reach) -> None:
    """No CCTV policy anywhere: the 개인정보 처리방침 has no CCTV item and nothing links one."""
    fill(d, [])


def override(d: Draft, reach: Reach) -> None:
    """Nothing on the site links the policy; the registry row names its URL."""
    policy_page(d, reach)
    fill(d, [])
