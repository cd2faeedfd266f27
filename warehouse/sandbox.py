"""Untrusted documents are parsed in a child process with limits: one file can only ever
fail itself.

The readers guard every format they know to be dangerous, but they hand bytes to native
code (calamine, libxml2, zlib) and to pure-Python layout engines (pdfminer) whose worst
cases nobody has listed. A native abort, a memory blow-up or a hang in any of them would
take the whole build down with it. Here the parse runs in a worker process whose address
space (RLIMIT_AS), CPU time (RLIMIT_CPU) and wall time are bounded; when it is stopped or
crashes, the document gets a `ReaderStopped` (a DocumentError, so the build records it
as unreadable and goes on) and the next document gets a fresh worker.

The worker is forked once and reused: a fork costs milliseconds, a fresh interpreter with
the readers imported about a second. It is forked from a process that may already run
threads (Arrow, DuckDB); the child runs only the parse, which takes none of their locks,
and closes every inherited descriptor it does not need, so a lock file or an open WARC of
the parent is never held by it. Limits can be set with CCTV_PARSE_SECONDS and
CCTV_PARSE_MEMORY_MB (defaults: 120 s and 2,048 MB per document).

A build parses several documents at once (`SandboxPool`): one worker per core, at most
MAX_WORKERS, or CCTV_PARSE_WORKERS; each worker has the limits above and its own crash
handling, and the build reads the results in the order it asked for them.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import queue
import re
import resource
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection

from transforms.contract import DocumentError, parse_with_text

# The worker's collection thresholds (allocations before a young collection, and the
# ratios of the older ones).
_WORKER_GC = (50_000, 20, 100)
# The request key under which a reply's form travels to the worker.
_FORM = "__reply_form__"
_ASKED = re.compile(r"memory allocation of (\d+) bytes failed")
_MEMORY_WORDS = ("MemoryError", "memory allocation of", "out of memory", "Cannot allocate")


@dataclass(frozen=True)
class Limits:
    """Per document: wall seconds, and megabytes the worker may grow beyond its start."""

    seconds: float = 120.0
    memory_mb: int = 2048

    @classmethod
    def from_environment(cls) -> Limits:
        default = cls()
        return cls(
            seconds=float(os.environ.get("CCTV_PARSE_SECONDS") or default.seconds),
            memory_mb=int(os.environ.get("CCTV_PARSE_MEMORY_MB") or default.memory_mb),
        )


# How every unreadable-document finding begins, here and in the build.
UNREADABLE = "문서를 읽을 수 없음"


class ReaderStopped(DocumentError):
    """The reader was stopped or crashed on this document; the others are unaffected."""


def _virtual_size() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # no /proc: the wall-time limit still holds


def _keep_only(fd: int) -> None:
    """Close every inherited descriptor above stderr except `fd`."""
    highest = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    highest = highest if 0 < highest < 1 << 20 else 1 << 20
    os.closerange(3, fd)
    os.closerange(fd + 1, highest)


def _serve(conn: Connection, stderr_fd: int, limits: Limits, parse: Callable) -> None:
    """The worker: parse what arrives until the connection closes."""
    os.dup2(stderr_fd, 2)  # library chatter and native crash reports, read back on a crash
    os.dup2(stderr_fd, 1)  # never onto the stdout `cctv parse` prints its JSON to
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    _keep_only(conn.fileno())
    # Fresh streams on those descriptors: the inherited objects may hold the parent's
    # unflushed output, or (under a test runner) wrap descriptors closed above.
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.disable(logging.WARNING)  # pdfminer warns once per glyph of a broken font
    # What the worker inherited is never garbage it could collect: left out of every
    # collection. A parse allocates its rows by the hundred thousand and frees them by
    # reference counting; collections that often would walk them for nothing.
    gc.freeze()
    gc.set_threshold(*_WORKER_GC)
    start = _virtual_size()
    if start is not None:
        ceiling = start + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    while True:
        try:
            kwargs = conn.recv()
            body = conn.recv_bytes()
        except (EOFError, OSError):
            return
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        # A backstop for a worker whose parent died mid-document: it cannot spin forever.
        cpu = int(usage.ru_utime + usage.ru_stime + limits.seconds) + 5
        if cpu_hard == resource.RLIM_INFINITY or cpu < cpu_hard:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu_hard))
        try:
            form = kwargs.pop(_FORM, None)
            result = parse(body, **kwargs)
            reply: tuple[str, object] = ("ok", result if form is None else form(result))
        except DocumentError as exc:
            reply = ("refused", str(exc))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # a reader's own bug: this document fails, not the build
            reply = ("failed", f"{type(exc).__name__}: {exc}")
        body = b""
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))
        except OSError:
            return
        if reply[0] == "memory":
            return  # a heap that ran out is not trusted with the next document


class _Worker:
    def __init__(self, limits: Limits, parse: Callable) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        parent, child = Pipe()
        with warnings.catch_warnings():
            # Python 3.12 warns on fork in a threaded process; see the module docstring.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its exit code is checked by the parent
            code = 0
            try:
                parent.close()
                _serve(child, self.stderr.fileno(), limits, parse)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        child.close()
        self.pid, self.conn, self.owner = pid, parent, os.getpid()

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def wait(self, seconds: float) -> int | None:
        """The exit status, waiting up to `seconds`; None if it is still running."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return 0
            if pid:
                return status
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

    def stop(self, grace: float = 0.0) -> int:
        """End the worker (closing its connection first) and reap it; its exit status."""
        self.conn.close()
        status = self.wait(grace)
        if status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            status = self.wait(10.0) or 0
        self.stderr.close()
        return status

    def report(self) -> str:
        """What the worker wrote to stderr on this document, its start and its end: a
        native crash says what failed first and prints a long backtrace after it."""
        fd = self.stderr.fileno()
        size = os.fstat(fd).st_size
        head = os.pread(fd, 16384, 0)
        tail = os.pread(fd, 4096, max(len(head), size - 4096)) if size > len(head) else b""
        return (head + tail).decode("utf-8", "replace")


