"""`cctv query` reads the warehouse and nothing else: every attempt to write, read local
files, download, load extensions or chain statements is refused, and nothing stored changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from archive.paths import DataPaths, data_paths
from pipelines.cli import app
from warehouse.build import create_warehouse
from warehouse.query import QueryFailed, QueryRefused, check_statement, run_query
from warehouse.schema import TABLES


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    """A warehouse with empty tables plus one row, a Parquet copy, and an archive file."""
    paths = data_paths(tmp_path / "data")
    paths.warehouse.mkdir(parents=True)
    tables = {name: schema.empty_table() for name, schema in TABLES.items()}
    con = duckdb.connect(str(paths.duckdb))
    try:
        create_warehouse(con, tables)
        con.execute("CREATE TABLE marker AS SELECT 42 AS answer")
    finally:
        con.close()
    paths.parquet_dir.mkdir()
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"answer": [42]}), paths.parquet_dir / "marker.parquet")
    paths.warc_dir.mkdir(parents=True)
    (paths.warc_dir / "crawl-1.warc.gz").write_bytes(b"\x1f\x8b precious archive bytes")
    (tmp_path / "secret.txt").write_text("root:x:0:0\n", encoding="utf-8")
    return paths


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def cctv(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT answer FROM marker",
        "WITH a AS (SELECT answer FROM marker) SELECT * FROM a",
        "FROM marker",
        "VALUES (42)",
        "DESCRIBE marker",
        "SHOW TABLES",
        "SUMMARIZE marker",
        "SELECT * FROM query('SELECT 42')",
    ],
)
def test_read_only_statements_run(paths: DataPaths, sql: str) -> None:
    assert run_query(paths, sql).rows


def test_the_warehouse_parquet_folder_is_readable(paths: DataPaths) -> None:
    target = paths.parquet_dir / "marker.parquet"
    assert run_query(paths, f"SELECT answer FROM read_parquet('{target}')").rows == [(42,)]


@pytest.mark.parametrize(
    ("template", "refusal"),
    [
        ("COPY (SELECT 1) TO '{warc}'", "COPY cannot run here"),
        ("COPY (SELECT 1) TO '{db}'", "COPY cannot run here"),
        ("COPY marker TO '{outside}' (FORMAT csv)", "COPY cannot run here"),
        ("EXPORT DATABASE '{outside_dir}'", "cannot run here"),
        ("INSTALL httpfs", "LOAD cannot run here"),
        ("LOAD httpfs", "LOAD cannot run here"),
        ("ATTACH '{outside}' AS other", "ATTACH cannot run here"),
        ("SET enable_external_access = true", "SET cannot run here"),
        ("PRAGMA enable_profiling", "PRAGMA cannot run here"),
        ("CALL pragma_version()", "CALL cannot run here"),
        ("CREATE TABLE evil AS SELECT 1", "CREATE cannot run here"),
        ("DROP TABLE marker", "DROP cannot run here"),
        ("DELETE FROM marker", "DELETE cannot run here"),
        ("EXPLAIN ANALYZE COPY marker TO '{outside}'", "EXPLAIN cannot run here"),
        ("SELECT 1; COPY (SELECT 1) TO '{outside}'", "2 statements given"),
        ("SELECT 1; SELECT 2", "2 statements given"),
        ("", "no statement given"),
    ],
)
def test_writing_and_configuring_statements_are_refused(
    paths: DataPaths, tmp_path: Path, template: str, refusal: str
) -> None:
    before = _snapshot(tmp_path)
    sql = template.format(
        warc=paths.warc_dir / "crawl-1.warc.gz",
        db=paths.duckdb,
        outside=tmp_path / "written.csv",
        outside_dir=tmp_path / "dump",
    )
    with pytest.raises(QueryRefused, match=refusal):
        run_query(paths, sql)
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('{warc}')",
        "SELECT * FROM read_csv('{parquet}/../../../secret.txt')",
        "SELECT * FROM glob('/*')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('https://example.org/x.parquet')",
        "SELECT * FROM read_csv('{link}')",
    ],
)
def test_files_outside_the_warehouse_cannot_be_read(
    paths: DataPaths, tmp_path: Path, template: str
) -> None:
    link = paths.parquet_dir / "link.csv"
    os.symlink(tmp_path / "secret.txt", link)
    sql = template.format(
        secret=tmp_path / "secret.txt",
        warc=paths.warc_dir / "crawl-1.warc.gz",
        parquet=paths.parquet_dir,
        link=link,
    )
    check_statement(sql)  # a SELECT: the connection itself must refuse it
    with pytest.raises(QueryFailed) as refused:
        run_query(paths, sql)
    assert "root:x" not in str(refused.value)


def test_the_configuration_cannot_be_unlocked_from_a_query(paths: DataPaths) -> None:
    rows = run_query(paths, "SELECT current_setting('enable_external_access')").rows
    assert rows == [(False,)]
    with pytest.raises(QueryFailed):
        run_query(paths, "SELECT * FROM query('SET enable_external_access = true')")


def test_cli_refusal_is_one_line_exit_2_and_nothing_changes(
    paths: DataPaths, tmp_path: Path
) -> None:
    before = _snapshot(tmp_path)
    sql = f"COPY (SELECT 1) TO '{paths.duckdb}'"
    code, stdout, stderr = cctv("query", sql, "--data-dir", str(paths.root))
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1
    assert stderr.startswith("error: COPY cannot run here: cctv query runs only a single SELECT")
    assert _snapshot(tmp_path) == before
    code, stdout, _ = cctv("query", "SELECT answer FROM marker", "--data-dir", str(paths.root))
    assert code == 0 and "42" in stdout


def test_cli_local_file_read_is_exit_1_without_the_content(
    paths: DataPaths, tmp_path: Path
) -> None:
    sql = f"SELECT * FROM read_csv('{tmp_path / 'secret.txt'}')"
    code, stdout, stderr = cctv("query", sql, "--data-dir", str(paths.root))
    assert code == 1
    assert "root:x" not in stdout + stderr
    assert "Permission Error" in stderr and stderr.count("\n") == 1
