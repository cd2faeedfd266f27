"""What a document is, from its bytes: servers mislabel files and names lie (`.csv` on xlsx)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from domain.formats import BY_EXTENSION, FORMATS, MEDIA_TYPES, NAMED, SIGNED, TABULAR_KINDS
from transforms.readers.ole import stream_names

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta|<!--|<body|<div|<table)", re.I)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(body: bytes) -> str:
    """xlsx by its xl/ parts; hwpx by its `mimetype` entry (as in EPUB, the first member,
    stored), or by Contents/ and a .hpf manifest when a tool left the entry out."""
    try:
        book = zipfile.ZipFile(io.BytesIO(body))
        names = book.namelist()
        mimetype = b""
        if "mimetype" in names:
            with book.open("mimetype") as handle:
                mimetype = handle.read(64).strip()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, zlib.error):
        return "unknown"
    if mimetype == b"application/hwp+zip":
        return "hwpx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("Contents/") for n in names) and (
        mimetype or any(n.lower().endswith(".hpf") for n in names)
    ):
        return "hwpx"
    return "zip"


def _ole_kind(body: bytes) -> str | None:
    """hwp or xls by the compound file's stream names. When the directory cannot be
    followed (a truncated file), its entry names are searched for in the first bytes;
    None when nothing tells, so that the declared type or the file name decides."""
    names = stream_names(body)
    if "FileHeader" in names and ("BodyText" in names or "DocInfo" in names):
        return "hwp"
    if names & {"Workbook", "Book"}:
        return "xls"
    if names:
        return "unknown"  # Word, PowerPoint, MSI …: OLE files no reader here handles
    head = body[:65536]
    if "FileHeader".encode("utf-16-le") in head or b"HWP Document" in head:
        return "hwp"
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xls"
    return None


def sniff_kind(body: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """The document kind: magic bytes first, then the declared type, then the file name."""
    head = body[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    if head.startswith(_OLE) and (ole_kind := _ole_kind(body)):
        return ole_kind
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(stripped):
        return "html"
    declared = (content_type or "").split(";")[0].strip().lower()
    for kind, media in MEDIA_TYPES.items():
        if declared == media and kind not in ("zip", "unknown"):
            return kind
    if declared in ("application/xhtml+xml", "text/html"):
        return "html"
    if declared == "text/plain":
        return "text"
    ext = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if ext in BY_EXTENSION:
        return BY_EXTENSION[ext]
    if declared.startswith("text/") or (b"<" in stripped[:200] and b">" in stripped[:400]):
        return "html" if re.search(rb"<\s*(p|div|table|a)\b", head, re.I) else "csv"
    return "unknown"


def media_type_of(body: bytes, content_type: str | None, filename: str | None = None) -> str:
    return MEDIA_TYPES[sniff_kind(body, content_type, filename)]


# What a file is by its name, against what its bytes show.

_READ_AS = {"html": "HTML", "text": "CSV text", "csv": "CSV text"}


@dataclass(frozen=True)
class FileCheck:
    """A file's kind by name (its extension) and by content (transforms.sniff)."""

    name: str
    named: str | None  # the kind the extension claims
    content: str | None  # the kind the bytes show; None when they do not tell

    @property
    def misnamed(self) -> bool:
        """The bytes show another kind than the name claims (text under .csv/.txt/.html
        is no contradiction: plain text has no signature)."""
        if self.named is None or self.content is None or self.content == self.named:
            return False
        return not (self.content == "text" and self.named in ("csv", "text", "html"))

    @property
    def unsigned(self) -> bool:
        """The name claims a format with magic bytes, and the bytes tell nothing."""
        return self.named in SIGNED and self.content is None

    @property
    def readable(self) -> bool:
        return self.content in (*TABULAR_KINDS, "html", "text")

    def what(self) -> str:
        ext = self.name.rsplit(".", 1)[-1]
        return (
            f"{self.name} is named .{ext} but holds {FORMATS[self.content or 'unknown'].described}"
        )

    def read_as(self) -> str:
        return _READ_AS.get(self.content or "", self.content or "")


def check_name(name: str, body: bytes) -> FileCheck:
    """What a file's name claims against what its bytes show (`cctv parse`/`import`)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind: str | None = sniff_kind(body)  # bytes only: no name, no declared type
    if kind in ("csv", "text"):
        kind = "text"
    elif kind == "unknown":
        head = body[:4096]
        if head.startswith(b"PK\x03\x04"):
            kind = "zip"
        elif head and b"\x00" not in head and not head.startswith(b"\xd0\xcf\x11\xe0"):
            kind = "text"
        else:
            kind = None
    return FileCheck(name, NAMED.get(ext), kind)
