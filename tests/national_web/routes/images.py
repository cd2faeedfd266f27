"""Routes through links without text: a banner image whose alt names the policy, an image
link named only by its title, an icon link named by aria-label, and a footer drawn as one
image with an image map (`<map><area href alt>`). The sitemap of these sites lists the
main menu only, without the policy."""

from __future__ import annotations

from html import escape

from tests.national_web.routes.common import GIF, Reach, fill, homepage, policy_page
from tests.national_web.site import Draft
from tests.national_web.templates import attr

__all__ = ["aria_label", "image_alt", "image_map", "image_title"]

_BANNER = "/images/common/foot_cctv.gif"
_FOOTER_IMAGE = "/images/common/foot_menu.gif"


def _image(d: Draft, target: str) -> str:
    d.answers[target] = d.asset(GIF, "image/gif")
    return target


def image_alt(d: Draft, reach: Reach) -> None:
    """`<a href><img alt="영상정보처리기기 운영·관리 방침"></a>`: the alt is the only text."""
    target = policy_page(d, reach)
    image = _image(d, _BANNER)
    link = (
        f'<a href="{attr(target)}" target="_blank">'
        f'<img src="{image}" alt="{attr(d.template.link_text)}" width="160" height="40"></a>'
    )
    homepage(d, [link])
    fill(d, [])


def image_title(d: Draft, reach: Reach) -> None:
    """An image link whose image has an empty alt: only the link's title names it."""
    target = policy_page(d, reach)
    image = _image(d, _BANNER)
    title = f"{d.template.link_text} 바로가기(새창)"
    link = (
        f'<a href="{attr(target)}" title="{attr(title)}" target="_blank">\n'
        f'\t<img src="{image}" alt="">\n</a>'
    )
    homepage(d, [link])
    fill(d, [])


def aria_label(d: Draft, reach: Reach) -> None:
    """An icon-font link: no text, no image, the name in aria-label."""
    target = policy_page(d, reach)
    link = (
        f'<a href="{attr(target)}" class="btn_cctv" aria-label="{attr(d.template.link_text)}">'
        '<i class="ico ico-cctv" aria-hidden="true"></i></a>'
    )
    homepage(d, [link])
    fill(d, [])


def image_map(d: Draft, reach: Reach) -> None:
    """The whole footer menu is one image; its areas carry the links and their names."""
    target = policy_page(d, reach)
    image = _image(d, _FOOTER_IMAGE)
    paths = d.paths
    areas = (
        ("0,0,140,30", paths.privacy, "개인정보처리방침"),
        ("150,0,330,30", target, d.template.link_text),
        ("340,0,420,30", "/terms.do", "이용약관"),
        ("430,0,520,30", paths.sitemap, "사이트맵"),
    )
    spots = "".join(
        f'<area shape="rect" coords="{coords}" href="{attr(href)}" alt="{escape(alt)}">'
        for coords, href, alt in areas
    )
    footer = (
        f'<div id="footer"><img src="{image}" usemap="#footMenu" alt="하단 메뉴" '
        f'width="520" height="30"><map name="footMenu" id="footMenu">{spots}</map></div>'
    )
    homepage(d, [], footer=footer)
    fill(d, [])
