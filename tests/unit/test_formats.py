"""One list of document kinds: sniffing, readers, attachment links and name checks agree."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.formats import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_KINDS,
    BY_EXTENSION,
    FORMATS,
    MEDIA_TYPES,
    NAMED,
    SIGNED,
    TABULAR_KINDS,
    extension_pattern,
)
from transforms import readers
from transforms.links import attachment_kind, names_file
from transforms.sniff import check_name, media_type_of, sniff_kind


def _xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def test_each_kind_has_its_own_media_type_and_its_extensions_name_only_it() -> None:
    assert len(set(MEDIA_TYPES.values())) == len(FORMATS)
    extensions = [ext for f in FORMATS.values() for ext in (*f.extensions, *f.aliases)]
    assert len(extensions) == len(set(extensions))
    assert BY_EXTENSION["htm"] == "html" and NAMED["xlsm"] == "xlsx" and NAMED["txt"] == "text"
    assert "xlsm" not in BY_EXTENSION and "txt" not in BY_EXTENSION


def test_every_tabular_kind_has_a_reader_and_every_reader_a_kind() -> None:
    assert set(readers._READERS) == set(TABULAR_KINDS) == set(readers.READABLE)
    assert set(TABULAR_KINDS) <= set(ATTACHMENT_KINDS)
    assert {"xlsx", "xls", "hwp", "hwpx", "pdf", "zip"} == SIGNED


@pytest.mark.parametrize("kind", [k for k, f in FORMATS.items() if f.extensions])
def test_a_file_name_decides_only_when_bytes_and_type_do_not(kind: str) -> None:
    for ext in FORMATS[kind].extensions:
        assert sniff_kind(b"\x01\x02 no signature", None, f"현황.{ext}") == kind
    assert sniff_kind(b"%PDF-1.7", None, f"현황.{FORMATS[kind].extensions[0]}") == "pdf"


def test_an_alias_does_not_make_a_file_its_kind_by_name_alone() -> None:
    assert sniff_kind(b"\x01\x02", None, "현황.xlsm") == "unknown"
    assert check_name("현황.xlsm", _xlsx_bytes()).misnamed is False
    assert media_type_of(_xlsx_bytes(), None, "a.bin") == FORMATS["xlsx"].media_type


def test_a_misnamed_file_is_described_from_the_catalogue() -> None:
    check = check_name("현황.csv", _xlsx_bytes())
    assert check.misnamed and check.what() == "현황.csv is named .csv but holds an xlsx workbook"
    unknown = check_name("현황.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert unknown.unsigned and unknown.what().endswith("bytes of no known type")


@pytest.mark.parametrize("ext", ATTACHMENT_EXTENSIONS)
def test_links_know_every_attachment_extension(ext: str) -> None:
    kind = BY_EXTENSION[ext]
    assert attachment_kind(f"https://x.go.kr/upload/현황.{ext}") == kind
    assert attachment_kind("https://x.go.kr/down.do?id=1", f"[{ext.upper()}] 현황") == kind
    assert attachment_kind(f"https://x.go.kr/down.do?fileNm=a.{ext}") == kind
    assert names_file(f"운영방침.{ext} (35KB)")


def test_the_pattern_never_takes_the_short_extension_out_of_the_long_one() -> None:
    assert extension_pattern(("xls", "xlsx", "hwp", "hwpx")).split("|")[:2] == ["xlsx", "hwpx"]
    assert attachment_kind("https://x.go.kr/d.do", "[xlsx다운로드]") == "xlsx"
    assert attachment_kind("https://x.go.kr/d.do", "다운로드hwpx") == "hwpx"
