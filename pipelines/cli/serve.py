"""`cctv serve`: the warehouse as a browsable, read-only database (Datasette) on this
machine, for people who facet and follow links before they write SQL.

The SQLite copy Datasette reads is made under the data directory and reused while the
warehouse is unchanged. The address is bound here, before the server starts, so a port in
use is one line, `--port 0` takes a free one, and the address printed is the real one."""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import sys
from contextlib import suppress
from types import FrameType
from typing import Annotated, Any

import typer

from pipelines.cli.common import paths_of, require_warehouse, writing
from pipelines.console import DataDir, Quiet, fail, info, quiet_flag, result_line

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8001


class Stopped(Exception):
    """SIGTERM reached the command: the server has shut down, as after Ctrl-C."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` and listening; one line and exit 2 for a host that
    is no address of this machine, exit 1 for a port that cannot be had."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise fail(f"--host {host} is not an address here: {exc.strerror}", 2) from exc
    family, kind, proto, _name, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        code = 2 if exc.errno == errno.EADDRNOTAVAIL else 1  # not an address of this machine
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", code) from exc
    return sock


def is_loopback(sock: socket.socket) -> bool:
    return ipaddress.ip_address(sock.getsockname()[0].split("%", 1)[0]).is_loopback


def address_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run_server(app: Any, sock: socket.socket) -> None:
    """Serve `app` on `sock` until Ctrl-C or SIGTERM (uvicorn shuts down cleanly, then
    raises the signal again, which ends here as KeyboardInterrupt or Stopped)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def serve(
    data_dir: DataDir = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Only this machine can connect to the default; "
            "another address opens the database to the network.",
        ),
    ] = LOOPBACK,
    port: Annotated[
        int,
        typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    ] = DEFAULT_PORT,
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Make the SQLite copy again even if it is current."),
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Browse the warehouse in a web browser (Datasette), read-only: Korean titles, facets
    by 시·도, level, retention and purpose, the regulators' questions as saved queries,
    and links from every row to its source and archived document. Runs until Ctrl-C.

    Prints the address on stdout."""
    from warehouse.serve.app import datasette_for, serve_folder
    from warehouse.serve.copy import CopyFailed, make_copy

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    duckdb_path = require_warehouse(paths)
    sock = listening_socket(host, port)
    try:
        with writing(CopyFailed):
            summary = make_copy(duckdb_path, serve_folder(paths), rebuild=rebuild)
        ds = datasette_for(summary.path)
    except BaseException:
        sock.close()
        raise
    rows = sum(summary.tables.values())
    if summary.made:
        info(
            f"SQLite 사본을 만들었습니다: {summary.path} — 표 {len(summary.tables):,}개, "
            f"{rows:,}행 ({summary.seconds:.1f}초)",
            quiet,
        )
    else:
        info(
            f"웨어하우스가 바뀌지 않아 만들어 둔 SQLite 사본을 그대로 씁니다: {summary.path}", quiet
        )
    url = address_url(sock)
    if not is_loopback(sock):
        info(
            f"경고: {host}에서 열면 이 컴퓨터 밖에서도 접속할 수 있습니다 "
            "(읽기 전용이지만 모든 표가 공개됩니다). 이 컴퓨터에서만 보려면 --host 127.0.0.1",
            quiet,
        )
    # From the moment the address is out, SIGTERM stops the server as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with suppress(KeyboardInterrupt, Stopped):  # the server has stopped, or never began
            info(f"읽기 전용 데이터베이스를 엽니다: {url} (멈추려면 Ctrl-C)", quiet)
            result_line(url)
            sys.stdout.flush()
            run_server(ds.app(), sock)
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    info("멈췄습니다.", quiet)
    raise typer.Exit(0)
