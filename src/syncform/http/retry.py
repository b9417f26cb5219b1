"""When to retry a request, and how long to wait before the next attempt.

Retried: 429, 502, 503 and 504 responses, and transport failures (connect errors, timeouts,
dropped connections), for GET, HEAD, OPTIONS, PUT, PATCH and DELETE.

POST is never retried blindly, because a POST that reached the server may have created
something. A POST is retried only
- when it never left the client (connect error, connect or pool timeout),
- on 429, where the server says it did not process the request, or
- when the caller sent an `Idempotency-Key` header (Polytomic replays the first outcome of a
  key, so a retry cannot create a second object); it is then treated like PUT.

400, 401, 403, 404, 409, 422 and every other status are never retried.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

from syncform.core.errors import ConfigError

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
IDEMPOTENCY_HEADER = "idempotency-key"

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAY_HAVE_BEEN_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def full_jitter(ceiling: float) -> float:
    """A uniformly random wait between 0 and `ceiling` seconds ("full jitter")."""
    return random.uniform(0.0, ceiling)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    `max_attempts` counts every attempt, the first included. `max_total_wait` caps the sum
    of the waits between attempts: when the next wait would take the sum past it, the client
    stops and raises instead of waiting. `max_total_seconds` caps the whole call, every
    attempt and every wait included (never below the connection's per-attempt request
    deadline); an attempt is cut short when it would run past it. Backoff is exponential from
    `base_delay`, capped at `max_delay` per wait, with full jitter; a `Retry-After` from the
    server takes precedence.
    """

    max_attempts: int = 6
    max_total_wait: float = 120.0
    max_total_seconds: float = 600.0
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: Callable[[float], float] = field(default=full_jitter, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError(f"retry: max_attempts must be at least 1, got {self.max_attempts}")
        if min(self.max_total_wait, self.base_delay, self.max_delay) < 0:
            raise ConfigError("retry: waits must not be negative")
        if not self.max_total_seconds > 0:
            raise ConfigError("retry: max_total_seconds must be positive")

    def backoff(self, retry_number: int) -> float:
        """The jittered wait before retry number `retry_number` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        return self.jitter(ceiling)


def has_idempotency_key(headers: Mapping[str, str] | None) -> bool:
    return any(name.lower() == IDEMPOTENCY_HEADER for name in headers or {})


def status_is_retryable(method: str, status: int, idempotency_key: bool) -> bool:
    if status not in RETRY_STATUSES:
        return False
    return status == 429 or method in IDEMPOTENT_METHODS or idempotency_key


def transport_error_is_retryable(method: str, exc: Exception, idempotency_key: bool) -> bool:
    if isinstance(exc, _NOT_SENT):
        return True
    if not isinstance(exc, _MAY_HAVE_BEEN_SENT):
        return False
    return method in IDEMPOTENT_METHODS or idempotency_key


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """The server's requested wait, from `retry-after-ms` or `Retry-After`; None if absent.

    `Retry-After` may be delta-seconds or an HTTP-date (compared with `now`, Unix seconds).
    An unparsable value counts as absent; a date in the past means no wait.
    """
    lowered = {name.lower(): value.strip() for name, value in headers.items()}
    millis = _as_float(lowered.get("retry-after-ms"))
    if millis is not None:
        return max(0.0, millis / 1000.0)
    value = lowered.get("retry-after")
    if not value:
        return None
    seconds = _as_float(value)
    if seconds is not None:
        return max(0.0, seconds)
    return _seconds_until_http_date(value, now)


def _as_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _seconds_until_http_date(value: str, now: float) -> float | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)
