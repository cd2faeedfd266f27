"""Hostile and broken files: each ends in a ReaderError that says why, and the guards
stop the work before it grows (checked structurally: the parser that would have done
the expensive work is replaced by a tripwire, or the limit is hit on declared sizes)."""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from transforms.readers import ReaderError, read_grids, read_grids_with_notes, safety
from transforms.readers import csv as csv_reader
from transforms.readers import hwp as hwp_reader
from transforms.readers import xlsx as xlsx_reader

FIXTURES = Path(__file__).resolve().parent.parent / "files" / "inventories"
KINDS = ("xlsx", "xls", "csv", "hwp", "hwpx", "pdf")
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
        for i in range(1, 10)
    )
    + b"]><workbook>&lol9;</workbook>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
)


def _fixture(folder: str) -> bytes:
    meta = json.loads((FIXTURES / folder / "meta.json").read_text("utf-8"))
    return (FIXTURES / folder / meta["file"]).read_bytes()


def _small_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["부서", "설치대수"])
    book.active.append(["총무과", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(body: bytes, replace: dict[str, bytes] | None = None, extra=()) -> bytes:
    """The archive with some members replaced and others added (name, data[, method])."""
    source = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data, *method in extra:
            target.writestr(name, data, compress_type=method[0] if method else None)
    return out.getvalue()


def _patch_directory(body: bytes, name: str, file_size: int, compress_size: int | None = None):
    """Rewrite one member's sizes in the central directory, as a forged archive would."""
    data = bytearray(body)
    key = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == key:
            if compress_size is not None:
                struct.pack_into("<I", data, at + 20, compress_size)
            struct.pack_into("<I", data, at + 24, file_size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the central directory")


@pytest.fixture
def no_member_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tripwire: reading any member's bytes fails the test."""

    def tripwire(*_args: object) -> None:
        raise AssertionError("a member was read before the directory was refused")

    monkeypatch.setattr(safety, "_read_member_checked", tripwire)


@pytest.mark.parametrize("kind", ["xlsx", "hwpx"])
def test_zip_bomb_is_refused_on_its_declared_ratio(kind: str, no_member_reads: None) -> None:
    body = _small_xlsx() if kind == "xlsx" else _fixture("hwpx_inventory")
    bomb = _rezip(
        body, extra=[("Contents/bomb.xml" if kind == "hwpx" else "xl/b.xml", bytes(20 << 20))]
    )
    with pytest.raises(ReaderError, match=r"compression ratio .* zip bomb"):
        read_grids(bomb, kind)


def test_declared_total_over_the_limit_is_refused(no_member_reads: None) -> None:
    body = _rezip(_small_xlsx(), extra=[("xl/a.xml", b"a" * 2000), ("xl/b.xml", b"b" * 2000)])
    for name in ("xl/a.xml", "xl/b.xml"):
        body = _patch_directory(body, name, file_size=150 << 20, compress_size=1 << 20)
    with pytest.raises(ReaderError, match="unpacks to more than"):
        read_grids(body, "xlsx")


def test_too_many_members_are_refused(no_member_reads: None) -> None:
    extra = [(f"xl/m{i}.txt", b"") for i in range(safety.MAX_ZIP_MEMBERS + 1)]
    with pytest.raises(ReaderError, match="zip members"):
        read_grids(_rezip(_small_xlsx(), extra=extra), "xlsx")


def test_a_member_that_lies_about_its_size_stops_at_the_declared_size() -> None:
    body = _rezip(_small_xlsx(), extra=[("xl/big.xml", b"<x>" + b"y" * 50_000 + b"</x>")])
    body = _patch_directory(body, "xl/big.xml", file_size=100)
    with pytest.raises(ReaderError, match="broken or truncated zip"):
        read_grids(body, "xlsx")


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
@pytest.mark.parametrize(
    ("kind", "part"), [("xlsx", "xl/workbook.xml"), ("hwpx", "Contents/section0.xml")]
)
def test_xml_with_a_dtd_is_refused(kind: str, part: str, payload: bytes) -> None:
    body = _small_xlsx() if kind == "xlsx" else _fixture("hwpx_inventory")
    with pytest.raises(ReaderError, match="DTD"):
        read_grids(_rezip(body, replace={part: payload}), kind)


def test_defused_parser_refuses_entities_in_xml_we_read_ourselves() -> None:
    with pytest.raises(ReaderError, match="forbidden XML"):
        safety.parse_xml(BILLION_LAUGHS, "test part")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "xl/../../x.xml", "C:/x.xml", "..\\..\\x.xml"]
)
def test_unsafe_member_paths_are_refused(name: str, no_member_reads: None) -> None:
    with pytest.raises(ReaderError, match="unsafe path"):
        read_grids(_rezip(_small_xlsx(), extra=[(name, b"x")]), "xlsx")


def test_members_compressed_with_unbounded_methods_are_refused(no_member_reads: None) -> None:
    body = _rezip(_small_xlsx(), extra=[("xl/x.xml", b"<x/>", zipfile.ZIP_BZIP2)])
    with pytest.raises(ReaderError, match="compression method"):
        read_grids(body, "xlsx")


def test_a_sheet_spanning_a_huge_range_is_refused_before_calamine(monkeypatch) -> None:
    """calamine allocates the full rectangle and aborts the process when it cannot."""
    book = Workbook()
    book.active["A1"] = "x"
    book.active.cell(1_048_576, 16_384, "y")
    buffer = io.BytesIO()
    book.save(buffer)

    def tripwire(*_args: object) -> None:
        raise AssertionError("calamine was reached")

    monkeypatch.setattr(xlsx_reader, "read_workbook", tripwire)
    with pytest.raises(ReaderError, match=r"1048576 rows × 16384 columns"):
        read_grids(buffer.getvalue(), "xlsx")


def test_an_hwp_section_bomb_is_refused_before_the_parser(monkeypatch) -> None:
    from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams

    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    bomb = packer.compress(bytes(80 << 20)) + packer.flush()  # ~370 KB on disk
    streams = read_all_streams(CompoundFile(_fixture("hwp_inventory")))
    body = build_compound_file([(p, bomb if p.startswith("BodyText/") else d) for p, d in streams])

    class Tripwire:
        @staticmethod
        def open(_body: bytes) -> None:
            raise AssertionError("the HWP parser was reached")

    monkeypatch.setattr(hwp_reader, "HwpxDocument", Tripwire)
    with pytest.raises(ReaderError, match="decompression bomb"):
        read_grids(body, "hwp")


def test_a_password_protected_hwp_says_so() -> None:
    from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams

    streams = read_all_streams(CompoundFile(_fixture("hwp_inventory")))
    patched = []
    for path, data in streams:
        if path == "FileHeader":
            data = data[:36] + struct.pack("<I", 0x03) + data[40:]
        patched.append((path, data))
    with pytest.raises(ReaderError, match="password-protected"):
        read_grids(build_compound_file(patched), "hwp")


@pytest.mark.parametrize(
    ("folder", "kind"),
    [
        ("xlsx_two_row_header", "xlsx"),
        ("xls_inventory", "xls"),
        ("hwp_inventory", "hwp"),
        ("hwpx_inventory", "hwpx"),
        ("pdf_inventory", "pdf"),
    ],
)
def test_truncated_files_are_clear_errors(folder: str, kind: str) -> None:
    body = _fixture(folder)
    with pytest.raises(ReaderError, match=kind):
        read_grids(body[: len(body) // 2], kind)


def test_a_truncated_csv_keeps_the_complete_records() -> None:
    body = _fixture("csv_utf8_bom_quoted")
    grids, notes = read_grids_with_notes(body[:-40], "csv")  # cuts a UTF-8 character
    assert grids[0].rows[2][3] == "1,024"
    assert grids[0].rows[3][0].startswith("정보통")  # the cut record, kept and flagged
    assert [n.code for n in notes] == ["encoding_lossy"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_file_is_a_clear_error(kind: str) -> None:
    with pytest.raises(ReaderError):
        read_grids(b"", kind)


@pytest.mark.parametrize(
    "magic", [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.7\n"]
)
@pytest.mark.parametrize("kind", KINDS)
def test_random_bytes_are_a_clear_error(kind: str, magic: bytes) -> None:
    body = magic + random.Random(7).randbytes(8192)
    with pytest.raises(ReaderError):
        read_grids(body, kind)


def test_a_file_of_one_ole_kind_given_as_the_other_says_what_it_lacks() -> None:
    with pytest.raises(ReaderError, match="no FileHeader"):
        read_grids(_fixture("xls_inventory"), "hwp")
    with pytest.raises(ReaderError, match="no Workbook stream"):
        read_grids(_fixture("hwp_inventory"), "xls")


def _pdf(pages: int, count: int | None = None, box: int = 595, content: bytes = b"", flate=False):
    """A minimal PDF: `pages` pages sharing one content stream, /Count as given."""
    stream = zlib.compress(content) if flate else content
    filters = b"/Filter /FlateDecode " if flate else b""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages if count is None else count),
        b"<< %s/Length %d >>\nstream\n%s\nendstream" % (filters, len(stream), stream),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 3 0 R >>" % (box, box)
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_small_hand_made_pdf_reads() -> None:
    assert read_grids(_pdf(3, content=b"BT ET"), "pdf") == []


@pytest.mark.parametrize("count", [None, 1], ids=["honest", "lying-count"])
def test_a_pdf_with_thousands_of_pages_is_refused(count: int | None) -> None:
    with pytest.raises(ReaderError, match="more than 200 pages"):
        read_grids(_pdf(3000, count=count), "pdf")


def test_a_huge_pdf_page_is_refused() -> None:
    with pytest.raises(ReaderError, match="over the limit"):
        read_grids(_pdf(1, box=100_000), "pdf")


def test_a_pdf_content_stream_bomb_is_refused() -> None:
    body = _pdf(1, content=b" " * (20 << 20), flate=True)
    assert len(body) < 100_000
    with pytest.raises(ReaderError, match="content inflates beyond"):
        read_grids(body, "pdf")


def test_invalid_bytes_in_a_csv_are_replaced_and_noted() -> None:
    body = "관리부서,설치대수\n총무과,3\n".encode() + b"\xff\xfe,1\n" + "민원과,2\n".encode()
    grids, notes = read_grids_with_notes(body, "csv")
    assert [row[0] for row in grids[0].rows][-1] == "민원과"
    assert [n.code for n in notes] == ["encoding_lossy"]


def test_a_csv_field_over_the_size_limit_is_a_clear_error() -> None:
    body = b'a,b\n"' + b"x" * 200_000 + b'",1\n'
    with pytest.raises(ReaderError, match="field larger"):
        csv_reader.read_csv(body)
