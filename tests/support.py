"""Helpers shared by tests: paths, the real third-party files (when present), the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT.parent / "shared" / "realdata"
SAMPLE_SITES = PROJECT / "crawler" / "sample_web" / "sites"


def realdata(*parts: str) -> Path:
    """A file under ../shared/realdata, or a skip that says why."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared/realdata is absent)")
    return path


def run_cctv(
    *args: str, data_dir: Path | None = None, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    env = {**os.environ, "COLUMNS": "160"}
    if data_dir is not None:
        env["CCTV_DATA_DIR"] = str(data_dir)
    cctv = Path(sys.executable).with_name("cctv")
    return subprocess.run(
        [str(cctv), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or PROJECT,
        timeout=timeout,
        check=False,
    )


def query_warehouse(data_dir: Path, sql: str) -> list[tuple]:
    """Rows of a read-only query on the warehouse in `data_dir`."""
    import duckdb

    from warehouse.paths import data_paths

    con = duckdb.connect(str(data_paths(data_dir).duckdb), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
