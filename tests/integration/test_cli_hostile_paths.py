"""`cctv export` and `cctv report` given paths that a careless or hostile user would give:
devices, FIFOs, sockets, symbolic links, directories, missing folders, a full disk, a
read-only file system, a file-size limit, names with ESC and CR in them; and terminal
output of crawled or queried text that carries control sequences.

The commands run as a person runs them, in a child process: each must end with one line
(exit 2 for a path that cannot take a file, 1 for a write that failed), within bounded
time and memory, with what was on disk before unchanged."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipelines.cli.crawl
from archive.paths import data_paths
from pipelines.cli import app
from pipelines.console import terminal_safe
from tests.support import cctv_on_a_terminal
from tests.unit.test_export import make_warehouse
from warehouse import safe_write

pytestmark = [pytest.mark.slow, pytest.mark.cli]

CCTV = Path(sys.executable).with_name("cctv")
SECONDS = 60  # a refusal is immediate; this only catches a hang (a FIFO opened to write)
MAX_RSS_KB = 1_000_000  # far above an export of a small warehouse (~150 MB)
UNSHARE = shutil.which("unshare")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int


def bounded(args: list[str], *, preexec: Callable[[], None] | None = None) -> Run:
    """Run `args` in a child process, killed after SECONDS; its exit code, output, wall
    time and peak memory (with every descendant it waited for)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "160"},
        preexec_fn=preexec,
    )
    output: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda: output.__setitem__("out", proc.stdout.read())),
        threading.Thread(target=lambda: output.__setitem__("err", proc.stderr.read())),
    ]
    for reader in readers:
        reader.start()
    timer = threading.Timer(SECONDS, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    return Run(
        proc.returncode,
        output["out"].decode("utf-8", "replace"),
        output["err"].decode("utf-8", "replace"),
        time.monotonic() - started,
        usage.ru_maxrss,
    )


def assert_one_line_error(run: Run, code: int) -> str:
    assert run.code == code, run
    assert run.stdout == ""
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr and "\x1b" not in run.stderr
    assert run.seconds < SECONDS and run.max_rss_kb < MAX_RSS_KB, run
    return run.stderr[len("error: ") : -1]


def snapshot(path: Path) -> tuple:
    """A path's type, mode, bytes (a regular file) and link target (a symbolic link)."""
    found = os.lstat(path)
    body = path.read_bytes() if stat.S_ISREG(found.st_mode) else None
    link = os.readlink(path) if stat.S_ISLNK(found.st_mode) else None
    return stat.S_IFMT(found.st_mode), stat.S_IMODE(found.st_mode), body, link


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory with a small warehouse (the export tests' four institutions)."""
    root = tmp_path / "data"
    db = data_paths(root).duckdb
    db.parent.mkdir(parents=True)
    make_warehouse(db)
    return root


def export(data_dir: Path, kind: str, out: Path | str, *more: str) -> list[str]:
    return [str(CCTV), "export", kind, str(out), "--data-dir", str(data_dir), *more]


# ---------------------------------------------------------------------------- targets


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.csv")
    return tmp / "pipe.csv"


def _socket(tmp: Path) -> Path:
    with socket.socket(socket.AF_UNIX) as server:  # the file stays after the close
        server.bind(str(tmp / "sock.xlsx"))
    return tmp / "sock.xlsx"


def _link_to_file(tmp: Path) -> Path:
    (tmp / "real.csv").write_text("someone's file", encoding="utf-8")
    (tmp / "link.csv").symlink_to(tmp / "real.csv")
    return tmp / "link.csv"


def _link_to_nowhere(tmp: Path) -> Path:
    (tmp / "dangling.xlsx").symlink_to(tmp / "nowhere.xlsx")
    return tmp / "dangling.xlsx"


def _link_to_device(tmp: Path) -> Path:
    (tmp / "full.csv").symlink_to("/dev/full")
    return tmp / "full.csv"


def _directory(tmp: Path) -> Path:
    (tmp / "out.xlsx").mkdir()
    return tmp / "out.xlsx"


def _file_as_folder(tmp: Path) -> Path:
    (tmp / "notes.txt").write_text("x", encoding="utf-8")
    return tmp / "notes.txt" / "out.csv"


TARGETS: dict[str, tuple[str, Callable[[Path], Path], str]] = {
    "/dev/full": (
        "standard",
        lambda _: Path("/dev/full"),
        "is a character device, not a regular file",
    ),
    "/dev/null": (
        "excel",
        lambda _: Path("/dev/null"),
        "is a character device, not a regular file",
    ),
    "fifo": ("standard", _fifo, "is a named pipe (FIFO), not a regular file"),
    "socket": ("excel", _socket, "is a socket, not a regular file"),
    "symlink to a file": ("standard", _link_to_file, "), a regular file: give the file's own"),
    "dangling symlink": ("excel", _link_to_nowhere, "), which leads nowhere: give the file"),
    "symlink to a device": ("standard", _link_to_device, "is a symbolic link (to /dev/full)"),
    "directory": ("excel", _directory, "is a directory: give a file name"),
    "file as folder": ("standard", _file_as_folder, "notes.txt is a file, not a folder"),
}


@pytest.mark.parametrize("case", list(TARGETS))
def test_export_refuses_a_target_a_rename_would_destroy(
    data_dir: Path, tmp_path: Path, case: str
) -> None:
    kind, make, expected = TARGETS[case]
    target = make(tmp_path)
    existing = target if os.path.lexists(target) else target.parent
    before = snapshot(existing)
    message = assert_one_line_error(bounded(export(data_dir, kind, target)), 2)
    assert expected in message and message.endswith("nothing written"), message
    assert snapshot(existing) == before
    assert leftovers(tmp_path) == [] and not (tmp_path / "nowhere.xlsx").exists()
    if case == "symlink to a file":
        assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "someone's file"


def test_export_names_a_missing_folder_and_does_not_make_it(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deeper" / "cameras.csv"
    message = assert_one_line_error(bounded(export(data_dir, "standard", target)), 2)
    assert message == (
        f"cannot write {target}: the folder {target.parent} does not exist (create it "
        "first); nothing written"
    )
    assert not (tmp_path / "typo").exists()


def test_export_replaces_a_regular_file_keeping_its_mode_and_says_so(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "compare.xlsx"
    target.write_bytes(b"last week's workbook")
    target.chmod(0o640)
    run = bounded(export(data_dir, "excel", target))
    assert run.code == 0, run
    assert run.stderr.splitlines() == [f"wrote {target}", f"replaced {target}"]
    assert target.read_bytes().startswith(b"PK") and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_export_file_has_the_umasks_mode(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "cameras.csv"
    run = bounded(export(data_dir, "standard", target), preexec=lambda: os.umask(0o027) and None)
    assert run.code == 0, run
    assert run.stderr.splitlines() == [f"wrote 5 camera rows to {target} (utf-8)"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # not mkstemp's 0600


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


def test_a_write_cut_short_keeps_the_old_file(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "cameras.csv"
    target.write_text("the export of last week\n", encoding="utf-8")
    before = snapshot(target)
    run = bounded(export(data_dir, "standard", target), preexec=_file_size_limit)
    message = assert_one_line_error(run, 1)
    assert message == f"cannot write {target}: File too large; {target} is unchanged"
    assert snapshot(target) == before and leftovers(tmp_path) == []


def _in_private_mounts(script: str, *args: str) -> Run:
    """`sh -c script` in a mount namespace of its own, so a tmpfs or a read-only bind
    mount exists for that command only; skipped where namespaces are not allowed."""
    if UNSHARE is None:
        pytest.skip("unshare(1) is not installed")
    probe = subprocess.run(
        [UNSHARE, "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"no mount namespaces here: {probe.stderr.decode().strip()}")
    return bounded(
        [UNSHARE, "--mount", "--propagation", "private", "sh", "-c", script, "sh", *args]
    )


@pytest.mark.parametrize("kind", ["standard", "excel"])
def test_a_full_disk_is_one_line_and_keeps_the_old_file(
    data_dir: Path, tmp_path: Path, kind: str
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    # 8 KiB of tmpfs: the old file and a filler leave too little for either export.
    script = (
        'mount -t tmpfs -o size=8k tmpfs "$1" && printf "old export" > "$1/out" '
        '&& head -c 4096 /dev/zero > "$1/filler" || exit 99; '
        '"$2" export "$3" "$1/out" --data-dir "$4"; code=$?; '
        'cat "$1/out"; echo; ls -A "$1"; exit $code'
    )
    run = _in_private_mounts(script, str(disk), str(CCTV), kind, str(data_dir))
    assert run.code == 1, run
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr == (
        f"error: cannot write {disk}/out: No space left on device; {disk}/out is unchanged\n"
    )
    assert run.stdout.splitlines() == ["old export", "filler", "out"]  # no .part left


def test_a_read_only_file_system_is_one_line(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "out.csv").write_text("old export", encoding="utf-8")
    before = snapshot(folder / "out.csv")
    script = (
        'mount --bind -o ro "$1" "$1" || exit 99; exec "$2" export standard "$1/out.csv" "$3" "$4"'
    )
    run = _in_private_mounts(script, str(folder), str(CCTV), "--data-dir", str(data_dir))
    message = assert_one_line_error(run, 1)
    assert message == f"cannot write {folder}/out.csv: Read-only file system; nothing written"
    assert snapshot(folder / "out.csv") == before and leftovers(folder) == []


def test_a_refused_folder_is_one_line_in_process(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where namespaces are not allowed, the same refusal raised where the file is made.
    def refuse(**_: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", refuse)
    target = tmp_path / "x.xlsx"
    result = CliRunner().invoke(app, ["export", "excel", str(target), "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {target}: Permission denied; nothing written\n"


# ---------------------------------------------------------------------------- the terminal

ESC_NAME = "a\x1b[2Jb\rc\x07"
SHOWN_NAME = "a\\x1b[2Jb\\rc\\x07"


def test_terminal_safe_escapes_controls_and_keeps_hangul() -> None:
    assert terminal_safe("미추홀구\x1b[2J\r\n\t\x00\x7f\x9b\u202e끝") == (
        "미추홀구\\x1b[2J\\r\\n\\t\\x00\\x7f\\x9b\\u202e끝"
    )
    assert terminal_safe("＝CCTV 운영·관리 방침 (2024)") == "＝CCTV 운영·관리 방침 (2024)"


def test_control_characters_in_an_export_name_are_escaped(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / f"dir{ESC_NAME}" / f"out{ESC_NAME}.csv"
    message = assert_one_line_error(bounded(export(data_dir, "standard", missing)), 2)
    assert f"dir{SHOWN_NAME}" in message and "\r" not in message and "\x07" not in message
    target = tmp_path / f"out{ESC_NAME}.csv"
    run = bounded(export(data_dir, "standard", target))
    assert run.code == 0 and target.exists(), run  # the file has the name given
    assert run.stderr == f"wrote 5 camera rows to {tmp_path}/out{SHOWN_NAME}.csv (utf-8)\n"


def test_control_characters_in_a_parse_path_are_escaped(tmp_path: Path) -> None:
    missing = tmp_path / f"page{ESC_NAME}.html"
    message = assert_one_line_error(bounded([str(CCTV), "parse", str(missing)]), 2)
    assert message == f"cannot read {tmp_path}/page{SHOWN_NAME}.html: No such file or directory"


QUERY = "SELECT chr(27) || '[2J' || '한글' || chr(13) || chr(155) AS \"v\x1b[31m\""


def test_query_results_with_control_characters(data_dir: Path) -> None:
    table = bounded([str(CCTV), "query", QUERY, "--data-dir", str(data_dir)])
    assert table.code == 0, table
    assert "\x1b" not in table.stdout and "\r" not in table.stdout and "\x9b" not in table.stdout
    assert "\\x1b[2J한글\\r\\x9b" in table.stdout and "v\\x1b[31m" in table.stdout
    as_json = bounded([str(CCTV), "query", QUERY, "--json", "--data-dir", str(data_dir)])
    assert "\x1b" not in as_json.stdout and "\x9b" not in as_json.stdout
    assert json.loads(as_json.stdout) == [{"v\x1b[31m": "\x1b[2J한글\r\x9b"}]
    # CSV in a pipe is the data as stored (for programs); on a terminal it is escaped.
    piped = bounded([str(CCTV), "query", QUERY, "--format", "csv", "--data-dir", str(data_dir)])
    assert list(csv.reader(io.StringIO(piped.stdout))) == [["v\x1b[31m"], ["\x1b[2J한글\r\x9b"]]
    assert piped.stdout.count("\n") == 2  # the CR is quoted inside its field


@pytest.mark.parametrize("output", ["table", "csv"])
def test_query_on_a_terminal_shows_escapes_not_sequences(data_dir: Path, output: str) -> None:
    _, screen = cctv_on_a_terminal(
        "query", QUERY, "--format", output, "--data-dir", str(data_dir), timeout=SECONDS
    )
    assert "\x1b[2J" not in screen and "\x9b" not in screen
    assert "\\x1b[2J한글\\r\\x9b" in screen


def test_the_crawl_report_escapes_what_the_sites_sent(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import archive.crawl_log
    import archive.index
    import warehouse.crawl_report

    hostile = {
        "inst_code": "351\x1b[2J0500",
        "policy_found": True,
        "policy_in_privacy": False,
        "route": None,
        "reason": None,
        "attachments": 1,
        "responses": 2,
        "problem_kinds": ["http_error\x1b]0;owned\x07", "[bold]markup[/bold]"],
    }
    monkeypatch.setattr(archive.index, "read_index", lambda paths: [])
    monkeypatch.setattr(archive.crawl_log, "read_crawl_log", lambda paths: [])
    monkeypatch.setattr(warehouse.crawl_report, "crawl_report_rows", lambda c, e: [hostile])
    pipelines.cli.crawl.print_crawl_report(data_paths(data_dir), "crawl-1")
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x07" not in shown
    assert "351\\x1b[2J0500" in shown and "http_error\\x1b]0;owned\\x07" in shown
    assert "[bold]markup[/bold]" in shown  # data, not rich markup


# ---------------------------------------------------------------------------- report --out


def _report(data_dir: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["report", "-i", "3510500", "--out", str(out), "--data-dir", str(data_dir)]
    )
    return result.exit_code, result.stderr


REPORT_TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (lambda t: (os.mkfifo(t / "r.html"), t / "r.html")[1], "is a named pipe (FIFO)"),
    "symlink": (
        lambda t: ((t / "r.html").symlink_to(t / "data"), t / "r.html")[1],
        "is a symbolic link",
    ),
    "directory": (lambda t: ((t / "r.html").mkdir(), t / "r.html")[1], "is a directory"),
    "a file as the folder": (
        lambda t: ((t / "notes").write_text("x"), t / "notes")[1],
        "notes is not a folder: give a folder or an .html file name",
    ),
    "missing parent": (lambda t: t / "no" / "reports", "no does not exist (create it first)"),
    "missing folder of the file": (
        lambda t: t / "no" / "r.html",
        "the folder {tmp}/no does not exist",
    ),
}


@pytest.mark.parametrize("case", list(REPORT_TARGETS))
def test_report_out_refuses_what_a_rename_would_destroy(
    data_dir: Path, tmp_path: Path, case: str
) -> None:
    make, expected = REPORT_TARGETS[case]
    out = make(tmp_path)
    existing = out if os.path.lexists(out) else tmp_path
    before = snapshot(existing)
    started = time.monotonic()
    code, stderr = _report(data_dir, out)
    assert time.monotonic() - started < SECONDS  # refused before the notebook runs
    assert code == 2 and stderr.count("\n") == 1, stderr
    assert expected.format(tmp=tmp_path) in stderr
    assert snapshot(existing) == before and not (tmp_path / "no").exists()


def test_export_and_report_keep_off_the_archive_and_the_warehouse(
    data_dir: Path, tmp_path: Path
) -> None:
    paths = data_paths(data_dir)
    (paths.warc_dir).mkdir(parents=True)
    before = snapshot(paths.duckdb)
    message = assert_one_line_error(bounded(export(data_dir, "standard", paths.duckdb)), 2)
    assert message == (
        f"{paths.duckdb} is inside {paths.warehouse}, which holds the data this command "
        "reads: write the file elsewhere; nothing written"
    )
    assert snapshot(paths.duckdb) == before
    into_archive = paths.warc_dir / "cameras.csv"
    assert_one_line_error(bounded(export(data_dir, "excel", into_archive)), 2)
    assert list(paths.warc_dir.iterdir()) == []
    code, stderr = _report(data_dir, paths.warehouse / "r.html")
    assert code == 2 and "which holds the data this command reads" in stderr
    assert snapshot(paths.duckdb) == before and not (paths.warehouse / "r.html").exists()
    code, stderr = _report(data_dir, paths.archive / "reports")
    assert code == 2 and not (paths.archive / "reports").exists()


def test_a_hard_link_to_the_warehouse_is_replaced_not_written_through(
    data_dir: Path, tmp_path: Path
) -> None:
    db = data_paths(data_dir).duckdb
    before = db.read_bytes()
    alias = tmp_path / "alias.csv"
    os.link(db, alias)  # the same file under another name, outside the data directory
    run = bounded(export(data_dir, "standard", alias))
    assert run.code == 0 and f"replaced {alias}" in run.stderr, run
    assert db.read_bytes() == before and db.stat().st_nlink == 1  # the rename took the name
    assert alias.read_text(encoding="utf-8-sig").startswith("개방자치단체코드")


def test_an_unsupported_encoding_is_a_usage_error(data_dir: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    args = ["export", "standard", out, "--encoding", "latin-1\x1b[2J", "--data-dir", str(data_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and not (tmp_path / "x.csv").exists()
    assert result.stderr == ("error: unsupported encoding 'latin-1\\x1b[2J': use utf-8 or cp949\n")
