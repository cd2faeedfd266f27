"""The whole path, once, as a user runs it: `cctv demo` on the bundled sample web, then the
must-hold facts read back from the warehouse it built."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import nbformat
import pytest

from archive.paths import data_paths
from tests.conftest import DemoRun
from tests.seeds import GIMCHEON, INSTITUTIONS, MICHUHOL, SEOUL, TEMPLATES
from tests.support import SAMPLE_SITES, query_warehouse, run_cctv

pytestmark = [pytest.mark.slow, pytest.mark.cli]


q = query_warehouse


def test_demo_prints_a_summary_with_paths(demo_data: Path) -> None:
    stdout = (demo_data / "demo-stdout.txt").read_text(encoding="utf-8")
    for word in (
        "미추홀구",
        f"{MICHUHOL.cameras:,}",
        "검증 규칙:",
        "웨어하우스:",
        "검증 보고서:",
        "노트북:",
    ):
        assert word in stdout
    assert str(data_paths(demo_data).duckdb) in stdout


def test_michuhol(demo_data: Path) -> None:
    where = f"inst_code = '{MICHUHOL.code}' AND NOT is_template"
    assert q(demo_data, f"SELECT count(*), sum(camera_count) FROM cameras WHERE {where}") == [
        (MICHUHOL.camera_rows, MICHUHOL.cameras)
    ]
    days = {
        r[0] for r in q(demo_data, f"SELECT DISTINCT retention_days FROM cameras WHERE {where}")
    }
    assert {7, 14, 20, 30} <= days
    assert q(
        demo_data,
        f"SELECT DISTINCT recording, retention_days FROM cameras WHERE {where} "
        "AND retention_raw = '녹화무'",
    ) == [(False, 0)]
    assert q(
        demo_data,
        f"SELECT count(*) FROM cameras WHERE {where} AND retention_raw IS NULL "
        "AND retention_days IS NULL",
    ) == [(2,)]
    assert q(
        demo_data, f"SELECT location FROM cameras WHERE {where} AND device_type = 'mobile'"
    ) == [("미추홀구 단속차량 탑재형",)]


@pytest.mark.parametrize("code", [seed.code for seed in TEMPLATES])
def test_template_pages(demo_data: Path, code: str) -> None:
    page_rows = q(
        demo_data,
        f"SELECT is_template, camera_count, retention_days FROM cameras "
        f"WHERE inst_code = '{code}' AND source_kind = 'page'",
    )
    assert page_rows and all(r == (True, None, None) for r in page_rows)
    assert q(demo_data, f"SELECT is_template FROM policies WHERE inst_code = '{code}'") == [(True,)]


def test_gimcheon(demo_data: Path) -> None:
    where = f"inst_code = '{GIMCHEON.code}'"
    assert q(
        demo_data,
        "SELECT retention_days_max, recording_hours, storage_locations "
        f"FROM policies WHERE {where}",
    ) == [(30, "24h", ["김천시 통합관제센터"])]
    assert sorted(q(demo_data, f"SELECT name, phone FROM contractors WHERE {where}")) == [
        ("(주)에스원", "054-433-7202"),
        ("서호전설", "054-331-3912"),
    ]
    contacts = q(demo_data, f"SELECT role, phone FROM contacts WHERE {where}")
    assert {r for r, _ in contacts} == {"보호책임자", "관리책임자", "접근권한자"}
    assert all(p and p.startswith(f"{GIMCHEON.area_code}-420-") for _, p in contacts)
    # The inventory is the attachment the page links to.
    assert q(
        demo_data,
        "SELECT count(*), sum(camera_count), bool_and(source_kind = 'attachment') "
        f"FROM cameras WHERE {where}",
    ) == [(GIMCHEON.camera_rows, GIMCHEON.cameras, True)]


def test_every_row_traces_back_to_an_archived_capture(demo_data: Path) -> None:
    orphans = q(
        demo_data,
        "SELECT count(*) FROM cameras c LEFT JOIN captures k "
        "ON c.capture_sha256 = k.sha256 WHERE k.sha256 IS NULL",
    )
    assert orphans == [(0,)]


def test_failures_are_in_quality_issues(demo_data: Path) -> None:
    crawl = q(demo_data, "SELECT inst_code, source_url FROM quality_issues WHERE stage = 'crawl'")
    assert crawl and {c for c, _ in crawl} == {SEOUL.code}


def test_data_docs_are_written_offline(demo_data: Path) -> None:
    docs = data_paths(demo_data).data_docs
    index = docs / "index.html"
    assert index.exists()
    for page in docs.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and 'href="https://cdn' not in text, page


def test_the_overview_notebook_ran_on_the_demo_warehouse(demo_data: Path) -> None:
    executed = demo_data / "notebooks" / "01_overview.ipynb"
    notebook = nbformat.read(executed, as_version=4)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps(
        [o.get("text") or o.get("data", {}).get("text/plain") for o in outputs], ensure_ascii=False
    )
    cameras = q(demo_data, "SELECT sum(camera_count) FROM cameras WHERE NOT is_template")[0][0]
    assert "미추홀구" in text and str(cameras) in text.replace(",", "")
    assert (demo_data / "notebooks" / "figures" / "cameras_per_purpose.png").stat().st_size > 5000


def test_rerunning_the_demo_reuses_the_archive(demo_again: DemoRun) -> None:
    copy, result = demo_again.data_dir, demo_again.result
    assert result.returncode == 0, result.stderr
    assert q(copy, "SELECT count(DISTINCT crawl_id) FROM captures") == [(2,)]
    assert q(copy, "SELECT count(*) FROM captures WHERE record_type = 'revisit'")[0][0] > 0
    michuhol = f"SELECT sum(camera_count) FROM cameras WHERE inst_code = '{MICHUHOL.code}'"
    assert q(copy, michuhol) == [(MICHUHOL.cameras,)]
    # Unchanged sources: one policy version per institution, and nothing to report.
    versions = q(copy, "SELECT max(version), bool_and(captures = 2) FROM policy_versions")
    assert versions == [(1, True)]
    diff = run_cctv("diff", data_dir=copy)
    assert diff.returncode == 0, diff.stderr
    assert "policies changed: –" in diff.stdout and "camera rows: no change" in diff.stdout


def test_validate_exits_1_on_an_error_level_failure(demo_data: Path, demo_copy: Path) -> None:
    copy = demo_copy
    con = duckdb.connect(str(data_paths(copy).duckdb))
    con.execute("UPDATE cameras SET retention_days = 400 WHERE row_ref = 'table 1, row 3'")
    con.close()
    result = run_cctv("validate", data_dir=copy)
    assert result.returncode == 1
    assert "보관기간 0–365일 (보관기간(일)): 1행 위반" in result.stderr
    assert run_cctv("validate", data_dir=demo_data).returncode == 0


@pytest.mark.parametrize(
    ("host", "code", "expect"),
    [(seed.host, seed.code, seed.page_cameras) for seed in INSTITUTIONS],
)
def test_cctv_parse_prints_the_contract(host: str, code: str, expect: int) -> None:
    page = SAMPLE_SITES / host / "policy.html"
    result = run_cctv("parse", str(page), "--url", f"https://{host}/policy")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["contract"] == "cctv-parse/1"
    assert parsed["institution"]["code"] == code
    assert sum(c["camera_count"] or 0 for c in parsed["cameras"]) == expect


def test_cctv_parse_on_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = run_cctv("parse", str(junk))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("output", ["csv", "json", "table"])
def test_query_formats_and_read_only(demo_data: Path, output: str) -> None:
    result = run_cctv(
        "query",
        "SELECT inst_code, count(*) AS n FROM cameras GROUP BY 1 ORDER BY 1",
        "--format",
        output,
        data_dir=demo_data,
    )
    assert result.returncode == 0, result.stderr
    if output == "json":
        michuhol = {"inst_code": MICHUHOL.code, "n": MICHUHOL.camera_rows}
        assert michuhol in json.loads(result.stdout)
    elif output == "csv":
        assert result.stdout.splitlines()[0] == "inst_code,n"
    else:
        assert MICHUHOL.code in result.stdout
    refused = run_cctv("query", "DELETE FROM cameras", data_dir=demo_data)
    assert refused.returncode == 2 and "DELETE cannot run here" in refused.stderr


def test_cctv_export_writes_both_files(demo_data: Path, tmp_path: Path) -> None:
    csv_out, xlsx_out = tmp_path / "std.csv", tmp_path / "cmp.xlsx"
    assert (
        run_cctv(
            "export", "standard", str(csv_out), "--encoding", "cp949", data_dir=demo_data
        ).returncode
        == 0
    )
    assert csv_out.read_bytes().decode("cp949").startswith("개방자치단체코드,")
    assert run_cctv("export", "excel", str(xlsx_out), data_dir=demo_data).returncode == 0
    assert xlsx_out.read_bytes()[:2] == b"PK"
    assert run_cctv("export", "pdf", str(tmp_path / "x"), data_dir=demo_data).returncode == 2
