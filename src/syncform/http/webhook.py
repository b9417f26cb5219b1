"""Posting a JSON document to a webhook (a Slack incoming webhook, a chat or paging bridge).

A webhook URL usually carries its secret in the path or the query: the whole URL, its path and
its query are registered with the run's scrubber before anything is sent, so no message shows
them. The post goes through `ApiClient` (no redirects, bounded body, deadlines) with a few
retries: it carries an `Idempotency-Key`, so a lost answer or a 5xx is retried (a receiver that
ignores the key may see the report twice, which beats never seeing it).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from syncform.core.errors import ConfigError
from syncform.http.client import ApiClient, Timeouts, Transport
from syncform.http.limits import Limits
from syncform.http.ratelimit import RateLimit
from syncform.http.retry import IDEMPOTENCY_HEADER, RetryPolicy
from syncform.http.vendor import VendorProfile
from syncform.secrets.scrubber import Scrubber, can_mask_in_text

WEBHOOK = VendorProfile("webhook", RateLimit(10, 1.0))
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_ATTEMPTS = 3


def post_webhook(
    url: str,
    document: Any,
    *,
    scrubber: Scrubber,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    attempts: int = DEFAULT_ATTEMPTS,
    transport: Transport | None = None,
) -> None:
    """POST `document` as JSON to `url`; a 2xx or a `ProviderError` (its message scrubbed)."""
    base, target = split_webhook_url(url, scrubber)
    retry = RetryPolicy(
        max_attempts=attempts, max_total_wait=timeout, max_total_seconds=timeout * attempts
    )
    client = ApiClient(
        base,
        vendor=WEBHOOK,
        token=None,
        transport=transport,
        retry=retry,
        timeout=Timeouts(connect=timeout, read=timeout),
        scrubber=scrubber,
        name="webhook",
        limits=Limits(request_deadline=timeout),
    )
    with client:
        client.post(target, json=document, headers={IDEMPOTENCY_HEADER: uuid.uuid4().hex})


def split_webhook_url(url: str, scrubber: Scrubber) -> tuple[str, str]:
    """(scheme://host[:port], /path?query), the URL and its parts registered as secrets first."""
    scrubber.add(url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ConfigError("--notify: the webhook URL is not a valid URL") from None
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise ConfigError("--notify: the webhook URL must be an https:// URL")
    target = parsed.raw_path.decode("ascii") or "/"
    for part in (parsed.path, parsed.query.decode("ascii"), target):
        if can_mask_in_text(part):
            scrubber.add(part)
    base = parsed.copy_with(raw_path=b"/", fragment=None)
    return str(base), target
