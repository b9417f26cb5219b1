"""The one HTTP client of syncform: one per connection, bound to that connection's URL.

Thread-safe: one client may be shared by the threads that read resources in parallel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from syncform.core.closing import ClosedOnExit
from syncform.core.errors import ConfigError, ProviderError, ReadOnlyViolation
from syncform.http.counters import CounterBox, RequestCounters
from syncform.http.errors import RequestLabel, redirect_error, response_error, transport_error
from syncform.http.ratelimit import RateLimit, TokenBucket
from syncform.http.response import ApiResponse, parse_json
from syncform.http.retry import (
    RetryPolicy,
    has_idempotency_key,
    retry_after_seconds,
    status_is_retryable,
    transport_error_is_retryable,
)
from syncform.http.urls import bind_path, path_without_query, validate_base_url
from syncform.http.vendor import VendorProfile
from syncform.secrets.scrubber import Scrubber

logger = logging.getLogger("syncform.http")

MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KNOWN_METHODS = MUTATING_METHODS | {"GET", "HEAD", "OPTIONS"}

Params = Mapping[str, Any] | None
Outcome = httpx.Response | httpx.HTTPError
Transport = httpx.BaseTransport  # what answers a client's requests: the network, or a fake


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and for each read of the response."""

    connect: float = 10.0
    read: float = 30.0

    def __post_init__(self) -> None:
        if self.connect <= 0 or self.read <= 0:
            raise ConfigError("timeouts must be positive numbers of seconds")

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.read, pool=self.read)


