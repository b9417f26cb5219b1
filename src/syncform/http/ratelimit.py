"""A client-side token bucket that keeps one connection under its vendor's request rate."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from syncform.core.errors import ConfigError


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` requests per `per_seconds` seconds, on average.

    The bucket holds `requests` tokens and refills at `requests / per_seconds` tokens per
    second, so a fresh client may send a burst of up to `requests` requests before it is
    held to the steady rate. A server that counts in fixed windows may still answer 429 at
    the edge of a window; the retry policy rides that out.
    """

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1:
            raise ConfigError(f"rate limit: requests must be at least 1, got {self.requests}")
        if self.per_seconds <= 0:
            raise ConfigError(f"rate limit: per_seconds must be positive, got {self.per_seconds}")

    @property
    def per_second(self) -> float:
        return self.requests / self.per_seconds


class TokenBucket:
    """Thread-safe token bucket. Each `acquire()` reserves one token, sleeping if in debt.

    A caller that finds the bucket empty takes a token "on credit" (the level goes below
    zero) and sleeps until the refill pays it back; the reservation happens under the lock
    and the sleep outside it, so concurrent callers queue up fairly without holding the lock.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._capacity = float(limit.requests)
        self._level = self._capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token and return how many seconds the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            refill = max(0.0, now - self._updated) * self.limit.per_second
            self._level = min(self._capacity, self._level + refill)
            self._updated = now
            self._level -= 1.0
            return max(0.0, -self._level / self.limit.per_second)

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; return the seconds slept."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait
