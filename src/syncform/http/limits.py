"""How much one connection's server may cost a run: time per request, bytes per response, pages
per listing. The defaults are generous for real APIs and still end a hostile or broken server's
requests (see README, syncform.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from syncform.core.errors import ConfigError

DEFAULT_REQUEST_DEADLINE_SECONDS = 120.0
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_PAGES = 10_000


@dataclass(frozen=True)
class Limits:
    """- `request_deadline`: seconds for one attempt of a request, from connect through sending
      to the last byte of the body, however slowly the server drips it.
    - `max_response_bytes`: the largest body accepted, counted after decompression, so a gzip
      bomb stops at the cap.
    - `max_pages`: the most pages one listing may walk before syncform stops it.
    """

    request_deadline: float = DEFAULT_REQUEST_DEADLINE_SECONDS
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_pages: int = DEFAULT_MAX_PAGES

    def __post_init__(self) -> None:
        if not self.request_deadline > 0:
            raise ConfigError(f"request_deadline_seconds must be positive: {self.request_deadline}")
        if self.max_response_bytes < 1:
            raise ConfigError(f"max_response_bytes must be at least 1: {self.max_response_bytes}")
        if self.max_pages < 1:
            raise ConfigError(f"max_pages must be at least 1: {self.max_pages}")
