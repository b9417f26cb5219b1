"""What differs between the three vendors at the HTTP level: auth headers and rate limits."""

from __future__ import annotations

from syncform import __version__
from syncform.errors import ConfigError
from syncform.http.ratelimit import RateLimit

VENDORS = ("tines", "truto", "polytomic")
POLYTOMIC_DEFAULT_VERSION = "2025-09-18"
POLYTOMIC_VERSION_HEADER = "X-Polytomic-Version"
USER_AGENT = f"syncform/{__version__}"

DEFAULT_RATE_LIMITS: dict[str, RateLimit] = {
    # Tines: "Most APIs have a limit of 5000 per minute" (per IP address and token).
    "tines": RateLimit(5000, 60.0),
    # Truto: 500 requests per 10 s per API token; 429 with Retry-After: 10 beyond it.
    "truto": RateLimit(500, 10.0),
    # Polytomic documents no general REST rate limit; 600 per minute is our own polite pace.
    "polytomic": RateLimit(600, 60.0),
}


def check_vendor(vendor: str) -> str:
    if vendor not in VENDORS:
        raise ConfigError(f"unknown provider {vendor!r}; expected one of {', '.join(VENDORS)}")
    return vendor


def default_headers(vendor: str, token: str | None, api_version: str | None) -> dict[str, str]:
    """Headers sent on every request of a client: identity, auth and API version."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if token is not None:
        _check_header_value("token", token)
        headers["Authorization"] = f"Bearer {token}"
    if vendor == "polytomic":
        version = api_version or POLYTOMIC_DEFAULT_VERSION
        _check_header_value("api_version", version)
        headers[POLYTOMIC_VERSION_HEADER] = version
    return headers


def _check_header_value(what: str, value: str) -> None:
    if not value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ConfigError(f"the connection's {what} is empty or contains control characters")
    if value != value.strip():
        raise ConfigError(f"the connection's {what} has leading or trailing whitespace")
