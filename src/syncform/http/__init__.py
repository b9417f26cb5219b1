"""The HTTP layer: one bound, rate-limited, retrying client per vendor connection."""

from __future__ import annotations

from syncform.http.client import ApiClient, Timeouts
from syncform.http.counters import RequestCounters
from syncform.http.ratelimit import RateLimit, TokenBucket
from syncform.http.response import ApiResponse
from syncform.http.retry import RetryPolicy
from syncform.http.scrub import Scrubber
from syncform.http.vendors import DEFAULT_RATE_LIMITS, POLYTOMIC_DEFAULT_VERSION, VENDORS

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "POLYTOMIC_DEFAULT_VERSION",
    "VENDORS",
    "ApiClient",
    "ApiResponse",
    "RateLimit",
    "RequestCounters",
    "RetryPolicy",
    "Scrubber",
    "Timeouts",
    "TokenBucket",
]
