"""The data dictionary stays whole and true: every column described, the committed Markdown
what the code renders, and the descriptions harmless to everything that reads the schemas."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from archive.index import read_index
from archive.paths import data_paths
from warehouse import dictionary
from warehouse.schema import CAPTURES, TABLES


def _bare(schema: pa.Schema) -> pa.Schema:
    """The schema without any description: what older files were written with."""
    return pa.schema([f.remove_metadata() for f in schema])


def test_every_table_and_column_is_described() -> None:
    gaps = dictionary.undocumented()
    assert not gaps, (
        "describe these in warehouse/schema.py (a shared column once in FIELDS, any other "
        "with field metadata=doc(...), with a unit for numbers and times) or, for views, in "
        "warehouse.dictionary.VIEWS: " + ", ".join(gaps)
    )


def test_no_view_column_is_described_that_does_not_exist() -> None:
    assert not dictionary.stale_view_columns()


def test_every_view_the_build_creates_is_in_the_dictionary() -> None:
    assert set(dictionary.view_sources()) == set(dictionary.VIEWS)


def test_the_committed_dictionary_is_current() -> None:
    committed = dictionary.DICTIONARY_MD.read_text(encoding="utf-8")
    assert committed == dictionary.render(), (
        "docs/data-dictionary.md is out of date: run `make docs`"
    )


def test_the_dictionary_names_every_table_view_and_column() -> None:
    text = dictionary.render()
    types = dictionary.duckdb_types()
    for name, columns in types.items():
        assert f"\n### {name}\n" in text
        for column, _kind in columns:
            assert f"| `{column}` |" in text


def test_the_dictionary_shows_each_column_s_korean_name() -> None:
    text = dictionary.render()
    assert "| `retention_days` | 보관기간(일) |" in text  # cameras
    assert "| `retention_days` | 보관일수 |" in text  # standard_points: the standard's header
    assert "| `capture_sha256` | 원본 SHA-256 |" in text
    assert not [gap for gap in dictionary.undocumented() if "한국어" in gap]


def test_units_are_the_expected_ones_for_days_bytes_and_times() -> None:
    for name, schema in dictionary.ALL_TABLES.items():
        for f in schema:
            unit, _doc = dictionary.field_doc(f)
            if pa.types.is_timestamp(f.type):
                assert unit == "UTC", f"{name}.{f.name}"
            if f.name.endswith("_days") or "retention_days" in f.name:
                assert unit == "days", f"{name}.{f.name}"
            if f.name.endswith("_bytes") or f.name.startswith("warc_o"):
                assert unit == "bytes", f"{name}.{f.name}"


def test_descriptions_do_not_change_schema_equality() -> None:
    for schema in TABLES.values():
        assert schema == _bare(schema)
        assert schema.empty_table().schema == _bare(schema)


def test_descriptions_travel_through_parquet_and_duckdb(tmp_path: Path) -> None:
    con = duckdb.connect()
    try:
        for name, schema in dictionary.ALL_TABLES.items():
            path = tmp_path / f"{name}.parquet"
            pq.write_table(schema.empty_table(), path)
            back = pq.read_table(path).schema
            assert back.equals(schema), name
            assert back.metadata == schema.metadata, name
            assert [f.metadata for f in back] == [f.metadata for f in schema], name
            con.register("incoming", schema.empty_table())
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
            columns = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            assert columns == schema.names
    finally:
        con.close()


def test_a_capture_index_written_without_descriptions_still_reads(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    paths.index_dir.mkdir(parents=True)
    row = {
        "sha256": "0" * 64,
        "url": "https://www.example.go.kr/",
        "status": 200,
        "content_type": "text/html",
        "content_disposition": None,
        "filename": None,
        "last_modified": None,
        "etag": None,
        "media_type": "text/html",
        "size_bytes": 10,
        "fetched_at": pa.scalar(0, pa.timestamp("us", tz="UTC")).as_py(),
        "inst_code": "6110000",
        "role": "homepage",
        "referer": None,
        "warc_file": "crawl-1.warc.gz",
        "warc_offset": 0,
        "warc_length": 100,
        "record_type": "response",
        "crawl_id": "crawl-1",
    }
    pq.write_table(
        pa.Table.from_pylist([row], schema=_bare(CAPTURES)), paths.index_dir / "crawl-1.parquet"
    )
    (capture,) = read_index(paths)
    assert capture.url == row["url"] and capture.warc_offset == 0


def test_main_writes_the_file_it_is_given(tmp_path: Path) -> None:
    target = tmp_path / "dictionary.md"
    assert dictionary.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == dictionary.render()