class ApiClient(ClosedOnExit):
    """Sends requests to one vendor connection, politely and safely.

    - Every path is joined to `base_url` and may not leave it; redirects are never followed.
    - Auth: `Authorization: Bearer <token>`, plus the vendor's API version header if it has one
      (see `VendorProfile`).
    - Rate limit: a token bucket per client; the default is the vendor profile's.
    - Retries follow `syncform.http.retry` (POST only when provably safe).
    - `read_only=True` makes POST, PUT, PATCH and DELETE raise `ReadOnlyViolation` before
      anything is sent.
    - Errors are syncform exceptions whose messages pass through `scrubber`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        vendor: VendorProfile,
        token: str | None,
        api_version: str | None = None,
        transport: Transport | None = None,
        read_only: bool = False,
        rate_limit: RateLimit | None = None,
        retry: RetryPolicy | None = None,
        timeout: Timeouts | None = None,
        scrubber: Scrubber | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.vendor = vendor
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.scrubber.add(token)
        self.base_url = validate_base_url(base_url)
        self.read_only = read_only
        self.rate_limit = rate_limit or vendor.rate_limit
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._bucket = TokenBucket(self.rate_limit, clock=clock, sleep=sleep)
        self._counters = CounterBox()
        self._closed = False
        self._http = httpx.Client(
            headers=vendor.headers(token, api_version),
            timeout=(timeout or Timeouts()).to_httpx(),
            transport=transport,
            follow_redirects=False,
            cookies=_no_cookies(),
        )

    # -- public surface -------------------------------------------------------------------

    def get(self, path: str, params: Params = None) -> ApiResponse:
        return self.request("GET", path, params=params)

    def post(
        self, path: str, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> ApiResponse:
        return self.request("POST", path, json=json, headers=headers)

    def put(
        self, path: str, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> ApiResponse:
        return self.request("PUT", path, json=json, headers=headers)

    def patch(
        self, path: str, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> ApiResponse:
        return self.request("PATCH", path, json=json, headers=headers)

    def delete(
        self, path: str, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> ApiResponse:
        return self.request("DELETE", path, json=json, headers=headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """Send one logical request (retrying as the policy allows); 2xx or an exception."""
        try:
            return self._request(method.upper(), path, params, json, headers)
        except ProviderError as exc:
            exc.message = self.scrubber.scrub(exc.message)
            exc.args = (exc.message,)
            raise

    @property
    def counters(self) -> RequestCounters:
        return self._counters.snapshot()

    def close(self) -> None:
        self._closed = True
        self._http.close()

    # -- one logical request --------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        params: Params,
        json: Any,
        headers: Mapping[str, str] | None,
    ) -> ApiResponse:
        self._refuse_unsendable(method, path)
        url = bind_path(self.base_url, path)
        label = RequestLabel(
            method=method,
            path=self.scrubber.scrub(path_without_query(path)),
            url=self.scrubber.scrub(str(url.copy_with(query=None))),
        )
        request = _Request(label, url, params, json, _caller_headers(headers, self.vendor))
        return self._result(label, self._send_with_retries(request))

    def _refuse_unsendable(self, method: str, path: str) -> None:
        shown = path_without_query(path)[:200]
        if method not in KNOWN_METHODS:
            raise ProviderError(f"{method} {shown}: unsupported HTTP method")
        if self.read_only and method in MUTATING_METHODS:
            raise ReadOnlyViolation(
                f"{method} {shown}: refused, this client is read-only (nothing was sent)",
                method=method,
            )
        if self._closed:
            raise ProviderError(f"{method} {shown}: the client is closed")

    def _result(self, label: RequestLabel, response: httpx.Response) -> ApiResponse:
        status = response.status_code
        if 200 <= status < 300:
            return ApiResponse.from_httpx(response)
        if 300 <= status < 400:
            raise redirect_error(label, status, response.headers.get("location", ""))
        raise self._response_error(label, response)

    def _response_error(
        self, label: RequestLabel, response: httpx.Response, note: str = ""
    ) -> ProviderError:
        text = response.text
        return response_error(
            label,
            vendor=self.vendor,
            status=response.status_code,
            body=parse_json(text),
            text=text,
            scrubber=self.scrubber,
            note=note,
        )

    # -- retries ----------------------------------------------------------------------------

    def _send_with_retries(self, request: _Request) -> httpx.Response:
        keyed = has_idempotency_key(request.headers)
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            outcome = self._attempt(request)
            if not self._is_retryable(request.label.method, outcome, keyed):
                return self._unwrap(request.label, outcome)
            wait = self._next_wait(attempt, outcome)
            if attempt >= self.retry.max_attempts or waited + wait > self.retry.max_total_wait:
                raise self._give_up(request.label, outcome, attempt, waited, wait)
            self._sleep(wait)
            waited += wait
            self._counters.record_retry(wait)

    def _is_retryable(self, method: str, outcome: Outcome, keyed: bool) -> bool:
        if isinstance(outcome, httpx.Response):
            return status_is_retryable(method, outcome.status_code, keyed)
        return transport_error_is_retryable(method, outcome, keyed)

    def _next_wait(self, attempt: int, outcome: Outcome) -> float:
        if isinstance(outcome, httpx.Response):
            asked = retry_after_seconds(outcome.headers, now=time.time())
            if asked is not None:
                return asked
        return self.retry.backoff(attempt)

    def _unwrap(self, label: RequestLabel, outcome: Outcome) -> httpx.Response:
        if isinstance(outcome, httpx.Response):
            return outcome
        raise transport_error(label, outcome, self.scrubber) from outcome

    def _give_up(
        self, label: RequestLabel, outcome: Outcome, attempts: int, waited: float, wait: float
    ) -> ProviderError:
        if attempts >= self.retry.max_attempts:
            why = f"the limit of {self.retry.max_attempts} attempts was reached"
        else:
            why = (
                f"the next wait of {wait:.1f} s would pass the {self.retry.max_total_wait:g} s cap"
            )
        note = f"gave up after {attempts} attempt(s) and {waited:.1f} s of waiting ({why})"
        if isinstance(outcome, httpx.Response):
            return self._response_error(label, outcome, note)
        error = transport_error(label, outcome, self.scrubber, note)
        error.__cause__ = outcome
        return error

    # -- one attempt --------------------------------------------------------------------------

    def _attempt(self, request: _Request) -> Outcome:
        self._counters.record_rate_limit_wait(self._bucket.acquire())
        method = request.label.method
        self._counters.record_request(method)
        started = self._clock()
        try:
            response = self._http.request(
                method,
                request.url,
                params=request.params,
                json=request.json,
                headers=request.headers,
            )
        except httpx.HTTPError as exc:
            elapsed = self._clock() - started
            logger.debug(
                "%s %s -> %s after %.3f s", method, request.label.path, type(exc).__name__, elapsed
            )
            return exc
        elapsed = self._clock() - started
        logger.debug(
            "%s %s -> %d in %.3f s", method, request.label.path, response.status_code, elapsed
        )
        return response


@dataclass(frozen=True)
class _Request:
    label: RequestLabel
    url: httpx.URL
    params: Params
    json: Any
    headers: dict[str, str]


def _no_cookies() -> CookieJar:
    """A jar that keeps nothing: every request stands alone, whatever the server sets."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def _caller_headers(headers: Mapping[str, str] | None, vendor: VendorProfile) -> dict[str, str]:
    chosen = dict(headers or {})
    reserved = sorted(name for name in chosen if name.lower() in vendor.reserved_headers)
    if reserved:
        raise ProviderError(f"headers {', '.join(reserved)} are set by the client, not the caller")
    return chosen
