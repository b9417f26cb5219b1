"""Sliding-window rate limiting keyed by (vendor, caller)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """Allows at most `limit` hits per `period` seconds per key; the caller holds the lock."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._monotonic = monotonic

    def allow(self, key: str, limit: int, period: float) -> bool:
        now = self._monotonic()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - period:
            hits.popleft()
        if len(hits) >= limit:
            return False
        hits.append(now)
        return True

    def clear(self) -> None:
        self._hits.clear()
