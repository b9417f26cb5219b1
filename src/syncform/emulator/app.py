"""EmulatorApp: routes each request to a vendor API, applies faults, logs, stays thread-safe."""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from syncform.core.errors import EmulatorError
from syncform.emulator.control import handle_control
from syncform.emulator.faults import (
    FaultBook,
    FaultDecision,
    FaultRule,
    GlobalFaults,
    matching_rules,
)
from syncform.emulator.http_types import (
    ConnectionDropped,
    EmulatorRequest,
    EmulatorResponse,
    VendorError,
    json_response,
)
from syncform.emulator.idempotency import IdempotencySlot, IdempotencyStore
from syncform.emulator.polytomic import PolytomicApi
from syncform.emulator.ratelimit import SlidingWindowLimiter
from syncform.emulator.routing import CONTROL_MOUNT, Mount, split_mount
from syncform.emulator.seed import load_seed
from syncform.emulator.store import Store, iso_millis, utc_now
from syncform.emulator.tines import TinesApi
from syncform.emulator.truto import TrutoApi

Obj = dict[str, Any]
REQUEST_LOG_SIZE = 10_000
THROTTLE_RETRY_AFTER = {"truto": "1", "polytomic": "1"}
FAULT_RETRY_AFTER = {"truto": "10"}


class VendorApi(Protocol):
    vendor: str

    def handle(self, request: EmulatorRequest, mount: Mount) -> EmulatorResponse: ...

    def error_response(self, error: VendorError, request: EmulatorRequest) -> EmulatorResponse: ...


@dataclass(frozen=True)
class RequestLogEntry:
    """One served request: never headers or bodies (they carry secrets)."""

    method: str
    path: str
    status: int
    time: str
    vendor: str
    duration_ms: float
    dropped: bool = False

    def as_dict(self) -> Obj:
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "time": self.time,
            "vendor": self.vendor,
            "duration_ms": round(self.duration_ms, 3),
            "dropped": self.dropped,
        }


@dataclass
class _Outcome:
    response: EmulatorResponse
    drop: bool = False


