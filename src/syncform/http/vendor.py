"""What the HTTP layer needs to know of a vendor, given to each client by the vendor's provider.

The profile names the vendor, its default client-side rate limit, its API version header (if
any), how to read a human message out of its error bodies, and which error responses mean a
concurrency conflict even without a 409. Nothing in `syncform.http` names a vendor itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syncform import __version__
from syncform.core.errors import ConfigError
from syncform.http.messages import generic_message
from syncform.http.ratelimit import RateLimit

USER_AGENT = f"syncform/{__version__}"


def never_a_conflict(status: int, message: str) -> bool:
    return False


@dataclass(frozen=True)
class VendorProfile:
    name: str
    rate_limit: RateLimit
    message: Callable[[Any], str] = generic_message  # error body -> one message ("" if none)
    version_header: str | None = None  # sent on every request, e.g. X-Polytomic-Version
    default_api_version: str | None = None
    is_conflict: Callable[[int, str], bool] = never_a_conflict  # (status, message), besides 409

    def headers(self, token: str | None, api_version: str | None) -> dict[str, str]:
        """Headers sent on every request of a client: identity, auth and API version."""
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token is not None:
            check_header_value("the connection's token", token)
            headers["Authorization"] = f"Bearer {token}"
        if self.version_header is not None:
            version = api_version or self.default_api_version or ""
            check_header_value("the connection's api_version", version)
            headers[self.version_header] = version
        return headers

    @property
    def reserved_headers(self) -> frozenset[str]:
        """Header names (lower case) a caller may not set: the client owns them."""
        own = {self.version_header.lower()} if self.version_header else set()
        return frozenset({"authorization", "host", *own})


def check_header_value(what: str, value: str) -> None:
    """A ConfigError naming `what` (never echoing `value`) unless `value` can be sent as an HTTP
    header value: not empty, no control characters, no surrounding whitespace, ASCII only."""
    if not value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ConfigError(f"{what} is empty or contains control characters")
    if not value.isascii():
        raise ConfigError(f"{what} contains non-ASCII characters; HTTP headers carry ASCII only")
    if value != value.strip():
        raise ConfigError(f"{what} has leading or trailing whitespace")
