"""Tines at the HTTP level: rate limit and error bodies.

Error bodies: `{"errors": [{"message", "details"}]}`, a bare array, `{"error"}` or `{"message"}`
(the shape differs between endpoints). Rate limit: "Most APIs have a limit of 5000 per minute"
(per IP address and token).
"""

from __future__ import annotations

from typing import Any

from syncform.http import RateLimit, VendorProfile
from syncform.http.messages import generic_message, join_items


def message(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return join_items(body["errors"])
    if isinstance(body, list):
        return join_items(body)
    return generic_message(body)


TINES = VendorProfile(name="tines", rate_limit=RateLimit(5000, 60.0), message=message)
