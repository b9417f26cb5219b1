from __future__ import annotations

import pytest

from syncform.core.errors import ConfigError
from syncform.http import RateLimit, TokenBucket
from syncform.providers.registry import vendor_named
from tests.kit.http import FakeTime, ScriptedServer, make_client


def bucket(requests: int, per_seconds: float) -> tuple[TokenBucket, FakeTime]:
    time = FakeTime()
    return TokenBucket(RateLimit(requests, per_seconds), clock=time.clock, sleep=time.sleep), time


def test_full_bucket_allows_a_burst_then_holds_to_the_rate() -> None:
    limiter, time = bucket(5, 10.0)  # 0.5 tokens per second
    assert [limiter.acquire() for _ in range(5)] == [0.0] * 5
    assert limiter.acquire() == pytest.approx(2.0)
    assert limiter.acquire() == pytest.approx(2.0)
    assert time.sleeps == pytest.approx([2.0, 2.0])


def test_reservations_queue_up_when_the_clock_does_not_move() -> None:
    limiter, _ = bucket(2, 1.0)  # 2 per second
    waits = [limiter.reserve() for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.5])


def test_idle_time_refills_but_never_beyond_capacity() -> None:
    limiter, time = bucket(3, 3.0)  # 1 per second
    for _ in range(3):
        limiter.acquire()
    time.now += 1.5
    assert limiter.reserve() == 0.0
    assert limiter.reserve() == pytest.approx(0.5)
    time.now += 1000
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.reserve() == pytest.approx(1.0)


@pytest.mark.parametrize(("requests", "per_seconds"), [(0, 1.0), (5, 0.0), (5, -1.0)])
def test_invalid_limits_are_config_errors(requests: int, per_seconds: float) -> None:
    with pytest.raises(ConfigError):
        RateLimit(requests, per_seconds)


def test_vendor_defaults_follow_the_documented_limits() -> None:
    assert vendor_named("tines").rate_limit == RateLimit(5000, 60.0)
    assert vendor_named("truto").rate_limit == RateLimit(500, 10.0)
    # Polytomic documents none: the default never makes the client wait.
    assert vendor_named("polytomic").rate_limit.per_second >= 100_000
    server = ScriptedServer()
    client, _ = make_client(server, vendor="truto")
    assert client.rate_limit == RateLimit(500, 10.0)


def test_client_waits_for_the_limiter_and_counts_the_wait() -> None:
    server = ScriptedServer()
    client, time = make_client(server, rate_limit=RateLimit(2, 1.0))
    for _ in range(4):
        client.get("/api/a")
    assert time.sleeps == pytest.approx([0.5, 0.5])
    counters = client.counters
    assert counters.rate_limit_wait_seconds == pytest.approx(1.0)
    assert counters.retry_wait_seconds == 0.0
    assert counters.requests_sent == 4
