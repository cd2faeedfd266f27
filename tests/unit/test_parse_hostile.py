"""`cctv parse` and the contract against input nobody on the team wrote: pages whose parse
time grew faster than their size, tables a few bytes of spans make enormous, a million
CSV columns, a million issues, NUL characters, and paths that are not files at all.

Each ends in a clear one-line error or a recorded issue; time and memory are measured in
a child process (tests.integration.test_cli_hostile_paths.bounded: killed after 60 s, peak
memory with every descendant, the parse worker included) and checked generously."""

from __future__ import annotations

import json
import os
import resource
import socket
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.test_cli_hostile_paths import CCTV, assert_one_line_error, bounded
from tests.unit.test_readers_hostile import _pdf_with_forms
from tests.unit.test_sandbox import CALAMINE_BOMB
from transforms.contract import parse_document
from transforms.issues import MAX_ISSUES, Issue, capped
from transforms.readers.safety import MAX_BODY_BYTES

PROJECT = Path(__file__).resolve().parents[2]
MAX_RSS_KB = 1_500_000


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def _python(code: str, *args: str):
    return bounded([sys.executable, "-c", textwrap.dedent(code), *args], preexec=_limited)


PAGES = """
    import json, sys, time
    sys.path.insert(0, {project!r})
    from benchmarks.html_scaling import page
    from transforms.contract import parse_document
    seconds = {{}}
    for shape in sys.argv[1:]:
        body = page(shape, 2 * 1024 * 1024)
        started = time.perf_counter()
        result = parse_document(body, content_type="text/html")
        seconds[shape] = time.perf_counter() - started
        assert result["contract"] == "cctv-parse/1"
    print(json.dumps(seconds))
"""


@pytest.mark.slow
def test_big_pages_parse_in_time_linear_in_their_size() -> None:
    """2 MB of each markup that was quadratic (thousands of dropped elements took 63 s at
    1 MB and 238 s at 2 MB) or could be: each now a second or two."""
    shapes = ["dropped", "chrome", "table", "definitions", "nesting", "br", "mixed"]
    run = _python(PAGES.format(project=str(PROJECT)), *shapes)
    assert run.code == 0, run.stderr
    seconds = json.loads(run.stdout)
    assert set(seconds) == set(shapes)
    assert max(seconds.values()) < 20, seconds  # linear: ~1.5 s; quadratic: minutes
    assert run.max_rss_kb < MAX_RSS_KB


@pytest.mark.slow
def test_spans_that_multiply_cells_are_cut_with_an_issue() -> None:
    rows = "".join(
        f"<tr><td rowspan='1000'>{i}과</td><td>{i % 9}대</td><td>30일</td></tr>"
        for i in range(3_000)
    )
    body = (
        "<html><body><h3>영상정보처리기기 운영·관리 방침</h3><table><tr><th>담당부서</th>"
        f"<th>설치대수</th><th>보관기간</th></tr>{rows}</table></body></html>"
    ).encode()
    assert len(body) < 250_000
    result = parse_document(body, content_type="text/html")
    (issue,) = [i for i in result["issues"] if i["code"] == "tables_truncated"]
    assert issue["row_ref"] == "table 1" and "1,000,000개를 넘어" in issue["message"]


WIDE_CSV = """
    import json, sys
    sys.path.insert(0, {project!r})
    from transforms.contract import parse_document
    columns = 1_000_000
    head = "관리부서,설치목적,설치대수,보관기간," + ",".join(f"x{{i}}" for i in range(columns))
    row = "총무과,방범,3,30일," + ",".join("y" for _ in range(columns))
    result = parse_document(f"{{head}}\\n{{row}}\\n{{row}}\\n".encode(), filename="wide.csv")
    print(json.dumps({{"cameras": len(result["cameras"]),
                       "codes": [i["code"] for i in result["issues"]]}}))
"""


def test_a_csv_of_a_million_columns_is_cut_not_a_million_issues() -> None:
    """Before: 20-50 s, 0.7-1.4 GB and one unmapped_column issue per column."""
    run = _python(WIDE_CSV.format(project=str(PROJECT)))
    assert run.code == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["cameras"] == 2
    assert "columns_truncated" in result["codes"] and len(result["codes"]) <= 1_001
    assert run.max_rss_kb < MAX_RSS_KB and run.seconds < 30


def test_a_documents_issues_are_capped_with_one_summary() -> None:
    rows = "".join(f"민원{i}과,많음,촬영일로부터 30일\n" for i in range(MAX_ISSUES + 500))
    body = ("관리부서,설치대수,보관기간\n" + rows).encode()
    issues = parse_document(body, filename="many.csv")["issues"]
    assert len(issues) == MAX_ISSUES + 1
    assert issues[-1]["code"] == "issues_truncated"
    assert issues[-1]["message"] == (
        "처음 10,000건 뒤의 이슈 500건은 목록에 싣지 않음(종류별: count_unparsed ×500)"
    )


