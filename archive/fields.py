"""What a WARC record of ours says beyond ISO 28500: provenance fields, digests, names.

The writer puts these in and `cctv reindex` reads them back, so both go through here.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from urllib.parse import quote, unquote

from archive.index import as_utc

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([\w-]+)''([^;]+)", re.I)


URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)


# WARC 1.1 §6.7.2: the server said the copy the crawler holds is still current.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


# WARC extension fields (ISO 28500 §5: any other named field is allowed) that carry what the
# capture index knows beyond the record itself, so `cctv reindex` can rebuild it from the
# WARC files alone.
PROVENANCE_FIELDS = {
    "url": "CCTV-Source-URL",
    "inst_code": "CCTV-Inst-Code",
    "role": "CCTV-Role",
    "referer": "CCTV-Referer",
    "filename": "CCTV-Filename",
}


# A policy page as served, when its rendered DOM (a `conversion` record) is the policy.
RAW_POLICY_ROLE = "policy_raw"


def filename_from_disposition(value: str | None) -> str | None:
    """The download name a server gave, decoding RFC 5987 `filename*` first."""
    if not value:
        return None
    if m := _FILENAME_STAR.search(value):
        charset, encoded = m.group(1), m.group(2).strip().strip('"')
        try:
            return unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            return unquote(encoded, errors="replace")
    if m := _FILENAME.search(value):
        return unquote(m.group(1).strip())
    return None


def warc_digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def sha256_of_digest(digest: str | None) -> str | None:
    """The hex sha256 a `WARC-Payload-Digest` of ours names (None for other algorithms)."""
    if not digest or not digest.lower().startswith("sha256:"):
        return None
    try:
        return base64.b32decode(digest[7:].strip().upper()).hex()
    except ValueError:
        return None


def import_disposition(filename: str | None) -> str | None:
    """The Content-Disposition an imported file is indexed with: the name it came with."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}" if filename else None


def warc_timestamp(moment: dt.datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def header_safe(value: str) -> str:
    """A provenance value as a WARC header: percent-encoded, so a CR or LF in a crawled
    name cannot end the field and the value comes back exactly (`provenance_value`)."""
    return quote(value, safe=URI_SAFE.replace("%", "") + " ")


def provenance_value(header: str | None) -> str | None:
    return unquote(header) if header is not None else None
