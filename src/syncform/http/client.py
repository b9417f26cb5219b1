"""The one HTTP client of syncform: one per connection, bound to that connection's URL.

Thread-safe: one client may be shared by the threads that read resources in parallel.
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import MappingProxyType
from typing import Any

import httpx

from syncform.core.closing import ClosedOnExit
from syncform.core.errors import ConfigError, ProviderError, ReadOnlyViolation
from syncform.http.body import BodyTooLarge, body_text, read_body
from syncform.http.counters import CounterBox, RequestCounters
from syncform.http.deadline import Deadline, DeadlinePassed, check, earliest
from syncform.http.errors import (
    RequestLabel,
    deadline_error,
    json_too_deep_error,
    redirect_error,
    response_error,
    too_large_error,
    transport_error,
)
from syncform.http.limits import Limits
from syncform.http.ratelimit import RateLimit, TokenBucket
from syncform.http.response import ApiResponse, JsonTooDeep, ReceivedResponse, parse_json
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
Outcome = ReceivedResponse | httpx.HTTPError
Transport = httpx.BaseTransport  # what answers a client's requests: the network, or a fake

TIMER_SLACK = 0.05  # seconds: a timeout clamped to a deadline may fire this much before it


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

    def within(self, seconds: float) -> httpx.Timeout:
        """These timeouts, none longer than `seconds` (the time left before a deadline)."""
        left = max(seconds, 0.001)
        connect, read = min(self.connect, left), min(self.read, left)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=read)


@functools.cache
def shared_tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client of the process, the one httpx would build for
    each (its CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR as set when first asked): building it
    loads the bundle, about 33 ms a client."""
    return httpx.create_ssl_context()


