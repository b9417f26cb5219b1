from __future__ import annotations

import dataclasses
import json
import random

import pytest

from syncform.core.address import Address
from syncform.core.errors import GuardrailError, PlanError
from syncform.core.records import Desired, LiveObject, StateRecord
from syncform.core.resources import Lifecycle
from syncform.engine.plan import Action
from syncform.engine.planner import make_plan
from syncform.providers.registry import DRIVERS
from tests.kit.engine import (
    INTEGRATION,
    POLYTOMIC,
    RULES,
    SYNC_JOB,
    TINES,
    change_of,
    desired,
    live,
    secret,
    state,
    stored,
)

SECRET_TEXT = "tines-super-secret-api-key-value"
PASSPHRASE = "polytomic-passphrase-value"
TINES_LIVE = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.example.tines.com",
    "destination_team_id": 42,
    "story_ids": [1, 2],
}


def mixed_inputs() -> tuple[list[Desired], dict[Address, LiveObject], dict[Address, StateRecord]]:
    key = secret("TINES_KEY", SECRET_TEXT)
    old_key = secret("TINES_KEY", "previous-secret-value")
    passphrase = secret("POLY_PASS", PASSPHRASE)
    items = [
        desired(TINES, "rotated", {**TINES_LIVE, "destination_tenant_api_key": key}),
        desired(TINES, "replaced", {**TINES_LIVE, "team_id": 8, "destination_tenant_api_key": key}),
        desired(TINES, "new", {**TINES_LIVE, "destination_tenant_api_key": key}),
        desired(POLYTOMIC, "sync", {"name": "s", "encryption_passphrase": passphrase}),
        desired(INTEGRATION, "int", {"name": "zendesk", "config": {"label": "Z"}}),
        desired(SYNC_JOB, "job", {"label": "j", "integration_name": "zendesk"}),
    ]
    applied = {**TINES_LIVE, "destination_tenant_api_key": stored(old_key)}
    lives = dict(
        [
            live(TINES, "rotated", TINES_LIVE, remote_id="1"),
            live(TINES, "replaced", TINES_LIVE, remote_id="2"),
            live(POLYTOMIC, "sync", {"name": "s"}, remote_id="s-1"),
            live(INTEGRATION, "int", {"name": "zendesk", "config": {"label": "Z"}}, remote_id="i"),
            live(TINES, "orphan", TINES_LIVE, remote_id="3"),
        ]
    )
    states = dict(
        [
            state(TINES, "rotated", applied, remote_id="1"),
            state(TINES, "replaced", applied, remote_id="2"),
            state(POLYTOMIC, "sync", {"name": "s"}, remote_id="s-1"),
            state(TINES, "orphan", applied, remote_id="3"),
        ]
    )
    return items, lives, states


def test_every_action_type_in_one_plan() -> None:
    plan = make_plan(*mixed_inputs(), RULES, DRIVERS)
    actions = {change.address: change.actions for change in plan.resource_changes}
    assert actions == {
        f"{TINES}/rotated": (Action.UPDATE,),
        f"{TINES}/replaced": (Action.DELETE, Action.CREATE),
        f"{TINES}/new": (Action.CREATE,),
        f"{TINES}/orphan": (Action.DELETE,),
        f"{POLYTOMIC}/sync": (Action.UPDATE,),
        f"{INTEGRATION}/int": (Action.NO_OP,),
        f"{SYNC_JOB}/job": (Action.CREATE,),
    }
    assert plan.summary() == {
        "create": 2,
        "update": 2,
        "replace": 1,
        "delete": 1,
        "forget": 0,
        "no_op": 1,
    }
    seqs = sorted(r.seq for c in plan.resource_changes for r in c.requests)
    assert seqs == list(range(1, len(seqs) + 1))


