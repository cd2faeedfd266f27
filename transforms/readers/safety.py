"""Guards that run before any parser sees a file: crawled files are untrusted input.

A zip's central directory can lie about sizes, so every member is inflated here in
bounded chunks and counted before a library opens the archive; an XML part with a DTD
is refused outright (office and HWPX parts never have one, and a DTD is how entity
expansion and external entities get in). Parts are scanned as XML parsers decode them:
a UTF-16 or UTF-32 part hides `<!DOCTYPE` from a scan of its bytes. Limits are generous
for real inventories (the largest real one seen: a 16 MB sheet part) and far below what
hurts a 2-core, 24 GB machine.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath, PureWindowsPath
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from transforms.readers.errors import ReaderError

MAX_BODY_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# The longest CSV cell read (the csv module's default). The module keeps its limit as
# process-wide state that other libraries raise at import (frictionless does), so every
# CSV read sets it for its length: a hostile file's one huge cell stops here.
CSV_FIELD_LIMIT = 131_072
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024 * 1024
MAX_INFLATED_BYTES = 64 * 1024 * 1024  # one zlib stream outside a zip (an HWP section)
# Columns of a table: real inventories have up to ~50, published aggregates a few hundred.
# Every column costs a header lookup and, unmapped, an issue; wider tables are cut.
MAX_COLUMNS = 1_000
CHUNK = 64 * 1024

_XML_PART = re.compile(r"\.(xml|rels|hpf|rdf|vml)$", re.I)
_DTD = re.compile(r"<!(DOCTYPE|ENTITY)", re.I)
# XML 1.0 Appendix F: a byte order mark, or the first characters `<?` in a wide encoding.
_WIDE = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_ASCII = bytes(range(128))
# zipfile bounds its inflation only for stored and deflated members; bzip2 and lzma
# inflate a whole member before the declared size cuts it off.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check_size(body: bytes, what: str) -> None:
    if not body:
        raise ReaderError(f"empty file: no {what} content")
    if len(body) > MAX_BODY_BYTES:
        raise ReaderError(f"{what} file of {len(body)} bytes is over the {MAX_BODY_BYTES} limit")


def _unsafe_name(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    windows = PureWindowsPath(name)
    return posix.is_absolute() or ".." in posix.parts or bool(windows.drive or windows.root)


def _check_directory(book: zipfile.ZipFile, what: str) -> None:
    infos = book.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReaderError(f"{what} has {len(infos)} zip members (limit {MAX_ZIP_MEMBERS})")
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise ReaderError(f"{what} has a zip member with an unsafe path: {name!r}")
        if info.compress_type not in _METHODS:
            method = info.compress_type
            raise ReaderError(f"{what} member {name!r} uses compression method {method}")
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise ReaderError(f"{what} unpacks to more than {MAX_UNZIPPED_BYTES} bytes")
        if info.file_size > RATIO_CHECKED_ABOVE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ReaderError(
                    f"{what} member {name!r} claims a compression ratio of {ratio:.0f}:1 "
                    f"(limit {MAX_RATIO}:1): a zip bomb"
                )


def member_chunks(book: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """A member's bytes in bounded pieces; zipfile stops at the declared size and checks
    the CRC, so a member that lies about its size fails instead of growing."""
    with book.open(name) as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _xml_codec(head: bytes, named_xml: bool, what: str) -> str | None:
    """The codec an XML parser reads a part in, judged from its first bytes: a wide
    encoding by its byte order mark or its first characters, otherwise 8-bit text read
    byte for byte (latin-1), which leaves every ASCII token where a scan of bytes finds it.
    None for a part that does not start like XML (a picture). A part in an encoding that
    spells ASCII otherwise (UTF-7, EBCDIC) or that contradicts itself is refused."""
    for mark, codec in _WIDE:
        if head.startswith(mark):
            return codec
    if b"\x00" in head[:4] or head.startswith(b"\x4c\x6f\xa7\x94"):
        if not named_xml and not head.lstrip(b"\x00").startswith(b"<"):
            return None
        raise ReaderError(f"{what} is in an encoding no office reader writes (refused)")
    if not named_xml and not head.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<"):
        return None
    declared = _DECLARED.match(head.lstrip(b"\xef\xbb\xbf"))
    if declared:
        name = declared.group(1).decode("ascii")
        try:  # every ASCII byte must mean itself (UTF-7 spells `<` as `+ADw-`)
            ascii_compatible = _ASCII.decode(name) == _ASCII.decode("ascii")
        except (LookupError, UnicodeError):
            ascii_compatible = False
        if not ascii_compatible:
            raise ReaderError(
                f"{what} declares the encoding {name!r}, which spells markup other than in "
                "ASCII or is not written in 8 bits (refused: it could hide a DTD)"
            )
    return "latin-1"


def xml_text(chunks: Iterator[bytes], name: str, what: str) -> Iterator[str]:
    """An XML part's characters in pieces, decoded as a parser would (see `_xml_codec`);
    nothing for a part that is not XML. Bytes invalid in the codec become U+FFFD."""
    decoder = None
    for chunk in chunks:
        if decoder is None:
            codec = _xml_codec(chunk[:1024], bool(_XML_PART.search(name)), f"{what} part {name!r}")
            if codec is None:
                for _ in chunks:  # still inflated to the end: sizes and CRC are checked
                    pass
                return
            decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        yield decoder.decode(chunk)
    if decoder is not None:
        yield decoder.decode(b"", final=True)


def _read_member_checked(book: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> None:
    tail = ""
    for text in xml_text(member_chunks(book, info.filename), info.filename, what):
        if _DTD.search(tail + text):
            raise ReaderError(
                f"{what} part {info.filename!r} declares a DTD or entities "
                "(refused: entity expansion and external entities)"
            )
        tail = text[-16:]


def open_zip(body: bytes, what: str) -> zipfile.ZipFile:
    """The archive, once its directory and every member have passed the limits."""
    check_size(body, what)
    try:
        book = zipfile.ZipFile(io.BytesIO(body))
        _check_directory(book, what)
        for info in book.infolist():
            if not info.is_dir() or info.file_size:
                _read_member_checked(book, info, what)
    except ReaderError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error) as exc:
        raise ReaderError(f"not a readable {what} (broken or truncated zip): {exc}") from exc
    except (ValueError, NotImplementedError, RuntimeError) as exc:  # encrypted, odd headers
        raise ReaderError(f"not a readable {what}: {type(exc).__name__}: {exc}") from exc
    return book


def read_member(book: zipfile.ZipFile, name: str) -> bytes:
    return b"".join(member_chunks(book, name))


def parse_xml(data: bytes, what: str) -> Element:
    """XML we read ourselves, through defusedxml: no DTD, no entities, no external refs."""
    try:
        return safe_et.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ReaderError(f"{what} has forbidden XML constructs: {exc}") from exc
    except safe_et.ParseError as exc:
        raise ReaderError(f"{what} is not well-formed XML: {exc}") from exc
    except (ValueError, LookupError) as exc:  # expat reads no multi-byte 8-bit encodings
        raise ReaderError(f"{what} cannot be read: {exc}") from exc


def inflate(raw: bytes, what: str, limit: int = MAX_INFLATED_BYTES, lenient: bool = False) -> bytes:
    """A raw-deflate stream inflated with a cap, for the streams HWP compresses.
    `lenient` returns bytes that are not deflate data as they are (pictures may be
    stored either way) but still refuses a stream that inflates past the cap."""
    if limit <= 0:  # zlib reads max_length=0 as "no limit"
        raise ReaderError(f"{what}: the inflation budget is spent: a decompression bomb")
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(raw, limit)
        if inflater.unconsumed_tail:
            raise ReaderError(f"{what} inflates beyond {limit} bytes: a decompression bomb")
        out += inflater.flush()
    except zlib.error as exc:
        if lenient:
            return raw
        raise ReaderError(f"{what} is not a valid compressed stream: {exc}") from exc
    if len(out) > limit:
        raise ReaderError(f"{what} inflates beyond {limit} bytes: a decompression bomb")
    return out


@contextmanager
def csv_field_limit() -> Iterator[None]:
    """CSV_FIELD_LIMIT for the csv module while the block runs, whatever was set before."""
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
