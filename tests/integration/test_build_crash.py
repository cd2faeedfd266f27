"""A build killed with SIGKILL half-way leaves the previous warehouse opening and validating."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.paths import data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import SAMPLE_SITES, archive_response, query_warehouse
from warehouse.build import build
from warehouse.validation import validate

pytestmark = pytest.mark.slow
PAGE = (SAMPLE_SITES / "www.michuhol.go.kr" / "policy.html").read_bytes()
# A small inventory page: many of them make a long build whose totals stay plausible.
SMALL = (
    "<html><body><h3>영상정보처리기기 운영·관리 방침</h3><table><thead><tr><th>부서</th>"
    "<th>설치대수</th><th>설치위치</th><th>보관기간</th></tr></thead><tbody>"
    + "".join(
        f"<tr><td>총무과</td><td>1대</td><td>{n}층 복도</td><td>30일</td></tr>" for n in range(1, 6)
    )
    + "</tbody></table>"
    + "<p>보관기간 : 촬영일로부터 30일</p>" * 50
    + "</body></html>"
).encode()


def _archive(root: Path, crawl_id: str, pages: int, day: int, page: bytes = PAGE) -> None:
    """`pages` distinct captures (each a new payload, so each must be parsed)."""
    with ArchiveWriter(data_paths(root), crawl_id) as writer:
        for n in range(pages):
            archive_response(
                writer,
                f"https://www.michuhol.go.kr/policy?n={n}",
                page + f"<!-- {crawl_id} {n} -->".encode(),
                fetched_at=dt.datetime(2026, 11, day, 0, 0, n % 60, tzinfo=dt.UTC),
                inst_code="3510500",
                role="policy" if n == 0 else "attachment",
            )


def _cameras(root: Path) -> int:
    [(count,)] = query_warehouse(root, "SELECT count(*) FROM cameras")
    return count


def test_sigkill_during_a_build_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    paths = data_paths(tmp_path)
    _archive(tmp_path, "crawl-1", 1, 1)
    build(paths, load_registry())
    before = _cameras(tmp_path)
    assert before == 25
    _archive(tmp_path, "crawl-2", 1000, 8, SMALL)  # a long build: a thousand new documents
    cctv = Path(sys.executable).with_name("cctv")
    env = {**os.environ, "CCTV_DATA_DIR": str(tmp_path)}
    killed_at, seen = [], []
    for delay in (0.3, 0.8, 1.5, 2.5):
        process = subprocess.Popen(
            [str(cctv), "build"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed_at.append(delay)
        process.wait()
        seen.append(_cameras(tmp_path))  # opens, whatever point the kill hit
        if seen[-1] == before:  # the previous warehouse, after a kill half-way
            report = validate(paths.duckdb, tmp_path / "docs", tmp_path / "results")
            failed = [
                (o.table, o.expectation_type, o.column)
                for o in report.outcomes
                if not o.success and o.severity == "error"
            ]
            assert report.error_failures == 0, failed
    assert killed_at, "every build finished before the kill: make the archive bigger"
    assert before in seen, "no kill landed before the swap: make the archive bigger"
    # The next build, left alone, completes and cleans up after the killed ones; every
    # state seen in between was the old warehouse or this whole new one.
    build(paths, load_registry())
    after = _cameras(tmp_path)
    assert after == 1000 * 5
    assert set(seen) <= {before, after}
    assert not list(paths.warehouse.glob(".build-*"))
