"""Which of a page's links to try as the policy, in what order.

A site may publish several current policies (고정형 and 이동형, 본청 and 사업소) that do not
link each other, so every distinct policy the page links is tried: links are grouped by the
scope their text names, and each group's best link goes first; the group's other links
are its fallbacks, tried when the first turns out not to be the policy: the same policy
linked from the menu and the footer (one scope) is asked for once. Links to
earlier versions are set apart: history, never a current policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.text import compact
from transforms.discovery.markup import Link
from transforms.links import (
    is_attachment_link,
    is_earlier_version_link,
    is_version_entry,
    mentions,
    policy_link_score,
    policy_scope,
)

OWN_WORDS_SCORE = 100  # the registry's `link_text`: the site's own wording wins


@dataclass(frozen=True)
class Candidate:
    url: str
    text: str
    score: int
    how: str  # link | image_link | script_link
    scope: frozenset[str]


def _bare(url: str) -> str:
    return url.split("#", 1)[0]


def revision_history(links: list[Link]) -> list[Link]:
    """The links of a list of the policy's dated revisions (2015. 01. 최초 제정, 2016. 01.
    변경 …, often each a file): earlier versions, never the inventory of the one in force.
    Two entries at least make a list; a single dated file is left alone (a board post's
    current policy is dated too)."""
    entries = [
        link for link in links if link.url and is_version_entry(f"{link.text} {link.context}")
    ]
    return entries if len({link.url for link in entries}) >= 2 else []


def earlier_versions(links: list[Link]) -> list[Link]:
    """Links named like the policy whose surroundings date them or call them earlier, and
    the entries of a revision history."""
    history = {link.url for link in revision_history(links)}
    return [
        link
        for link in links
        if link.url
        and (
            link.url in history
            or (
                policy_link_score(link.text)
                and is_earlier_version_link(f"{link.text} {link.context}")
            )
        )
    ]


def policy_candidates(
    links: list[Link], own_words: str | None = None, skip: frozenset[str] = frozenset()
) -> list[list[Candidate]]:
    """Groups of candidate links, best group first; each group's first link is tried, the
    rest are its fallbacks. A link whose text is exactly the registry's `own_words` forms
    the only group, with every other candidate as its fallbacks. URLs in `skip` (already
    asked for) are left out."""
    own = compact(own_words or "")
    best: dict[str, Candidate] = {}
    for link in links:
        if not link.url:
            continue
        url = _bare(link.url)
        if url in skip or is_attachment_link(url, link.text):
            continue
        score = OWN_WORDS_SCORE if own and compact(link.text) == own else 0
        score = score or policy_link_score(link.text)
        if not score or is_earlier_version_link(f"{link.text} {link.context}"):
            continue
        if url not in best or best[url].score < score:
            best[url] = Candidate(url, link.text.strip(), score, link.how, policy_scope(link.text))
    unique = sorted(best.values(), key=lambda c: -c.score)
    if unique and unique[0].score == OWN_WORDS_SCORE:
        return [unique]
    groups: dict[frozenset[str], list[Candidate]] = {}
    for c in unique:
        groups.setdefault(c.scope, []).append(c)
    return sorted(groups.values(), key=lambda g: -g[0].score)


_DATE = re.compile(r"((?:19|20)\d\d)\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})")


def newest_dated(links: list[Link], skip: frozenset[str] = frozenset()) -> Candidate | None:
    """On a list whose every policy link is dated (a board of posts titled like the
    policy), the newest post: the one in force. Items called earlier (이전, 종전 …) are
    never it. Only for a list reached at the policy's link, never for a policy page's own
    history, where the newest dated item may be the last earlier version."""
    best: tuple[tuple[int, int, int], Candidate] | None = None
    for link in links:
        if not link.url or _bare(link.url) in skip or is_attachment_link(link.url, link.text):
            continue
        score = policy_link_score(link.text)
        if not score or mentions(f"{link.text} {link.context}", "earlier_version"):
            continue
        dates = [(int(y), int(m), int(d)) for y, m, d in _DATE.findall(link.context)]
        if not dates:
            continue
        when = max(dates)
        url = _bare(link.url)
        candidate = Candidate(url, link.text.strip(), score, link.how, policy_scope(link.text))
        if best is None or when > best[0]:
            best = (when, candidate)
    return best[1] if best else None
