"""Polytomic at the HTTP level: the version header, rate limit and error bodies.

Every request carries `X-Polytomic-Version` (the connection's `api_version`, default 2025-09-18).
Error bodies: `{"status", "message", "key", "metadata"}`, or the older
`{"code", "status", "error", "context"}`.

Rate limit: Polytomic documents no general REST rate limit (only the connection proxy has one),
and the emulator enforces none, so the client imposes no wait of its own by default: the bucket
below never binds at any parallelism syncform uses. A 429 from the server is retried after its
`Retry-After`. Set `rate_limit` on the connection to pace an organisation that needs it.
"""

from __future__ import annotations

from typing import Any

from syncform.http import RateLimit, VendorProfile
from syncform.http.messages import generic_message, text_of

DEFAULT_API_VERSION = "2025-09-18"
VERSION_HEADER = "X-Polytomic-Version"
UNPACED_PER_SECOND = 1_000_000  # no documented limit: no self-imposed wait (see above)


def message(body: Any) -> str:
    if not isinstance(body, dict):
        return generic_message(body)
    found = text_of(body.get("message")) or text_of(body.get("error"))
    key = text_of(body.get("key"))
    return f"{found} [{key}]" if found and key else found


POLYTOMIC = VendorProfile(
    name="polytomic",
    rate_limit=RateLimit(UNPACED_PER_SECOND, 1.0),
    message=message,
    version_header=VERSION_HEADER,
    default_api_version=DEFAULT_API_VERSION,
)
