"""What `cctv serve` says about the address it binds, checked on sockets that are bound but
never listen (the fast lane allows a bare bind): the loopback test behind the warning for
other addresses, and the URL it prints, IPv6 in brackets."""

from __future__ import annotations

import socket

import pytest

from pipelines.cli.serve import address_url, is_loopback


@pytest.mark.parametrize(
    ("family", "host", "loopback"),
    [
        (socket.AF_INET, "127.0.0.1", True),
        (socket.AF_INET, "127.0.0.2", True),
        (socket.AF_INET, "0.0.0.0", False),
    ],
)
def test_only_a_loopback_address_is_private(family: int, host: str, loopback: bool) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        assert is_loopback(sock) is loopback
        assert address_url(sock) == f"http://{host}:{sock.getsockname()[1]}/"


def test_an_ipv6_address_is_bracketed_in_the_url() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("::1", 0))
        except OSError as exc:
            pytest.skip(f"::1 cannot be bound here: {exc.strerror}")
        assert is_loopback(sock)
        assert address_url(sock) == f"http://[::1]:{sock.getsockname()[1]}/"