class ApiClient(ClosedOnExit):
    """Sends requests to one vendor connection, politely and safely.

    - Every path is joined to `base_url` and may not leave it; redirects are never followed.
    - Auth: `Authorization: Bearer <token>`, plus the vendor's API version header if it has one
      (see `VendorProfile`).
    - Rate limit: a token bucket per client; the default is the vendor profile's.
    - Retries follow `syncform.http.retry` (POST only when provably safe).
    - Deadlines: each attempt must be over (connect, send, the last byte of the body) within
      `limits.request_deadline`; the whole call, retries included, within
      `retry.max_total_seconds`; and every request within `run_deadline`, shared by all the
      clients of a run. A deadline that passes raises `DeadlineExceeded`.
    - Bodies larger than `limits.max_response_bytes` (decoded) raise `ResponseTooLarge`; JSON
      nested too deeply to read safely raises `ProviderError`.
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
        name: str | None = None,
        limits: Limits | None = None,
        run_deadline: Deadline | None = None,
    ) -> None:
        self.vendor = vendor
        self.name = name  # the connection's, named in messages
        self.limits = limits or Limits()
        self.run_deadline = run_deadline
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
        self._timeouts = timeout or Timeouts()
        self._http = httpx.Client(
            headers=vendor.headers(token, api_version),
            timeout=self._timeouts.to_httpx(),
            transport=transport,
            verify=shared_tls_context() if transport is None else True,
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

    def describe(self, method: str, path: str) -> str:
        """`connection 'NAME': METHOD PATH` for messages (the path without its query)."""
        label = RequestLabel(method, self.scrubber.scrub(path_without_query(path)), "", self.name)
        return label.with_connection()

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
            connection=self.name,
        )
        caller_headers = _caller_headers(headers, self.vendor)
        request = _Request(label, url, params, json, caller_headers, self._call_deadlines())
        return self._result(label, self._send_with_retries(request))

    def _call_deadlines(self) -> tuple[Deadline, ...]:
        """The run's deadline (first: it is the one to name when both have passed) and the cap
        on this call with all its retries."""
        seconds = max(self.retry.max_total_seconds, self.limits.request_deadline)
        call = Deadline.after(
            seconds,
            "deadline of one request with its retries",
            "request_deadline_seconds",
            self._clock,
        )
        return (call,) if self.run_deadline is None else (self.run_deadline, call)

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

    def _result(self, label: RequestLabel, response: ReceivedResponse) -> ApiResponse:
        status = response.status
        if 200 <= status < 300:
            return _api_response(label, response)
        if 300 <= status < 400:
            raise redirect_error(label, status, response.headers.get("location", ""))
        raise self._response_error(label, response)

    def _response_error(
        self, label: RequestLabel, response: ReceivedResponse, note: str = ""
    ) -> ProviderError:
        return response_error(
            label,
            vendor=self.vendor,
            status=response.status,
            body=_error_body(response.text),
            text=response.text,
            scrubber=self.scrubber,
            note=note,
        )

    # -- retries ----------------------------------------------------------------------------

    def _send_with_retries(self, request: _Request) -> ReceivedResponse:
        keyed = has_idempotency_key(request.headers)
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            outcome = self._attempt(request)
            if not self._is_retryable(request.label.method, outcome, keyed):
                return self._unwrap(request.label, outcome)
            wait = self._next_wait(attempt, outcome)
            why = self._reason_to_stop(attempt, waited, wait, request.deadlines)
            if why:
                raise self._give_up(request.label, outcome, attempt, waited, why)
            self._sleep(wait)
            waited += wait
            self._counters.record_retry(wait)

    def _is_retryable(self, method: str, outcome: Outcome, keyed: bool) -> bool:
        if isinstance(outcome, ReceivedResponse):
            return status_is_retryable(method, outcome.status, keyed)
        return transport_error_is_retryable(method, outcome, keyed)

    def _next_wait(self, attempt: int, outcome: Outcome) -> float:
        if isinstance(outcome, ReceivedResponse):
            asked = retry_after_seconds(outcome.headers, now=time.time())
            if asked is not None:
                return asked
        return self.retry.backoff(attempt)

    def _reason_to_stop(
        self, attempts: int, waited: float, wait: float, deadlines: tuple[Deadline, ...]
    ) -> str:
        """Why not to retry after `attempts` attempts and `waited` seconds ("" to go on)."""
        if attempts >= self.retry.max_attempts:
            return f"the limit of {self.retry.max_attempts} attempts was reached"
        if waited + wait > self.retry.max_total_wait:
            return (
                f"the next wait of {wait:.1f} s would pass the {self.retry.max_total_wait:g} s cap"
            )
        first = earliest(deadlines)
        if wait >= first.remaining():
            return f"the next wait of {wait:.1f} s would pass {first.describe()}"
        return ""

    def _unwrap(self, label: RequestLabel, outcome: Outcome) -> ReceivedResponse:
        if isinstance(outcome, ReceivedResponse):
            return outcome
        raise transport_error(label, outcome, self.scrubber) from outcome

    def _give_up(
        self, label: RequestLabel, outcome: Outcome, attempts: int, waited: float, why: str
    ) -> ProviderError:
        note = f"gave up after {attempts} attempt(s) and {waited:.1f} s of waiting ({why})"
        if isinstance(outcome, ReceivedResponse):
            return self._response_error(label, outcome, note)
        error = transport_error(label, outcome, self.scrubber, note)
        error.__cause__ = outcome
        return error

    # -- one attempt --------------------------------------------------------------------------

    def _attempt(self, request: _Request) -> Outcome:
        """One exchange; a passed deadline or an oversized body raise (they are not retried)."""
        self._counters.record_rate_limit_wait(self._bucket.acquire())
        deadlines = (*request.deadlines, self._request_deadline())
        try:
            check(deadlines)
            return self._exchange(request, deadlines)
        except DeadlinePassed as passed:
            raise deadline_error(request.label, passed.deadline) from None
        except BodyTooLarge as too_large:
            raise too_large_error(request.label, too_large.limit) from None

    def _request_deadline(self) -> Deadline:
        return Deadline.after(
            self.limits.request_deadline,
            "request deadline",
            "request_deadline_seconds",
            self._clock,
        )

    def _exchange(self, request: _Request, deadlines: tuple[Deadline, ...]) -> Outcome:
        """Send the request and stream the whole body in, within the deadlines and the cap."""
        method, path = request.label.method, request.label.path
        self._counters.record_request(method)
        first = earliest(deadlines)
        started = self._clock()
        try:
            with self._http.stream(
                method,
                request.url,
                params=request.params,
                json=request.json,
                headers=request.headers,
                timeout=self._timeouts.within(first.remaining()),
            ) as response:
                body = read_body(
                    response, max_bytes=self.limits.max_response_bytes, deadlines=deadlines
                )
                received = _received(response, body)
        except httpx.HTTPError as exc:
            elapsed = self._clock() - started
            logger.debug("%s %s -> %s after %.3f s", method, path, type(exc).__name__, elapsed)
            if isinstance(exc, httpx.TimeoutException) and first.remaining() <= TIMER_SLACK:
                raise DeadlinePassed(first) from exc
            return exc
        elapsed = self._clock() - started
        logger.debug("%s %s -> %d in %.3f s", method, path, received.status, elapsed)
        return received


@dataclass(frozen=True)
class _Request:
    label: RequestLabel
    url: httpx.URL
    params: Params
    json: Any
    headers: dict[str, str]
    deadlines: tuple[Deadline, ...]  # the run's and the call's; each attempt adds its own


def _received(response: httpx.Response, body: bytes) -> ReceivedResponse:
    headers = MappingProxyType({name.lower(): value for name, value in response.headers.items()})
    return ReceivedResponse(response.status_code, headers, body_text(response, body))


def _api_response(label: RequestLabel, response: ReceivedResponse) -> ApiResponse:
    try:
        return ApiResponse.from_received(response)
    except JsonTooDeep:
        raise json_too_deep_error(label, response.status) from None


def _error_body(text: str) -> Any:
    """An error response's parsed body; None when it is not JSON or nests too deeply (the
    message then falls back to the raw text, truncated)."""
    try:
        return parse_json(text)
    except JsonTooDeep:
        return None


def _no_cookies() -> CookieJar:
    """A jar that keeps nothing: every request stands alone, whatever the server sets."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def _caller_headers(headers: Mapping[str, str] | None, vendor: VendorProfile) -> dict[str, str]:
    chosen = dict(headers or {})
    reserved = sorted(name for name in chosen if name.lower() in vendor.reserved_headers)
    if reserved:
        raise ProviderError(f"headers {', '.join(reserved)} are set by the client, not the caller")
    return chosen
