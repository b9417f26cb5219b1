from __future__ import annotations

import pytest

from syncform.core.address import Address
from syncform.core.errors import DependencyCycleError
from syncform.core.records import DeferredValue
from syncform.core.resources import Lifecycle
from syncform.engine.ordering import reverse_order, topological_order
from syncform.engine.plan import KNOWN_AFTER_APPLY, Action
from syncform.engine.planner import make_plan
from syncform.providers.registry import DRIVERS
from tests.kit.engine import (
    DEFAULT_LIFECYCLE,
    INTEGRATION,
    POLYTOMIC,
    RULES,
    SYNC_JOB,
    TINES,
    all_requests,
    change_of,
    desired,
    live,
    state,
)


def sync(name: str, **extra):
    return {"name": name, "mode": "create", "target": {"connection_id": "c"}, **extra}


def ref(name: str) -> str:
    return f"${{ref:{POLYTOMIC}/{name}.id}}"


def test_creates_follow_dependencies_and_ties_by_address() -> None:
    items = [
        desired(POLYTOMIC, "a", sync("a"), depends_on=(f"{POLYTOMIC}/c",)),
        desired(POLYTOMIC, "d", sync("d")),
        desired(POLYTOMIC, "b", sync("b")),
        desired(POLYTOMIC, "c", sync("c")),
    ]
    plan = make_plan(items, {}, {}, RULES, DRIVERS)
    order = [address for _, address, _, _ in all_requests(plan)]
    assert order == [f"{POLYTOMIC}/{name}" for name in ("b", "c", "a", "d")]
    assert [seq for seq, *_ in all_requests(plan)] == [1, 2, 3, 4]
    assert change_of(plan, f"{POLYTOMIC}/a").depends_on == (f"{POLYTOMIC}/c",)


def test_ref_in_spec_is_a_dependency_and_stays_known_after_apply() -> None:
    raw = sync("down", schedule={"frequency": "runafter", "run_after": {"sync_ids": [ref("up")]}})
    spec = {
        **raw,
        "schedule": {**raw["schedule"], "run_after": {"sync_ids": [DeferredValue(ref("up"))]}},
    }
    items = [desired(POLYTOMIC, "down", spec, raw=raw), desired(POLYTOMIC, "up", sync("up"))]
    plan = make_plan(items, {}, {}, RULES, DRIVERS)
    assert [a for _, a, _, _ in all_requests(plan)] == [f"{POLYTOMIC}/up", f"{POLYTOMIC}/down"]
    post = change_of(plan, f"{POLYTOMIC}/down").requests[0]
    assert post.body["schedule"]["run_after"]["sync_ids"] == [KNOWN_AFTER_APPLY]
    assert post.deferred == {"/schedule/run_after/sync_ids/0": ref("up")}


def test_sync_job_depends_on_the_integration_it_names() -> None:
    items = [
        desired(SYNC_JOB, "a-job", {"label": "j", "integration_name": "zendesk"}),
        desired(INTEGRATION, "z-int", {"name": "zendesk", "config": {}}),
    ]
    plan = make_plan(items, {}, {}, RULES, DRIVERS)
    assert change_of(plan, f"{SYNC_JOB}/a-job").depends_on == (f"{INTEGRATION}/z-int",)


def test_cycle_is_an_error_naming_the_cycle() -> None:
    items = [
        desired(POLYTOMIC, "b", sync("b"), depends_on=(f"{POLYTOMIC}/a",)),
        desired(POLYTOMIC, "a", sync("a"), depends_on=(f"{POLYTOMIC}/b",)),
    ]
    with pytest.raises(DependencyCycleError) as error:
        make_plan(items, {}, {}, RULES, DRIVERS)
    assert str(error.value) == f"dependency cycle: {POLYTOMIC}/a -> {POLYTOMIC}/b -> {POLYTOMIC}/a"


def test_reverse_order_puts_dependents_first() -> None:
    a, b, c = (Address(POLYTOMIC, name) for name in "abc")
    graph = {a: frozenset({b}), b: frozenset({c}), c: frozenset()}
    assert topological_order(graph) == [c, b, a]
    assert reverse_order(graph) == [a, b, c]


