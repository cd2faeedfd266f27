"""One file can only ever fail itself: the parse runs in a worker process with limits, and
a native abort, a memory blow-up, a hang or a reader's own bug in it becomes a
DocumentError for that document while the caller and the next document go on.

The crashes here are real (os.abort, unbounded allocation, calamine asked for 512 GB); the
worker is forked after the test has disabled a guard, so the child runs without it. Time
and memory are measured in a child process where it matters, and checked generously."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from transforms.contract import DocumentError, parse_with_text
from transforms.readers import ReaderError, read_grids
from transforms.readers import xls as xls_reader
from warehouse.sandbox import Limits, ParseSandbox, ReaderStopped

PROJECT = Path(__file__).resolve().parents[2]
SECONDS = 60  # every case here ends in well under a second or two; this only catches a hang


def _xlsx(extra_rows: str = "") -> bytes:
    book = Workbook()
    book.active.append(["부서", "설치대수"])
    book.active.append(["총무과", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra_rows:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
            target.writestr(info.filename, data)
    return out.getvalue()


GOOD = _xlsx()
# 1.6 KB that calamine reads as a 1048576 × 16384 sheet: 512 GB asked for, then abort().
CALAMINE_BOMB = _xlsx("<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")


def _aborts(body: bytes, **_kwargs: object) -> tuple[dict, str]:
    os.abort()


def _hangs(body: bytes, **_kwargs: object) -> tuple[dict, str]:
    while True:
        time.sleep(0.05)


def _spins(body: bytes, **_kwargs: object) -> tuple[dict, str]:
    while True:
        pass


def _hoards(body: bytes, **_kwargs: object) -> tuple[dict, str]:
    hoard = []
    while True:
        hoard.append(bytearray(16 << 20))


def _breaks(body: bytes, **_kwargs: object) -> tuple[dict, str]:
    return {}["no such key"]


def _prints(body: bytes, **kwargs: object) -> tuple[dict, str]:
    print("chatter on stdout")
    os.write(1, b"and straight to the descriptor\n")
    return parse_with_text(body, **kwargs)


def _by_name(body: bytes, *, filename: str, **kwargs: object) -> tuple[dict, str]:
    """A reader that misbehaves by the document's name, and reads the others."""
    misbehave = {"abort.xlsx": _aborts, "hang.xlsx": _hangs, "hoard.xlsx": _hoards}
    return misbehave.get(filename, parse_with_text)(body, filename=filename, **kwargs)


def _good(sandbox: ParseSandbox) -> None:
    contract, _ = sandbox.parse(GOOD, name="good.xlsx", filename="good.xlsx")
    assert [c["camera_count"] for c in contract["cameras"]] == [3]


@pytest.mark.parametrize(
    ("reader", "limits", "says"),
    [
        (_aborts, Limits(seconds=SECONDS), "읽기 프로세스가 신호 SIGABRT로 비정상 종료됨"),
        (_hangs, Limits(seconds=1), "1초가 지나 읽기를 중단함"),
        (_spins, Limits(seconds=1), "(CPU 시간 )?1초가 지나 읽기를 중단함"),
        (
            _hoards,
            Limits(seconds=SECONDS, memory_mb=256),
            "읽기 프로세스가 메모리 한도 256 MB를 넘음",
        ),
    ],
    ids=["abort", "hang", "busy-loop", "memory"],
)
def test_a_reader_that_dies_fails_its_document_only(reader, limits: Limits, says: str) -> None:
    with ParseSandbox(limits, parse=reader) as sandbox:
        started = time.monotonic()
        with pytest.raises(ReaderStopped, match=rf"^문서를 읽을 수 없음\(bad.xlsx\): {says}"):
            sandbox.parse(GOOD, name="bad.xlsx", filename="bad.xlsx")
        assert time.monotonic() - started < SECONDS
        sandbox._parse = parse_with_text  # the next worker reads normally
        _good(sandbox)


@pytest.mark.slow
def test_the_next_document_gets_a_fresh_worker() -> None:
    with ParseSandbox(Limits(seconds=2, memory_mb=256), parse=_by_name) as sandbox:
        _good(sandbox)
        first = sandbox._worker.pid
        for name in ("abort.xlsx", "hang.xlsx", "hoard.xlsx"):
            with pytest.raises(ReaderStopped, match=rf"^문서를 읽을 수 없음\({name}\): "):
                sandbox.parse(GOOD, name=name, filename=name)
            _good(sandbox)
        assert sandbox._worker.pid != first
        contract, _ = sandbox.parse(GOOD, name="again.xlsx", filename="again.xlsx")
        assert contract["cameras"]


def test_a_refusal_and_a_readers_bug_are_document_errors() -> None:
    with ParseSandbox(Limits(seconds=SECONDS)) as sandbox:
        with pytest.raises(DocumentError, match="spans 1048576 rows") as refused:
            sandbox.parse(CALAMINE_BOMB, name="bomb.xlsx", filename="bomb.xlsx")
        assert not isinstance(refused.value, ReaderStopped)
        worker = sandbox._worker.pid
        _good(sandbox)
        assert sandbox._worker.pid == worker  # a refusal does not cost the worker
    failed = r"^문서를 읽을 수 없음\(bug.xlsx\): 읽는 중 오류가 남\(KeyError: 'no such key'\)"
    with (
        ParseSandbox(Limits(seconds=SECONDS), parse=_breaks) as sandbox,
        pytest.raises(DocumentError, match=failed),
    ):
        sandbox.parse(GOOD, name="bug.xlsx")


