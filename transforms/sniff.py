"""What a document is, from its bytes: servers mislabel files and names lie (`.csv` on xlsx)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from transforms.readers.ole import stream_names

MEDIA_TYPES = {
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "text": "text/plain",
    "unknown": "application/octet-stream",
}
_EXTENSIONS = {"xlsx", "xls", "csv", "hwp", "hwpx", "pdf", "zip", "html", "htm"}
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
    if ext in _EXTENSIONS:
        return "html" if ext in ("htm", "html") else ext
    if declared.startswith("text/") or (b"<" in stripped[:200] and b">" in stripped[:400]):
        return "html" if re.search(rb"<\s*(p|div|table|a)\b", head, re.I) else "csv"
    return "unknown"


def media_type_of(body: bytes, content_type: str | None, filename: str | None = None) -> str:
    return MEDIA_TYPES[sniff_kind(body, content_type, filename)]
