"""Truto at the HTTP level: rate limit, error bodies and the version conflict.

Error bodies: `{"statusCode", "error", "message", "details"?}`; validation errors list the bad
fields in `details.failures`. Rate limit: 500 requests per 10 s per API token (429 with
`Retry-After: 10` beyond it). A stale `version` on an integration PATCH (optimistic concurrency)
is answered 400 Bad Request, not 409: a 400 whose message mentions `version` is a conflict.
"""

from __future__ import annotations

import re
from typing import Any

from syncform.http import RateLimit, VendorProfile
from syncform.http.messages import compact, generic_message, text_of

MAX_FAILURES_SHOWN = 5
_VERSION_WORD = re.compile(r"(?i)\bversion\b")


def message(body: Any) -> str:
    if not isinstance(body, dict):
        return generic_message(body)
    found = text_of(body.get("message")) or text_of(body.get("error"))
    details = body.get("details")
    if isinstance(details, dict) and isinstance(details.get("failures"), list):
        found = f"{found} (failures: {_failures(details['failures'])})"
    return found


def _failures(failures: list[Any]) -> str:
    shown = [_failure_text(item) for item in failures[:MAX_FAILURES_SHOWN]]
    more = len(failures) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _failure_text(item: Any) -> str:
    if not isinstance(item, dict):
        return text_of(item)
    where = item.get("path", item.get("field", item.get("instancePath")))
    if isinstance(where, list):
        where = ".".join(str(part) for part in where)
    said = text_of(item.get("message"))
    return f"{where}: {said}" if where and said else said or compact(item)


def is_version_conflict(status: int, message: str) -> bool:
    return status == 400 and _VERSION_WORD.search(message) is not None


TRUTO = VendorProfile(
    name="truto",
    rate_limit=RateLimit(500, 10.0),
    message=message,
    is_conflict=is_version_conflict,
)
