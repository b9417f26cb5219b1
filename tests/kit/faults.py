"""Faults at an exact point of a run: the Nth mutating request fails, or commits and loses its
answer. Wraps the in-process emulator transport the session would use, so the emulator itself
processes (or refuses) each request exactly as it would over a socket."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import httpx

from syncform.emulator import EmulatorApp
from syncform.manifests.config import Config, Connection
from syncform.session import Endpoint, Runtime, Transports
from tests.kit.applying import EMULATOR_NAME

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FAIL = "fail"  # answered 422 by us, never reaching the emulator
DROP = "drop_after_commit"  # processed by the emulator, then the answer is lost


class FaultAt(httpx.BaseTransport):
    """Counts mutating requests over every connection; the `index`-th (0-based) gets `mode`."""

    def __init__(self, index: int, mode: str) -> None:
        self.index, self.mode = index, mode
        self.seen = 0
        self.hit: tuple[str, str] | None = None
        self._lock = threading.Lock()

    def wrap(self, inner: httpx.BaseTransport) -> httpx.BaseTransport:
        fault = self

        class Wrapped(httpx.BaseTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                return fault.handle(inner, request)

        return Wrapped()

    def handle(self, inner: httpx.BaseTransport, request: httpx.Request) -> httpx.Response:
        if request.method not in MUTATING or not self._this_one(request):
            return inner.handle_request(request)
        if self.mode == FAIL:
            return httpx.Response(422, json={"message": "injected failure"}, request=request)
        inner.handle_request(request)
        raise httpx.RemoteProtocolError("injected: the answer was lost", request=request)

    def _this_one(self, request: httpx.Request) -> bool:
        with self._lock:
            now, self.seen = self.seen, self.seen + 1
            if now == self.index:
                self.hit = (request.method, request.url.path)
        return now == self.index


class _FaultyTransports(Transports):
    def __init__(self, config: Config, app: EmulatorApp, fault: FaultAt) -> None:
        super().__init__(config, {EMULATOR_NAME: app})
        self._fault = fault

    def endpoint(self, connection: Connection) -> Endpoint:
        found = super().endpoint(connection)
        assert found.transport is not None
        return Endpoint(found.url, self._fault.wrap(found.transport), found.default_token)


def faulty_runtime(app: EmulatorApp, environ: Mapping[str, str], fault: FaultAt) -> Runtime:
    return Runtime(environ, transports=lambda config: _FaultyTransports(config, app, fault))
