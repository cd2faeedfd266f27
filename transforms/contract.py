"""One document → the `cctv-parse/1` JSON object (docs: ../shared/docs/parse-contract.md).

The warehouse build calls exactly this function, so `cctv parse` shows a person what the
pipeline extracts from one document, with nothing added or left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from transforms.cameras import as_inventory, rows_from_inventory
from transforms.encoding import decode_html
from transforms.html.document import read_document
from transforms.issues import Issue, capped
from transforms.policy import extract_policy
from transforms.readers import READABLE, ReaderError, read_grids_with_notes
from transforms.sniff import MEDIA_TYPES, sniff_kind
from transforms.totals import table_check

CONTRACT = "cctv-parse/1"
PARSER_VERSION = "0.2.0"
# Policy pages are tens of kilobytes; anything this large is a mistake or an attack, and
# is refused before parsing. The cap is set by time: parsing is linear in the page's size
# and the slowest markup measured (benchmarks/html_scaling.py) takes ~0.7 s per MB, so the
# largest page accepted costs ~11 s, far inside the per-document time limit of the parse
# worker (warehouse.sandbox), which stops whatever the measurements missed.
MAX_PAGE_BYTES = 16 * 1024 * 1024


class DocumentError(ValueError):
    """The document cannot be read at all (as opposed to read with issues)."""


@dataclass(frozen=True)
class InstitutionHint:
    code: str | None = None
    name: str | None = None
    area_code: str | None = None


def parse_document(
    body: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    institution: InstitutionHint | None = None,
) -> dict:
    """The contract object for one document; raises DocumentError when it is unreadable."""
    return parse_with_text(
        body,
        path=path,
        url=url,
        content_type=content_type,
        filename=filename,
        institution=institution,
    )[0]


def parse_with_text(
    body: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    institution: InstitutionHint | None = None,
) -> tuple[dict, str]:
    """`parse_document` plus the page's normalised text (empty for files), whose hash tells
    a changed policy from a re-fetched one."""
    institution = institution or InstitutionHint()
    text = ""
    kind = sniff_kind(body, content_type, filename or path or url)
    issues: list[Issue] = []
    policy = None
    cameras: list[dict] = []
    if kind == "html":
        if len(body) > MAX_PAGE_BYTES:
            raise DocumentError(
                f"page of {len(body):,} bytes is larger than {MAX_PAGE_BYTES:,}: not parsed"
            )
        decoded = decode_html(body, content_type)
        if decoded.lossy:
            issues.append(
                Issue(
                    "warning",
                    "encoding_lossy",
                    f"bytes invalid in {decoded.encoding} were replaced",
                )
            )
        document = read_document(decoded.text)
        issues.extend(document.issues)
        text = document.full_text
        facts = extract_policy(document, base_url=url, area_code=institution.area_code)
        policy, cameras = facts.policy, facts.cameras
        issues.extend(facts.issues)
    elif kind in READABLE:
        try:
            grids, notes = read_grids_with_notes(body, kind)
        except ReaderError as exc:
            raise DocumentError(str(exc)) from exc
        issues.extend(Issue("warning", n.code, n.message, n.where) for n in notes)
        for grid in grids:
            table = as_inventory(grid)
            if table is None:
                issues.append(
                    Issue(
                        "info",
                        "not_an_inventory",
                        f"{grid.name} has no camera-count column",
                        grid.name,
                    )
                )
                continue
            rows, row_issues = rows_from_inventory(table, area_code=institution.area_code)
            cameras.extend(rows)
            issues.extend(row_issues)
            issues.extend(table_check(table.grid, table.columns.fields, rows, url or path)[1])
    else:
        raise DocumentError(f"not a policy page or inventory file (detected: {kind})")
    return {
        "contract": CONTRACT,
        "source": {
            "path": path,
            "url": url,
            "sha256": hashlib.sha256(body).hexdigest(),
            "media_type": MEDIA_TYPES[kind],
        },
        "institution": {"name": institution.name, "code": institution.code},
        "policy": policy,
        "cameras": cameras,
        "issues": [i.as_dict() for i in capped(issues)],
    }, text