def test_capped_counts_the_rest_by_code_at_their_highest_level() -> None:
    issues = [Issue("info", "a", "x")] * 3 + [Issue("error", "b", "y")] * 2
    assert capped(issues, limit=5) == issues
    *kept, summary = capped(issues, limit=2)
    assert kept == issues[:2]
    assert (summary.level, summary.code) == ("error", "issues_truncated")
    assert summary.message.endswith("목록에 싣지 않음(종류별: b ×2, a ×1)")


def test_nul_characters_are_removed_and_reported() -> None:
    body = "관리부서,설치대수\n총무\x00과,3\x00\n".encode()
    result = parse_document(body, filename="nul.csv")
    assert [c["unit"] for c in result["cameras"]] == ["총무과"]
    assert [c["camera_count"] for c in result["cameras"]] == [3]
    assert [i["code"] for i in result["issues"]] == ["nul_characters"]


# `cctv parse` on things that are not files.


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    sock = tmp_path / "socket.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    yield {
        "a character device": Path("/dev/zero"),
        "a named pipe (FIFO)": fifo,
        "a socket": sock,
        "a character device ": link,  # a link to /dev/zero is /dev/zero
        "a directory": folder,
    }
    server.close()


@pytest.mark.cli
def test_parse_refuses_what_is_not_a_regular_file(specials: dict[str, Path]) -> None:
    for kind, path in specials.items():
        message = assert_one_line_error(bounded([str(CCTV), "parse", str(path)]), 2)
        assert message == f"cannot read {path}: it is {kind.strip()}; give a saved file"


@pytest.mark.cli
def test_parse_refuses_a_file_over_the_size_limit_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_BODY_BYTES + 1)  # sparse: nothing to read, a size to refuse
    run = bounded([str(CCTV), "parse", str(big)])
    assert "over the 209,715,200-byte limit" in assert_one_line_error(run, 2)
    baseline = bounded([str(CCTV), "parse", "/dev/zero"])  # refused before any read
    assert run.max_rss_kb < baseline.max_rss_kb + 100_000  # the 200 MB were never read


@pytest.mark.cli
@pytest.mark.parametrize(
    ("name", "body", "says"),
    [
        ("bomb.xlsx", CALAMINE_BOMB, "spans 1048576 rows × 16384 columns"),
        ("forms.pdf", _pdf_with_forms(6, 1000), "a form XObject bomb"),
    ],
    ids=["calamine", "pdf-forms"],
)
def test_parse_refuses_a_bomb_in_one_line(tmp_path: Path, name: str, body: bytes, says: str):
    (tmp_path / name).write_bytes(body)
    assert says in assert_one_line_error(bounded([str(CCTV), "parse", str(tmp_path / name)]), 2)


CRASHING_PARSE = """
    import sys
    sys.path.insert(0, {project!r})
    from transforms.readers import xlsx
    xlsx._scan_part = lambda book, part, sheet: xlsx._Scan(sheet)  # the guard, off
    from pipelines.cli import app
    app(["parse", sys.argv[1]], prog_name="cctv")
"""


@pytest.mark.cli
def test_parse_contains_a_reader_that_aborts(tmp_path: Path) -> None:
    """With the sheet check off, calamine aborts the process that reads the bomb: that is
    the worker, and `cctv parse` says so in one line."""
    (tmp_path / "bomb.xlsx").write_bytes(CALAMINE_BOMB)
    run = _python(CRASHING_PARSE.format(project=str(PROJECT)), str(tmp_path / "bomb.xlsx"))
    message = assert_one_line_error(run, 2)
    bomb = tmp_path / "bomb.xlsx"
    assert message.startswith(f"문서를 읽을 수 없음({bomb}): 읽기 프로세스가 메모리 한도")
    assert "backtrace" not in run.stderr and "panicked" not in run.stderr


@pytest.mark.cli
def test_import_refuses_what_is_not_a_regular_file(
    specials: dict[str, Path], tmp_path: Path
) -> None:
    """`cctv import` reads files the same way: nothing is read and nothing archived."""
    data = tmp_path / "data"
    for kind, path in specials.items():
        run = bounded([str(CCTV), "import", str(path), "--data-dir", str(data)])
        message = assert_one_line_error(run, 2)
        assert message == f"cannot read {path}: it is {kind.strip()}; give a saved file"
    assert not (data / "archive").exists()
