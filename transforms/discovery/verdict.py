"""Is this page the policy? A page reached through a link named like the policy may be a
wrapper around it (frames, a script redirect, a list of the institution's policies), a
board post whose policy is the attached file, or no policy at all: a login page, an error
page served with status 200, a "browser not supported" page, an empty shell that script
fills. Only a page that sets out the policy (or a post that carries it as a file) is
accepted; every other kind is named, so that discovery can go on from it and a miss can
say why.

The spider and the build both ask `judge`, on the same archived bytes, so a page the crawl
did not take as the policy is never stored as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.discovery.markup import Page, loads_content_by_script, read_page
from transforms.encoding import decode_html
from transforms.links import (
    has_cctv_policy,
    is_attachment_link,
    mentions,
    names_file,
    names_policy,
    policy_link_score,
    term_key,
)
from transforms.sniff import sniff_kind

# Below this many letters of text outside links, a page shows nothing but its chrome.
THIN_CHARS = 400
ACCEPTED = frozenset({"policy", "board_post", "document"})
# Kinds that lead on to the policy: discovery follows them, they are not findings.
WRAPPERS = frozenset({"frames", "redirect", "landing"})
_DOWNLOAD_HELPER = ("down", "file", "attach")


@dataclass(frozen=True)
class Verdict:
    """What a page is: `kind` (policy, board_post, document, frames, redirect, landing, needs_js,
    browser_block, login, error_page, empty, not_a_policy); `reason`, for a page that is
    neither accepted nor a wrapper, the finding it is reported as."""

    kind: str
    detail: str
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.kind in ACCEPTED


def _thin(page: Page) -> bool:
    return len(term_key(page.text)) < THIN_CHARS


def file_links(page: Page) -> int:
    """Links to files: by URL or name, or a download helper's call (fn_egov_downFile)
    that waits for the site's script."""
    count = 0
    for link in page.links:
        if link.url is not None and is_attachment_link(link.url, link.text):
            count += 1
        elif link.url is None and link.call is not None:
            name = link.call.name.lower()
            if names_file(link.text) or any(w in name for w in _DOWNLOAD_HELPER):
                count += 1
    return count


def judge(page: Page) -> Verdict:
    """The verdict on one page, from its own content only (never from how it was found)."""
    if has_cctv_policy(page.text):
        return Verdict("policy", "sets out the CCTV items")
    named = names_policy(page.title) or any(names_policy(h) for h in page.headings)
    named = named or names_policy(page.text[:2000])
    if named and file_links(page):
        return Verdict("board_post", "names the policy and attaches it as a file")
    thin = _thin(page)
    if page.has_password or (thin and mentions(page.text, "login")):
        return Verdict("login", "a login page", "not_a_policy")
    if thin and mentions(f"{page.title} {page.text}", "error_page"):
        return Verdict("error_page", "an error page served as a page", "not_a_policy")
    if thin and mentions(f"{page.text} {page.noscript}", "browser_block"):
        return Verdict(
            "browser_block",
            "a 'browser not supported' page instead of the content",
            "browser_unsupported",
        )
    if page.frames and (page.frameset or thin or not page.text):
        return Verdict("frames", f"content in {len(page.frames)} frame(s)")
    if page.redirects and thin:
        return Verdict("redirect", "a script sends the reader on")
    scripted = mentions(page.noscript, "js_notice") or page.app_mount
    if thin and (scripted or loads_content_by_script(page)):
        return Verdict("needs_js", "its content is rendered by script", "needs_js")
    here = page.url.split("#", 1)[0]
    if any(
        policy_link_score(link.text) and (link.url or "").split("#", 1)[0] != here
        for link in page.links
    ):
        return Verdict("landing", "links to the policy pages")
    if page.frames:
        return Verdict("frames", f"content in {len(page.frames)} frame(s)")
    if thin:
        return Verdict("empty", "no content", "not_a_policy")
    return Verdict("not_a_policy", "no policy vocabulary on the page", "not_a_policy")


def document_verdict(body: bytes, content_type: str | None) -> Verdict | None:
    """A policy given as a file (a pdf, hwp or xlsx the registry or a board names) is a
    document for the parser to read, not a page to judge by its words; None for a page."""
    kind = sniff_kind(body, content_type, None)
    return None if kind == "html" else Verdict("document", f"a {kind} file: read by its parser")


def judge_document(body: bytes, content_type: str | None, url: str) -> Verdict:
    """The verdict on archived bytes (what the build asks of every policy capture)."""
    return document_verdict(body, content_type) or judge(
        read_page(decode_html(body, content_type).text, url)
    )
