"""Shared fixtures: the demo warehouse, built once per session over real HTTP; and the guard
that keeps unit tests in their process, so the fast lane (`make test-fast`) stays fast."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import run_cctv

UNIT_TESTS = Path(__file__).resolve().parent / "unit"
# The markers (declared in pyproject.toml, left out of the fast lane) under which a unit test
# may listen or connect, run `cctv`, start a notebook kernel, start a browser.
SERVER, CLI, NOTEBOOK, BROWSER = "server", "cli", "notebook", "browser"
INET = (socket.AF_INET, socket.AF_INET6)


@dataclass(frozen=True)
class DemoRun:
    """A data dir and the `cctv` run that wrote it."""

    data_dir: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cctv demo` run once per test session over real HTTP on 127.0.0.1; its data dir, shared
    by every test that reads the demo. A test that changes it takes `demo_copy` instead."""
    data_dir = tmp_path_factory.mktemp("demo")
    result = run_cctv("demo", data_dir=data_dir)
    if result.returncode != 0:
        pytest.fail(f"cctv demo failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    (data_dir / "demo-stdout.txt").write_text(result.stdout, encoding="utf-8")
    return data_dir


@pytest.fixture
def demo_copy(demo_data: Path, tmp_path: Path) -> Path:
    """A private copy of the demo's data dir, for a test that writes to it (a changed row,
    another run of a command), so the shared one stays as the demo left it."""
    copy = tmp_path / "demo"
    shutil.copytree(demo_data, copy)
    return copy


@pytest.fixture(scope="session")
def demo_again(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`cctv demo --json` run a second time, once per session, on a copy of the first run's
    data dir: what a user gets who runs the demo again (the archive reused, a second crawl)."""
    data_dir = tmp_path_factory.mktemp("demo-again") / "data"
    shutil.copytree(demo_data, data_dir)
    return DemoRun(data_dir, run_cctv("demo", "--json", data_dir=data_dir))


# --- the fast lane's guard ----------------------------------------------------------------


def _refuse(item: pytest.Item, marker: str, what: str) -> None:
    """Fail the test that reached out unmarked; a `pytest.fail` is a BaseException, so code
    under test that catches Exception cannot hide it."""
    pytest.fail(
        f"{item.nodeid} {what} but is not marked `{marker}`: mark it `@pytest.mark.{marker}` "
        "(the fast lane runs only unmarked unit tests)",
        pytrace=False,
    )


def _socket_guard(item: pytest.Item, method: Callable[..., object]) -> Callable[..., object]:
    """`method` of a socket, refused on a network socket: a server listens, a client connects.
    (A bare bind is allowed: urllib3 binds ::1 once on import to learn whether IPv6 works.)"""

    def guarded(self: socket.socket, *args: object) -> object:
        if self.family in INET:
            where = f" {args[0]!r}" if args and method.__name__ != "listen" else ""
            _refuse(item, SERVER, f"opened a network socket ({method.__name__}{where})")
        return method(self, *args)

    return guarded


def _program(args: object) -> list[str]:
    """A child process's command line as words, however it was given."""
    if isinstance(args, (str, bytes, Path)):
        return [str(args)]
    return [str(arg) for arg in args]  # type: ignore[union-attr]


def _popen_guard(item: pytest.Item, init: Callable[..., None]) -> Callable[..., None]:
    allowed = {m.name for m in item.iter_markers()}

    def guarded(self: subprocess.Popen, args: object, *rest: object, **kwargs: object) -> None:
        words = _program(args)
        name = Path(words[0]).name if words else ""
        if name == "cctv" and CLI not in allowed:
            _refuse(item, CLI, f"ran `cctv {' '.join(words[1:2])}` in a child process")
        if any("ipykernel" in word for word in words) and NOTEBOOK not in allowed:
            _refuse(item, NOTEBOOK, "started a notebook kernel")
        if "chrom" in name and BROWSER not in allowed:
            _refuse(item, BROWSER, "started a browser")
        init(self, args, *rest, **kwargs)

    return guarded


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A unit test (tests/unit) that opens a network socket, runs `cctv`, starts a notebook
    kernel or a browser without the marker that says so fails, in every lane: the fast lane
    selects by marker, so an unmarked server would slow it down unnoticed. The guard covers the
    test's fixtures too (a module's server starts in its first test's setup)."""
    if UNIT_TESTS not in Path(str(item.path)).parents:
        return (yield)
    markers = {m.name for m in item.iter_markers()}
    patches: list[tuple[object, str, object]] = [
        (subprocess.Popen, "__init__", _popen_guard(item, subprocess.Popen.__init__)),
    ]
    if SERVER not in markers:
        patches += [
            (socket.socket, name, _socket_guard(item, getattr(socket.socket, name)))
            for name in ("listen", "connect", "connect_ex")
        ]
    # What each class held itself: a socket's methods are inherited from _socket.socket, so
    # the guard is taken away again rather than the inherited method copied in.
    saved = [(owner, name, vars(owner).get(name)) for owner, name, _ in patches]
    for owner, name, guard in patches:
        setattr(owner, name, guard)
    try:
        return (yield)
    finally:
        for owner, name, original in saved:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
