"""The few tree operations the HTML readers need, on plain lxml elements.

lxml.html's element classes cost a class lookup per node visited; policy pages are walked
several times, so the plain etree parser with these helpers reads the same tree faster.
"""

from __future__ import annotations

import re

from lxml import etree

# Page sources as committed by site developers: JSP directives and EL expressions.
_JSP = re.compile(r"<%.*?%>|\$\{[^}<>]*\}", re.S)
# Not <form> (some CMSs wrap the whole page in one) and not <button> (accordions put their
# section titles in one).
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "svg",
    "select",
    "input",
    "textarea",
)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False, no_network=True)


def parse_html(text: str) -> etree._Element:
    """A tree with scripts, styles and form controls removed (they are never content)."""
    if "<%" in text or "${" in text:  # a scan of the whole page costs a third of parsing it
        text = _JSP.sub("", text)
    root = etree.fromstring(text, _PARSER) if text and not text.isspace() else None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _PARSER)
    drop_all(list(root.iter(*_DROP_TAGS)))
    return root


def stopped_at_depth_limit() -> bool:
    """Whether the last `parse_html` stopped where libxml2 stops nesting (256 levels; lifting
    it is what hostile pages want): everything past that point is missing from the tree."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log)


def text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


def drop_all(elements: list[etree._Element]) -> None:
    """Remove elements with their subtrees but keep the text that follows each one.

    The texts around the dropped elements are joined per parent and set once: moving each
    tail onto its neighbour in turn copies the growing text again for every element
    dropped, and leaving lxml adjacent text nodes makes every later read of that text walk
    all of them; either made a page of thousands of dropped elements quadratic in its size.
    """
    doomed: dict[etree._Element, set[etree._Element]] = {}
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            doomed.setdefault(parent, set()).add(el)
    for parent, children in doomed.items():
        _drop_children(parent, children)


def _drop_children(parent: etree._Element, children: set[etree._Element]) -> None:
    keeper: etree._Element | None = None  # whose text the pieces become; None: the parent's
    pieces = [parent.text or ""]
    joined = False  # whether a dropped child's tail joined the pieces (else they stand)
    for child in list(parent):
        if child in children:
            pieces.append(child.tail or "")
            parent.remove(child)  # takes its tail along, kept in `pieces`
            joined = True
            continue
        if joined:
            _set_text(parent, keeper, pieces)
        keeper, pieces, joined = child, [child.tail or ""], False
    if joined:
        _set_text(parent, keeper, pieces)


def _set_text(parent: etree._Element, keeper: etree._Element | None, pieces: list[str]) -> None:
    text = "".join(pieces) or None
    if keeper is None:
        parent.text = text
    else:
        keeper.tail = text
