"""Every test runs offline: a socket may connect to loopback (or a Unix socket), nothing else."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkRefused(RuntimeError):
    """A test tried to reach a non-loopback address."""


def is_loopback(address: Any) -> bool:
    """True for an AF_UNIX path and for a (host, port, ...) tuple whose host is loopback."""
    if isinstance(address, str | bytes):  # AF_UNIX
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family == socket.AF_UNIX or is_loopback(address):
        return
    sock.close()  # callers such as socket.create_connection do not close it on this error
    raise NetworkRefused(
        f"tests must not reach the network: connection to {address!r} refused "
        "(only 127.0.0.0/8, ::1, localhost and Unix sockets are allowed)"
    )


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Patches socket connects for the whole run (socket.create_connection goes through them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _guarded_connect)
        patch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
        yield