def test_what_the_reader_prints_never_reaches_stdout(capfd: pytest.CaptureFixture) -> None:
    with ParseSandbox(Limits(seconds=SECONDS), parse=_prints) as sandbox:
        contract, _ = sandbox.parse(GOOD, name="x.xlsx", filename="x.xlsx")
    assert contract["cameras"]
    out, err = capfd.readouterr()
    assert "chatter" not in out + err and "descriptor" not in out + err


def test_the_worker_holds_no_descriptor_of_the_parent(tmp_path: Path) -> None:
    """A lock file or WARC the parent has open is not kept open by the worker."""
    held = (tmp_path / "build.lock").open("w")
    try:
        with ParseSandbox(Limits(seconds=SECONDS)) as sandbox:
            _good(sandbox)
            fds = Path(f"/proc/{sandbox._worker.pid}/fd")
            if not fds.exists():
                pytest.skip("no /proc to list the worker's descriptors")
            targets = {os.readlink(fd) for fd in fds.iterdir()}
            assert str(tmp_path / "build.lock") not in targets
            assert len(targets) <= 5  # stdin, stdout, stderr (one file), the connection
    finally:
        held.close()


def test_close_leaves_no_process() -> None:
    sandbox = ParseSandbox(Limits(seconds=SECONDS))
    _good(sandbox)
    pid = sandbox._worker.pid
    sandbox.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie either


def test_a_calamine_panic_is_a_reader_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the record check, calamine panics (or aborts) on an xls cell at column
    65535; in the worker either way ends as this document's error."""
    from tests.unit.test_readers_hostile import _xls_reaching

    monkeypatch.setattr(xls_reader, "check_extent", lambda _stream: None)

    def read(body: bytes, **_kwargs: object) -> tuple[dict, str]:
        try:
            read_grids(body, "xls")
        except ReaderError as exc:
            raise DocumentError(str(exc)) from exc
        return {}, ""

    with (
        ParseSandbox(Limits(seconds=SECONDS, memory_mb=512), parse=read) as sandbox,
        pytest.raises(
            DocumentError, match=r"not a readable xls workbook|^문서를 읽을 수 없음\(wide\.xls\)"
        ),
    ):
        sandbox.parse(_xls_reaching(65_535, 65_535), name="wide.xls")


# The calamine bomb through the real sandbox, measured in a child process: the caller
# survives, the error names the document, and time and memory stay bounded.

MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    sys.path.insert(0, {project!r})
    from transforms.readers import xlsx
    from warehouse.sandbox import Limits, ParseSandbox, ReaderStopped
    xlsx._scan_part = lambda book, part, sheet: xlsx._Scan(sheet)  # the guard, off
    body = Path(sys.argv[1]).read_bytes()
    good = Path(sys.argv[2]).read_bytes()
    started = time.monotonic()
    outcome = []
    with ParseSandbox(Limits(seconds=30, memory_mb=512)) as sandbox:
        for name, data in (("bomb.xlsx", body), ("good.xlsx", good)):
            try:
                contract, _ = sandbox.parse(data, name=name, filename=name)
                outcome.append(["ok", len(contract["cameras"])])
            except ReaderStopped as exc:
                outcome.append(["stopped", str(exc)])
    print(json.dumps({{
        "outcome": outcome,
        "seconds": time.monotonic() - started,
        "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }}))
    """
)


def test_a_native_abort_in_calamine_is_contained(tmp_path: Path) -> None:
    (tmp_path / "bomb.xlsx").write_bytes(CALAMINE_BOMB)
    (tmp_path / "good.xlsx").write_bytes(GOOD)
    assert len(CALAMINE_BOMB) < 8_000

    def limit() -> None:  # the caller itself may not grow either
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    run = subprocess.run(
        [sys.executable, "-c", MEASURE.format(project=str(PROJECT)), "bomb.xlsx", "good.xlsx"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SECONDS * 2,
        preexec_fn=limit,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "panicked" not in run.stderr and "backtrace" not in run.stderr
    result = json.loads(run.stdout)
    (bomb_status, message), (good_status, cameras) = result["outcome"]
    assert bomb_status == "stopped"
    assert message.startswith("문서를 읽을 수 없음(bomb.xlsx): 읽기 프로세스가 ")
    assert "메모리 한도 512 MB를 넘음(한 번에 512.0 GB 요청)" in message
    assert (good_status, cameras) == ("ok", 1)
    assert result["seconds"] < SECONDS
    assert result["worker_kb"] < 1_000_000 and result["self_kb"] < 1_000_000


ORPHAN = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {project!r})
    from warehouse.sandbox import Limits, ParseSandbox
    from tests.unit.test_sandbox import GOOD
    sandbox = ParseSandbox(Limits(seconds=30))
    sandbox.parse(GOOD, name="good.xlsx", filename="good.xlsx")
    print(sandbox._worker.pid, flush=True)
    os._exit(0)  # the parent dies without closing anything
    """
)


def test_a_worker_outlives_no_parent() -> None:
    run = subprocess.run(
        [sys.executable, "-c", ORPHAN.format(project=str(PROJECT))],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=True,
    )
    pid = int(run.stdout.split()[0])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat")
        if not state.exists() or state.read_text().split(") ")[-1].startswith("Z"):
            return  # gone (or a zombie waiting for init to reap it)
        time.sleep(0.05)
    os.kill(pid, 9)
    pytest.fail(f"worker {pid} still running 20 s after its parent died")
