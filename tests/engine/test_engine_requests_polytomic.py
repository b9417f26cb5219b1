from __future__ import annotations

from typing import Any

from syncform.core.resources import Lifecycle
from syncform.engine.plan import Action, ResourceChange
from syncform.engine.planner import make_plan
from syncform.providers.registry import DRIVERS
from tests.kit.engine import (
    DEFAULT_LIFECYCLE,
    POLYTOMIC,
    RULES,
    change_of,
    desired,
    live,
    requests_of,
    state,
)

SPEC = {
    "name": "users to crm",
    "mode": "updateOrCreate",
    "fields": [{"target": "email", "source": {"model_id": "m1", "field": "email"}}],
    "schedule": {"frequency": "daily", "hour": "05"},
    "target": {"connection_id": "c1", "object": "Contact"},
}
LIVE = {
    **SPEC,
    "active": True,
    "policies": ["p1"],
    "schedule": {"frequency": "daily", "hour": "05", "minute": "00"},
    "target": {"connection_id": "c1", "object": "Contact", "configuration": {"x": 1}},
    "sync_all_records": False,
}


def plan_for(
    spec: dict[str, Any],
    live_spec: dict[str, Any] | None = None,
    applied: dict[str, Any] | None = None,
    lifecycle: Lifecycle = DEFAULT_LIFECYCLE,
    raw: dict[str, Any] | None = None,
) -> ResourceChange:
    item = desired(POLYTOMIC, "users", spec, lifecycle=lifecycle)
    lives = (
        dict([live(POLYTOMIC, "users", live_spec, remote_id="s-1", raw=raw)]) if live_spec else {}
    )
    states = dict([state(POLYTOMIC, "users", applied, remote_id="s-1")]) if applied else {}
    return change_of(make_plan([item], lives, states, RULES, DRIVERS), f"{POLYTOMIC}/users")


def test_create_posts_with_a_deterministic_idempotency_key() -> None:
    first = plan_for(SPEC)
    second = plan_for(dict(SPEC))
    assert requests_of(first) == [("POST", "/api/syncs", SPEC)]
    key = first.requests[0].headers["Idempotency-Key"]
    assert key == second.requests[0].headers["Idempotency-Key"]
    assert 8 <= len(key) <= 255
    assert all(char.isalnum() or char in "-_" for char in key)
    changed = plan_for({**SPEC, "name": "other"})
    assert changed.requests[0].headers["Idempotency-Key"] != key


def test_update_puts_desired_plus_unmanaged_live_fields() -> None:
    spec = {**SPEC, "schedule": {"frequency": "daily", "hour": "06"}}
    change = plan_for(spec, LIVE, SPEC)
    assert change.actions == (Action.UPDATE,)
    ((method, path, body),) = requests_of(change)
    assert (method, path) == ("PUT", "/api/syncs/s-1")
    assert body == {
        "name": "users to crm",
        "mode": "updateOrCreate",
        "active": True,
        "fields": SPEC["fields"],
        "schedule": {"frequency": "daily", "hour": "06", "minute": "00"},
        "target": {"connection_id": "c1", "object": "Contact", "configuration": {"x": 1}},
        "policies": ["p1"],
        "sync_all_records": False,
    }


def test_update_takes_unmanaged_fields_from_raw_when_spec_lacks_them() -> None:
    spec = {**SPEC, "mode": "create"}
    live_spec = {k: v for k, v in LIVE.items() if k != "policies"}
    change = plan_for(spec, live_spec, SPEC, raw={"data": {"policies": ["p9"], "id": "s-1"}})
    body = change.requests[0].body
    assert body["policies"] == ["p9"]
    assert "id" not in body


def test_update_warns_write_only_undeclared_field_is_cleared() -> None:
    spec = {**SPEC, "mode": "create"}
    change = plan_for(spec, LIVE, SPEC)
    assert any("/encryption_passphrase" in warning for warning in change.warnings)


def test_field_dropped_from_manifest_is_left_out_of_the_put() -> None:
    applied = {**SPEC, "active": False}
    change = plan_for(SPEC, {**LIVE, "active": False}, applied)
    assert [c.path for c in change.changes] == ["/active"]
    assert "active" not in change.requests[0].body


def test_ignored_field_keeps_its_live_value_in_the_put() -> None:
    spec = {**SPEC, "mode": "create", "active": False}
    change = plan_for(spec, LIVE, SPEC, Lifecycle(ignore_changes=("/active",)))
    assert [c.path for c in change.changes] == ["/mode"]
    assert change.requests[0].body["active"] is True


def test_reordered_fields_set_is_no_op() -> None:
    two = [
        {"target": "email", "source": {"model_id": "m1", "field": "email"}},
        {"target": "name", "source": {"model_id": "m1", "field": "name"}},
    ]
    change = plan_for({**SPEC, "fields": two}, {**LIVE, "fields": two[::-1]}, SPEC)
    assert change.actions == (Action.NO_OP,)


def test_delete() -> None:
    lives = dict([live(POLYTOMIC, "old", LIVE, remote_id="s-9")])
    states = dict([state(POLYTOMIC, "old", SPEC, remote_id="s-9")])
    plan = make_plan([], lives, states, RULES, DRIVERS)
    assert requests_of(change_of(plan, f"{POLYTOMIC}/old")) == [("DELETE", "/api/syncs/s-9", None)]