class ParseSandbox:
    """A reusable worker that runs `parse` (by default `parse_with_text`) under limits."""

    def __init__(self, limits: Limits | None = None, parse: Callable = parse_with_text) -> None:
        self.limits = limits or Limits.from_environment()
        self._parse = parse
        self._worker: _Worker | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> ParseSandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._worker is not None and self._worker.owner == os.getpid():
                self._worker.stop(grace=2.0)
            self._worker = None

    def parse(
        self,
        body: bytes,
        *,
        name: str | None = None,
        form: Callable[[object], object] | None = None,
        **kwargs: object,
    ):
        """`parse(body, **kwargs)` as run in the worker; ReaderStopped when the worker was
        stopped or crashed, DocumentError when the document was refused. `form` (a
        module-level function, sent by name) is applied to the result in the worker, so
        that it travels back in the shape the caller wants (camera rows as columns)."""
        label = f"{UNREADABLE}({name})" if name else UNREADABLE
        if form is not None:
            kwargs = {**kwargs, _FORM: form}
        with self._lock:
            worker = self._send(body, kwargs)
            if not worker.conn.poll(self.limits.seconds):
                self._discard()
                raise ReaderStopped(f"{label}: {self.limits.seconds:g}초가 지나 읽기를 중단함")
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                raise ReaderStopped(f"{label}: {self._death()}") from None
        if status == "ok":
            return value
        if status == "refused":
            raise DocumentError(value)
        if status == "memory":
            with self._lock:
                self._discard(grace=5.0)
            raise ReaderStopped(f"{label}: {self._out_of_memory()}")
        raise DocumentError(f"{label}: 읽는 중 오류가 남({value})")

    def _send(self, body: bytes, kwargs: dict) -> _Worker:
        """The worker, the request sent to it; a worker found dead before it took the
        request (killed while idle) is replaced once."""
        for attempt in (1, 2):
            if self._worker is None or not self._worker.alive():
                if self._worker is not None:
                    self._discard()
                self._worker = _Worker(self.limits, self._parse)
            try:
                self._worker.conn.send(kwargs)
                self._worker.conn.send_bytes(body)
                return self._worker
            except OSError:
                if attempt == 2:
                    reason = self._death()
                    raise ReaderStopped(f"읽기 프로세스를 시작하지 못함: {reason}") from None
                self._discard()
        raise AssertionError("unreachable")

    def _discard(self, grace: float = 0.0) -> None:
        if self._worker is not None:
            self._worker.stop(grace)
            self._worker = None

    def _out_of_memory(self, report: str = "") -> str:
        asked = _ASKED.search(report)
        wanted = f"(한 번에 {int(asked.group(1)) / 2**30:,.1f} GB 요청)" if asked else ""
        return f"읽기 프로세스가 메모리 한도 {self.limits.memory_mb:,} MB를 넘음{wanted}"

    def _death(self) -> str:
        """Why the worker ended, from its exit status and its last words; it is reaped."""
        worker = self._worker
        assert worker is not None
        status = worker.wait(10.0)
        report = worker.report()
        self._discard()
        if status is None:
            return "읽기 프로세스가 응답하지 않음"
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXCPU:
                return f"CPU 시간 {self.limits.seconds:g}초가 지나 읽기를 중단함"
            if any(word in report for word in _MEMORY_WORDS):
                return self._out_of_memory(report)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = str(number)
            return f"읽기 프로세스가 신호 {name}로 비정상 종료됨"
        if any(word in report for word in _MEMORY_WORDS):
            return self._out_of_memory(report)
        return f"읽기 프로세스가 종료 코드 {os.waitstatus_to_exitcode(status)}로 끝남"


