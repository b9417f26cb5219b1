"""Translation of httpx failures and HTTP error responses into syncform's exception tree.

Messages carry the method, the path (never the full URL, whose query may hold secrets), the
status and the vendor's own message, truncated and scrubbed of secrets.

A vendor may report a concurrency conflict with another status than 409 (Truto's stale `version`
is a 400): its profile's `is_conflict` says so, and the error is then a `ConflictError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx

from syncform.core.errors import (
    AuthError,
    ClientError,
    ConflictError,
    DeadlineExceeded,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    ResponseTooLarge,
    ServerError,
    TransportError,
)
from syncform.http.deadline import Deadline
from syncform.http.messages import error_message
from syncform.http.response import MAX_JSON_DEPTH
from syncform.http.vendor import VendorProfile
from syncform.secrets.scrubber import Scrubber

MAX_VENDOR_MESSAGE = 500

_STATUS_ERRORS: dict[int, type[ProviderError]] = {
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


@dataclass(frozen=True)
class RequestLabel:
    """What a message says about the request: method, path without query, and the URL."""

    method: str
    path: str
    url: str
    connection: str | None = None  # the syncform.yaml connection's name, when known

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def with_connection(self) -> str:
        """`connection 'NAME': METHOD PATH`, or `METHOD PATH` when the connection is unnamed."""
        return f"connection {self.connection!r}: {self}" if self.connection else str(self)


def truncate(text: str, limit: int = MAX_VENDOR_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def status_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def error_class_for(vendor: VendorProfile, status: int, message: str) -> type[ProviderError]:
    if vendor.is_conflict(status, message):
        return ConflictError
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return ClientError
    return ProviderError


def response_error(
    label: RequestLabel,
    *,
    vendor: VendorProfile,
    status: int,
    body: Any,
    text: str,
    scrubber: Scrubber,
    note: str = "",
) -> ProviderError:
    """The exception for an error response; `note` says e.g. how long retries went on."""
    detail = truncate(scrubber.scrub(error_message(vendor.message, body, text)))
    error_class = error_class_for(vendor, status, detail)
    parts = [f"{label}: HTTP {status_phrase(status)}", note, detail]
    message = scrubber.scrub(": ".join(part for part in parts if part))
    return error_class(message, status=status, method=label.method, url=label.url)


def redirect_error(label: RequestLabel, status: int, location: str) -> ProviderError:
    """A 3xx: never followed, so credentials cannot travel to another origin."""
    message = (
        f"{label}: HTTP {status_phrase(status)} redirect to {_location_origin(location)} "
        "was not followed "
        "(requests stay on the connection's URL; check the connection url)"
    )
    return ProviderError(message, status=status, method=label.method, url=label.url)


_TRANSPORT_WORDS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.ConnectTimeout, "timed out connecting"),
    (httpx.ConnectError, "could not connect"),
    (httpx.PoolTimeout, "timed out waiting for a free connection"),
    (httpx.ReadTimeout, "timed out waiting for the response"),
    (httpx.WriteTimeout, "timed out sending the request"),
    (httpx.RemoteProtocolError, "the server broke the connection"),
    (httpx.NetworkError, "network error"),
)


def transport_error(
    label: RequestLabel, exc: Exception, scrubber: Scrubber, note: str = ""
) -> TransportError:
    """The exception for a request that got no response; raise it `from exc`."""
    what = next((words for kind, words in _TRANSPORT_WORDS if isinstance(exc, kind)), "")
    reason = what or type(exc).__name__
    cause = truncate(str(exc), 200)
    parts = [str(label), f"{reason} ({cause})" if cause else reason, note]
    message = scrubber.scrub(": ".join(part for part in parts if part))
    return TransportError(message, method=label.method, url=label.url)


def deadline_error(label: RequestLabel, deadline: Deadline) -> DeadlineExceeded:
    """A request stopped, or never sent, because `deadline` passed."""
    message = (
        f"{label.with_connection()}: stopped, {deadline.describe()} passed before the response "
        f"was complete (the server is too slow or never finishes; see {deadline.setting})"
    )
    return DeadlineExceeded(message, method=label.method, url=label.url)


def too_large_error(label: RequestLabel, limit: int) -> ResponseTooLarge:
    message = (
        f"{label.with_connection()}: the response body passed the cap of {limit} bytes "
        "(counted after decompression; see max_response_bytes)"
    )
    return ResponseTooLarge(message, method=label.method, url=label.url)


def json_too_deep_error(label: RequestLabel, status: int) -> ProviderError:
    message = (
        f"{label.with_connection()}: HTTP {status_phrase(status)}: the response body nests "
        f"JSON deeper than {MAX_JSON_DEPTH} levels; syncform does not read such bodies"
    )
    return ProviderError(message, status=status, method=label.method, url=label.url)


def _location_origin(location: str) -> str:
    if not location:
        return "an unnamed location"
    try:
        target = httpx.URL(location)
    except httpx.InvalidURL:
        return "an unparsable location"
    return _origin(target) if target.is_absolute_url else "a path on the same origin"


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port is not None else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}"