def test_no_secret_value_anywhere_in_the_plan() -> None:
    plan = make_plan(*mixed_inputs(), RULES, DRIVERS)
    text = repr(plan) + json.dumps(dataclasses.asdict(plan), default=str)
    assert SECRET_TEXT not in text
    assert PASSPHRASE not in text
    assert "previous-secret-value" not in text
    for change in plan.resource_changes:
        for field_change in change.changes:
            if "api_key" in field_change.path or "passphrase" in field_change.path:
                assert field_change.sensitive


def test_same_input_same_plan_whatever_the_input_order() -> None:
    items, lives, states = mixed_inputs()
    first = make_plan(items, lives, states, RULES, DRIVERS)
    shuffled = list(items)
    random.Random(4).shuffle(shuffled)
    second = make_plan(
        shuffled, dict(reversed(lives.items())), dict(reversed(states.items())), RULES, DRIVERS
    )
    assert first == second
    assert repr(first) == repr(second)


def test_protected_replace_and_delete_are_refused_naming_all() -> None:
    protect = Lifecycle(protect=True)
    items = [desired(TINES, "replaced", {**TINES_LIVE, "team_id": 9}, lifecycle=protect)]
    lives = dict(
        [
            live(TINES, "replaced", TINES_LIVE, remote_id="2"),
            live(TINES, "orphan", TINES_LIVE, remote_id="3"),
        ]
    )
    states = dict(
        [
            state(TINES, "replaced", TINES_LIVE, remote_id="2"),
            state(TINES, "orphan", TINES_LIVE, remote_id="3", lifecycle=protect),
        ]
    )
    with pytest.raises(GuardrailError) as error:
        make_plan(items, lives, states, RULES, DRIVERS)
    message = str(error.value)
    assert f"{TINES}/orphan (delete)" in message
    assert f"{TINES}/replaced (replace: /team_id" in message
    assert error.value.exit_code == 4


def test_protected_update_is_allowed() -> None:
    items = [
        desired(TINES, "x", {**TINES_LIVE, "story_ids": [3]}, lifecycle=Lifecycle(protect=True))
    ]
    lives = dict([live(TINES, "x", TINES_LIVE, remote_id="2")])
    plan = make_plan(items, lives, {}, RULES, DRIVERS)
    assert change_of(plan, f"{TINES}/x").actions == (Action.UPDATE,)


def test_state_entry_already_gone_is_forgotten_without_requests() -> None:
    states = dict([state(TINES, "gone", TINES_LIVE, remote_id="3")])
    plan = make_plan([], {}, states, RULES, DRIVERS)
    change = change_of(plan, f"{TINES}/gone")
    assert change.actions == (Action.FORGET,)
    assert change.action_reason == "deleted_outside"
    assert change.requests == ()
    assert change.warnings
    assert plan.summary()["forget"] == 1 and plan.summary()["delete"] == 0


def test_vanished_object_is_created_again_with_a_warning() -> None:
    states = dict([state(TINES, "x", TINES_LIVE, remote_id="3")])
    plan = make_plan([desired(TINES, "x", TINES_LIVE)], {}, states, RULES, DRIVERS)
    change = change_of(plan, f"{TINES}/x")
    assert change.action_reason == "not_found"
    assert any("remote id 3" in warning for warning in change.warnings)


def test_adopted_object_is_announced() -> None:
    lives = dict([live(TINES, "x", TINES_LIVE, remote_id="3", found_by="natural_key")])
    plan = make_plan([desired(TINES, "x", TINES_LIVE)], lives, {}, RULES, DRIVERS)
    change = change_of(plan, f"{TINES}/x")
    assert change.actions == (Action.NO_OP,)
    assert any("natural key" in warning for warning in change.warnings)


def test_duplicate_address_is_an_error() -> None:
    item = desired(TINES, "x", TINES_LIVE)
    with pytest.raises(PlanError, match="declared twice"):
        make_plan([item, item], {}, {}, RULES, DRIVERS)


def test_missing_rules_for_a_kind_is_an_error() -> None:
    with pytest.raises(PlanError, match="no field rules"):
        make_plan([desired(TINES, "x", TINES_LIVE)], {}, {}, {}, DRIVERS)
