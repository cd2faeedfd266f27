"""The document kinds the pipeline tells apart, stated once: media type, file-name extensions,
whether the bytes carry a signature, how a person is told about it, and what it is to us.

Sniffing (transforms.sniff), the readers (transforms.readers), the attachment links of a
policy page (transforms.links, transforms.policy) and `cctv import` all derive their lists
from `FORMATS`, so a kind added here is added everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    kind: str
    media_type: str
    # Extensions that make a file this kind when neither its bytes nor its declared type
    # tell (the usual first).
    extensions: tuple[str, ...]
    # Magic bytes: a file named as this kind whose bytes show nothing is suspect.
    signed: bool
    # How a message names what a file holds ("… is named .csv but holds an xlsx workbook").
    described: str
    # A file a policy page links to as its inventory or its text.
    attachment: bool = False
    # transforms.readers turns it into tables.
    tabular: bool = False
    # Further extensions a name may claim the kind by (.xlsm), checked against the bytes;
    # the name alone does not make a file this kind.
    aliases: tuple[str, ...] = ()


FORMATS: dict[str, Format] = {
    f.kind: f
    for f in [
        Format("html", "text/html", ("html", "htm"), False, "an HTML page"),
        Format(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
            True,
            "an xlsx workbook",
            attachment=True,
            tabular=True,
            aliases=("xlsm",),
        ),
        Format(
            "xls",
            "application/vnd.ms-excel",
            ("xls",),
            True,
            "an xls workbook",
            attachment=True,
            tabular=True,
        ),
        Format("csv", "text/csv", ("csv",), False, "plain text", attachment=True, tabular=True),
        Format(
            "hwp",
            "application/x-hwp",
            ("hwp",),
            True,
            "an HWP document",
            attachment=True,
            tabular=True,
        ),
        Format(
            "hwpx",
            "application/hwp+zip",
            ("hwpx",),
            True,
            "an HWPX document",
            attachment=True,
            tabular=True,
        ),
        Format("pdf", "application/pdf", ("pdf",), True, "a PDF", attachment=True, tabular=True),
        Format(
            "zip",
            "application/zip",
            ("zip",),
            True,
            "a zip archive (neither xlsx nor HWPX)",
            attachment=True,
        ),
        # Plain text is told apart (csv or html) by its content, never by .txt alone.
        Format("text", "text/plain", (), False, "plain text", aliases=("txt",)),
        Format("unknown", "application/octet-stream", (), False, "bytes of no known type"),
    ]
}

MEDIA_TYPES: dict[str, str] = {kind: f.media_type for kind, f in FORMATS.items()}
# Extension → kind, for a file whose bytes and declared type do not tell.
BY_EXTENSION: dict[str, str] = {ext: f.kind for f in FORMATS.values() for ext in f.extensions}
# Extension → the kind a file name claims, to be checked against its bytes.
NAMED: dict[str, str] = {
    ext: f.kind for f in FORMATS.values() for ext in (*f.extensions, *f.aliases)
}
SIGNED = frozenset(kind for kind, f in FORMATS.items() if f.signed)
ATTACHMENT_KINDS = tuple(kind for kind, f in FORMATS.items() if f.attachment)
TABULAR_KINDS = tuple(kind for kind, f in FORMATS.items() if f.tabular)
# File-name extensions of attachments, longest first so that a pattern built from them
# never takes `xls` out of `xlsx` or `hwp` out of `hwpx`.
ATTACHMENT_EXTENSIONS = tuple(
    sorted(
        (ext for kind in ATTACHMENT_KINDS for ext in FORMATS[kind].extensions),
        key=lambda ext: -len(ext),
    )
)


def extension_pattern(extensions: tuple[str, ...] = ATTACHMENT_EXTENSIONS) -> str:
    """A regex alternation of the extensions, longest first: `xlsx|hwpx|xls|…`."""
    return "|".join(sorted(extensions, key=lambda ext: -len(ext)))
