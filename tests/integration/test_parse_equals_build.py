"""`cctv parse FILE` prints what `cctv build` loads for that file: for standard data the
`standard_points` rows and their quality issues, for a published aggregate the
`aggregates` rows and their total checks (less the provenance only a build has)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support import PROJECT, run_cctv

FILES = PROJECT / "tests" / "files"
STANDARD = [
    FILES / "standard" / "g3_gyeongsan_cp949_crlf.csv",  # shared points, 설치연월 YYYYMM
    FILES / "standard" / "g1_mapo_cp949_cr.csv",  # bare CR, drag-fill runs
    FILES / "standard" / "api_gimhae.json",  # the OpenAPI's records
]
AGGREGATES = [
    FILES / "aggregates" / "gu_purpose.csv",  # a total row labelled 자치구, one stale total
    FILES / "aggregates" / "yearly_no_total.csv",  # no total row at all
]
pytestmark = [pytest.mark.slow, pytest.mark.cli]  # imports and builds a data directory once

PROVENANCE = {"capture_sha256", "source_url", "fetched_at", "parser_version"}
ISSUE_KEYS = ("level", "code", "message", "row_ref", "inst_code")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _table(data_dir: Path, name: str, sha256: str) -> list[dict]:
    table = pq.read_table(data_dir / "warehouse" / "parquet" / f"{name}.parquet")
    return [
        {k: _plain(v) for k, v in row.items() if k not in PROVENANCE}
        for row in table.to_pylist()
        if row["capture_sha256"] == sha256
    ]


def _issues(rows: list[dict], keys: tuple[str, ...] = ISSUE_KEYS) -> list[tuple]:
    return sorted(tuple(str(row.get(k)) for k in keys) for row in rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory with every fixture imported and built."""
    data_dir = tmp_path_factory.mktemp("parse-equals-build")
    for file in [*STANDARD, *AGGREGATES]:
        imported = run_cctv("import", "--data-dir", str(data_dir), str(file))
        assert imported.returncode == 0, imported.stderr
    done = run_cctv("build", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    return data_dir


def _parse(file: Path) -> dict:
    result = run_cctv("parse", str(file))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("file", STANDARD, ids=lambda f: f.name)
def test_standard_data_parse_prints_the_rows_the_build_loads(built: Path, file: Path) -> None:
    parsed = _parse(file)
    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    loaded = _table(built, "standard_points", sha256)
    assert loaded, "the build loaded no rows for the file"
    assert parsed["cameras"] == [] and parsed["policy"] is None
    assert parsed["standard_points"] == sorted(loaded, key=lambda r: r["row_number"])
    found = _table(built, "quality_issues", sha256)
    assert {row["stage"] for row in found} == {"standard"}
    assert parsed["issues"] and _issues(parsed["issues"]) == _issues(found)


@pytest.mark.parametrize("file", AGGREGATES, ids=lambda f: f.name)
def test_aggregate_parse_prints_the_rows_the_build_loads(built: Path, file: Path) -> None:
    parsed = _parse(file)
    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    loaded = _table(built, "aggregates", sha256)
    assert loaded, "the build loaded no rows for the file"
    assert parsed["aggregates"]["rows"] == loaded
    found = _table(built, "quality_issues", sha256)
    keys = ISSUE_KEYS[:4]
    checks = [row for row in found if row["stage"] == "build"]
    assert parsed["aggregates"]["issues"] and _issues(parsed["aggregates"]["issues"], keys) == (
        _issues(checks, keys)
    )
    others = [row for row in found if row["stage"] == "parse"]
    assert _issues(parsed["issues"], keys) == _issues(others, keys)


def test_a_policy_page_has_neither_new_key(built: Path) -> None:
    """The kinds are added beside the policy and inventory objects, which keep their keys."""
    page = sorted((FILES / "policies").glob("*/page.html"))[0]
    parsed = _parse(page)
    assert set(parsed) == {"contract", "source", "institution", "policy", "cameras", "issues"}
