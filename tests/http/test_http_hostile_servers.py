"""Hostile or broken servers, on a real loopback socket: every request ends, and ends clearly.

A body dripped a byte at a time, a server that never answers, a retry storm, a gzip bomb and
JSON nested a hundred thousand deep each stop at their limit with a syncform error that names
the connection and the endpoint (method and path, never the query or the token).
"""

from __future__ import annotations

import json
import time

import pytest

from syncform.core.errors import (
    DeadlineExceeded,
    ProviderError,
    ResponseTooLarge,
    ServerError,
)
from syncform.http import Deadline, Limits, RetryPolicy, Timeouts
from syncform.http.limits import (
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_DEADLINE_SECONDS,
)
from syncform.http.response import MAX_JSON_DEPTH
from tests.kit.http import TOKEN
from tests.kit.loopback import (
    LoopbackServer,
    delay,
    drip,
    loopback_client,
    send_bytes,
    send_gzip,
    send_json,
)

SLOW_TIMEOUTS = Timeouts(connect=2.0, read=5.0)  # each read alone would wait far too long
BODY = json.dumps({"result": ["x" * 200]}).encode()
MIB = 1024 * 1024


def _run(action: object) -> float:
    started = time.monotonic()
    assert callable(action)
    action()
    return time.monotonic() - started


def _assert_names_the_endpoint(error: ProviderError) -> None:
    assert "connection 'hostile': GET /integration" in error.message
    assert "limit=" not in error.message
    assert TOKEN not in error.message


def test_limits_have_generous_defaults() -> None:
    assert Limits() == Limits(120.0, 64 * MIB, 10_000)
    assert (DEFAULT_REQUEST_DEADLINE_SECONDS, DEFAULT_MAX_RESPONSE_BYTES) == (120.0, 64 * MIB)
    assert DEFAULT_MAX_PAGES == 10_000
    assert RetryPolicy().max_total_seconds == 600.0


def test_a_body_dripped_byte_by_byte_stops_at_the_request_deadline() -> None:
    with LoopbackServer(drip(BODY, every=0.02)) as server:  # the whole body: about 4.5 s
        client = loopback_client(server, limits=Limits(request_deadline=0.5), timeout=SLOW_TIMEOUTS)
        started = time.monotonic()
        with client, pytest.raises(DeadlineExceeded) as caught:
            client.get("/integration", params={"limit": 100})
        elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 2.0
    assert "the request deadline of 0.5 s passed" in caught.value.message
    assert "request_deadline_seconds" in caught.value.message
    _assert_names_the_endpoint(caught.value)
    assert server.paths == ["/integration?limit=100"]  # a passed deadline is not retried


def test_a_server_that_never_answers_stops_at_the_request_deadline() -> None:
    with LoopbackServer(delay(10.0, send_json(200, {}))) as server:
        client = loopback_client(server, limits=Limits(request_deadline=0.4), timeout=SLOW_TIMEOUTS)
        started = time.monotonic()
        with client, pytest.raises(DeadlineExceeded, match=r"request deadline of 0\.4 s"):
            client.get("/integration")
        assert time.monotonic() - started < 2.0


def test_the_run_deadline_ends_a_request_and_refuses_the_next() -> None:
    run = Deadline.after(0.4, "run deadline", "defaults.run_deadline_seconds")
    with (
        LoopbackServer(drip(BODY, every=0.02)) as server,
        loopback_client(server, run_deadline=run, timeout=SLOW_TIMEOUTS) as client,
    ):
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded) as caught:
            client.get("/integration", params={"limit": 100})
        assert time.monotonic() - started < 2.0
        with pytest.raises(DeadlineExceeded, match="run deadline"):
            client.get("/integration")
    assert "the run deadline of 0.4 s passed" in caught.value.message
    assert "defaults.run_deadline_seconds" in caught.value.message
    _assert_names_the_endpoint(caught.value)
    assert len(server.paths) == 1  # the second request was never sent


