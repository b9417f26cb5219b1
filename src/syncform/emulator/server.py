"""The emulator over real HTTP: a threading stdlib server (HTTP/1.1, keep-alive)."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from syncform.core.errors import EmulatorError
from syncform.emulator.app import EmulatorApp
from syncform.emulator.http_body import BodyError, HttpLimits, read_request_body
from syncform.emulator.http_types import (
    ConnectionDropped,
    EmulatorRequest,
    EmulatorResponse,
    json_response,
)

REQUEST_QUEUE_SIZE = 256
# A client that goes away mid-request or mid-response is not an emulator error.
CLIENT_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = REQUEST_QUEUE_SIZE
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], app: EmulatorApp, limits: HttpLimits | None = None
    ) -> None:
        super().__init__(address, EmulatorRequestHandler)
        self.app = app
        self.limits = limits or HttpLimits()
        self.on_idle: Callable[[], None] | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Tracebacks on stderr for emulator bugs only, never for a client that hung up."""
        if isinstance(sys.exc_info()[1], CLIENT_DISCONNECTS):
            return
        super().handle_error(request, client_address)

    def service_actions(self) -> None:
        """Called by serve_forever between polls: a place to save data without a thread."""
        if self.on_idle is not None:
            self.on_idle()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        shown = f"[{host}]" if isinstance(host, str) and ":" in host else str(host)
        return f"http://{shown}:{port}"


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    """Adapts one HTTP exchange to EmulatorApp.handle."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive replies must not wait for a delayed ACK
    server: EmulatorHTTPServer

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def setup(self) -> None:
        super().setup()
        # Every read is bounded, the idle wait for the next keep-alive request included.
        self.connection.settimeout(self.server.limits.read_timeout_seconds)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the app keeps its own request log."""

    def _serve(self) -> None:
        try:
            body = read_request_body(self.headers, self.rfile, self.server.limits)
        except BodyError as error:
            self.close_connection = True
            self._write(json_response(error.status, {"error": error.message}))
            return
        request = self._to_request(body)
        try:
            response = self.server.app.handle(request)
        except ConnectionDropped:
            self._drop()
            return
        self._write(response)

    def _to_request(self, body: bytes) -> EmulatorRequest:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        host = self.headers.get("Host") or self.server.base_url.removeprefix("http://")
        return EmulatorRequest(
            method=self.command.upper(),
            path=unquote(parts.path) or "/",
            query=query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            origin=f"http://{host}",
        )

    def _write(self, response: EmulatorResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _drop(self) -> None:
        """Close the socket without a byte of response: the client sees a dropped connection."""
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def make_server(
    app: EmulatorApp, host: str = "127.0.0.1", port: int = 0, limits: HttpLimits | None = None
) -> EmulatorHTTPServer:
    try:
        return EmulatorHTTPServer((host, port), app, limits)
    except OSError as exc:
        raise EmulatorError(f"cannot listen on {host}:{port}: {exc}") from exc


@contextmanager
def running_server(
    app: EmulatorApp, host: str = "127.0.0.1", port: int = 0, limits: HttpLimits | None = None
) -> Iterator[str]:
    """Serve `app` on a background thread; yields the base URL, stops on exit."""
    server = make_server(app, host, port, limits)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="syncform-emulator",
        daemon=True,
    )
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
