"""No crash loses a crawl: the index keeps up with the WARC as it is written, `reindex`
rebuilds it from the WARC files alone, and damaged bytes cost only the record they hit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from archive.index import read_index
from archive.paths import DataPaths, data_paths
from archive.reader import ArchiveReader
from archive.reindex import gzip_members, reindex, unindexed_records
from archive.writer import ArchiveWriter
from tests.support import PROJECT, archive_response

HTML = [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')]
XLSX = [
    ("Content-Type", "application/octet-stream"),
    ("Content-Disposition", "attachment; filename*=UTF-8''%EC%B9%B4%EB%A9%94%EB%9D%BC.xlsx"),
]
AT = dt.datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _write_archive(paths: DataPaths) -> None:
    """Every kind of record the archive holds, with the names real sites use."""
    with ArchiveWriter(paths, "crawl-20261102T093015000000Z") as writer:
        workbook = b"PK\x03\x04 not really a workbook"
        archive_response(
            writer,
            "https://www.michuhol.go.kr/main/contents.do?key=2285&q=%2F한글",
            b"<html><body><h1>\xec\x98\x81\xec\x83\x81</h1></body></html>",
            headers=HTML,
            fetched_at=AT,
            inst_code="3510500",
            role="policy",
            referer="https://www.michuhol.go.kr/",
        )
        # The workbook, then the same bytes under another name: a revisit.
        for n, name in enumerate(["cctv.xlsx", "cctv-copy.xlsx"], start=1):
            archive_response(
                writer,
                f"https://www.michuhol.go.kr/files/{name}",
                workbook,
                headers=XLSX,
                fetched_at=AT + dt.timedelta(seconds=n),
                inst_code="3510500",
                role="attachment",
                referer="https://www.michuhol.go.kr/main/contents.do?key=2285" if n == 1 else None,
            )
        archive_response(
            writer,
            "https://www.michuhol.go.kr/error",
            b"<html>error</html>",
            status=500,
            headers=HTML,
            fetched_at=AT + dt.timedelta(seconds=3),
            inst_code="3510500",
            role="attachment",
        )
    with ArchiveWriter(paths, "crawl-20261109T000000000000Z") as writer:
        first = read_index(paths)[0]
        writer.write_not_modified(
            url=first.url,
            prior_sha256=first.sha256,
            reason="Not Modified",
            response_headers=[("ETag", '"v1"')],
            fetched_at=AT + dt.timedelta(days=7),
            inst_code="3510500",
            role="policy",
        )
        writer.write_file(
            "설치목적,설치대수\n방범,3\n".encode(),
            url="file:///home/me/서울시 CCTV\r\n현황.csv",
            inst_code="6110000",
            filename="서울시 CCTV\r\n현황.csv",
            fetched_at=AT + dt.timedelta(days=7, seconds=1),
        )


def _comparable(captures) -> list[dict]:
    rows = [dataclasses.asdict(c) for c in captures]
    for row in rows:
        row["fetched_at"] = row["fetched_at"].astimezone(dt.UTC)
    return rows


def test_reindex_rebuilds_the_index_exactly(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    _write_archive(paths)
    original = read_index(paths)
    assert {c.record_type for c in original} == {"response", "revisit", "resource"}
    for file in paths.index_dir.iterdir():
        file.unlink()
    assert read_index(paths) == []
    assert unindexed_records(paths, []) == [
        "crawl-20261102T093015000000Z.warc.gz: 4 records",
        "crawl-20261109T000000000000Z.warc.gz: 2 records",
    ]
    report = reindex(paths)
    assert report.damaged == [] and report.without_provenance == 0
    assert report.captures == len(original) == 6
    assert _comparable(read_index(paths)) == _comparable(original)
    assert unindexed_records(paths, read_index(paths)) == []


def _writer_script(root: Path, records: int) -> str:
    return textwrap.dedent(
        f"""
        import os, signal
        from tests.support import archive_response
        from archive.writer import ArchiveWriter
        from archive.paths import data_paths
        writer = ArchiveWriter(data_paths({str(root)!r}), "crawl-killed")
        for n in range({records}):
            archive_response(
                writer, f"https://www.gunsan.go.kr/page/{{n}}",
                ("<html>" + str(n) * 5000 + "</html>").encode(),
                headers=[("Content-Type", "text/html")], inst_code="4520000", role="attachment",
            )
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )


def test_a_crawl_killed_with_sigkill_keeps_its_index(tmp_path: Path) -> None:
    """The writer dies by SIGKILL without closing: the journal already lists every record
    it finished, and the build's coverage check finds nothing missing."""
    paths = data_paths(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", _writer_script(tmp_path, 25)],
        cwd=PROJECT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    captures = read_index(paths)
    assert len(captures) == 25
    assert unindexed_records(paths, captures) == []
    reader = ArchiveReader(paths, captures)
    assert all(reader.payload(c.sha256).startswith(b"<html>") for c in captures)
    # reindex turns the journal into the crawl's Parquet index, with the same rows
    reindex(paths)
    assert not list(paths.index_dir.glob("*.journal.jsonl"))
    assert _comparable(read_index(paths)) == _comparable(captures)


def test_a_half_written_last_record_is_not_counted(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    _write_archive(paths)
    warc = paths.warc_dir / "crawl-20261109T000000000000Z.warc.gz"
    whole = warc.read_bytes()
    warc.write_bytes(whole + whole[:40])  # a record cut short at the kill
    assert unindexed_records(paths, read_index(paths)) == []
    report = reindex(paths)
    assert report.captures == 6
    assert report.damaged == [f"{warc.name}@{len(whole)}: 40 bytes cannot be inflated"]


def test_flipped_bytes_cost_only_the_record_they_hit(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    _write_archive(paths)
    captures = read_index(paths)
    hit = next(c for c in captures if c.role == "attachment" and c.record_type == "response")
    warc = paths.warc_dir / hit.warc_file
    data = bytearray(warc.read_bytes())
    middle = hit.warc_offset + hit.warc_length // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    warc.write_bytes(bytes(data))

    reader = ArchiveReader(paths, captures)
    with pytest.raises(Exception, match=r"@|digest|inflate|record|gzip|compress"):
        reader.payload(hit.sha256)
    policy = next(c for c in captures if c.role == "policy" and c.record_type == "response")
    assert reader.payload(policy.sha256).startswith(b"<html>")

    with warc.open("rb") as fh:
        members = list(gzip_members(fh))
    assert [m.offset for m in members if m.record is None] == [hit.warc_offset]
    report = reindex(paths)
    assert any(f"{hit.warc_file}@{hit.warc_offset}" in line for line in report.damaged)
    assert report.captures == len(captures) - 1  # the damaged record, and only it


def test_an_unreadable_index_file_is_an_error_that_names_it(tmp_path: Path) -> None:
    from archive.index import ArchiveError

    paths = data_paths(tmp_path)
    _write_archive(paths)
    index = sorted(paths.index_dir.glob("*.parquet"))[0]
    index.write_bytes(b"PAR1 this is not parquet PAR1")
    with pytest.raises(ArchiveError, match=rf"{index.name}.*cctv reindex"):
        read_index(paths)
    reindex(paths)
    assert len(read_index(paths)) == 6


def test_provenance_headers_keep_warc_valid(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    _write_archive(paths)
    warcio = Path(sys.executable).with_name("warcio")
    for warc in paths.warc_dir.glob("*.warc.gz"):
        result = subprocess.run(
            [str(warcio), "check", str(warc)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert os.environ.get("CCTV_DATA_DIR") != str(tmp_path)
