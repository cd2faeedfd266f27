from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.crawl_log import CrawlLog, read_crawl_log
from archive.fields import filename_from_disposition
from archive.index import ArchiveError, read_index
from archive.paths import data_paths
from archive.reader import ArchiveReader
from archive.writer import ArchiveWriter

PAGE = "<html><body><h1>영상정보처리기기 운영·관리 방침</h1></body></html>".encode()
AT = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)


def _exchange(writer: ArchiveWriter, url: str, body: bytes, **extra):
    return writer.write_exchange(
        url=url,
        status=200,
        reason="OK",
        response_headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Last-Modified", "Tue, 14 Jan 2025 00:00:00 GMT"),
            ("ETag", '"x"'),
        ],
        body=body,
        request_headers=[("User-Agent", "cctv-disclosures/0.1")],
        fetched_at=AT,
        inst_code="5060000",
        role="policy",
        **extra,
    )


def test_responses_are_written_as_warc_and_indexed(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    with ArchiveWriter(paths, "crawl-a") as writer:
        capture = _exchange(writer, "http://127.0.0.1/policy", PAGE)
    assert capture.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert capture.media_type == "text/html"

    with (paths.warc_dir / "crawl-a.warc.gz").open("rb") as fh:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)
        ]
    assert [t for t, _ in records] == ["warcinfo", "response", "request"]

    rows = pq.read_table(paths.index_dir / "crawl-a.parquet").to_pylist()
    assert rows[0]["sha256"] == capture.sha256
    assert rows[0]["inst_code"] == "5060000"
    assert rows[0]["last_modified"] == "Tue, 14 Jan 2025 00:00:00 GMT"
    assert rows[0]["fetched_at"] == AT
    assert ArchiveReader(paths).payload(capture.sha256) == PAGE


def test_an_identical_payload_is_stored_once_as_a_revisit(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    with ArchiveWriter(paths, "crawl-a") as writer:
        first = _exchange(writer, "http://127.0.0.1/policy", PAGE)
    with ArchiveWriter(paths, "crawl-b") as writer:
        again = _exchange(writer, "http://127.0.0.1/policy", PAGE)
        other = _exchange(writer, "http://127.0.0.1/other", PAGE + b" ")
    assert (first.record_type, again.record_type, other.record_type) == (
        "response",
        "revisit",
        "response",
    )
    with (paths.warc_dir / "crawl-b.warc.gz").open("rb") as fh:
        revisit = next(r for r in ArchiveIterator(fh) if r.rec_type == "revisit")
        assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == first.url
    assert [c.crawl_id for c in read_index(paths)] == ["crawl-a", "crawl-b", "crawl-b"]
    assert ArchiveReader(paths).payload(again.sha256) == PAGE


def test_crawl_ids_cannot_be_reused(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    ArchiveWriter(paths, "crawl-a").close()
    with pytest.raises(ArchiveError, match="unique"):
        ArchiveWriter(paths, "crawl-a")


def test_a_corrupted_warc_is_detected(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    with ArchiveWriter(paths, "crawl-a") as writer:
        capture = _exchange(writer, "http://127.0.0.1/policy", PAGE)
    with pytest.raises(ArchiveError):
        ArchiveReader(paths).payload("0" * 64)
    warc = paths.warc_dir / "crawl-a.warc.gz"
    data = bytearray(warc.read_bytes())
    data[capture.warc_offset + 40 : capture.warc_offset + 60] = b"\0" * 20
    warc.write_bytes(bytes(data))
    with pytest.raises(Exception):  # noqa: B017 - gzip, warcio or the digest check
        ArchiveReader(paths).payload(capture.sha256)


def test_files_brought_in_by_hand_get_the_same_index(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    xlsx = b"PK\x03\x04not really"
    with ArchiveWriter(paths, "import-a") as writer:
        capture = writer.write_file(
            xlsx, url="file:///tmp/현황.xlsx", inst_code="4671000", filename="군산시 현황.xlsx"
        )
    assert capture.role == "import"
    assert capture.filename == "군산시 현황.xlsx"
    assert ArchiveReader(paths).payload(capture.sha256) == xlsx


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename=\"a.xlsx\"; filename*=UTF-8''%EA%B9%80%EC%B2%9C.xlsx", "김천.xlsx"),
        ('attachment; filename="plain.xlsx"', "plain.xlsx"),
        ("attachment; filename=%EA%B5%B0%EC%82%B0.xlsx", "군산.xlsx"),
        (None, None),
        ("inline", None),
    ],
)
def test_download_names(header: str | None, name: str | None) -> None:
    assert filename_from_disposition(header) == name


def test_crawl_log_keeps_events_and_survives_a_broken_line(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    log = CrawlLog(paths, "crawl-a")
    log.event("fetch_failed", url="http://127.0.0.1:9/x", error="TimeoutError")
    log.close()
    with (paths.crawl_log_dir / "crawl-a.jsonl").open("a") as fh:
        fh.write("{not json\n")
    events = list(read_crawl_log(paths))
    assert events[0]["event"] == "fetch_failed" and events[0]["url"].endswith("/x")
    assert events[1]["event"] == "log_unreadable"


def test_imports_are_resource_records_that_standard_tools_check(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.cli import main as warcio_main

    paths = data_paths(tmp_path)
    body = "관리기관명,설치목적구분\n김천시,생활방범\n".encode("cp949")
    with ArchiveWriter(paths, "import-b") as writer:
        first = writer.write_file(body, url="file:///data/김천.csv", filename="김천.csv")
        again = writer.write_file(body, url="file:///data/copy.csv")
    assert (first.record_type, again.record_type) == ("resource", "revisit")
    assert first.status is None and first.has_content and again.has_content
    with (paths.warc_dir / first.warc_file).open("rb") as fh:
        fh.seek(first.warc_offset)
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_type == "resource"
        assert record.content_stream().read() == body  # the file itself, no header block
    assert ArchiveReader(paths).payload(first.sha256) == body
    # `warcio check` verifies every digest in the file and exits 0 when all match.
    with pytest.raises(SystemExit) as checked:
        warcio_main(["check", str(paths.warc_dir / first.warc_file)])
    assert checked.value.code == 0
