"""The HTTP layer: one bound, rate-limited, retrying client per vendor connection."""

from __future__ import annotations

from syncform.http.client import ApiClient, Timeouts, Transport
from syncform.http.counters import RequestCounters
from syncform.http.deadline import Deadline
from syncform.http.limits import Limits
from syncform.http.ratelimit import RateLimit, TokenBucket
from syncform.http.response import ApiResponse
from syncform.http.retry import RetryPolicy
from syncform.http.vendor import VendorProfile

__all__ = [
    "ApiClient",
    "ApiResponse",
    "Deadline",
    "Limits",
    "RateLimit",
    "RequestCounters",
    "RetryPolicy",
    "Timeouts",
    "TokenBucket",
    "Transport",
    "VendorProfile",
]
