from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from syncform.http import RateLimit, RequestCounters
from tests.kit.http import ScriptedServer, json_response, make_client


def test_counters_tally_requests_retries_and_methods() -> None:
    server = ScriptedServer(
        json_response(429, {}, {"Retry-After": "2"}),
        json_response(200, {}),
    )
    client, _ = make_client(server)
    client.get("/api/a")
    client.post("/api/a", json={})
    client.patch("/api/a/1", json={})
    client.delete("/api/a/1")
    counters = client.counters
    assert counters.requests_sent == 5
    assert counters.retries == 1
    assert counters.retry_wait_seconds == 2.0
    assert dict(counters.by_method) == {"GET": 2, "POST": 1, "PATCH": 1, "DELETE": 1}


def test_counter_snapshots_are_frozen_and_add_up() -> None:
    first = RequestCounters(2, 1, 0.5, 1.0, {"GET": 2})
    second = RequestCounters(3, 0, 0.25, 0.0, {"GET": 1, "PUT": 2})
    total = first + second
    assert (total.requests_sent, total.retries) == (5, 1)
    assert (total.rate_limit_wait_seconds, total.retry_wait_seconds) == (0.75, 1.0)
    assert dict(total.by_method) == {"GET": 3, "PUT": 2}


def test_many_threads_share_one_client_and_counters_add_up() -> None:
    seen: set[str] = set()
    lock = threading.Lock()

    def first_try_of_every_fifth_path_fails(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        with lock:
            first_try = path not in seen
            seen.add(path)
        if first_try and path.endswith(("0", "5")):
            return json_response(503, {"message": "busy"})
        return json_response(200, {"path": path})

    server = ScriptedServer(first_try_of_every_fifth_path_fails)
    client, time = make_client(server, rate_limit=RateLimit(10, 1.0))
    per_thread, threads = 40, 16

    def work(worker: int) -> list[str]:
        return [client.get(f"/api/w{worker}/{i}").json["path"] for i in range(per_thread)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(work, range(threads)))

    total = per_thread * threads
    assert sorted(path for paths in results for path in paths) == sorted(
        f"/api/w{w}/{i}" for w in range(threads) for i in range(per_thread)
    )
    counters = client.counters
    assert counters.retries == total // 5
    assert counters.requests_sent == total + total // 5 == len(server.requests)
    assert dict(counters.by_method) == {"GET": total + total // 5}
    waited = counters.rate_limit_wait_seconds + counters.retry_wait_seconds
    assert waited == pytest.approx(sum(time.sleeps))
    # 768 requests at 10 per second cannot fit in the 64 s of retry sleeps alone.
    assert counters.rate_limit_wait_seconds > 0
