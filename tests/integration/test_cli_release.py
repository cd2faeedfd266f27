"""`cctv release OUT/` as a user runs it: the demo warehouse released and its data package
validated by `frictionless`, a warehouse rebuilt from the same archive releasing the same
bytes, CHANGES.md after a change, bad targets refused with one line and exit 2, and a
release of the real standard-data files (skipped when ../shared/realdata is absent)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import frictionless
import pytest

from archive.paths import data_paths
from tests.support import realdata, run_cctv
from warehouse.release.checksums import verify

pytestmark = [pytest.mark.slow, pytest.mark.cli]


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def released(data_dir: Path, out: Path, *args: str) -> Path:
    result = run_cctv("release", str(out), *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == out and path.is_dir()
    return path


def valid_package(root: Path) -> None:
    report = frictionless.validate(root / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])[:10]


def count(parquet: Path) -> int:
    con = duckdb.connect()
    try:
        row = con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_demo_release_is_a_valid_checksummed_package(demo_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    result = run_cctv("release", str(out), data_dir=demo_data)
    assert result.returncode == 0, result.stderr
    root = Path(result.stdout.strip())
    assert "만듦" in result.stderr and "이전 묶음 없음" in result.stderr
    valid_package(root)
    assert verify(root) == []
    names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for table in ("institutions", "policies", "cameras", "captures", "standard_points"):
        assert {f"parquet/{table}.parquet", f"csv/{table}.csv"} <= names
    assert {"cctv.duckdb", "standard/cameras_standard_cp949.csv", "CHANGES.md"} <= names
    readme = (root / "README.md").read_text("utf-8")
    meta = json.loads((root / "release.json").read_text("utf-8"))
    assert meta["release"] == root.name and meta["citation"] in readme
    assert "## 방침을 찾지 못한 기관" in readme and "수집 기간(한국 시각)" in readme
    assert count(root / "parquet" / "policies.parquet") > 0
    quiet = run_cctv("release", str(out), "--quiet", data_dir=demo_data)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout.strip() == str(root)
    assert [p.name for p in out.iterdir()] == [root.name]  # the same data: replaced whole


def test_a_rebuilt_warehouse_releases_the_same_bytes(
    demo_data: Path, demo_copy: Path, tmp_path: Path
) -> None:
    """Only release.json (its creation time) and the DuckDB file, which DuckDB cannot write
    byte for byte twice, with its line in SHA256SUMS, may differ."""
    first = released(demo_data, tmp_path / "a")
    for step in (("build", "--force"), ("validate",)):
        result = run_cctv(*step, data_dir=demo_copy)
        assert result.returncode == 0, result.stderr
    second = released(demo_copy, tmp_path / "b")
    assert first.name == second.name
    a, b = files_of(first), files_of(second)
    assert set(a) == set(b)
    differing = sorted(p for p in a if a[p] != b[p])
    assert set(differing) <= {"release.json", "cctv.duckdb", "SHA256SUMS"}, differing

    def sums(data: bytes) -> list[str]:
        return [line for line in data.decode().splitlines() if not line.endswith("cctv.duckdb")]

    assert sums(a["SHA256SUMS"]) == sums(b["SHA256SUMS"])


def test_changes_after_a_change(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    before = released(demo_copy, out)
    con = duckdb.connect(str(data_paths(demo_copy).duckdb))
    try:
        codes = [r[0] for r in con.execute("SELECT inst_code FROM policies ORDER BY 1").fetchall()]
        changed, removed = codes[0], codes[1]
        con.execute(
            "UPDATE policies SET retention_days_max = 90, content_hash = 'changed' "
            "WHERE inst_code = ?",
            [changed],
        )
        con.execute("DELETE FROM policies WHERE inst_code = ?", [removed])
        con.execute("DELETE FROM cameras WHERE inst_code = ?", [removed])
    finally:
        con.close()
    after = released(demo_copy, out)
    assert after.name != before.name
    changes = (after / "CHANGES.md").read_text("utf-8")
    assert f"비교한 이전 묶음: `{before.name}`" in changes
    assert f"방침이 없어진 기관 1곳: {removed}" in changes
    assert f"방침이 바뀐 기관 1곳: {changed}" in changes
    assert "→ 90" in changes
    assert "| 방침 쪽 |" in changes and "| 방침의 카메라 대수 합계 |" in changes
    named = released(demo_copy, tmp_path / "elsewhere", "--previous", str(before))
    assert (named / "CHANGES.md").read_text("utf-8") == changes
    valid_package(after)


def test_targets_that_are_refused(demo_data: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = {
        mine: "묶음이 아닌 것",
        a_file: "폴더가 아닙니다",
        fifo: "폴더가 아닙니다",
        tmp_path / "missing" / "out": "상위 폴더",
        demo_data / "warehouse" / "releases": "안에 있습니다",
        demo_data / "archive" / "releases": "안에 있습니다",
        demo_data / "releases": "안에 있습니다",
        demo_data.parent: "담고 있습니다",
    }
    before = sorted(p.name for p in tmp_path.iterdir())
    for out, why in cases.items():
        result = run_cctv("release", str(out), data_dir=demo_data)
        assert result.returncode == 2, (out, result.stderr)
        assert why in one_line_error(result.stderr), out
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert a_file.read_text("utf-8") == "keep me"
    assert not (demo_data / "warehouse" / "releases").exists()
    assert not (demo_data / "releases").exists()
    bad_previous = run_cctv("release", str(tmp_path / "r"), "--previous", str(mine),
                            data_dir=demo_data)  # fmt: skip
    assert bad_previous.returncode == 2 and "묶음이 아닙니다" in one_line_error(bad_previous.stderr)


def test_without_a_warehouse(tmp_path: Path) -> None:
    result = run_cctv("release", str(tmp_path / "r"), data_dir=tmp_path / "data")
    assert result.returncode == 1 and "cctv build" in one_line_error(result.stderr)
    assert not (tmp_path / "r").exists()


@pytest.mark.realdata
def test_real_standard_data_released_and_validated(tmp_path: Path) -> None:
    files = [
        realdata("std_data", "gyeongsan_2024", "cctv.csv"),
        realdata("std_data", "daejeon_2025-2026", "cctv.csv"),
        realdata("std_data", "busan_localdata_2022-2024", "cctv.csv"),
        *sorted(realdata("std_data", "seoul_gu_2017-2019").glob("*.csv"))[:3],
    ]
    data_dir = tmp_path / "data"
    inbox = tmp_path / "files"  # copies under their own names, so nothing reads the shared tree
    inbox.mkdir()
    copies = []
    for n, path in enumerate(files):
        copies.append(inbox / f"{n:02d}_{path.name}")
        shutil.copyfile(path, copies[-1])
    for step in (("import", *map(str, copies)), ("build",), ("validate",)):
        result = run_cctv(*step, data_dir=data_dir, timeout=600)
        assert result.returncode == 0, (step, result.stderr)
    root = released(data_dir, tmp_path / "releases")
    valid_package(root)
    assert verify(root) == []
    assert count(root / "parquet" / "standard_points.parquet") > 20_000
    readme = (root / "README.md").read_text("utf-8")
    assert "| 전국CCTV표준데이터 지점 |" in readme and "공공누리 제1유형" in readme