_shared: ParseSandbox | None = None


def shared_sandbox() -> ParseSandbox:
    """The sandbox the build and `cctv parse` share, started on first use."""
    global _shared
    if _shared is None:
        _shared = ParseSandbox()
        atexit.register(_shared.close)
    return _shared


def parse_untrusted(body: bytes, *, name: str | None = None, **kwargs: object) -> tuple[dict, str]:
    """`parse_with_text` in the shared sandbox: what the build and `cctv parse` both call."""
    return shared_sandbox().parse(body, name=name, **kwargs)


# More workers than this gain nothing: the build reads their results one at a time.
MAX_WORKERS = 4


def parse_workers() -> int:
    """How many documents a build parses at once: CCTV_PARSE_WORKERS, else one per core
    this process may run on (at most MAX_WORKERS); one on a single core."""
    stated = os.environ.get("CCTV_PARSE_WORKERS", "").strip()
    if stated.isdigit() and int(stated) > 0:
        return int(stated)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


class SandboxPool:
    """Sandboxes that parse documents side by side: the shared one and `workers - 1` more
    with its limits and its parse, each with its own worker process, so each document is
    still bounded and a crash still fails only its own. The extra workers end with the
    pool."""

    def __init__(self, workers: int) -> None:
        first = shared_sandbox()
        self._extra = [ParseSandbox(first.limits, first._parse) for _ in range(workers - 1)]
        self._free: queue.SimpleQueue[ParseSandbox] = queue.SimpleQueue()
        for sandbox in [first, *self._extra]:
            self._free.put(sandbox)
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="parse")

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, body: bytes, *, name: str | None = None, **kwargs: object) -> Future:
        """`parse_with_text(body, **kwargs)` in the next free sandbox; its future."""
        return self._threads.submit(self._parse, body, name, kwargs)

    def _parse(self, body: bytes, name: str | None, kwargs: dict) -> tuple[dict, str]:
        sandbox = self._free.get()
        try:
            return sandbox.parse(body, name=name, **kwargs)
        finally:
            self._free.put(sandbox)

    def close(self) -> None:
        """Wait for the parses under way, then end the extra workers."""
        self._threads.shutdown(wait=True, cancel_futures=True)
        for sandbox in self._extra:
            sandbox.close()


__all__ = [
    "Limits",
    "ParseSandbox",
    "ReaderStopped",
    "SandboxPool",
    "parse_untrusted",
    "parse_workers",
    "shared_sandbox",
]
