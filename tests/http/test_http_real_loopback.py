"""The client against a real HTTP server on 127.0.0.1 (no mock transport)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from syncform.core.errors import ProviderError, TransportError
from syncform.http import ApiClient, RetryPolicy, Timeouts
from syncform.providers.truto.http import TRUTO
from tests.kit.http import TOKEN, FakeTime


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str | None, str | None]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self) -> None:
        headers = self.headers
        self.seen.append((self.command, self.path, headers["Authorization"], headers["Cookie"]))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path.startswith("/base/slow"):
            time.sleep(0.3)
        if self.path.startswith("/base/moved"):
            self.send_response(301)
            self.send_header("Location", "http://127.0.0.2:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "session=abc; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the slow-response test's client has already given up

    do_GET = do_POST = _reply


@pytest.fixture
def server_url() -> Iterator[str]:
    _Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/base"
    finally:
        server.shutdown()
        server.server_close()


def _client(url: str, **options: object) -> ApiClient:
    fake = FakeTime()
    return ApiClient(
        url,
        vendor=TRUTO,
        token=TOKEN,
        sleep=fake.sleep,
        retry=RetryPolicy(max_attempts=3),
        **options,  # type: ignore[arg-type]
    )


def test_real_round_trip_keeps_prefix_and_sends_no_cookies_back(server_url: str) -> None:
    with _client(server_url) as client:
        assert client.get("/integration", params={"limit": 5}).json == {
            "path": "/base/integration?limit=5"
        }
        client.get("/integration")
    assert [entry[2:] for entry in _Handler.seen] == [(f"Bearer {TOKEN}", None)] * 2


def test_real_redirect_is_not_followed(server_url: str) -> None:
    with _client(server_url) as client, pytest.raises(ProviderError, match=r"127\.0\.0\.2:9"):
        client.get("/moved")
    assert [entry[1] for entry in _Handler.seen] == ["/base/moved"]


def test_real_read_timeout_on_post_is_not_retried(server_url: str) -> None:
    slow = _client(server_url, timeout=Timeouts(connect=2.0, read=0.05))
    with slow, pytest.raises(TransportError, match="timed out waiting for the response"):
        slow.post("/slow", json={"a": 1})
    assert [entry[1] for entry in _Handler.seen] == ["/base/slow"]


def test_real_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _client(f"http://127.0.0.1:{port}")
    with client, pytest.raises(TransportError, match="gave up after 3 attempt") as caught:
        client.get("/integration")
    assert client.counters.requests_sent == 3
    assert caught.value.__cause__ is not None
