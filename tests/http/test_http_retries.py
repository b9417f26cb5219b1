from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from syncform.core.errors import (
    AuthError,
    ClientError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from syncform.http import RetryPolicy
from syncform.http.retry import retry_after_seconds
from tests.kit.http import ScriptedServer, json_response, make_client

OK = json_response(200, {"ok": True})


def too_many(retry_after: str | None = None, **extra: str) -> httpx.Response:
    headers = dict(extra)
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return json_response(429, {"message": "slow down"}, headers)


def test_429_with_retry_after_waits_exactly_as_asked() -> None:
    server = ScriptedServer(too_many("3"), too_many("1.5"), OK)
    client, time = make_client(server)
    assert client.get("/api/v1/teams").json == {"ok": True}
    assert time.sleeps == [3.0, 1.5]
    assert len(server.requests) == 3
    counters = client.counters
    assert (counters.retries, counters.retry_wait_seconds) == (2, 4.5)


def test_retry_after_ms_is_honoured() -> None:
    server = ScriptedServer(too_many(**{"retry-after-ms": "250"}), OK)
    client, time = make_client(server)
    client.get("/api/a")
    assert time.sleeps == [0.25]


def test_retry_after_http_date_is_read_against_wall_clock() -> None:
    moment = datetime(2030, 1, 1, 12, 0, 10, tzinfo=UTC)
    headers = {"Retry-After": format_datetime(moment, usegmt=True)}
    assert retry_after_seconds(headers, now=moment.timestamp() - 7) == 7.0
    assert retry_after_seconds(headers, now=moment.timestamp() + 60) == 0.0
    assert retry_after_seconds({"Retry-After": "soon"}, now=0.0) is None
    assert retry_after_seconds({}, now=0.0) is None


def test_without_retry_after_backoff_doubles_from_half_a_second_up_to_the_cap() -> None:
    server = ScriptedServer(*([json_response(503, {})] * 7), OK)
    policy = RetryPolicy(max_attempts=8, max_total_wait=1000, jitter=lambda ceiling: ceiling)
    client, time = make_client(server, retry=policy)
    client.get("/api/a")
    assert time.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]


def test_jitter_draws_each_wait_below_its_ceiling() -> None:
    ceilings: list[float] = []

    def half(ceiling: float) -> float:
        ceilings.append(ceiling)
        return ceiling / 2

    server = ScriptedServer(json_response(502, {}), json_response(504, {}), OK)
    client, time = make_client(server, retry=RetryPolicy(jitter=half))
    client.get("/api/a")
    assert ceilings == [0.5, 1.0]
    assert time.sleeps == [0.25, 0.5]


def test_429_storm_beyond_the_wait_cap_fails_clearly() -> None:
    server = ScriptedServer(too_many("50"))
    client, time = make_client(server)
    with pytest.raises(RateLimitedError) as caught:
        client.get("/api/v1/teams")
    message = caught.value.message
    assert time.sleeps == [50.0, 50.0]
    assert len(server.requests) == 3
    assert "gave up after 3 attempt(s)" in message
    assert "100.0 s" in message
    assert "120 s cap" in message
    assert "429 Too Many Requests" in message
    assert "slow down" in message
    assert caught.value.status == 429


def test_retries_stop_at_max_attempts() -> None:
    server = ScriptedServer(json_response(503, {"message": "down"}))
    client, time = make_client(server, retry=RetryPolicy(max_attempts=4, jitter=lambda c: c))
    with pytest.raises(ServerError) as caught:
        client.get("/api/a")
    assert len(server.requests) == 4
    assert time.sleeps == [0.5, 1.0, 2.0]
    assert "gave up after 4 attempt(s)" in caught.value.message
    assert "limit of 4 attempts" in caught.value.message


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_and_unavailable_errors_then_success(status: int) -> None:
    server = ScriptedServer(json_response(status, {}), OK)
    client, _ = make_client(server)
    assert client.get("/api/a").status == 200
    assert len(server.requests) == 2


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_idempotent_methods_retry_connection_errors_and_read_timeouts(method: str) -> None:
    server = ScriptedServer(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), OK)
    client, _ = make_client(server)
    assert client.request(method, "/api/a").status == 200
    assert len(server.requests) == 3


def test_post_is_retried_after_a_connect_error_because_nothing_was_sent() -> None:
    server = ScriptedServer(httpx.ConnectError("refused"), OK)
    client, _ = make_client(server)
    assert client.post("/api/a", json={}).status == 200
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        json_response(503, {}),
        json_response(502, {}),
    ],
)
def test_post_is_not_retried_when_it_may_have_been_processed(
    failure: Exception | httpx.Response,
) -> None:
    server = ScriptedServer(failure, OK)
    client, time = make_client(server)
    with pytest.raises((TransportError, ServerError)):
        client.post("/api/a", json={})
    assert len(server.requests) == 1
    assert time.sleeps == []


def test_post_is_retried_on_429() -> None:
    server = ScriptedServer(too_many("2"), OK)
    client, time = make_client(server)
    assert client.post("/api/a", json={}).status == 200
    assert time.sleeps == [2.0]


def test_post_with_idempotency_key_is_retried_like_put() -> None:
    server = ScriptedServer(httpx.ReadTimeout("slow"), json_response(503, {}), OK)
    client, _ = make_client(server, vendor="polytomic")
    response = client.post(
        "/api/syncs", json={"name": "a"}, headers={"Idempotency-Key": "key-12345"}
    )
    assert response.status == 200
    assert [request.headers["idempotency-key"] for request in server.requests] == ["key-12345"] * 3


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ClientError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ClientError),
    ],
)
def test_client_errors_are_never_retried(status: int, error: type[Exception]) -> None:
    server = ScriptedServer(json_response(status, {"message": "no"}), OK)
    client, time = make_client(server)
    with pytest.raises(error):
        client.put("/api/a", json={})
    assert len(server.requests) == 1
    assert time.sleeps == []


def test_persistent_connection_failure_ends_in_transport_error_with_cause() -> None:
    cause = httpx.ConnectError("connection refused")
    server = ScriptedServer(cause)
    client, _ = make_client(server, retry=RetryPolicy(max_attempts=3, jitter=lambda c: c))
    with pytest.raises(TransportError) as caught:
        client.get("/api/v1/teams")
    assert "could not connect" in caught.value.message
    assert "gave up after 3 attempt(s)" in caught.value.message
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(server.requests) == 3


def test_non_retryable_transport_error_is_translated_with_cause() -> None:
    server = ScriptedServer(httpx.ReadTimeout("slow"))
    client, _ = make_client(server)
    with pytest.raises(TransportError) as caught:
        client.post("/api/a", json={})
    assert "timed out waiting for the response" in caught.value.message
    assert caught.value.method == "POST"
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
