"""Hostile and broken files: each ends in a ReaderError that says why, and the guards
stop the work before it grows (checked structurally: the parser that would have done
the expensive work is replaced by a tripwire, or the limit is hit on declared sizes)."""

from __future__ import annotations

import codecs
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
from transforms.readers import pdf as pdf_reader
from transforms.readers import xls as xls_reader
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


def test_the_csv_field_limit_holds_whatever_another_library_set() -> None:
    """The csv module's limit is process-wide; frictionless, for one, raises it at import."""
    import csv

    body = b'a,b\n"' + b"x" * 200_000 + b'",1\n'
    previous = csv.field_size_limit(1 << 30)
    try:
        with pytest.raises(ReaderError, match="field larger"):
            csv_reader.read_csv(body)
        assert csv.field_size_limit() == 1 << 30  # given back as it was
    finally:
        csv.field_size_limit(previous)


# Sheets that reach far: calamine allocates rows × columns densely and aborts the process
# when it cannot (a 1.6 KB file asked for 512 GB). Each is refused before calamine runs.

SHEET = (
    '<?xml version="1.0" encoding="{encoding}" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)
FIRST_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>부서</t></is></c></row>'


def _with_sheet(rows: str, dimension: str = "", codec: str = "utf-8") -> bytes:
    """The small workbook with its sheet part replaced (and written in `codec`)."""
    declared = "UTF-16" if codec.startswith("utf-16") else "UTF-8"
    xml = SHEET.format(encoding=declared, dimension=dimension, rows=FIRST_ROW + rows)
    return _rezip(_small_xlsx(), replace={"xl/worksheets/sheet1.xml": xml.encode(codec)})


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    def tripwire(*_args: object) -> None:
        raise AssertionError("calamine was reached")

    monkeypatch.setattr(xlsx_reader, "read_workbook", tripwire)
    monkeypatch.setattr(xls_reader, "read_workbook", tripwire)


FAR_CELLS = {
    "double-quoted": '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "single-quoted": "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaced": '<row r = "1048576" ><c  r = " XFD1048576 " ><v>1</v></c></row>',
    "lower-case": '<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    "unaddressed-cells": '<row r="1048576">' + "<c><v>1</v></c>" * 20 + "</row>",
    "unaddressed-row": "<row>"
    + "<c><v>1</v></c>" * 16_384
    + "</row>"
    + '<row r="1048576"><c><v>1</v></c></row>',
    "prefixed": '<x:row r="1048576" xmlns:x="urn:x"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
}


@pytest.mark.parametrize("rows", FAR_CELLS.values(), ids=FAR_CELLS.keys())
def test_a_sheet_reaching_far_is_refused_before_calamine(rows: str, no_calamine: None) -> None:
    body = _with_sheet(rows)
    assert len(body) < 8_000  # a small file, an enormous sheet
    with pytest.raises(ReaderError, match=r"sheet 'Sheet' spans 1048576 rows × \d+ columns"):
        read_grids(body, "xlsx")


def test_a_declared_dimension_beyond_the_limit_is_refused(no_calamine: None) -> None:
    body = _with_sheet("", dimension='<dimension ref="A1:XFD1048576"/>')
    with pytest.raises(ReaderError, match="declares 1048576 rows × 16384 columns"):
        read_grids(body, "xlsx")


def test_a_wide_encoded_sheet_is_scanned_as_decoded(no_calamine: None) -> None:
    body = _with_sheet(FAR_CELLS["single-quoted"], codec="utf-16")
    with pytest.raises(ReaderError, match="1048576 rows × 16384 columns"):
        read_grids(body, "xlsx")


def test_an_unreadable_cell_address_is_refused(no_calamine: None) -> None:
    with pytest.raises(ReaderError, match="unreadable cell address"):
        read_grids(_with_sheet('<row r="2"><c r="B2:C3"><v>1</v></c></row>'), "xlsx")


def test_a_sheet_within_the_limit_still_reads() -> None:
    rows = '<row r="3"><c r="B3"><v>7</v></c></row><row><c><v>8</v></c><c><v>9</v></c></row>'
    (grid,) = read_grids(_with_sheet(rows), "xlsx")
    assert grid.rows == [["부서", ""], ["", "7"], ["8", "9"]]
    assert grid.row_numbers == [1, 3, 4]


def _xls_reaching(row: int, col: int, dimensions: bool = False) -> bytes:
    """A real xls whose cell records (or DIMENSIONS record) are moved to row/col."""
    import xlwt
    from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams

    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    sheet.write(0, 0, "부서")
    sheet.write(1, 1, 7)
    buffer = io.BytesIO()
    book.save(buffer)
    streams = []
    for path, data in read_all_streams(CompoundFile(buffer.getvalue())):
        if path == "Workbook":
            data, at = bytearray(data), 0
            while at + 4 <= len(data):
                kind, length = struct.unpack_from("<HH", data, at)
                if kind in (0x0203, 0x027E, 0x00FD) and not dimensions:  # NUMBER, RK, LABELSST
                    struct.pack_into("<HH", data, at + 4, row, col)
                if kind == 0x0200 and dimensions:  # DIMENSIONS
                    struct.pack_into("<IIHH", data, at + 4, 0, row, 0, col)
                at += 4 + length
            data = bytes(data)
        streams.append((path, data))
    return build_compound_file(streams)


@pytest.mark.parametrize(
    ("row", "col", "dimensions"),
    [(60_000, 60_000, False), (65_535, 255, False), (0xFFFFFFFF, 0xFFFF, True)],
    ids=["cells", "full-height", "dimensions"],
)
def test_an_xls_sheet_reaching_far_is_refused_before_calamine(
    row: int, col: int, dimensions: bool, no_calamine: None
) -> None:
    with pytest.raises(ReaderError, match=r"xls sheet 1 reaches \d+ rows × \d+ columns"):
        read_grids(_xls_reaching(row, col, dimensions), "xls")


def test_an_xls_within_the_limit_still_reads() -> None:
    (grid,) = read_grids(_xls_reaching(3, 4), "xls")
    assert grid.rows[-1][-1] in ("7", "부서")


# DTDs in parts a byte scan cannot read: UTF-16 and UTF-32 (with or without a byte order
# mark), and encodings that spell `<` otherwise.

WIDE = {
    "utf-16-le+bom": (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    "utf-16-be+bom": (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    "utf-16-le": (b"", "utf-16-le", "UTF-16"),
    "utf-16-be": (b"", "utf-16-be", "UTF-16"),
    "utf-32-le+bom": (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    "utf-32-be": (b"", "utf-32-be", "UTF-32"),
}


def _laughs_in(codec: str, bom: bytes, declared: str) -> bytes:
    text = BILLION_LAUGHS.decode().replace("?>", f' encoding="{declared}"?>', 1)
    return bom + text.encode(codec)


@pytest.mark.parametrize(("bom", "codec", "declared"), WIDE.values(), ids=WIDE.keys())
@pytest.mark.parametrize(
    ("kind", "part"),
    [
        ("xlsx", "xl/workbook.xml"),
        ("xlsx", "xl/worksheets/sheet1.xml"),
        ("xlsx", "xl/media/notes.bin"),  # any member that reads as XML, whatever its name
        ("hwpx", "Contents/section0.xml"),
    ],
)
def test_a_wide_encoded_dtd_is_refused(
    kind: str, part: str, bom: bytes, codec: str, declared: str, no_calamine: None
) -> None:
    body = _small_xlsx() if kind == "xlsx" else _fixture("hwpx_inventory")
    payload = _laughs_in(codec, bom, declared)
    replace = {part: payload} if part != "xl/media/notes.bin" else {}
    extra = [(part, payload)] if not replace else ()
    with pytest.raises(ReaderError, match="declares a DTD or entities"):
        read_grids(_rezip(body, replace=replace, extra=extra), kind)


@pytest.mark.parametrize("encoding", ["UTF-7", "cp500", "ISO-2022-KR", "x-unknown"])
def test_an_encoding_that_can_hide_markup_is_refused(encoding: str) -> None:
    hidden = b"+ADwAIQ-DOCTYPE r +AFsAPAAh-ENTITY x SYSTEM +ACI-file:///etc/passwd+ACIAPgBd-+AD4-"
    part = b'<?xml version="1.0" encoding="' + encoding.encode() + b'"?>' + hidden + b"<r/>"
    with pytest.raises(ReaderError, match=f"declares the encoding '{encoding}'"):
        read_grids(_rezip(_small_xlsx(), replace={"xl/workbook.xml": part}), "xlsx")


def test_wide_encoded_parts_without_a_dtd_pass_the_guard() -> None:
    part = '<?xml version="1.0" encoding="UTF-16"?><r>보관기간</r>'.encode("utf-16")
    book = safety.open_zip(_rezip(_small_xlsx(), extra=[("xl/extra.xml", part)]), "xlsx")
    assert "xl/extra.xml" in book.namelist()


def test_a_part_in_an_encoding_expat_cannot_read_is_a_reader_error() -> None:
    part = b'<?xml version="1.0" encoding="euc-kr"?><workbook/>'
    with pytest.raises(ReaderError, match="cannot be read"):
        read_grids(_rezip(_small_xlsx(), replace={"xl/workbook.xml": part}), "xlsx")


# PDF pages that draw far more than their bytes: a form XObject drawn a hundred times by a
# form drawn a hundred times, nested; pdfplumber keeps an object for every glyph and line.


def _pdf_with_forms(levels: int, fanout: int, leaf: bytes = b"0 0 1 1 re f\n", cycle=False):
    """A page drawing /X0 `fanout` times; form Xi draws X(i+1) `fanout` times (the last one
    draws `leaf`, or /X0 again when `cycle`)."""
    first = 5

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        packed = zlib.compress(data)
        return b"<< %s/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
            extra,
            len(packed),
            packed,
        )

    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /X0 %d 0 R >> >> >>" % first,
        4: stream(b"/X0 Do\n" * fanout),
    }
    for i in range(levels):
        target = (i + 1, first + i + 1) if i + 1 < levels else ((0, first) if cycle else None)
        if target is None:
            data, resources = leaf, b""
        else:
            data = b"/X%d Do\n" % target[0] * fanout
            resources = b"/Resources << /XObject << /X%d %d 0 R >> >> " % target
        form = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources
        objects[first + i] = stream(data, form)
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


@pytest.fixture
def no_pdfplumber(monkeypatch: pytest.MonkeyPatch) -> None:
    def tripwire(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pdfplumber was reached")

    monkeypatch.setattr(pdf_reader.pdfplumber, "open", tripwire)


@pytest.mark.parametrize(("levels", "fanout"), [(2, 300), (4, 100), (6, 1000)])
def test_a_form_xobject_bomb_is_refused_before_pdfplumber(
    levels: int, fanout: int, no_pdfplumber: None
) -> None:
    body = _pdf_with_forms(levels, fanout)
    assert len(body) < 4_000
    with pytest.raises(ReaderError, match="form XObject bomb"):
        read_grids(body, "pdf")


def test_a_form_that_draws_itself_is_refused(no_pdfplumber: None) -> None:
    with pytest.raises(ReaderError, match="draws itself"):
        read_grids(_pdf_with_forms(3, 1, cycle=True), "pdf")


def test_forms_nested_too_deep_are_refused(no_pdfplumber: None) -> None:
    with pytest.raises(ReaderError, match="deeper than 12 levels"):
        read_grids(_pdf_with_forms(14, 1), "pdf")


def test_a_page_drawing_a_form_a_few_times_reads() -> None:
    assert read_grids(_pdf_with_forms(2, 10), "pdf") == []


def test_a_page_of_a_million_drawing_operators_is_refused(no_pdfplumber: None) -> None:
    body = _pdf(1, content=b"0 0 1 1 re f\n" * 100_000, flate=True)
    assert len(body) < 20_000
    with pytest.raises(ReaderError, match="content inflates beyond"):
        read_grids(body, "pdf")


# Tables too wide to be an inventory, and characters that are never text.


def test_a_csv_of_a_million_columns_is_cut_to_the_limit() -> None:
    columns = 1_000_000
    head = "관리부서,설치대수," + ",".join(f"x{i}" for i in range(columns))
    row = "총무과,3," + ",".join("y" for _ in range(columns))
    grids, notes = read_grids_with_notes(f"{head}\n{row}\n".encode(), "csv")
    assert grids[0].width == safety.MAX_COLUMNS
    (note,) = [n for n in notes if n.code == "columns_truncated"]
    assert "최대 1,000,002개" in note.message


def test_a_sheet_wider_than_the_limit_is_cut_with_a_note() -> None:
    book = Workbook()
    book.active.append(["부서", "설치대수", *(f"열{i}" for i in range(1500))])
    book.active.append(["총무과", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    grids, notes = read_grids_with_notes(buffer.getvalue(), "xlsx")
    assert max(g.width for g in grids) <= safety.MAX_COLUMNS
    assert [n.code for n in notes] == ["columns_truncated"]


def test_nul_characters_in_cells_are_removed_and_noted() -> None:
    body = "관리부서,설치대수\n총무과,3\n민원\x00과,2\x00\n".encode()
    grids, notes = read_grids_with_notes(body, "csv")
    assert grids[0].rows[-1] == ["민원과", "2"]
    (note,) = notes
    assert (note.code, note.where) == ("nul_characters", "csv, row 3")
    assert "NUL 문자가 든 칸 2개" in note.message
