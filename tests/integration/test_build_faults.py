"""The build under faults, run as a user runs it (`cctv` in a child process): a crawl
killed with SIGKILL, a lost or damaged index, a damaged WARC record, a half-published
warehouse, two builds at once, a full disk and a read-only data directory. Each ends in
one line or a recorded issue, and nothing already stored is lost or changed."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.index import read_index
from archive.paths import DataPaths, data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import PROJECT, archive_sample_pages, query_warehouse, run_cctv
from warehouse.build import build, build_lock

pytestmark = [pytest.mark.slow, pytest.mark.cli]


def _archive(paths: DataPaths, crawl_id: str = "crawl-1") -> None:
    with ArchiveWriter(paths, crawl_id) as writer:
        archive_sample_pages(writer, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored(root: Path) -> dict[str, str]:
    """Every stored file under the archive and the warehouse's published parts."""
    paths = data_paths(root)
    files = [*paths.archive.rglob("*"), paths.duckdb, *paths.parquet_dir.glob("*.parquet")]
    return {str(f.relative_to(root)): _digest(f) for f in sorted(files) if f.is_file()}


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    paths = data_paths(tmp_path)
    _archive(paths)
    result = run_cctv("build", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_a_crawl_killed_before_its_index_is_refused_then_reindexed(tmp_path: Path) -> None:
    """SIGKILL mid-crawl, and the journal lost as well: the build refuses (it would read
    0 captures), `cctv reindex` rebuilds the index from the WARC, and the build reads it."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from tests.support import archive_sample_pages
        from archive.writer import ArchiveWriter
        from archive.paths import data_paths
        paths = data_paths({str(tmp_path)!r})
        writer = ArchiveWriter(paths, "crawl-killed")
        writer.close = lambda: None  # never reached anyway
        archive_sample_pages(writer)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    paths = data_paths(tmp_path)
    assert len(read_index(paths)) == 3  # the journal kept up with the WARC
    for journal in paths.index_dir.glob("*.journal.jsonl"):
        journal.unlink()  # and even without it, nothing is lost:

    result = run_cctv("build", data_dir=tmp_path)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "crawl-killed.warc.gz: 3 records" in line and "cctv reindex" in line
    assert not paths.duckdb.exists()

    result = run_cctv("reindex", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "indexed 3 captures from 1 WARC files" in result.stderr
    result = run_cctv("build", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query_warehouse(tmp_path, "SELECT count(*) FROM policies") == [(2,)]


def test_a_deleted_index_never_replaces_a_good_warehouse(built: Path) -> None:
    paths = data_paths(built)
    before = query_warehouse(built, "SELECT count(*) FROM cameras")
    for file in paths.index_dir.glob("*"):
        file.unlink()
    stored = _stored(built)
    result = run_cctv("build", "--force", data_dir=built)
    assert result.returncode == 1
    assert "cctv reindex" in _one_line(result.stderr)
    assert _stored(built) == stored
    assert query_warehouse(built, "SELECT count(*) FROM cameras") == before


def test_a_damaged_index_is_refused_with_its_name(built: Path) -> None:
    paths = data_paths(built)
    index = next(paths.index_dir.glob("*.parquet"))
    index.write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    stored = _stored(built)
    result = run_cctv("build", "--force", data_dir=built)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert index.name in line and "cctv reindex" in line
    assert _stored(built) == stored


def test_a_smaller_index_is_refused(built: Path) -> None:
    """A second crawl's index, then the first crawl's index file lost: fewer captures
    than the warehouse was built from."""
    paths = data_paths(built)
    _archive(paths, "crawl-2")
    assert run_cctv("build", data_dir=built).returncode == 0
    (paths.index_dir / "crawl-1.parquet").unlink()
    (paths.warc_dir / "crawl-1.warc.gz").rename(built / "moved-away.warc.gz")
    stored = _stored(built)
    result = run_cctv("build", data_dir=built)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "lists 3 captures, fewer than the 6" in line and "build.json" in line
    assert _stored(built) == stored


def test_a_damaged_warc_record_is_one_unreadable_document(built: Path) -> None:
    """Bytes flipped inside the attachment's record: that document is recorded as
    unreadable (even though its parse is cached), the rest of the build goes on."""
    paths = data_paths(built)
    hit = next(c for c in read_index(paths) if c.role == "attachment")
    warc = paths.warc_dir / hit.warc_file
    data = bytearray(warc.read_bytes())
    middle = hit.warc_offset + hit.warc_length // 2
    data[middle : middle + 16] = bytes(b ^ 0x5A for b in data[middle : middle + 16])
    warc.write_bytes(bytes(data))
    result = run_cctv("build", "--force", data_dir=built)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    issues = query_warehouse(
        built,
        "SELECT source_url FROM quality_issues WHERE code = 'document_unreadable'",
    )
    assert issues == [(hit.url,)]
    assert query_warehouse(built, "SELECT count(*) FROM policies") == [(2,)]
    assert warc.read_bytes() == bytes(data)  # the raw bytes stay as they are


def test_a_kill_between_the_swaps_is_repaired_not_skipped(built: Path) -> None:
    """The Parquet pointer gone (as if the build died before it was placed), or a
    published file lost: the next build does not say "up to date", it rebuilds."""
    paths = data_paths(built)
    assert paths.parquet_dir.is_symlink()
    rows = query_warehouse(built, "SELECT count(*) FROM cameras")
    paths.parquet_dir.unlink()
    result = run_cctv("build", data_dir=built)
    assert result.returncode == 0
    assert "did not match its last build" in result.stderr and "up to date" not in result.stderr
    assert (paths.parquet_dir / "cameras.parquet").exists()
    (paths.parquet_dir / "policies.parquet").unlink()
    result = run_cctv("build", data_dir=built)
    assert "policies.parquet is missing" in result.stderr
    assert query_warehouse(built, "SELECT count(*) FROM cameras") == rows
    result = run_cctv("build", data_dir=built)
    assert "up to date" in result.stderr
    builds = sorted((paths.warehouse / "parquet-builds").iterdir())
    assert len(builds) == 2  # the current build and the one before it, no more


def test_a_second_build_is_refused_while_one_runs(built: Path) -> None:
    paths = data_paths(built)
    stored = _stored(built)
    with build_lock(paths):
        result = run_cctv("build", "--force", data_dir=built)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "another build" in line and f"pid {os.getpid()}" in line
    assert _stored(built) == stored
    assert run_cctv("build", "--force", data_dir=built).returncode == 0


def test_data_dir_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a directory", encoding="utf-8")
    for command in (["build"], ["query", "SELECT 1"], ["reindex"], ["validate"]):
        result = run_cctv(*command, "--data-dir", str(target))
        assert result.returncode == 2, (command, result.stderr)
        assert "is not a directory" in _one_line(result.stderr)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own, so a full disk and a read-only one are real."""
    mount = tmp_path / "fs"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_keeps_the_warehouse(small_fs: Path) -> None:
    paths = data_paths(small_fs)
    _archive(paths)
    build(paths, load_registry())
    stored = _stored(small_fs)
    filler = small_fs / "filler"
    try:  # fill the disk to its last block
        with filler.open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    result = run_cctv("build", "--force", data_dir=small_fs)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "No space left on device" in line and "free some space" in line
    filler.unlink(missing_ok=True)
    assert _stored(small_fs) == stored
    assert not list(paths.warehouse.glob(".build-*"))
    assert run_cctv("query", "SELECT count(*) FROM policies", data_dir=small_fs).returncode == 0


def test_a_read_only_data_dir_is_one_line_and_still_queryable(small_fs: Path) -> None:
    paths = data_paths(small_fs)
    _archive(paths)
    build(paths, load_registry())
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_fs)], capture_output=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remount.stderr.decode().strip()}")
    result = run_cctv("build", "--force", data_dir=small_fs)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "Read-only file system" in line and "--data-dir" in line
    result = run_cctv("query", "SELECT count(*) FROM policies", data_dir=small_fs)
    assert result.returncode == 0, result.stderr
    assert "2" in result.stdout


def test_a_warehouse_held_for_writing_is_one_line(built: Path) -> None:
    """Another program (a notebook, a DuckDB shell) has the warehouse open for writing."""
    import duckdb

    con = duckdb.connect(str(data_paths(built).duckdb))
    try:
        for command in (
            ["validate"],
            ["query", "SELECT 1"],
            ["export", "excel", str(built / "out.xlsx")],
            ["report", "-i", "3510500", "--out", str(built / "report.html")],
        ):
            result = run_cctv(*command, data_dir=built)
            assert result.returncode == 1, (command, result.stderr)
            line = _one_line(result.stderr)
            assert "open for writing in another program" in line or "lock" in line, line
            assert f"PID {os.getpid()}" in line, line
    finally:
        con.close()
    assert run_cctv("query", "SELECT 1", data_dir=built).returncode == 0
