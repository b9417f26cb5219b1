"""The root conftest keeps every test off the network."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.conftest import NetworkRefused, is_loopback

TEST_NET = "192.0.2.1"  # TEST-NET-1 (RFC 5737): never routed; the guard refuses it first


def test_a_connection_to_a_non_loopback_address_is_refused() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkRefused, match=r"192\.0\.2\.1"),
    ):
        sock.connect((TEST_NET, 443))


def test_connect_ex_and_create_connection_are_refused_too() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkRefused):
        sock.connect_ex((TEST_NET, 80))
    with pytest.raises(NetworkRefused):
        socket.create_connection((TEST_NET, 80), timeout=1)


def test_a_connection_to_127_0_0_1_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        accepted: list[bytes] = []

        def accept() -> None:
            conn, _ = server.accept()
            with conn:
                accepted.append(conn.recv(5))

        thread = threading.Thread(target=accept)
        thread.start()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"hello")
        thread.join(timeout=5)
    assert accepted == [b"hello"]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        (("127.0.0.1", 80), True),
        (("127.8.9.10", 80), True),
        (("::1", 80, 0, 0), True),
        (("::ffff:127.0.0.1", 80, 0, 0), True),
        (("localhost", 80), True),
        ("/tmp/some.sock", True),
        ((TEST_NET, 80), False),
        (("10.0.0.1", 80), False),
        (("2001:db8::1", 80, 0, 0), False),
        (("example.com", 80), False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(address: object, allowed: bool) -> None:
    assert is_loopback(address) is allowed
