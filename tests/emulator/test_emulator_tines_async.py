"""Tines story syncing and cleanup are asynchronous: a configurable delay, an injected clock.

Each scenario runs with no delay (the default: the work is done within the request) and
with a 30 s delay, during which subscriptions show `requires_sync` and a deleted
destination's story copies remain.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import httpx
import pytest

from syncform.core.errors import EmulatorError
from syncform.emulator import EmulatorApp
from tests.kit.emulator import SD, create_body, make_app, stories_of, tenant_client
from tests.kit.http import FakeClock
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS

DELAY = 30.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=[0.0, DELAY], ids=["no-delay", "delayed"])
def delay(request: pytest.FixtureRequest) -> float:
    value: float = request.param
    return value


@pytest.fixture
def app(clock: FakeClock, delay: float) -> EmulatorApp:
    return make_app(SEED_WITH_EXISTING_OBJECTS, clock=clock, tines_sync_delay=delay)


@pytest.fixture
def customer(app: EmulatorApp) -> Iterator[httpx.Client]:
    with tenant_client(app, "customer", "cust-key") as client:
        yield client


@pytest.fixture
def dr(app: EmulatorApp) -> Iterator[httpx.Client]:
    with tenant_client(app, "dr", "dr-key") as client:
        yield client


def statuses(tines: httpx.Client, ident: int) -> dict[int, str]:
    shown = tines.get(f"{SD}/{ident}").json()["sync_destination"]
    return {s["story"]["id"]: s["status"] for s in shown["subscriptions"]}


def wait_out(clock: FakeClock, delay: float) -> None:
    """Just short of the delay nothing changes; then the queued work is done."""
    clock.advance(max(delay - 0.001, 0))


def test_create_syncs_after_the_delay(
    tines: httpx.Client, customer: httpx.Client, clock: FakeClock, delay: float
) -> None:
    created = tines.post(SD, json=create_body()).json()["sync_destination"]
    expected = "requires_sync" if delay else "synced"
    assert {s["status"] for s in created["subscriptions"]} == {expected}
    wait_out(clock, delay)
    assert set(statuses(tines, created["id"]).values()) == {expected}
    assert len(stories_of(customer, 15)) == (0 if delay else 2)
    clock.advance(0.001)
    assert set(statuses(tines, created["id"]).values()) == {"synced"}
    assert len(stories_of(customer, 15)) == 2


def test_update_resyncs_after_the_delay(
    tines: httpx.Client, dr: httpx.Client, clock: FakeClock, delay: float
) -> None:
    updated = tines.patch(f"{SD}/23", json={"story_ids": [9981, 9982, 9983]})
    shown = {
        s["story"]["id"]: s["status"] for s in updated.json()["sync_destination"]["subscriptions"]
    }
    assert shown == dict.fromkeys((9981, 9982, 9983), "requires_sync" if delay else "synced")
    assert len(stories_of(dr, 42)) == (2 if delay else 3)
    clock.advance(delay)
    assert set(statuses(tines, 23).values()) == {"synced"}
    assert len(stories_of(dr, 42)) == 3


def test_manual_and_single_story_syncs_complete_after_the_delay(
    tines: httpx.Client, customer: httpx.Client, clock: FakeClock, delay: float
) -> None:
    ident = tines.post(SD, json=create_body(manual_sync_only=True)).json()["sync_destination"]["id"]
    assert tines.post(f"{SD}/{ident}/story/9983/sync").json() == {"story_sync_initiated": True}
    assert statuses(tines, ident) == {
        9981: "requires_sync",
        9983: "requires_sync" if delay else "synced",
    }
    clock.advance(delay)
    assert statuses(tines, ident)[9983] == "synced"
    assert tines.post(f"{SD}/{ident}/manual_sync").json() == {"sync_initiated": True}
    assert set(statuses(tines, ident).values()) == {"requires_sync" if delay else "synced"}
    clock.advance(delay)
    assert set(statuses(tines, ident).values()) == {"synced"}
    assert len(stories_of(customer, 15)) == 2


def test_delete_removes_the_copies_after_the_delay(
    tines: httpx.Client, dr: httpx.Client, clock: FakeClock, delay: float
) -> None:
    assert tines.delete(f"{SD}/23").status_code == 204
    assert tines.get(f"{SD}/23").status_code == 404
    wait_out(clock, delay)
    assert len(stories_of(dr, 42)) == (2 if delay else 0)
    clock.advance(0.001)
    assert stories_of(dr, 42) == []


def test_keep_stories_detaches_the_copies_after_the_delay(
    app: EmulatorApp, tines: httpx.Client, dr: httpx.Client, clock: FakeClock, delay: float
) -> None:
    tines.request("DELETE", f"{SD}/23", json={"keep_stories": True})
    clock.advance(delay)
    assert len(stories_of(dr, 42)) == 2
    marks = [s for s in app.snapshot()["tines"]["tenants"]["dr"]["stories"] if "_synced_from" in s]
    assert marks == []


def test_a_destination_deleted_before_its_sync_leaves_no_copies(
    tines: httpx.Client, customer: httpx.Client, clock: FakeClock, delay: float
) -> None:
    ident = tines.post(SD, json=create_body()).json()["sync_destination"]["id"]
    assert tines.delete(f"{SD}/{ident}").status_code == 204
    clock.advance(delay)
    assert stories_of(customer, 15) == []
    assert tines.post(SD, json=create_body()).status_code == 201


def test_the_delay_can_come_from_the_seed_and_be_changed_on_the_app(clock: FakeClock) -> None:
    seed = copy.deepcopy(SEED_WITH_EXISTING_OBJECTS)
    seed["tines"]["sync_delay_seconds"] = 5
    app = make_app(seed, clock=clock)
    assert app.tines_sync_delay == 5
    with tenant_client(app, "acme", "acme-token") as tines:
        created = tines.post(SD, json=create_body()).json()["sync_destination"]
        assert {s["status"] for s in created["subscriptions"]} == {"requires_sync"}
        app.tines_sync_delay = 0
        assert tines.post(f"{SD}/{created['id']}/manual_sync").status_code == 200
        assert set(statuses(tines, created["id"]).values()) == {"synced"}
    assert make_app(SEED_WITH_EXISTING_OBJECTS, clock=clock).tines_sync_delay == 0


@pytest.mark.parametrize("bad", [-1, "soon", True])
def test_an_invalid_seed_delay_is_refused(bad: object) -> None:
    seed = copy.deepcopy(SEED_WITH_EXISTING_OBJECTS)
    seed["tines"]["sync_delay_seconds"] = bad
    with pytest.raises(EmulatorError, match="sync_delay_seconds"):
        make_app(seed)


def test_a_negative_delay_on_the_app_is_refused(app: EmulatorApp) -> None:
    with pytest.raises(EmulatorError):
        app.tines_sync_delay = -0.5


def test_repeated_syncs_update_the_copies_and_new_ones_take_fresh_ids(
    tines: httpx.Client, dr: httpx.Client, clock: FakeClock, delay: float
) -> None:
    before = {story["id"] for story in stories_of(dr, 42)}
    for _ in range(2):
        assert tines.post(f"{SD}/23/manual_sync").json() == {"sync_initiated": True}
        clock.advance(delay)
    assert {story["id"] for story in stories_of(dr, 42)} == before
    tines.patch(f"{SD}/23", json={"story_ids": [9981, 9982, 9983]})
    clock.advance(delay)
    after = [story["id"] for story in stories_of(dr, 42)]
    (new,) = set(after) - before
    assert len(after) == 3 and new > max(before)
