"""The emulator's HTTP edge: malformed framing gets 400 (or 413/501), bodies are capped, fault
rules cannot inject headers or stall the server, and hung-up clients leave no traceback."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from syncform.emulator import EmulatorApp, running_server
from syncform.emulator.faults import FaultRule
from syncform.emulator.http_body import HttpLimits
from syncform.emulator.http_types import EmulatorRequest

pytestmark = pytest.mark.timeout(10)

PATCH_23 = b"PATCH /tines/acme/api/v1/admin/sync_destinations/23 HTTP/1.1\r\nHost: x\r\n"
AUTH_JSON = b"Authorization: Bearer acme-token\r\nContent-Type: application/json\r\n"
BODY = b'{"manual_sync_only": true}'
SHORT_READS = HttpLimits(read_timeout_seconds=0.5)
SMALL_BODIES = HttpLimits(max_body_bytes=64)


@contextmanager
def raw_connection(base_url: str) -> Iterator[socket.socket]:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        yield conn


def exchange(base_url: str, request: bytes) -> bytes:
    """Send raw bytes; everything the server answers until it closes the connection."""
    with raw_connection(base_url) as conn:
        conn.sendall(request)
        return read_until_closed(conn)


def read_until_closed(conn: socket.socket) -> bytes:
    """The whole answer: headers and body may arrive in separate segments."""
    reply = b""
    while chunk := conn.recv(65536):
        reply += chunk
    return reply


def status_of(reply: bytes) -> int:
    assert reply.startswith(b"HTTP/1.1 "), reply[:80]
    return int(reply.split(b" ", 2)[1])


def patch_with(framing: bytes, body: bytes = BODY) -> bytes:
    return PATCH_23 + AUTH_JSON + framing + b"\r\n" + body


MALFORMED = {
    "non-numeric Content-Length": (patch_with(b"Content-Length: lots\r\n"), 400),
    "negative Content-Length": (patch_with(b"Content-Length: -5\r\n"), 400),
    "exponent Content-Length": (patch_with(b"Content-Length: 1e3\r\n"), 400),
    "two different Content-Lengths": (
        patch_with(b"Content-Length: 26\r\nContent-Length: 27\r\n"),
        400,
    ),
    "Content-Length with chunked": (
        patch_with(b"Content-Length: 26\r\nTransfer-Encoding: chunked\r\n", b"1a\r\n" + BODY),
        400,
    ),
    "an unsupported transfer coding": (patch_with(b"Transfer-Encoding: gzip\r\n"), 501),
    "a chunk size that is not hexadecimal": (
        patch_with(b"Transfer-Encoding: chunked\r\n", b"zz\r\n" + BODY + b"\r\n0\r\n\r\n"),
        400,
    ),
    "a negative chunk size": (
        patch_with(b"Transfer-Encoding: chunked\r\n", b"-1a\r\n" + BODY + b"\r\n0\r\n\r\n"),
        400,
    ),
    "a chunk not followed by CRLF": (
        patch_with(b"Transfer-Encoding: chunked\r\n", b"4\r\n" + BODY + b"\r\n0\r\n\r\n"),
        400,
    ),
    "a single chunk over the 10 MiB cap": (
        patch_with(b"Transfer-Encoding: chunked\r\n", b"A00001\r\n"),
        413,
    ),
    "a Content-Length over the 10 MiB cap": (patch_with(b"Content-Length: 10485761\r\n"), 413),
}


@pytest.mark.parametrize("request_bytes, status", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_framing_gets_an_error_status_and_a_closed_connection(
    app: EmulatorApp, request_bytes: bytes, status: int
) -> None:
    with running_server(app) as base_url:
        reply = exchange(base_url, request_bytes)
    assert status_of(reply) == status
    assert b"Connection: close" in reply
    assert b'"error":' in reply
    shown = app.snapshot()["tines"]["tenants"]["acme"]["sync_destinations"][0]
    assert shown["manual_sync_only"] is False


def test_a_body_shorter_than_its_content_length_gets_400_after_the_read_timeout(
    app: EmulatorApp,
) -> None:
    with running_server(app, limits=SHORT_READS) as base_url, raw_connection(base_url) as conn:
        started = time.monotonic()
        conn.sendall(patch_with(b"Content-Length: 100\r\n"))  # 26 bytes sent, never closed
        reply = read_until_closed(conn)
    assert status_of(reply) == 400
    assert b"read timeout" in reply
    assert time.monotonic() - started < 5


def test_chunked_bodies_respect_the_same_cap_as_content_length(app: EmulatorApp) -> None:
    chunks = b"".join(b"28\r\n" + b"x" * 40 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n"
    with running_server(app, limits=SMALL_BODIES) as base_url:
        chunked = exchange(base_url, patch_with(b"Transfer-Encoding: chunked\r\n", chunks))
        sized = exchange(base_url, patch_with(b"Content-Length: 65\r\n", b"x" * 65))
        small = patch_with(b"Transfer-Encoding: chunked\r\nConnection: close\r\n", b"1a\r\n")
        accepted = exchange(base_url, small + BODY + b"\r\n0\r\nX-Trailer: 1\r\n\r\n")
    assert status_of(chunked) == 413
    assert status_of(sized) == 413
    assert status_of(accepted) == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Injected": "a\r\nSet-Cookie: stolen=1"},
        {"X-Injected": "a\nb"},
        {"X-Injected": "nul\x00"},
        {"Bad Name": "x"},
        {"X-Split\r\nSet-Cookie": "x"},
        {"": "x"},
    ],
)
def test_fault_headers_with_control_characters_are_refused(
    control: httpx.Client, headers: dict[str, str]
) -> None:
    rule = {"match": {"path": "/tines/*"}, "action": "status", "status": 503, "headers": headers}
    response = control.post("/faults", json=rule)
    assert response.status_code == 400
    assert "invalid fault rule" in response.json()["error"]
    assert control.get("/faults").json()["faults"] == []


@pytest.mark.parametrize("pattern", [r"^/truto/(a+)+$", r"^/truto/(a|aa)*$", r"^/(x*)*y"])
def test_a_catastrophic_regex_is_refused_when_the_rule_is_created(
    control: httpx.Client, pattern: str
) -> None:
    rule = {"match": {"path": pattern}, "action": "status", "status": 503}
    response = control.post("/faults", json=rule)
    assert response.status_code == 400
    assert "backtrack catastrophically" in response.json()["error"]


def test_a_regex_rule_does_not_look_at_a_path_over_1024_characters(
    control: httpx.Client, truto: httpx.Client
) -> None:
    rule = {"match": {"path": "^/truto/integration/"}, "action": "status", "count": None}
    assert control.post("/faults", json={**rule, "status": 503}).status_code == 201
    assert truto.get("/integration/" + "a" * 20).status_code == 503
    assert truto.get("/integration/" + "a" * 1100).status_code == 404


def _free_for_another_thread(lock: threading.RLock) -> bool:
    acquired: list[bool] = []

    def try_lock() -> None:
        got = lock.acquire(timeout=1)
        acquired.append(got)
        if got:
            lock.release()

    thread = threading.Thread(target=try_lock)
    thread.start()
    thread.join(timeout=5)
    return acquired == [True]


def test_fault_rules_are_matched_outside_the_app_lock(
    app: EmulatorApp, tines: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.add_fault({"match": {"path": "^/tines/acme/"}, "action": "latency", "ms": 0})
    lock_was_free: list[bool] = []
    original = FaultRule.matches

    def probing(rule: FaultRule, request: EmulatorRequest) -> bool:
        lock_was_free.append(_free_for_another_thread(app.lock))
        return original(rule, request)

    monkeypatch.setattr(FaultRule, "matches", probing)
    assert tines.get("/teams").status_code == 200
    assert lock_was_free == [True]


def _reset_on_close(conn: socket.socket) -> None:
    """Close with an RST, as a client that crashes or times out does."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _wait_for_log(app: EmulatorApp, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(app.request_log()) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_clients_that_hang_up_leave_no_traceback_on_stderr(
    app: EmulatorApp, capfd: pytest.CaptureFixture[str]
) -> None:
    app.add_fault({"match": {"path": "/tines/*"}, "action": "latency", "ms": 300})
    get = b"GET /tines/acme/api/v1/teams HTTP/1.1\r\nHost: x\r\n" + AUTH_JSON + b"\r\n"
    with running_server(app) as base_url:
        with raw_connection(base_url) as mid_response:
            mid_response.sendall(get)
            _reset_on_close(mid_response)
        _wait_for_log(app, 1)
        with raw_connection(base_url) as mid_request:
            mid_request.sendall(patch_with(b"Content-Length: 100\r\n"))
            time.sleep(0.1)
            _reset_on_close(mid_request)
        time.sleep(0.5)  # the server writes to, and reads from, the reset sockets
        assert httpx.get(f"{base_url}/_emulator/state").status_code == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err and "ConnectionResetError" not in err
