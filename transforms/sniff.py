"""What a document is, from its bytes: servers mislabel files and names lie (`.csv` on xlsx)."""

from __future__ import annotations

import io
import re
import zipfile

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
    try:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "unknown"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("Contents/") for n in names) or (
        "mimetype" in names and any(n.lower().endswith(".hpf") for n in names)
    ):
        return "hwpx"
    return "zip"


def sniff_kind(body: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """The document kind: magic bytes first, then the declared type, then the file name."""
    head = body[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    if head.startswith(_OLE):
        return (
            "hwp"
            if b"H\x00W\x00P\x00" in body[:65536] or b"HWP Document" in body[:65536]
            else "xls"
        )
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
