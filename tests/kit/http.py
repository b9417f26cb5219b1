"""Fakes for HTTP: a scripted transport, fake clocks (monotonic and wall), a client on them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from syncform.http import ApiClient, RetryPolicy
from syncform.providers.registry import vendor_named

TOKEN = "tok-Sup3rSecret-0001"
BASES = {
    "tines": "https://acme.tines.com",
    "truto": "https://api.truto.one",
    "polytomic": "https://app.polytomic.com",
}

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A monotonic clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class FakeClock:
    """An injectable wall clock (as the emulator takes) that only moves when told to."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


class ScriptedServer:
    """An httpx MockTransport handler that plays steps in order, then repeats the last one."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps) or [json_response(200, {"ok": True})]
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            step = self.steps[min(len(self.requests), len(self.steps)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def no_jitter(ceiling: float) -> float:
    return ceiling


def make_client(
    server: ScriptedServer,
    *,
    vendor: str = "tines",
    base_url: str | None = None,
    time: FakeTime | None = None,
    **options: Any,
) -> tuple[ApiClient, FakeTime]:
    fake_time = time or FakeTime()
    options.setdefault("retry", RetryPolicy(jitter=no_jitter))
    client = ApiClient(
        base_url or BASES[vendor],
        vendor=vendor_named(vendor),
        token=options.pop("token", TOKEN),
        transport=server.transport,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        **options,
    )
    return client, fake_time
