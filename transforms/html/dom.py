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
    text = _JSP.sub("", text)
    root = etree.fromstring(text, _PARSER) if text.strip() else None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _PARSER)
    for el in list(root.iter(*_DROP_TAGS)):
        drop(el)
    return root


def text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


def drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
