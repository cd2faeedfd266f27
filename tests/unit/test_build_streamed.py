"""The tables that grow with the documents (camera rows, findings) are written to Parquet as
the documents are read: what lands is the same whatever the batch size, and a document's
shared columns are filled in column-wise exactly as row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

import warehouse.build as build_module
from archive.index import Capture
from archive.paths import data_paths
from benchmarks.build_incremental import generate, institutions
from registry.institutions import InstitutionHint
from transforms.contract import parse_with_text
from warehouse.build import StreamedTable, build, camera_table
from warehouse.parsing import Parsed
from warehouse.schema import TABLES

INVENTORY = (
    "연번,관리부서,설치목적,설치위치,설치대수,촬영시간,보관기간,보관장소\n"
    "1,안전과,생활방범,1번 교차로,3,24시간,30일,통합관제센터\n"
    "2,OO과,어린이보호,○○초등학교,00대,24시간,녹화무,\n"
    "3,교통과,교통단속,시청 앞,2,09:00~18:00,1개월,관제실\n"
).encode()


def _capture() -> Capture:
    return Capture(
        sha256="ab" * 32,
        url="https://gu.example.go.kr/FileDown.do?atchFileId=1",
        status=200,
        content_type="text/csv; charset=utf-8",
        content_disposition=None,
        filename=None,
        last_modified=None,
        etag=None,
        media_type="text/csv",
        size_bytes=len(INVENTORY),
        fetched_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        inst_code="3000000",
        role="attachment",
        referer=None,
        warc_file="a.warc.gz",
        warc_offset=0,
        warc_length=1,
        record_type="response",
        crawl_id="crawl-1",
    )


def _row_by_row(capture: Capture, parsed: Parsed) -> pa.Table:
    """The camera rows as dicts, one per row, as the build once made them."""
    prov = build_module._provenance(capture)
    rows = [
        {"inst_code": capture.inst_code, **cam, "source_kind": "attachment", **prov}
        for cam in parsed.contract["cameras"]
    ]
    return pa.Table.from_pylist(rows, schema=TABLES["cameras"])


def test_camera_table_is_the_row_by_row_table() -> None:
    contract, _ = parse_with_text(
        INVENTORY,
        url="https://gu.example.go.kr/FileDown.do?atchFileId=1",
        content_type="text/csv; charset=utf-8",
        institution=InstitutionHint(),
    )
    parsed = Parsed(contract, None)
    assert len(contract["cameras"]) == 3
    table = camera_table(_capture(), parsed)
    assert table.equals(_row_by_row(_capture(), parsed), check_metadata=True)
    # A row that names its own institution keeps it, as it always did.
    contract["cameras"][0] = {**contract["cameras"][0], "inst_code": "9999999"}
    assert camera_table(_capture(), parsed).column("inst_code").to_pylist() == [
        "9999999",
        "3000000",
        "3000000",
    ]


def test_a_streamed_table_writes_every_row_in_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(StreamedTable, "BATCH_ROWS", 4)
    schema = pa.schema([pa.field("n", pa.int32(), nullable=False)])
    sink = StreamedTable(tmp_path / "t" / "n.parquet", schema)
    for start in range(0, 30, 3):
        sink.add_rows([{"n": n} for n in range(start, start + 3)])
    sink.add_rows([])
    sink.close()
    sink.close()  # closing twice is harmless (a failing build closes what is open)
    assert sink.rows == 30
    written = pq.ParquetFile(sink.path)
    assert written.metadata.num_row_groups > 1  # written while the rows came
    assert written.read().column("n").to_pylist() == list(range(30))


def _built(root: Path, batch: int, monkeypatch) -> tuple[dict, list, list, dict]:
    registry = institutions(3)
    generate(root, registry, 12, 30)
    monkeypatch.setattr(StreamedTable, "BATCH_ROWS", batch)
    report = build(data_paths(root), registry, force=True)
    con = duckdb.connect(str(data_paths(root).duckdb), read_only=True)
    try:
        cameras = con.execute(
            "SELECT * EXCLUDE (capture_sha256, fetched_at) FROM cameras "
            "ORDER BY inst_code, source_kind, row_ref"
        ).fetchall()
        issues = con.execute(
            "SELECT code, row_ref, inst_code FROM quality_issues ORDER BY ALL"
        ).fetchall()
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'cameras'"
            ).fetchall()
        )
    finally:
        con.close()
    return report.rows, cameras, issues, types


def test_the_warehouse_is_the_same_whatever_the_batch(tmp_path: Path, monkeypatch) -> None:
    rows, cameras, issues, types = _built(tmp_path / "small", 5, monkeypatch)
    again = _built(tmp_path / "large", 1_000_000, monkeypatch)
    assert (rows, cameras, issues, types) == again
    assert rows["cameras"] == len(cameras) == 3 * (12 + 20)  # inventory rows + page rows
    assert rows["quality_issues"] == len(issues)
    assert list(rows)[-2:] == ["captures", "standard_points"]
    assert types["legal_basis"] == "TINYINT[]"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
