"""`cctv query` reads the warehouse and nothing else: every attempt to write, read local
files, download, load extensions or chain statements is refused, and nothing stored changes.
A limit turns only the first rows into Python values and still counts them all; the table
they are shown in lines up Hangul and cuts what would not fit."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from archive.paths import DataPaths, data_paths
from domain.text import display_width
from pipelines.cli import app
from pipelines.console import TABLE_CELL_WIDTH, format_table
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


# --- how many rows, and how they are shown ---------------------------------------------------


@pytest.fixture
def numbers(paths: DataPaths) -> DataPaths:
    """The same warehouse with a 120-row table beside `marker`."""
    con = duckdb.connect(str(paths.duckdb))
    try:
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(120)")
    finally:
        con.close()
    return paths


@pytest.mark.parametrize(
    ("sql", "limit", "shown", "total"),
    [
        ("SELECT n FROM numbers ORDER BY n", 50, 50, 120),
        ("SELECT n FROM numbers ORDER BY n", 120, 120, 120),
        ("SELECT n FROM numbers ORDER BY n", 0, 120, 120),
        ("SELECT n FROM numbers WHERE n < 3", 50, 3, 3),
        ("FROM numbers;", 7, 7, 120),
        ("SELECT n FROM numbers; -- a note after the statement", 5, 5, 120),
        ("DESCRIBE numbers", 50, 1, 1),
        ("SUMMARIZE numbers", 0, 1, 1),
    ],
)
def test_a_limit_keeps_the_first_rows_and_counts_them_all(
    numbers: DataPaths, sql: str, limit: int, shown: int, total: int
) -> None:
    result = run_query(numbers, sql, limit=limit)
    assert (len(result.rows), result.total) == (shown, total)
    assert result.complete is (shown == total)
    if sql.startswith("SELECT n"):
        assert [r[0] for r in result.rows] == list(range(shown))


def test_a_negative_limit_is_refused(numbers: DataPaths) -> None:
    with pytest.raises(QueryRefused, match=r"0 \(all rows\) or more"):
        run_query(numbers, "SELECT 1", limit=-1)


def test_the_table_aligns_hangul_numbers_and_missing_values() -> None:
    text, clipped = format_table(
        ["inst_code", "name", "cameras", "ratio"],
        [("3510500", "인천광역시 미추홀구", 2855, None), ("6110000", "서울특별시", 7, 0.5)],
    )
    header, rule, first, second = text.splitlines()
    assert not clipped
    assert header.split() == ["inst_code", "name", "cameras", "ratio"]
    assert set(rule) == {"─", " "}
    assert first.split() == ["3510500", "인천광역시", "미추홀구", "2855", "–"]
    widths = {display_width(line) for line in (first, second)}
    assert len(widths) == 1 == len({display_width(rule)})  # every line as wide: aligned
    assert second.endswith("  7    0.5")  # numbers to the right


def test_the_table_cuts_long_cells_and_shows_control_characters() -> None:
    text, clipped = format_table(["message"], [("가" * 100,), ("\x1b[2Jcleared",)])
    lines = text.splitlines()
    assert clipped
    assert lines[2].endswith("…") and display_width(lines[2]) <= TABLE_CELL_WIDTH
    assert lines[3] == "\\x1b[2Jcleared"
