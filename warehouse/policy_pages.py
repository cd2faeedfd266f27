"""Which archived policy captures are policies: the build asks the verdict the spider asked
(transforms/discovery/verdict.py) of the same bytes, so a page the crawl reached at the
policy's link but did not take (a frame wrapper, a login or error page, an empty script
shell) never becomes a row of `policies`, its cameras or its versions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from archive.fields import RAW_POLICY_ROLE
from archive.index import ArchiveError, Capture
from transforms.discovery.verdict import judge_document

NOT_TAKEN = "policy_not_taken"  # the role such a capture is read with (the index keeps its own)


def _unrendered(captures: list[Capture]) -> list[Capture]:
    """A page of a render=js site is archived as served (`policy_raw`) and as rendered (a
    `conversion` with role policy). Where no rendering exists (a pdf or hwp policy, which
    a browser does not render, or a render that failed) the page as served is the policy."""
    rendered = {(c.crawl_id, c.url) for c in captures if c.record_type == "conversion"}
    return [
        dataclasses.replace(c, role="policy")
        if c.role == RAW_POLICY_ROLE and (c.crawl_id, c.url) not in rendered
        else c
        for c in captures
    ]


def judged(captures: list[Capture], payload: Callable[[str], bytes]) -> list[Capture]:
    """The captures, with every policy capture the verdict does not accept given the role
    NOT_TAKEN. Bytes that cannot be read stay as they are: the build reports them."""
    accepted: dict[str, bool] = {}
    out = []
    for capture in _unrendered(captures):
        if capture.role == "policy" and capture.has_content:
            if capture.sha256 not in accepted:
                try:
                    body = payload(capture.sha256)
                except ArchiveError:
                    accepted[capture.sha256] = True
                else:
                    verdict = judge_document(body, capture.content_type, capture.url)
                    accepted[capture.sha256] = verdict.accepted
            if not accepted[capture.sha256]:
                capture = dataclasses.replace(capture, role=NOT_TAKEN)
        out.append(capture)
    return out
