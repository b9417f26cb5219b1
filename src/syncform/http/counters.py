"""Thread-safe tallies of what a client did, for reports and benchmarks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class RequestCounters:
    """A snapshot: requests handed to the transport (retries included), retries, and the
    seconds spent waiting for the rate limiter and between retries."""

    requests_sent: int = 0
    retries: int = 0
    rate_limit_wait_seconds: float = 0.0
    retry_wait_seconds: float = 0.0
    by_method: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __add__(self, other: RequestCounters) -> RequestCounters:
        """Sum of two snapshots, e.g. over every connection of a run."""
        methods = Counter(self.by_method)
        methods.update(other.by_method)
        return RequestCounters(
            requests_sent=self.requests_sent + other.requests_sent,
            retries=self.retries + other.retries,
            rate_limit_wait_seconds=self.rate_limit_wait_seconds + other.rate_limit_wait_seconds,
            retry_wait_seconds=self.retry_wait_seconds + other.retry_wait_seconds,
            by_method=MappingProxyType(dict(methods)),
        )


class CounterBox:
    """The live, lock-protected tallies behind `ApiClient.counters`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._retries = 0
        self._rate_limit_wait = 0.0
        self._retry_wait = 0.0
        self._by_method: Counter[str] = Counter()

    def record_request(self, method: str) -> None:
        with self._lock:
            self._requests += 1
            self._by_method[method] += 1

    def record_retry(self, waited: float) -> None:
        with self._lock:
            self._retries += 1
            self._retry_wait += waited

    def record_rate_limit_wait(self, waited: float) -> None:
        if waited <= 0:
            return
        with self._lock:
            self._rate_limit_wait += waited

    def snapshot(self) -> RequestCounters:
        with self._lock:
            return RequestCounters(
                requests_sent=self._requests,
                retries=self._retries,
                rate_limit_wait_seconds=self._rate_limit_wait,
                retry_wait_seconds=self._retry_wait,
                by_method=MappingProxyType(dict(self._by_method)),
            )
