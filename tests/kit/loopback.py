"""A real HTTP server on 127.0.0.1, scripted per request, for servers that misbehave on the wire:
bodies dripped a byte at a time, gzip bombs, endless pages. Every reply is bounded in time: a
drip stops when the server is closed."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from syncform.http import ApiClient
from syncform.providers.registry import vendor_named
from tests.kit.http import TOKEN

Reply = Callable[["_Handler", threading.Event], None]


class LoopbackServer:
    """Plays `replies` in order, one per request, then repeats the last; `paths` records each
    request's path (with its query). Use as a context manager."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies) or [send_json(200, {"ok": True})]
        self.paths: list[str] = []
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.script = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def next_reply(self, path: str) -> Reply:
        with self._lock:
            self.paths.append(path)
            return self.replies[min(len(self.paths), len(self.replies)) - 1]

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _play(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        script: LoopbackServer = self.server.script  # type: ignore[attr-defined]
        reply = script.next_reply(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            reply(self, script.closing)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _play

    def head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


def send_bytes(status: int, body: bytes, headers: dict[str, str] | None = None) -> Reply:
    def reply(handler: _Handler, closing: threading.Event) -> None:
        handler.head(status, {"Content-Length": str(len(body)), **(headers or {})})
        handler.wfile.write(body)

    return reply


def send_json(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    chosen = {"Content-Type": "application/json", **(headers or {})}
    return send_bytes(status, json.dumps(body).encode(), chosen)


def send_json_by_query(page: Callable[[dict[str, list[str]]], Any]) -> Reply:
    """A 200 whose JSON body is `page(the request's query parameters)`."""

    def reply(handler: _Handler, closing: threading.Event) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        send_json(200, page(query))(handler, closing)

    return reply


def send_gzip(status: int, body: bytes) -> Reply:
    """`body` gzip-compressed, as `Content-Encoding: gzip`."""
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    return send_bytes(status, gzip.compress(body, compresslevel=9), headers)


def drip(body: bytes, every: float) -> Reply:
    """A 200 whose body comes one byte each `every` seconds (until the server closes)."""

    def reply(handler: _Handler, closing: threading.Event) -> None:
        handler.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        for index in range(len(body)):
            handler.wfile.write(body[index : index + 1])
            handler.wfile.flush()
            if closing.wait(every):
                return

    return reply


def delay(seconds: float, then: Reply) -> Reply:
    """`then`, after `seconds` (cut short when the server closes)."""

    def reply(handler: _Handler, closing: threading.Event) -> None:
        if not closing.wait(seconds):
            then(handler, closing)

    return reply


def loopback_client(
    server: LoopbackServer, *, vendor: str = "truto", name: str = "hostile", **options: Any
) -> ApiClient:
    """A client of `server` for connection `name`, on the real clock unless told otherwise."""
    return ApiClient(server.url, vendor=vendor_named(vendor), token=TOKEN, name=name, **options)
