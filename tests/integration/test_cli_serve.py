"""`cctv serve` as a user runs it, over real HTTP on 127.0.0.1: it prints where it listens,
the JSON API and every canned query answer what DuckDB answers on the warehouse, writes and
attached files are refused, a second start reuses the copy, Ctrl-C and SIGTERM end it with
one line and exit 0, and a port in use, a bad host or a missing warehouse is one line."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support import PROJECT, query_warehouse, realdata, run_cctv
from tests.unit.test_serve_copy import GIMCHEON, JONGNO, small_warehouse
from warehouse.labels import column_label

pytestmark = [pytest.mark.slow, pytest.mark.cli, pytest.mark.server]

START_SECONDS = 60


class Served:
    """A running `cctv serve`: its address, and the process to stop."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def get(self, path: str) -> tuple[int, Any]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                body = exc.read()
            try:
                return exc.code, json.loads(body)
            except ValueError:
                return exc.code, body.decode("utf-8", "replace")

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, str]:
        self.process.send_signal(signum)
        _out, err = self.process.communicate(timeout=30)
        return self.process.returncode, err


def _first_line(process: subprocess.Popen[str]) -> str:
    """The first line on stdout, or the failure with what stderr said."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout=START_SECONDS):
        process.kill()
        pytest.fail(f"cctv serve printed no address in {START_SECONDS} s")
    line = process.stdout.readline()
    if not line:
        _out, err = process.communicate(timeout=30)
        pytest.fail(f"cctv serve ended ({process.returncode}): {err}")
    return line.strip()


@contextmanager
def serving(data_dir: Path, *args: str) -> Iterator[Served]:
    cctv = Path(sys.executable).with_name("cctv")
    env = {**os.environ, "COLUMNS": "160"}
    process = subprocess.Popen(
        [str(cctv), "serve", "--data-dir", str(data_dir), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=PROJECT,
    )
    try:
        url = _first_line(process)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/"), url
        yield Served(process, url)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_warehouse(tmp_path_factory.mktemp("serve") / "data")


def test_serve_answers_as_duckdb_and_stops_on_ctrl_c(data_dir: Path) -> None:
    with serving(data_dir) as served:
        status, rows = served.get("/cctv/policies.json?_shape=array&_size=max")
        assert status == 200
        expected = query_warehouse(
            data_dir, "SELECT inst_code, retention_days_max FROM policies ORDER BY 1"
        )
        assert sorted((r["inst_code"], r["retention_days_max"]) for r in rows) == expected
        code = column_label("policy_vs_standard", "inst_code")
        canned = {
            "items_missing": "SELECT inst_code FROM policy_scorecard "
            "WHERE required_items_present < 7",
            "retention_over_30_days": "SELECT inst_code FROM retention_over_30_days",
            "totals_disagree": "SELECT inst_code FROM policy_vs_standard "
            "WHERE flag IN ('policy_below_half', 'standard_exceeds_policy')",
            "changed_since": "SELECT inst_code FROM policy_versions "
            "WHERE version > 1 AND rederived_from IS NULL "
            "AND valid_from >= TIMESTAMPTZ '2026-01-01 00:00:00+00'",
        }
        for query, sql in canned.items():
            since = "&since=2026-01-01" if query == "changed_since" else ""
            status, rows = served.get(f"/cctv/{query}.json?_shape=array{since}")
            assert status == 200, (query, rows)
            assert sorted(r[code] for r in rows) == sorted(
                c for (c,) in query_warehouse(data_dir, sql)
            ), query
            assert rows, query  # the small warehouse has an answer to each question
        assert {GIMCHEON, JONGNO} <= {
            r[code] for r in served.get("/cctv/totals_disagree.json?_shape=array")[1]
        }
        # nothing writes, attaches or loads
        request = urllib.request.Request(
            served.url + "cctv/policies", data=b"sql=DELETE+FROM+policies", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 405
        refused.value.close()
        attach = urllib.parse.quote("ATTACH DATABASE '/tmp/other.db' AS other")
        status, body = served.get(f"/cctv.json?sql={attach}")
        assert status == 400 and not Path("/tmp/other.db").exists()
        status, body = served.get(
            "/cctv.json?sql=" + urllib.parse.quote("SELECT load_extension('x')")
        )
        assert status == 400 and "load_extension" in body["error"]
        returncode, err = served.stop(signal.SIGINT)
    assert returncode == 0, err
    lines = err.strip().splitlines()
    assert "SQLite 사본을 만들었습니다" in lines[0]
    assert lines[-1] == "멈췄습니다." and "Traceback" not in err


def test_a_second_start_reuses_the_copy_rebuild_remakes_it_sigterm_stops_it(data_dir: Path) -> None:
    with serving(data_dir) as served:
        served.get("/cctv.json")
        first_code, _ = served.stop(signal.SIGTERM)
    with serving(data_dir) as served:
        returncode, err = served.stop(signal.SIGTERM)
    assert first_code == 0 and returncode == 0, err
    assert "그대로 씁니다" in err and err.strip().splitlines()[-1] == "멈췄습니다."
    with serving(data_dir, "--rebuild") as served:
        returncode, err = served.stop(signal.SIGTERM)
    assert returncode == 0 and "SQLite 사본을 만들었습니다" in err, err


def test_a_port_in_use_a_bad_host_and_no_warehouse_are_one_line(
    data_dir: Path, tmp_path: Path
) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = str(taken.getsockname()[1])
        result = run_cctv("serve", "--data-dir", str(data_dir), "--port", port)
    finally:
        taken.close()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    result = run_cctv("serve", "--data-dir", str(data_dir), "--host", "no-such-host.invalid")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "--host no-such-host.invalid" in result.stderr
    result = run_cctv("serve", "--data-dir", str(tmp_path / "empty"), "--port", "0")
    assert result.returncode == 1 and "cctv build" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_serve_the_demo_warehouse(demo_data: Path, tmp_path: Path) -> None:
    """The demo's warehouse, on a copy of its data dir (serve writes its SQLite copy there)."""
    import shutil

    data = tmp_path / "demo"
    shutil.copytree(demo_data, data)
    with serving(data) as served:
        status, rows = served.get("/cctv/policy_scorecard.json?_shape=array&_size=max")
        expected = query_warehouse(
            data, "SELECT inst_code, camera_total, required_items_present FROM policy_scorecard"
        )
        assert status == 200 and len(rows) == len(expected) > 0
        assert sorted(
            (r["inst_code"], r["camera_total"], r["required_items_present"]) for r in rows
        ) == sorted(expected)
        for name in ("items_missing", "retention_over_30_days", "totals_disagree"):
            status, _rows = served.get(f"/cctv/{name}.json?_shape=array")
            assert status == 200, name
        returncode, err = served.stop()
    assert returncode == 0, err