def test_retries_end_at_the_cap_on_the_whole_call() -> None:
    unavailable = delay(0.15, send_json(503, {"error": "busy"}, {"Retry-After": "0"}))
    retry = RetryPolicy(max_attempts=100, max_total_wait=100.0, max_total_seconds=0.8)
    with LoopbackServer(unavailable) as server:
        client = loopback_client(server, retry=retry, limits=Limits(request_deadline=0.5))
        started = time.monotonic()
        with client, pytest.raises(ProviderError) as caught:
            client.get("/integration")
        elapsed = time.monotonic() - started
    assert 0.7 < elapsed < 2.0
    assert 2 <= len(server.paths) < 10
    assert isinstance(caught.value, DeadlineExceeded | ServerError)
    assert "deadline of one request with its retries of 0.8 s" in caught.value.message


def test_a_gzip_bomb_stops_at_the_size_cap() -> None:
    inflated = b"[" + b"0," * (5 * MIB) + b"0]"  # 10 MiB of JSON, about 10 KiB on the wire
    with LoopbackServer(send_gzip(200, inflated)) as server:
        client = loopback_client(server, limits=Limits(max_response_bytes=MIB))
        with client, pytest.raises(ResponseTooLarge) as caught:
            client.get("/integration", params={"limit": 100})
    assert f"the cap of {MIB} bytes" in caught.value.message
    assert "after decompression" in caught.value.message
    _assert_names_the_endpoint(caught.value)


def test_a_plain_body_over_the_cap_is_refused_and_one_under_it_is_read() -> None:
    big = json.dumps({"result": ["y" * 2000]}).encode()
    with LoopbackServer(send_bytes(200, big), send_gzip(200, big)) as server:
        small_cap = loopback_client(server, limits=Limits(max_response_bytes=1000))
        with small_cap, pytest.raises(ResponseTooLarge):
            small_cap.get("/integration")
        with loopback_client(server, limits=Limits(max_response_bytes=len(big))) as client:
            assert client.get("/integration").json == {"result": ["y" * 2000]}


def test_deeply_nested_json_is_a_clean_provider_error() -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    with LoopbackServer(send_bytes(200, nested, {"Content-Type": "application/json"})) as server:
        client = loopback_client(server)
        with client, pytest.raises(ProviderError) as caught:
            client.get("/integration", params={"limit": 100})
    assert f"nests JSON deeper than {MAX_JSON_DEPTH} levels" in caught.value.message
    _assert_names_the_endpoint(caught.value)


def test_json_just_within_the_depth_limit_is_read() -> None:
    depth = MAX_JSON_DEPTH
    nested = ("[" * depth + "]" * depth).encode()
    with LoopbackServer(send_bytes(200, nested)) as server, loopback_client(server) as client:
        assert client.get("/integration").json is not None


def test_an_error_response_nested_too_deep_keeps_its_status() -> None:
    nested = b'{"a":' * 5000 + b"1" + b"}" * 5000
    retry = RetryPolicy(max_attempts=1)
    with LoopbackServer(send_bytes(500, nested)) as server:
        client = loopback_client(server, retry=retry)
        with client, pytest.raises(ServerError, match="HTTP 500"):
            client.get("/integration")


def test_timeouts_are_clamped_to_the_time_left_and_only_then() -> None:
    timeouts = Timeouts(connect=10.0, read=30.0)
    assert timeouts.to_httpx().connect == 10.0 and timeouts.to_httpx().read == 30.0
    assert Timeouts(connect=2.0, read=0.05).to_httpx().connect == 2.0
    clamped = timeouts.within(5.0)
    assert (clamped.connect, clamped.read, clamped.write, clamped.pool) == (5.0, 5.0, 5.0, 5.0)
    roomy = timeouts.within(100.0)
    assert (roomy.connect, roomy.read) == (10.0, 30.0)
    assert timeouts.within(0.0).read == 0.001  # never 0, which httpx would read as "no wait"
