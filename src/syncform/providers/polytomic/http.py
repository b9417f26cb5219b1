"""Polytomic at the HTTP level: the version header, rate limit and error bodies.

Every request carries `X-Polytomic-Version` (the connection's `api_version`, default 2025-09-18).
Error bodies: `{"status", "message", "key", "metadata"}`, or the older
`{"code", "status", "error", "context"}`. Polytomic documents no general REST rate limit; 600
per minute is our own polite pace (set `rate_limit` on the connection to change it).
"""

from __future__ import annotations

from typing import Any

from syncform.http import RateLimit, VendorProfile
from syncform.http.messages import generic_message, text_of

DEFAULT_API_VERSION = "2025-09-18"
VERSION_HEADER = "X-Polytomic-Version"


def message(body: Any) -> str:
    if not isinstance(body, dict):
        return generic_message(body)
    found = text_of(body.get("message")) or text_of(body.get("error"))
    key = text_of(body.get("key"))
    return f"{found} [{key}]" if found and key else found


POLYTOMIC = VendorProfile(
    name="polytomic",
    rate_limit=RateLimit(600, 60.0),
    message=message,
    version_header=VERSION_HEADER,
    default_api_version=DEFAULT_API_VERSION,
)