@pytest.mark.realdata
def test_serve_real_standard_data(tmp_path: Path) -> None:
    """The real standard-data files (../shared/realdata) and one real policy page imported
    for 종로구, built and served: the browser's answer on totals that disagree is DuckDB's."""
    std = realdata("std_data")
    page = realdata("policy_html", "jongno_sisul_gongdan", "video_1.jsp")
    data = tmp_path / "data"
    files = sorted(str(p) for p in std.rglob("*") if p.suffix in (".csv", ".xlsx"))
    for args in (
        ("import", *files),
        ("import", str(page), "-i", JONGNO, "--url", "https://www.jfmc.or.kr/etc/video_1.jsp"),
        ("build",),
    ):
        result = run_cctv(*args, "--data-dir", str(data))
        assert result.returncode == 0, result.stderr
    with serving(data) as served:
        code = column_label("policy_vs_standard", "inst_code")
        cameras = column_label("policy_vs_standard", "standard_cameras")
        status, rows = served.get("/cctv/totals_disagree.json?_shape=array")
        assert status == 200
        expected = query_warehouse(
            data,
            "SELECT inst_code, standard_cameras FROM policy_vs_standard "
            "WHERE flag IN ('policy_below_half', 'standard_exceeds_policy') ORDER BY 1",
        )
        assert sorted((r[code], r[cameras]) for r in rows) == expected
        assert JONGNO in {c for c, _ in expected}
        status, facets = served.get("/cctv/standard_points.json?_facet=purpose&_size=0")
        (points,) = query_warehouse(data, "SELECT count(*) FROM standard_points")[0]
        assert facets["filtered_table_rows_count"] == points > 50_000
        returncode, err = served.stop()
    assert returncode == 0, err
