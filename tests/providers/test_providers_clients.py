"""Provider clients against the emulator: pagination to the last page, 429 storms, read-only."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from syncform.core.errors import RateLimitedError, ReadOnlyViolation
from syncform.emulator import EmulatorApp
from syncform.http import RetryPolicy
from syncform.providers.polytomic.client import PolytomicClient
from syncform.providers.tines.client import TinesClient
from syncform.providers.truto.client import TrutoClient
from tests.kit.emulator import api_client, count_gets, make_app
from tests.kit.seed import HUBSPOT, MODEL_B, SEED, seed_with
from tests.kit.specs import CONTACTS_SPEC_WITH_SERVER_QUIRKS

TINES_LIST = "/tines/acme/api/v1/admin/sync_destinations"


def _gets(app: EmulatorApp, path: str) -> int:
    return count_gets(app, path)


def _seed_with(**sections: Any) -> dict[str, Any]:
    return seed_with(**sections)


def _destinations(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": 1000 + index,
            "team_id": 7,
            "destination_tenant_url": f"https://tenant-{index}.example.tines.com",
            "destination_team_id": 1,
            "destination_tenant_api_key": "unused",
            "story_ids": [],
        }
        for index in range(count)
    ]


def test_tines_walks_every_page_at_500_per_page() -> None:
    tenants = copy.deepcopy(SEED["tines"]["tenants"])
    tenants["acme"]["sync_destinations"] = _destinations(1201)
    app = make_app(_seed_with(tines={"tenants": tenants}))
    with api_client(app, "tines") as api:
        found = TinesClient(api).list_sync_destinations()
    assert sorted(d["id"] for d in found) == list(range(1000, 2201))
    assert _gets(app, TINES_LIST) == 3  # ceil(1201 / 500)


def test_truto_follows_the_cursor_to_the_last_page() -> None:
    jobs = [
        {
            "label": f"job {index}",
            "integration_name": "zendesk",
            "environment_id": "env-acme-prod",
            "default_runtime_version": 3,
            "resources": [],
        }
        for index in range(230)
    ]
    app = make_app(_seed_with(truto={"sync_jobs": jobs}))
    with api_client(app, "truto") as api:
        found = TrutoClient(api).list_sync_jobs()
    assert sorted(job["label"] for job in found) == sorted(f"job {i}" for i in range(230))
    assert _gets(app, "/truto/sync-job") == 3  # ceil(230 / 100)


def test_polytomic_follows_page_tokens_to_the_last_page() -> None:
    syncs = [
        {
            **copy.deepcopy(CONTACTS_SPEC_WITH_SERVER_QUIRKS),
            "name": f"sync {index}",
            "target": {"connection_id": HUBSPOT, "object": "companies"},
            "fields": [{"source": {"model_id": MODEL_B, "field": "name"}, "target": "name"}],
        }
        for index in range(120)
    ]
    app = make_app(_seed_with(polytomic={"syncs": syncs}))
    with api_client(app, "polytomic") as api:
        found = PolytomicClient(api).list_syncs()
    assert sorted(item["name"] for item in found) == sorted(f"sync {i}" for i in range(120))
    assert len({item["id"] for item in found}) == 120
    assert _gets(app, "/polytomic/api/syncs") == 3  # ceil(120 / 50)


def _storm(app: EmulatorApp, count: int, retry_after: str) -> None:
    app.add_fault(
        {
            "match": {"method": "GET", "path": TINES_LIST},
            "action": "status",
            "status": 429,
            "headers": {"Retry-After": retry_after},
            "count": count,
        }
    )


def test_a_429_storm_is_ridden_out_within_the_wait_cap() -> None:
    app = make_app()
    _storm(app, count=4, retry_after="3")
    sleeps: list[float] = []
    retry = RetryPolicy(max_attempts=10, max_total_wait=30.0)
    with api_client(app, "tines", retry=retry, sleeps=sleeps) as api:
        assert TinesClient(api).list_sync_destinations() == []
        assert api.counters.retries == 4
        assert api.counters.retry_wait_seconds == pytest.approx(12.0)
    assert sleeps == [3.0, 3.0, 3.0, 3.0]
    statuses = [entry.status for entry in app.request_log()]
    assert statuses == [429, 429, 429, 429, 200]


def test_a_429_storm_beyond_the_wait_cap_fails_clearly() -> None:
    app = make_app()
    _storm(app, count=50, retry_after="4")
    sleeps: list[float] = []
    retry = RetryPolicy(max_attempts=50, max_total_wait=10.0)
    with (
        api_client(app, "tines", retry=retry, sleeps=sleeps) as api,
        pytest.raises(RateLimitedError) as raised,
    ):
        TinesClient(api).list_sync_destinations()
    assert sleeps == [4.0, 4.0]
    message = raised.value.message
    assert "429" in message and "10 s cap" in message and "acme-token" not in message
    assert len(app.request_log()) == 3


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_only_client_sends_no_mutating_request(method: str) -> None:
    app = make_app()
    with api_client(app, "tines", read_only=True) as api, pytest.raises(ReadOnlyViolation):
        getattr(api, method)("/api/v1/admin/sync_destinations", json={"story_ids": []})
    assert app.request_log() == []
