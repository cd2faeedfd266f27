"""Bytes → text for Korean public-sector files: UTF-8 and CP949/EUC-KR both common, and
declarations are often wrong (an EUC-KR page that says UTF-8, a CSV with no BOM)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# CP949 is a superset of EUC-KR: reading EUC-KR as CP949 loses nothing and saves the
# 확장 완성형 syllables (e.g. 똠, 햏) that real files contain.
_ALIASES = {
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "ms949": "cp949",
    "uhc": "cp949",
}


_KOREAN_PLAUSIBLE = {
    "utf-8",
    "utf-8-sig",
    "cp949",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "iso2022_kr",
    "johab",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool  # True when bytes had to be replaced: worth a quality issue


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess_encoding(body: bytes) -> str:
    """BOM, then strict UTF-8, then strict CP949, then charset-normalizer's best guess."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    for name in ("utf-8", "cp949"):
        try:
            body.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    best = from_bytes(body[:200_000]).best()
    guess = _canonical(best.encoding if best else None)
    # Korean public-sector files are UTF-8 or CP949; a single-byte guess (iso8859-5,
    # cp1252) "succeeds" on any bytes and would turn Hangul into mojibake silently.
    return guess if guess in _KOREAN_PLAUSIBLE else "cp949"


def decode_text(body: bytes, declared: str | None = None) -> Decoded:
    """Decode plain text (CSV, TXT). A declaration is trusted only if the bytes agree."""
    candidates = [c for c in (_canonical(declared), guess_encoding(body)) if c]
    for name in candidates:
        try:
            return Decoded(body.decode(name), name, lossy=False)
        except (UnicodeDecodeError, LookupError):
            continue
    name = candidates[-1] if candidates else "utf-8"
    return Decoded(body.decode(name, errors="replace"), name, lossy=True)


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value
    return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a web page the way a browser would, but check the result.

    w3lib follows BOM → HTTP header → <meta>; Korean sites often declare one charset and
    send another, so a declaration whose strict decode fails is overruled by detection.
    """
    declared = _canonical(_charset_of(content_type))
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=guess_encoding)
    encoding = _canonical(encoding) or encoding
    try:
        body.decode(encoding)
        return Decoded(text, encoding, lossy=False)
    except (UnicodeDecodeError, LookupError):
        pass
    # A few bad bytes in a page that is otherwise in its declared encoding: keep that
    # encoding and flag the loss, rather than re-reading the whole page as something else.
    replaced = body.decode(encoding, errors="replace")
    if replaced.count("\ufffd") <= max(8, len(replaced) // 100):
        return Decoded(replaced, encoding, lossy=True)
    fallback = decode_text(body, None)
    if not fallback.lossy:
        return fallback
    return Decoded(text, declared or encoding, lossy=True)
