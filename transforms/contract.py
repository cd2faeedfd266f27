"""One document → the `cctv-parse/1` JSON object (docs: ../shared/docs/parse-contract.md).

The warehouse build calls exactly this function, so `cctv parse` shows a person what the
pipeline extracts from one document, with nothing added or left out.
"""

from __future__ import annotations

import hashlib

from registry.area_codes import area_code_for
from registry.institutions import Identification, InstitutionHint, identify_institution
from transforms.aggregates import AGGREGATE_KINDS, read_aggregates
from transforms.cameras import as_inventory, camera_records, inventory_columns
from transforms.encoding import decode_html
from transforms.html.document import Document, read_document
from transforms.issues import Issue, capped
from transforms.policy import extract_policy
from transforms.readers import READABLE, ReaderError, read_grids_with_notes
from transforms.self_naming import page_names
from transforms.sniff import MEDIA_TYPES, sniff_kind
from transforms.totals import counts_check

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


# Self-naming is in the page's opening; further down pages quote other bodies' names.
_OPENING_CHARS = 2000


def _identify(
    hint: InstitutionHint, url: str | None, document: Document | None, html_text: str
) -> Identification:
    """Who the document is from (registry.institutions): the hint, the URL's host, then what
    the page calls itself."""
    names: list[tuple[str, str]] = []
    opening = ""
    if document is not None:
        titles = [h for h in document.page_headings if "방침" in h][:3]
        lines = document.text.split("\n")
        names = [(n.name, n.source) for n in page_names(lines, titles, document.title, html_text)]
        opening = document.text[:_OPENING_CHARS]
    return identify_institution(
        hint.directory,
        url=url,
        names=names,
        opening=opening,
        hint_code=hint.code,
        hint_name=hint.name,
    )


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
    camera_columns: bool = False,
) -> tuple[dict, str]:
    """`parse_document` plus the page's normalised text (empty for files), whose hash tells
    a changed policy from a re-fetched one. `camera_columns`: an inventory file's camera
    rows are handed back as columns, {"columns": {field: values}} (CAMERA_FIELDS in order),
    the shape the build caches them in, instead of one record per row."""
    institution = institution or InstitutionHint()
    text = ""
    kind = sniff_kind(body, content_type, filename or path or url)
    issues: list[Issue] = []
    policy = None
    cameras: list[dict] | dict[str, dict[str, list]] = []
    columns: dict[str, list] = {}
    aggregates: dict | None = None
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
                    f"문자 인코딩({decoded.encoding})에 맞지 않는 바이트를 대체 문자로 바꿈",
                )
            )
        document = read_document(decoded.text)
        issues.extend(document.issues)
        text = document.full_text
        identified = _identify(institution, url, document, decoded.text)
        area_code = institution.area_code or area_code_for(identified.code, identified.parent_code)
        facts = extract_policy(document, base_url=url, area_code=area_code)
        policy, cameras = facts.policy, facts.cameras
        issues.extend(facts.issues)
    elif kind in READABLE:
        identified = _identify(institution, url, None, "")
        area_code = institution.area_code or area_code_for(identified.code, identified.parent_code)
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
                        f"표({grid.name})에 카메라 대수 열이 없음",
                        grid.name,
                    )
                )
                continue
            found, row_issues = inventory_columns(table, area_code=area_code)
            for field, values in found.items():
                columns.setdefault(field, []).extend(values)
            issues.extend(row_issues)
            counts, templates = found["camera_count"], found["is_template"]
            fields = table.columns.fields
            issues.extend(counts_check(table.grid, fields, counts, templates, url or path)[1])
        if columns.get("row_ref"):
            cameras = {"columns": columns} if camera_columns else camera_records(columns)
        elif kind in AGGREGATE_KINDS:
            aggregates = _aggregates(grids)
    else:
        raise DocumentError(f"not a policy page or inventory file (detected: {kind})")
    issues.extend(
        Issue(level, code, message, "institution") for level, code, message in identified.issues
    )
    result = {
        "contract": CONTRACT,
        "source": {
            "path": path,
            "url": url,
            "sha256": hashlib.sha256(body).hexdigest(),
            "media_type": MEDIA_TYPES[kind],
        },
        "institution": {
            "name": identified.name,
            "code": identified.code,
            "identified_by": identified.identified_by,
            "confidence": identified.confidence,
        },
        "policy": policy,
        "cameras": cameras,
        "issues": [i.as_dict() for i in capped(issues)],
    }
    if aggregates is not None:
        result["aggregates"] = aggregates
    return result, text


def _aggregates(grids: list) -> dict | None:
    """A file with no camera rows may be a published aggregate: its tidy rows and their
    total checks, or None when no sheet is a count matrix (the key is then left out)."""
    rows, checks = read_aggregates(grids)
    if not rows:
        return None
    return {"rows": rows, "issues": [i.as_dict() for i in checks]}