def test_deletes_come_first_then_each_replace_deletes_right_before_its_create() -> None:
    tines_live = {"team_id": 1, "destination_tenant_url": "u", "destination_team_id": 1}
    items = [
        desired(TINES, "a", {**tines_live, "team_id": 2}, depends_on=(f"{TINES}/b",)),
        desired(TINES, "b", {**tines_live, "team_id": 2}),
        desired(POLYTOMIC, "new", sync("new")),
    ]
    lives = dict(
        [
            live(TINES, "a", tines_live, remote_id="1"),
            live(TINES, "b", tines_live, remote_id="2"),
            live(POLYTOMIC, "old", sync("old"), remote_id="s-old"),
        ]
    )
    states = dict(
        [
            state(TINES, "a", tines_live, remote_id="1"),
            state(TINES, "b", tines_live, remote_id="2"),
            state(POLYTOMIC, "old", sync("old"), remote_id="s-old"),
        ]
    )
    plan = make_plan(items, lives, states, RULES, DRIVERS)
    assert [(a.split("/")[1], m) for _, a, m, _ in all_requests(plan)] == [
        ("old", "DELETE"),
        ("new", "POST"),
        ("b", "DELETE"),
        ("b", "POST"),
        ("a", "DELETE"),
        ("a", "POST"),
    ]


def replaced_upstream_plan(create_first: bool):
    """`down` refers to `up`'s id; `up` changes an immutable field and is replaced."""
    up_spec = {"team_id": 1, "destination_tenant_url": "u", "destination_team_id": 1}
    up_lifecycle = Lifecycle(create_before_destroy=create_first)
    raw = sync("down", schedule={"run_after": {"sync_ids": [f"${{ref:{TINES}/up.id}}"]}})
    resolved = sync("down", schedule={"run_after": {"sync_ids": ["5"]}})
    items = [
        desired(TINES, "up", {**up_spec, "team_id": 2}, lifecycle=up_lifecycle),
        desired(POLYTOMIC, "down", resolved, raw=raw, lifecycle=DEFAULT_LIFECYCLE),
    ]
    lives = dict(
        [
            live(TINES, "up", up_spec, remote_id="5"),
            live(POLYTOMIC, "down", resolved, remote_id="d"),
        ]
    )
    states = dict(
        [
            state(TINES, "up", up_spec, remote_id="5"),
            state(POLYTOMIC, "down", resolved, remote_id="d"),
        ]
    )
    return make_plan(items, lives, states, RULES, DRIVERS)


def test_dependent_of_replaced_resource_gets_the_new_id_after_apply() -> None:
    plan = replaced_upstream_plan(create_first=False)
    down = change_of(plan, f"{POLYTOMIC}/down")
    assert down.actions == (Action.UPDATE,)
    assert [c.path for c in down.changes] == ["/schedule/run_after/sync_ids"]
    assert down.requests[0].deferred == {
        "/schedule/run_after/sync_ids/0": "${ref:TinesSyncDestination/up.id}"
    }
    steps = [(a.split("/")[1], m) for _, a, m, _ in all_requests(plan)]
    assert steps == [("up", "DELETE"), ("up", "POST"), ("down", "PUT")]


def test_create_before_destroy_deletes_after_dependents_are_updated() -> None:
    plan = replaced_upstream_plan(create_first=True)
    steps = [(a.split("/")[1], m) for _, a, m, _ in all_requests(plan)]
    assert steps == [("up", "POST"), ("down", "PUT"), ("up", "DELETE")]


def test_target_limits_plan_to_target_and_its_dependencies() -> None:
    items = [
        desired(POLYTOMIC, "a", sync("a"), depends_on=(f"{POLYTOMIC}/b",)),
        desired(POLYTOMIC, "b", sync("b")),
        desired(POLYTOMIC, "c", sync("c")),
    ]
    states = dict([state(POLYTOMIC, "gone", sync("gone"), remote_id="g")])
    plan = make_plan(items, {}, states, RULES, DRIVERS, targets=[Address(POLYTOMIC, "a")])
    assert [c.address for c in plan.resource_changes] == [f"{POLYTOMIC}/a", f"{POLYTOMIC}/b"]
    assert plan.targeted == (f"{POLYTOMIC}/a",)
    assert any("partial plan" in d.summary for d in plan.diagnostics)


def test_unknown_target_is_reported() -> None:
    plan = make_plan([], {}, {}, RULES, DRIVERS, targets=[Address(POLYTOMIC, "nope")])
    assert plan.resource_changes == ()
    assert any("matches no resource" in d.summary for d in plan.diagnostics)


def test_dependency_on_unknown_address_is_a_diagnostic() -> None:
    items = [desired(POLYTOMIC, "a", sync("a"), depends_on=(f"{POLYTOMIC}/missing",))]
    plan = make_plan(items, {}, {}, RULES, DRIVERS)
    assert [d.address for d in plan.diagnostics] == [f"{POLYTOMIC}/a"]
    assert change_of(plan, f"{POLYTOMIC}/a").depends_on == ()