class EmulatorApp:
    """The whole emulator as one callable: `handle(EmulatorRequest) -> EmulatorResponse`.

    Raises ConnectionDropped (after committing) when a drop_after_commit fault matches.
    """

    def __init__(
        self,
        data: Obj,
        *,
        global_faults: GlobalFaults | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        tines_sync_delay: float | None = None,
    ) -> None:
        self._seed_data = copy.deepcopy(data)
        self._lock = threading.RLock()
        self._sleep = sleep
        self.store = Store(copy.deepcopy(data), clock)
        self._limiter = SlidingWindowLimiter()
        self._idempotency = IdempotencyStore()
        self._log: deque[RequestLogEntry] = deque(maxlen=REQUEST_LOG_SIZE)
        self.faults = FaultBook(global_faults or _global_faults_from(data))
        self._add_seed_faults()
        delay = _seed_sync_delay(data) if tines_sync_delay is None else tines_sync_delay
        self._tines = TinesApi(self.store, self._limiter, delay)
        self._apis: dict[str, VendorApi] = {
            "tines": self._tines,
            "truto": TrutoApi(self.store, self._limiter),
            "polytomic": PolytomicApi(self.store),
        }

    @classmethod
    def from_seed(cls, seed: Path | None = None, **options: Any) -> EmulatorApp:
        return cls(load_seed(seed), **options)

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    @property
    def tines_sync_delay(self) -> float:
        """Seconds before Tines story syncing and cleanup take effect (0: immediately)."""
        return self._tines.sync_delay

    @tines_sync_delay.setter
    def tines_sync_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise EmulatorError("the Tines sync delay cannot be negative")
        with self._lock:
            self._tines.sync_delay = seconds

    @property
    def generation(self) -> int:
        with self._lock:
            return self.store.generation

    def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        started = time.monotonic()
        mount = split_mount(request.path)
        if mount is None or mount.vendor == CONTROL_MOUNT:
            with self._lock:
                response = self._control_or_404(request, mount)
                self._record(request, mount, response, started, dropped=False)
            return response
        outcome = self._serve_vendor(request, mount, started)
        if outcome.drop:
            raise ConnectionDropped()
        return outcome.response

    def _control_or_404(self, request: EmulatorRequest, mount: Mount | None) -> EmulatorResponse:
        if mount is None:
            return json_response(404, {"error": f"nothing is emulated at {request.path}"})
        return handle_control(self, request, mount)

    def _serve_vendor(self, request: EmulatorRequest, mount: Mount, started: float) -> _Outcome:
        api = self._apis[mount.vendor]
        slot = _idempotency_slot(request, mount)
        with self._lock:
            rules = self.faults.active_rules()
        matching = matching_rules(rules, request)  # regexes run outside the lock
        with self._lock:
            decision = self.faults.decide(matching)
            early = self._begin_idempotency(api, request, slot)
        if early is not None:
            with self._lock:
                self._record(request, mount, early, started, dropped=False)
            return _Outcome(early)
        if decision.delay_ms > 0:
            self._sleep(decision.delay_ms / 1000)
        with self._lock:
            response = self._respond(api, request, mount, decision)
            if slot is not None:
                self._idempotency.finish(slot, response)
            drop = decision.drop_after_commit
            self._record(request, mount, response, started, dropped=drop)
        return _Outcome(response, drop)

    def _begin_idempotency(
        self, api: VendorApi, request: EmulatorRequest, slot: IdempotencySlot | None
    ) -> EmulatorResponse | None:
        if slot is None:
            return None
        try:
            return self._idempotency.begin(slot)
        except VendorError as error:
            return api.error_response(error, request)

    def _respond(
        self, api: VendorApi, request: EmulatorRequest, mount: Mount, decision: FaultDecision
    ) -> EmulatorResponse:
        if decision.fail is not None:
            return self._fault_response(api, request, decision.fail)
        if decision.throttled:
            retry = THROTTLE_RETRY_AFTER.get(api.vendor)
            headers = {"Retry-After": retry} if retry else {}
            error = VendorError(429, "Rate limit exceeded", headers=headers)
            return api.error_response(error, request)
        try:
            return api.handle(request, mount)
        except VendorError as error:
            return api.error_response(error, request)
        except Exception as exc:  # an emulator bug must still look like a server error
            internal = VendorError(500, f"internal emulator error: {type(exc).__name__}")
            return api.error_response(internal, request)

    @staticmethod
    def _fault_response(
        api: VendorApi, request: EmulatorRequest, rule: FaultRule
    ) -> EmulatorResponse:
        headers = dict(rule.headers)
        if rule.status == 429 and api.vendor in FAULT_RETRY_AFTER:
            headers.setdefault("Retry-After", FAULT_RETRY_AFTER[api.vendor])
        if rule.body is not None:
            return json_response(rule.status, rule.body, headers)
        error = VendorError(rule.status, "Injected fault", headers=headers)
        return api.error_response(error, request)

    def _record(
        self,
        request: EmulatorRequest,
        mount: Mount | None,
        response: EmulatorResponse,
        started: float,
        *,
        dropped: bool,
    ) -> None:
        entry = RequestLogEntry(
            method=request.method.upper(),
            path=request.path,
            status=response.status,
            time=iso_millis(utc_now()),
            vendor=mount.vendor if mount else "none",
            duration_ms=(time.monotonic() - started) * 1000,
            dropped=dropped,
        )
        self._log.append(entry)

    def request_log(self) -> list[RequestLogEntry]:
        with self._lock:
            return self.request_log_locked()

    def request_log_locked(self) -> list[RequestLogEntry]:
        return list(self._log)

    def clear_request_log_locked(self) -> None:
        self._log.clear()

    def snapshot(self) -> Obj:
        """A deep copy of the live data, secrets included (for tests and persistence)."""
        with self._lock:
            return copy.deepcopy(self.store.data)

    def reset(self) -> None:
        with self._lock:
            self.reset_locked()

    def reset_locked(self) -> None:
        """Back to the seed: data, faults, rate-limit windows, idempotency keys and the log."""
        self.store.data = copy.deepcopy(self._seed_data)
        self.store.mark_changed()
        self._limiter.clear()
        self._idempotency.clear()
        self._log.clear()
        self.faults.clear()
        self._add_seed_faults()

    def set_reset_point(self, data: Obj) -> None:
        """What `reset` returns to (the seed, even when the data came from a data file)."""
        with self._lock:
            self._seed_data = copy.deepcopy(data)

    def add_fault(self, rule: Obj) -> Obj:
        with self._lock:
            return self.faults.add(rule).describe()

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _add_seed_faults(self) -> None:
        for raw in self._seed_data.get("faults") or []:
            try:
                self.faults.add(raw)
            except VendorError as error:
                raise EmulatorError(f"invalid fault rule in the seed: {error.message}") from error


def _idempotency_slot(request: EmulatorRequest, mount: Mount) -> IdempotencySlot | None:
    key = request.header("idempotency-key")
    method = request.method.upper()
    if mount.vendor != "polytomic" or key is None or method not in ("POST", "PUT"):
        return None
    endpoint = f"{method} {mount.subpath.rstrip('/') or '/'}"
    return IdempotencySlot(request.header("authorization") or "", key, endpoint)


def _seed_sync_delay(data: Obj) -> float:
    return float((data.get("tines") or {}).get("sync_delay_seconds", 0))


def _global_faults_from(data: Obj) -> GlobalFaults:
    latency = data.get("latency") or {}
    return GlobalFaults(
        latency_ms=int(latency.get("ms", 0)),
        jitter_ms=int(latency.get("jitter_ms", 0)),
        error_rate=float(latency.get("error_rate", 0.0)),
    )
