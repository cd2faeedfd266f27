"""Documents that cannot be read fail alone, through the real build: a corrupt WARC record
(even one whose parse is cached) and a file that crashes its reader each become one
`document_unreadable` issue naming the document, and every other document is built."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from archive.index import ArchiveError, read_index
from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import (
    HTML_HEADERS,
    SAMPLE_SITES,
    XLSX_HEADERS,
    archive_response,
    query_warehouse,
)
from transforms.readers import xlsx as xlsx_reader
from warehouse import sandbox as sandbox_module
from warehouse.build import build
from warehouse.parsing import DocumentParser
from warehouse.sandbox import Limits, ParseSandbox

POLICY = "https://www.gimcheon.go.kr/policy.html"
BOMB = "https://www.gimcheon.go.kr/files/bomb.xlsx"
INVENTORY = "https://www.gimcheon.go.kr/files/cctv_status.xlsx"


def _bomb() -> bytes:
    """1.6 KB that calamine reads as a 1048576 × 16384 sheet (512 GB, then abort)."""
    book = Workbook()
    book.active.append(["부서", "설치대수"])
    book.active.cell(1_048_576, 16_384, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _archive(root: Path) -> None:
    site = SAMPLE_SITES / "www.gimcheon.go.kr"
    with ArchiveWriter(data_paths(root), "crawl-1") as writer:
        for url, headers, body, role in [
            (POLICY, HTML_HEADERS, (site / "policy.html").read_bytes(), "policy"),
            (INVENTORY, XLSX_HEADERS, (site / "files/cctv_status.xlsx").read_bytes(), "attachment"),
            (BOMB, XLSX_HEADERS, _bomb(), "attachment"),
        ]:
            archive_response(
                writer,
                url,
                body,
                headers=headers,
                fetched_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
                inst_code="5060000",
                role=role,
            )


def _flip(root: Path, url: str) -> None:
    """Flip one bit in the middle of the record that holds `url`'s payload."""
    paths = data_paths(root)
    (capture,) = [c for c in read_index(paths) if c.url == url and c.record_type == "response"]
    warc = paths.warc_dir / capture.warc_file
    data = bytearray(warc.read_bytes())
    data[capture.warc_offset + capture.warc_length // 2] ^= 0x10
    warc.write_bytes(bytes(data))


def _unreadable(root: Path) -> dict[str, str]:
    rows = query_warehouse(
        root,
        "SELECT source_url, message FROM quality_issues WHERE code = 'document_unreadable'",
    )
    return dict(rows)


def _built(root: Path) -> tuple[set[str], set[str]]:
    """The documents the warehouse holds rows of: policy pages, and inventories."""
    policies = query_warehouse(root, "SELECT source_url FROM policies")
    cameras = query_warehouse(root, "SELECT DISTINCT source_url FROM cameras")
    return {url for (url,) in policies}, {url for (url,) in cameras}


@pytest.fixture
def fresh_sandbox(monkeypatch: pytest.MonkeyPatch):
    """The build's shared worker, replaced by one forked after the test's patches."""
    sandbox = ParseSandbox(Limits(seconds=60, memory_mb=1024))
    monkeypatch.setattr(sandbox_module, "_shared", sandbox)
    yield sandbox
    sandbox.close()


def test_a_corrupt_record_is_caught_even_when_its_parse_is_cached(tmp_path: Path) -> None:
    _archive(tmp_path)
    paths = data_paths(tmp_path)
    (policy,) = [c for c in read_index(paths) if c.url == POLICY]
    DocumentParser(paths, load_registry()).parse(policy)  # cached now
    _flip(tmp_path, POLICY)
    parser = DocumentParser(paths, load_registry())
    with pytest.raises(ArchiveError, match=r"@\d+: (payload digest mismatch|the record cannot)"):
        parser.parse(policy)
    assert parser.reused == 0


def test_a_truncated_warc_is_an_archive_error(tmp_path: Path) -> None:
    _archive(tmp_path)
    paths = data_paths(tmp_path)
    captures = read_index(paths)
    (bomb,) = [c for c in captures if c.url == BOMB]
    warc = paths.warc_dir / bomb.warc_file
    warc.write_bytes(warc.read_bytes()[: bomb.warc_offset + 40])
    with pytest.raises(ArchiveError, match=r"cannot be read|no response record|digest"):
        DocumentParser(paths, load_registry(), captures).parse(bomb)


def test_a_reader_crash_fails_its_document_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_sandbox: ParseSandbox
) -> None:
    """With the sheet check off, calamine aborts on the bomb: in the worker, so the build
    records it and reads the policy page and the real inventory."""
    unchecked = lambda _book, _part, sheet: xlsx_reader._Scan(sheet)  # noqa: E731
    monkeypatch.setattr(xlsx_reader, "_scan_part", unchecked)
    _archive(tmp_path)
    report = build(data_paths(tmp_path), load_registry())
    assert report.failed == [BOMB]
    unreadable = _unreadable(tmp_path)
    assert list(unreadable) == [BOMB]
    assert unreadable[BOMB].startswith(f"문서를 읽을 수 없음({BOMB}): 읽기 프로세스가 ")
    assert "메모리 한도 1,024 MB를 넘음" in unreadable[BOMB]
    assert _built(tmp_path) == ({POLICY}, {INVENTORY})


def test_the_guard_refuses_the_bomb_without_a_crash(tmp_path: Path) -> None:
    _archive(tmp_path)
    build(data_paths(tmp_path), load_registry())
    assert "1048576 rows × 16384 columns" in _unreadable(tmp_path)[BOMB]


def test_a_corrupt_record_is_one_unreadable_document(tmp_path: Path) -> None:
    _archive(tmp_path)
    paths = data_paths(tmp_path)
    build(paths, load_registry())  # every parse cached
    _flip(tmp_path, INVENTORY)
    build(paths, load_registry(), force=True)
    unreadable = _unreadable(tmp_path)
    assert INVENTORY in unreadable and POLICY not in unreadable
    assert _built(tmp_path) == ({POLICY}, set())
