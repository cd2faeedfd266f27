"""The `cctv` command as people and scripts meet it: one-line errors with exit 2 for usage
mistakes (unknown institution codes, misnamed files), the missing-warehouse hint, --json
documents on stdout, --quiet, and progress bars that appear on a terminal only."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from archive.index import read_index
from archive.paths import data_paths
from pipelines.cli import app
from pipelines.crawl_watch import CrawlProgress, CrawlTally
from pipelines.stages import crawl_sample
from tests.conftest import DemoRun
from tests.seeds import DEMO_CAMERAS, DEMO_INSTITUTIONS, MICHUHOL
from tests.support import SAMPLE_SITES, cctv_on_a_terminal, query_warehouse, run_cctv

pytestmark = [pytest.mark.slow, pytest.mark.cli]

MICHUHOL_PAGE = SAMPLE_SITES / MICHUHOL.host / "policy.html"
INVENTORY_CSV = (
    "설치목적,설치장소,설치대수,보관기간\n방범,시청 앞,3,30일\n어린이보호,초등학교,2,30일\n"
)


def cctv(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


q = query_warehouse


# --- unknown institution codes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["crawl", "-i", "4715"],
            "unknown institution code '4715'; did you mean 5060000 경상북도 김천시 "
            "(시군구 코드 47150)?",
        ),
        (
            ["crawl", "-i", "5060000", "-i", "506000"],
            "unknown institution code '506000'; did you mean 5060000 경상북도 김천시?",
        ),
        (
            ["crawl", "--sample", "-i", "6260000"],
            "6260000 부산광역시: not on the sample web, which has 6110000 서울특별시, "
            "3510500 인천광역시 미추홀구, 4671000 전북특별자치도 군산시, 5060000 경상북도 김천시",
        ),
        (
            ["import", str(MICHUHOL_PAGE), "-i", "미추홀"],
            "unknown institution '미추홀'; did you mean 3510500 인천광역시 미추홀구?",
        ),
        (
            ["parse", str(MICHUHOL_PAGE), "--institution", "351050"],
            "unknown institution code '351050'; did you mean 3510500 인천광역시 미추홀구?",
        ),
        (
            ["crawl", "-i", "중구"],
            # not 인천 중구: it is out of office since the 2026 reorganisation
            "'중구' names 5 institutions (3010000 서울특별시 중구, 3250000 부산광역시 중구, "
            "3410000 대구광역시 중구, 3650000 대전광역시 중구, 3690000 울산광역시 중구); "
            "give the code",
        ),
    ],
)
def test_unknown_institution_is_one_line_exit_2_with_suggestions(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    code, stdout, stderr = cctv(
        *args, *(["--data-dir", str(tmp_path)] if args[0] != "parse" else [])
    )
    assert code == 2
    assert stderr == f"error: {expected}\n"
    assert stdout == ""
    assert not (tmp_path / "archive").exists()  # nothing was crawled or imported


def test_a_name_works_where_a_code_does(tmp_path: Path) -> None:
    code, stdout, _ = cctv("parse", str(MICHUHOL_PAGE), "--institution", "인천광역시 미추홀구")
    assert code == 0
    assert json.loads(stdout)["institution"] == {
        "name": "인천광역시 미추홀구",
        "code": "3510500",
        "identified_by": "hint",
        "confidence": "high",
    }


# --- no warehouse yet ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["query", "SELECT 1"],
        ["query", "SELECT 1", "--json"],
        ["export", "excel", "x.xlsx"],
        ["export", "standard", "x.csv"],
        ["validate"],
        ["validate", "--json"],
        ["report", "-i", "5060000"],
    ],
)
def test_commands_that_read_the_warehouse_say_which_command_builds_it(
    tmp_path: Path, args: list[str]
) -> None:
    code, stdout, stderr = cctv(*args, "--data-dir", str(tmp_path / "data"))
    duck = tmp_path / "data" / "warehouse" / "cctv.duckdb"
    assert code == 1
    assert stdout == ""
    assert stderr == (
        f"error: no warehouse at {duck}: run `cctv build` (or `cctv demo` for the sample)\n"
    )
    assert not (tmp_path / "data").exists()


def test_diff_without_crawls_says_which_command_makes_one(tmp_path: Path) -> None:
    code, _, stderr = cctv("diff", "--data-dir", str(tmp_path))
    assert code == 1
    assert stderr == (
        f"error: no crawl in {tmp_path / 'archive'}: run `cctv crawl` "
        "(or `cctv demo` for the sample)\n"
    )


# --- files that are not what their name says -------------------------------------------


def test_parse_reads_a_misnamed_file_by_its_content_with_a_notice(tmp_path: Path) -> None:
    page = tmp_path / "policy.xlsx"
    shutil.copyfile(MICHUHOL_PAGE, page)
    code, stdout, stderr = cctv("parse", str(page))
    assert code == 0
    assert stderr == "notice: policy.xlsx is named .xlsx but holds an HTML page; parsed as HTML\n"
    parsed = json.loads(stdout)
    assert parsed["source"]["media_type"] == "text/html"
    assert sum(c["camera_count"] or 0 for c in parsed["cameras"]) == MICHUHOL.page_cameras

    text = tmp_path / "inventory.xls"  # CSV text saved under an Excel name
    text.write_text(INVENTORY_CSV, encoding="utf-8")
    code, stdout, stderr = cctv("parse", str(text))
    assert code == 0
    assert (
        stderr == "notice: inventory.xls is named .xls but holds plain text; parsed as CSV text\n"
    )
    cameras = json.loads(stdout)["cameras"]
    assert [(c["purpose"], c["camera_count"]) for c in cameras] == [
        ("생활방범", 3),
        ("어린이보호", 2),
    ]


def test_parse_of_an_unreadable_misnamed_file_is_one_line_exit_2(tmp_path: Path) -> None:
    archive = tmp_path / "cameras.csv"
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("readme.txt", "not a table")
    code, stdout, stderr = cctv("parse", str(archive))
    assert (code, stdout) == (2, "")
    assert stderr == (
        "error: cameras.csv is named .csv but holds a zip archive (neither xlsx nor HWPX); "
        "not a policy page or inventory file (detected: zip)\n"
    )
    junk = tmp_path / "cameras.xlsx"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    code, _, stderr = cctv("parse", str(junk))
    assert code == 2
    assert stderr.startswith("error: cameras.xlsx is named .xlsx but holds bytes of no known type;")
    assert stderr.count("\n") == 1


def test_import_reads_by_content_and_refuses_what_no_reader_handles(tmp_path: Path) -> None:
    data = tmp_path / "data"
    page = tmp_path / "policy.pdf"  # a saved web page under a PDF name
    shutil.copyfile(MICHUHOL_PAGE, page)
    archive = tmp_path / "cameras.csv"
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("readme.txt", "not a table")

    code, _, stderr = cctv("import", str(page), str(archive), "--data-dir", str(data))
    assert code == 2
    assert stderr == (
        "error: cameras.csv is named .csv but holds a zip archive (neither xlsx nor HWPX), "
        "which no reader handles; nothing imported\n"
    )
    assert read_index(data_paths(data)) == []

    text = tmp_path / "inventory.xls"  # without magic bytes the build would go by the name
    text.write_text(INVENTORY_CSV, encoding="utf-8")
    code, _, stderr = cctv("import", str(text), "--data-dir", str(data))
    assert code == 2
    assert stderr == (
        "error: inventory.xls is named .xls but holds plain text, which the build would read "
        "as xls by its name: rename it to .csv; nothing imported\n"
    )
    assert read_index(data_paths(data)) == []

    code, _, stderr = cctv("import", str(page), "-i", "미추홀구", "--data-dir", str(data))
    assert code == 0
    assert stderr.splitlines()[0] == (
        "notice: policy.pdf is named .pdf but holds an HTML page; the build reads it as HTML"
    )
    (capture,) = read_index(data_paths(data))
    assert (capture.inst_code, capture.media_type) == (MICHUHOL.code, "text/html")
    # The build does read it as the policy page it is.
    build = run_cctv("build", "--quiet", data_dir=data)
    assert build.returncode == 0, build.stderr
    assert q(data, "SELECT inst_code, sum(camera_count) FROM cameras GROUP BY 1") == [
        (MICHUHOL.code, MICHUHOL.page_cameras)
    ]


# --- --json ------------------------------------------------------------------------------


def test_validate_json(demo_copy: Path) -> None:
    code, stdout, _ = cctv("validate", "--json", "--data-dir", str(demo_copy))
    assert code == 0
    report = json.loads(stdout)
    assert report["ok"] is True and report["error_failures"] == 0
    assert report["passed"] + report["failed"] == len(report["outcomes"]) > 20
    assert Path(report["docs_index"]).exists()
    for outcome in report["outcomes"]:
        assert {"severity", "table", "column", "expectation", "unexpected_count"} <= set(outcome)
    assert {o["table"] for o in report["outcomes"]} >= {"cameras", "policies"}

    broken = demo_copy
    con = duckdb.connect(str(data_paths(broken).duckdb))
    con.execute("UPDATE cameras SET retention_days = 400 WHERE row_ref = 'table 1, row 3'")
    con.close()
    code, stdout, _ = cctv("validate", "--json", "--data-dir", str(broken))
    assert code == 1
    report = json.loads(stdout)
    assert report["ok"] is False and report["error_failures"] >= 1
    assert any(
        o["severity"] == "error"
        and not o["success"]
        and o["column"] == "retention_days"
        and o["unexpected_count"] == 1
        for o in report["outcomes"]
    )


def test_query_json_is_format_json(demo_data: Path) -> None:
    sql = "SELECT inst_code, count(*) AS n FROM cameras GROUP BY 1 ORDER BY 1"
    code, as_json, _ = cctv("query", sql, "--json", "--data-dir", str(demo_data))
    assert code == 0
    assert as_json == cctv("query", sql, "--format", "json", "--data-dir", str(demo_data))[1]
    assert {"inst_code": MICHUHOL.code, "n": MICHUHOL.camera_rows} in json.loads(as_json)
    code, _, stderr = cctv("query", sql, "--json", "--format", "csv", "--data-dir", str(demo_data))
    assert code == 2 and "--json and --format csv" in stderr


def test_query_table_shows_the_first_rows_and_says_how_to_get_all(demo_data: Path) -> None:
    data = ["--data-dir", str(demo_data)]
    sql = "SELECT inst_code, location, camera_count FROM cameras ORDER BY inst_code, row_ref"
    total = q(demo_data, "SELECT count(*) FROM cameras")[0][0]
    assert total > 50
    code, stdout, _ = cctv("query", sql, *data)
    lines = stdout.splitlines()
    assert code == 0 and lines[0].split() == ["inst_code", "location", "camera_count"]
    assert len(lines) == 2 + 50 + 1  # header, rule, the default 50 rows, the total
    assert lines[-1].startswith(f"전체 {total:,}행 중 앞의 50행을 표시했습니다")
    assert "--limit 0" in lines[-1] and "--format csv" in lines[-1]
    code, stdout, _ = cctv("query", sql, "--limit", "0", *data)
    assert code == 0 and len(stdout.splitlines()) == 2 + total + 1
    assert stdout.splitlines()[-1].startswith(f"전체 {total:,}행")
    assert "중" not in stdout.splitlines()[-1]
    code, stdout, _ = cctv("query", sql, "-n", "3", *data)
    assert len(stdout.splitlines()) == 2 + 3 + 1
    # CSV and JSON are for programs: every row unless a limit is asked for.
    code, stdout, stderr = cctv("query", sql, "--format", "csv", *data)
    assert code == 0 and len(stdout.splitlines()) == 1 + total and stderr == ""
    code, stdout, stderr = cctv("query", sql, "--format", "csv", "--limit", "2", *data)
    assert len(stdout.splitlines()) == 3 and f"전체 {total:,}행 중" in stderr
    code, stdout, _ = cctv("query", sql, "--json", "--limit", "4", *data)
    assert len(json.loads(stdout)) == 4
    code, _, stderr = cctv("query", sql, "--limit", "-1", *data)
    assert code == 2 and stderr.startswith("error: --limit must be 0")


def test_query_reads_sql_from_a_file_or_stdin(demo_data: Path, tmp_path: Path) -> None:
    data = ["--data-dir", str(demo_data)]
    sql = "SELECT count(*) AS n FROM cameras WHERE inst_code = '3510500'"
    runner = CliRunner()
    expected = cctv("query", sql, "--format", "csv", *data)[1]
    assert expected == f"n\n{MICHUHOL.camera_rows}\n"
    script = tmp_path / "count.sql"
    script.write_text(f"-- 미추홀구의 카메라 행\n{sql};\n", encoding="utf-8")
    assert cctv("query", "-f", str(script), "--format", "csv", *data)[1] == expected
    for args in (["query", "-"], ["query"]):
        piped = runner.invoke(app, [*args, "--format", "csv", *data], input=sql + "\n")
        assert (piped.exit_code, piped.stdout) == (0, expected), args
    # A refused statement is refused wherever it comes from.
    script.write_text("DROP TABLE cameras", encoding="utf-8")
    code, stdout, stderr = cctv("query", "-f", str(script), *data)
    assert (code, stdout) == (2, "") and "DROP cannot run here" in stderr
    code, _, stderr = cctv("query", sql, "-f", str(script), *data)
    assert code == 2 and "not both" in stderr
    code, _, stderr = cctv("query", "-f", str(tmp_path / "none.sql"), *data)
    assert code == 2 and stderr.count("\n") == 1 and "cannot read" in stderr
    script.write_bytes("SELECT '미추홀'".encode("cp949"))
    code, _, stderr = cctv("query", "-f", str(script), *data)
    assert code == 2 and "not UTF-8" in stderr
    code, _, stderr = cctv("query", "-f", "/dev/zero", *data)  # read only so far
    assert code == 2 and "more than 1,000,000 characters" in stderr
    code, _, stderr = cctv("query", "-f", str(tmp_path), *data)
    assert code == 2 and stderr.startswith(f"error: cannot read {tmp_path}")


def test_version_is_the_installed_package_version() -> None:
    from importlib.metadata import version

    result = run_cctv("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"cctv {version('cctv-disclosures')}\n",
        "",
    )


def test_demo_summary_explains_its_columns_and_where_the_issues_are(demo_data: Path) -> None:
    stdout = (demo_data / "demo-stdout.txt").read_text(encoding="utf-8")
    lines = stdout.splitlines()
    legend = lines.index("열 설명")
    explained = [line.split()[0] for line in lines[legend + 1 : legend + 7]]
    assert explained == ["방침", "첨부", "카메라", "서식", "대수", "보관(일)"]
    header = next(line for line in lines if "기관코드" in line)
    for column in ("방침", "첨부", "카메라 행", "서식 행", "대수", "보관(일)"):
        assert column in header  # one header line: short names, explained in the legend
    assert "…" not in stdout.split("열 설명")[0]  # nothing cut at 80 columns
    assert not re.search(r"\b(inst_code|pages|files|rows|template|cameras|days)\b", header)
    issues = q(demo_data, "SELECT count(*) FROM quality_issues")[0][0]
    issue_line = next(line for line in lines if line.startswith("품질 이슈"))
    assert issue_line.startswith(f"품질 이슈 {issues:,}건(오류 ")
    listing = next(line for line in lines if "cctv query" in line)
    sql = listing.split('"')[1]
    assert "FROM quality_issues" in sql
    code, rows, _ = cctv("query", sql, "--json", "--data-dir", str(demo_data))
    assert code == 0 and len(json.loads(rows)) == issues  # the query it shows works
    assert any("품질이슈 시트" in line and "cctv export excel" in line for line in lines)
    docs = str(data_paths(demo_data).data_docs / "index.html")
    assert any(line.strip().startswith("검증 보고서") and docs in line for line in lines)


def test_demo_json_is_one_document_on_stdout(demo_again: DemoRun) -> None:
    again, result = demo_again.data_dir, demo_again.result
    assert result.returncode == 0, result.stderr
    demo = json.loads(result.stdout)
    assert set(demo) == {
        "crawl",
        "build",
        "validation",
        "institutions",
        "totals",
        "paths",
        "seconds",
    }
    michuhol = next(r for r in demo["institutions"] if r["inst_code"] == MICHUHOL.code)
    assert (michuhol["cameras"], michuhol["camera_rows"], michuhol["name"]) == (
        MICHUHOL.cameras,
        MICHUHOL.camera_rows,
        MICHUHOL.name,
    )
    cameras = q(again, "SELECT sum(camera_count) FROM cameras WHERE NOT is_template")[0][0]
    assert demo["totals"]["cameras"] == cameras == DEMO_CAMERAS
    assert demo["totals"]["institutions"] == len(demo["institutions"]) == DEMO_INSTITUTIONS
    validation = demo["validation"]
    assert validation["ok"] is True and validation["error_failures"] == 0
    assert validation["passed"] + validation["failed"] > 20
    assert Path(demo["paths"]["warehouse"]) == data_paths(again).duckdb
    assert all(Path(p).exists() for p in demo["paths"]["notebooks"])
    assert demo["crawl"]["documents"] > 0 and Path(demo["crawl"]["events"]).exists()
    assert "✓ crawl" in result.stderr and "✓ build" in result.stderr


# --- --quiet and progress ------------------------------------------------------------------


def test_quiet_runs_print_nothing_and_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    crawled = run_cctv("crawl", "--sample", "--quiet", data_dir=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    assert crawled.stderr == ""
    assert "4 of 4 institutions: policy page reached" in crawled.stdout  # the result stays

    for args in (["build", "--quiet"], ["--quiet", "build", "--force"], ["-q", "validate"]):
        result = run_cctv(*args, data_dir=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), args
    assert q(tmp_path, "SELECT count(*) FROM policies") == [(4,)]

    plain = run_cctv("build", "--force", data_dir=tmp_path)  # not a terminal: no bar
    assert plain.returncode == 0
    assert plain.stdout == "" and len(plain.stderr.splitlines()) == 1
    assert plain.stderr.startswith(f"built {data_paths(tmp_path).duckdb} in ")

    code, screen = cctv_on_a_terminal("build", "--force", "--data-dir", str(tmp_path))
    assert code == 0
    bare = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert re.search(r"(parsing documents|writing Parquet and DuckDB) ━+ 6/6", bare), bare
    assert "built " in bare
    code, screen = cctv_on_a_terminal("build", "--force", "--quiet", "--data-dir", str(tmp_path))
    assert (code, screen) == (0, "")


def test_crawl_progress_counts_institutions(tmp_path: Path) -> None:
    seen: list[CrawlProgress] = []
    result = crawl_sample(data_paths(tmp_path), progress=seen.append)
    sites = DEMO_INSTITUTIONS
    assert seen[-1] == CrawlProgress(sites, sites, result.archived, result.problems)
    done = [p.institutions_done for p in seen]
    assert done == sorted(done) and all(p.institutions_total == sites for p in seen)


def test_crawl_tally_reads_only_complete_lines(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    events = [
        {"event": "policy_link", "inst_code": "A"},
        {"event": "attachment", "inst_code": "A"},
        {"event": "request_failed", "inst_code": "B", "role": "attachment"},
        {"event": "request_failed", "inst_code": "B", "role": "homepage"},
        {"event": "policy_not_found", "inst_code": "C"},
    ]
    lines = [json.dumps(e) + "\n" for e in events]
    tally = CrawlTally(log, 5)
    assert tally.read() == CrawlProgress(0, 5, 0, 0)  # no log yet
    log.write_text("".join(lines[:2]) + lines[2][:10], encoding="utf-8")
    assert tally.read() == CrawlProgress(1, 5, 2, 0)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(lines[2][10:] + "".join(lines[3:]))
    assert tally.read() == CrawlProgress(3, 5, 2, 3)
