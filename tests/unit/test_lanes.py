"""The fast lane's guard (tests/conftest.py): a unit test that listens, connects or runs
`cctv` without the marker that says so fails, and one with the marker may."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

CCTV = Path(sys.executable).with_name("cctv")


def test_an_unmarked_unit_test_cannot_listen() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))  # a bare bind is allowed (urllib3 binds ::1 on import)
        with pytest.raises(pytest.fail.Exception, match="is not marked `server`"):
            server.listen()


def test_an_unmarked_unit_test_cannot_connect() -> None:
    refused = pytest.raises(pytest.fail.Exception, match=r"connect \('127.0.0.1', 9\)")
    with socket.socket() as client, refused:
        client.connect(("127.0.0.1", 9))


def test_an_unmarked_unit_test_cannot_run_cctv() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"ran `cctv --version`.*`cli`"):
        subprocess.run([CCTV, "--version"], check=False)


def test_other_children_and_local_sockets_are_allowed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "print('ok')"], capture_output=True, text=True)
    assert done.stdout == "ok\n"
    with socket.socket(socket.AF_UNIX) as local:
        local.bind(str(tmp_path / "sock"))
        local.listen()


@pytest.mark.server
def test_a_server_test_may_listen_and_connect() -> None:
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.connect(server.getsockname())
