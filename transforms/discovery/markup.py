"""Everything a page offers a person clicking through it, read from its markup: links
written as `<a href>`, as images (alt text, image maps), as script (`onclick`,
`javascript:`), its frames, the redirect a script does on load, the scripts it links, and
the text a reader sees.

Link text is what a person reads: the element's text, else an image's alt, else `title`
or `aria-label`. A link's context is its list item or table row (where a version's date
sits beside it), so that earlier versions can be told from the policy in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from domain.text import fold
from transforms.discovery.scripts import Call, Helper, calls, helpers, navigations, resolve

_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False, no_network=True)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "select"})
_ITEMS = frozenset({"li", "tr", "dd", "dt", "option"})
_LINK_TAGS = frozenset({"a", "area"})
_NOT_A_LINK = ("mailto:", "tel:", "sms:")
MAX_LINKS = 5000  # links read per page: a page of a million links costs no more than this
MAX_INLINE_SCRIPT = 256 * 1024
_CONTEXT_CHARS = 300
_DATA_URLS = ("data-url", "data-href", "data-link")
_APP_MOUNTS = frozenset({"app", "root", "__next", "__nuxt", "wrap-app"})


@dataclass(frozen=True)
class Link:
    """A way to another page: `url` is joined against the page (None while it waits for
    a script helper the page does not define); `how` says how the page wrote it."""

    url: str | None
    text: str
    context: str
    how: str  # link | image_link | script_link
    call: Call | None = None


@dataclass
class Page:
    url: str
    base: str = ""  # what its relative links join against (<base href>, else its URL)
    title: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # frame and iframe sources
    frameset: bool = False
    redirects: list[str] = field(default_factory=list)  # where its scripts go on load
    scripts: list[str] = field(default_factory=list)  # linked <script src>
    inline_js: str = ""
    text: str = ""  # what a reader sees, link texts left out
    link_text: str = ""
    noscript: str = ""
    has_password: bool = False
    app_mount: bool = False  # an empty <div id="app"> a script fills
    helpers: dict[str, Helper] = field(default_factory=dict)  # defined by its own scripts


def parse(html: str) -> etree._Element:
    root = etree.fromstring(html, _PARSER) if html.strip() else None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _PARSER)
    return root


def _join(base: str, href: str) -> str:
    """The absolute URL; as written when it is too broken to join (the spider refuses it
    with a crawl-log event)."""
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return href.strip()


def _text(el: etree._Element, limit: int = 2000) -> str:
    """The element's text as a reader sees it (scripts and styles left out), up to about
    `limit` characters: a link's name or its list item never needs more, and a hostile
    list item holding thousands of links then costs each link no more than that."""
    parts: list[str] = []
    size = 0
    hidden = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        skip = node is not el and node.tag in ("script", "style")
        if event == "start":
            hidden += skip
            if not hidden and node.text:
                parts.append(node.text)
                size += len(node.text)
        else:
            hidden -= skip
            if not hidden and node is not el and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
        if size > limit:
            break
    return fold(" ".join(parts))[:limit]


def _label(el: etree._Element) -> tuple[str, bool]:
    """(the link's text, whether the link is an image: an image map's area, or an image
    with no text beside it, named by its alt or the link's title or aria-label)."""
    own = _text(el)
    if own:
        return own, False
    images = [img for img in el.iter("img", "input") if img.tag == "img" or img.get("src")]
    alts = [img.get("alt", "") for img in images if img.get("alt")]
    if el.tag in ("area", "img") and el.get("alt"):
        alts.insert(0, el.get("alt", ""))
    is_image = bool(images) or el.tag == "area"
    if alts:
        return fold(" ".join(alts)), True
    for attr in ("title", "aria-label", "value"):
        if el.get(attr):
            return fold(el.get(attr, "")), is_image
    return "", is_image


def _context(el: etree._Element) -> str:
    """The link's list item or table row; else its parent's own text and the element right
    after it (a date in a sibling <span>), with the title attribute."""
    title = el.get("title", "")
    node = el.getparent()
    for _ in range(4):
        if node is None:
            break
        if isinstance(node.tag, str) and node.tag in _ITEMS:
            return fold(f"{title} {_text(node)}")[:_CONTEXT_CHARS]
        node = node.getparent()
    parent = el.getparent()
    pieces = [title]
    if parent is not None:
        pieces += [parent.text or "", el.tail or ""]
        sibling = el.getnext()
        if sibling is not None and isinstance(sibling.tag, str):
            pieces.append(_text(sibling))
    return fold(" ".join(pieces))[:_CONTEXT_CHARS]


def _script_link(base: str, js: str, text: str, context: str) -> list[Link]:
    """A handler's navigation (`location.href='…'`, `window.open('…')`), else its calls,
    which wait for the helpers that give them a URL."""
    direct = navigations(js)
    if direct:
        return [Link(_join(base, direct[0]), text, context, "script_link")]
    return [Link(None, text, context, "script_link", c) for c in calls(js)]


def _links(root: etree._Element, base: str) -> list[Link]:
    links: list[Link] = []
    for el in root.iter():
        if len(links) >= MAX_LINKS:
            break
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        href = (el.get("href") or "").strip() if tag in _LINK_TAGS else ""
        onclick = (el.get("onclick") or "").strip()
        data_url = next((el.get(a) for a in _DATA_URLS if el.get(a)), "")
        if tag not in _LINK_TAGS and not onclick:
            continue
        if href.lower().startswith(_NOT_A_LINK):
            continue
        text, from_image = _label(el)
        context = _context(el)
        scripted = not href or href.startswith("#") or href.lower().startswith("javascript:")
        if not scripted:
            how = "image_link" if from_image else "link"
            links.append(Link(_join(base, href), text, context, how))
        elif data_url:
            links.append(Link(_join(base, data_url), text, context, "script_link"))
        else:
            js = href[len("javascript:") :] if href.lower().startswith("javascript:") else ""
            found = _script_link(base, js, text, context) if js.strip() else []
            if not found and onclick:
                found = _script_link(base, onclick, text, context)
            links.extend(found)
    return links


def _walk_text(root: etree._Element) -> tuple[str, str]:
    """(the text a reader sees outside links, the text of links), in one walk."""
    body = root.find("body")
    start = body if body is not None else root
    outside: list[str] = []
    inside: list[str] = []
    hidden = 0
    in_link = 0
    for event, el in etree.iterwalk(start, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            if el.tag in _HIDDEN:
                hidden += 1
            elif el.tag in _LINK_TAGS:
                in_link += 1
            if not hidden and el.text:
                (inside if in_link else outside).append(el.text)
        else:
            if el.tag in _HIDDEN:
                hidden -= 1
            elif el.tag in _LINK_TAGS:
                in_link -= 1
            if not hidden and el.tail and el is not start:
                (inside if in_link else outside).append(el.tail)
    return fold(" ".join(outside)), fold(" ".join(inside))


def read_page(html: str, url: str) -> Page:
    """Read a page for discovery: its links (script ones resolved through the helpers its
    own scripts define), frames, redirect, scripts and visible text."""
    root = parse(html)
    base_el = root.find(".//base[@href]")
    base = _join(url, base_el.get("href", "")) if base_el is not None else url
    page = Page(url=url, base=base)
    title = root.find(".//title")
    page.title = _text(title) if title is not None else ""
    page.headings = [_text(h) for h in root.iter("h1", "h2", "h3", "h4")][:50]
    inline: list[str] = []
    size = 0
    for script in root.iter("script"):
        src = (script.get("src") or "").strip()
        if src:
            page.scripts.append(_join(base, src))
        elif script.text and size < MAX_INLINE_SCRIPT:
            inline.append(script.text[: MAX_INLINE_SCRIPT - size])
            size += len(inline[-1])
    page.inline_js = "\n;\n".join(inline)
    page.helpers = helpers(page.inline_js)
    page.redirects = [_join(base, u) for u in navigations(page.inline_js, top_level=True)]
    page.frameset = root.find(".//frameset") is not None
    for frame in root.iter("frame", "iframe"):
        src = (frame.get("src") or "").strip()
        if src and not src.lower().startswith(("javascript:", "about:")):
            joined = _join(base, src).split("#", 1)[0]
            if joined not in page.frames:
                page.frames.append(joined)
    page.text, page.link_text = _walk_text(root)
    page.noscript = fold(" ".join(_text(n) for n in root.iter("noscript")))
    page.has_password = any((i.get("type") or "").lower() == "password" for i in root.iter("input"))
    page.app_mount = any(
        (el.get("id") or "").lower() in _APP_MOUNTS and not _text(el) for el in root.iter("div")
    )
    page.links = resolve_links(_links(root, base), page.helpers, base)
    return page


def resolve_links(
    links: list[Link], known: dict[str, Helper], base: str, *, guess: bool = False
) -> list[Link]:
    """Script calls given their URL where `known` helpers (the page's own, or those of
    scripts the site links) say it; with `guess`, where an argument is itself an address
    (only once the site's scripts are read: the helper may put a prefix before it). Others
    stay unresolved."""
    out = []
    for link in links:
        if link.url is None and link.call is not None:
            url = resolve(link.call, known, guess=guess)
            if url:
                link = Link(_join(base, url), link.text, link.context, link.how, link.call)
        out.append(link)
    return out


_APP_SCRIPT = re.compile(
    r"\$\.(ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|\.load\s*\(\s*['\"]",
)


def loads_content_by_script(page: Page) -> bool:
    """The page asks a server for data from its scripts (XHR, fetch, $.ajax, .load)."""
    return bool(_APP_SCRIPT.search(page.inline_js))
