from __future__ import annotations

from typing import Any

from syncform.core.resources import Lifecycle
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, Action, ResourceChange
from syncform.engine.planner import make_plan
from syncform.providers.registry import DRIVERS
from tests.kit.engine import (
    DEFAULT_LIFECYCLE,
    RULES,
    TINES,
    change_of,
    desired,
    live,
    requests_of,
    secret,
    state,
    stored,
)

BASE = "/api/v1/admin/sync_destinations"
KEY = secret("TINES_DR_API_KEY", "tines-secret-key-value")
SPEC = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.example.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": KEY,
    "story_ids": [9981, 9982, 9983],
    "manual_sync_only": True,
}
LIVE = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.example.tines.com",
    "destination_team_id": 42,
    "story_ids": [9983, 9982, 9981],
    "manual_sync_only": True,
}
APPLIED = {**LIVE, "destination_tenant_api_key": stored(KEY)}


def plan_one(
    spec: dict[str, Any],
    live_spec: dict[str, Any] | None = None,
    applied: dict[str, Any] | None = None,
    lifecycle: Lifecycle = DEFAULT_LIFECYCLE,
) -> ResourceChange:
    item = desired(TINES, "dr", spec, lifecycle=lifecycle)
    lives = dict([live(TINES, "dr", live_spec, remote_id="24")]) if live_spec else {}
    states = dict([state(TINES, "dr", applied, remote_id="24")]) if applied else {}
    plan = make_plan([item], lives, states, RULES, DRIVERS)
    return change_of(plan, f"{TINES}/dr")


def test_create_posts_then_patches_manual_sync_only() -> None:
    change = plan_one(SPEC)
    assert change.actions == (Action.CREATE,)
    assert change.action_reason == "not_found"
    assert requests_of(change) == [
        (
            "POST",
            BASE,
            {
                "destination_tenant_url": "https://dr.example.tines.com",
                "destination_tenant_api_key": SENSITIVE,
                "destination_team_id": 42,
                "team_id": 7,
                "story_ids": [9981, 9982, 9983],
            },
        ),
        ("PATCH", f"{BASE}/{KNOWN_AFTER_APPLY}", {"manual_sync_only": True}),
    ]
    post, patch = change.requests
    assert post.secret_refs == {"/destination_tenant_api_key": "${env:TINES_DR_API_KEY}"}
    assert patch.deferred == {"": f"${{ref:{TINES}/dr.id}}"}
    assert [post.seq, patch.seq] == [1, 2]


def test_create_without_manual_sync_only_is_one_post() -> None:
    spec = {k: v for k, v in SPEC.items() if k != "manual_sync_only"}
    same_tenant = {k: v for k, v in spec.items() if k != "destination_tenant_api_key"}
    change = plan_one(same_tenant)
    assert requests_of(change) == [
        (
            "POST",
            BASE,
            {
                "destination_tenant_url": "https://dr.example.tines.com",
                "destination_team_id": 42,
                "team_id": 7,
                "story_ids": [9981, 9982, 9983],
            },
        )
    ]


def test_in_sync_is_no_op() -> None:
    change = plan_one(SPEC, LIVE, APPLIED)
    assert change.actions == (Action.NO_OP,)
    assert change.requests == ()


def test_update_patches_only_changed_fields_with_full_story_set() -> None:
    spec = {**SPEC, "story_ids": [9981, 9984]}
    change = plan_one(spec, LIVE, APPLIED)
    assert change.actions == (Action.UPDATE,)
    assert requests_of(change) == [("PATCH", f"{BASE}/24", {"story_ids": [9981, 9984]})]


def test_rotated_key_is_sent_only_when_its_hash_changed() -> None:
    spec = {**SPEC, "destination_tenant_api_key": secret("TINES_DR_API_KEY", "new-key-value")}
    change = plan_one(spec, LIVE, APPLIED)
    assert requests_of(change) == [
        ("PATCH", f"{BASE}/24", {"destination_tenant_api_key": SENSITIVE})
    ]
    assert change.requests[0].secret_refs == {
        "/destination_tenant_api_key": "${env:TINES_DR_API_KEY}"
    }
    assert [(c.path, c.sensitive) for c in change.changes] == [
        ("/destination_tenant_api_key", True)
    ]


def test_immutable_change_is_replace_with_keep_stories_delete() -> None:
    spec = {**SPEC, "destination_team_id": 43}
    change = plan_one(spec, LIVE, APPLIED, Lifecycle(keep_stories_on_delete=True))
    assert change.actions == (Action.DELETE, Action.CREATE)
    assert change.action_reason == "replace_because_immutable"
    assert change.replace_paths == ("/destination_team_id",)
    methods = [(r.seq, r.method, r.path, r.body) for r in change.requests]
    assert methods[0] == (1, "DELETE", f"{BASE}/24", {"keep_stories": True})
    assert [m[1] for m in methods] == ["DELETE", "POST", "PATCH"]
    assert any("keeps its synced stories" in warning for warning in change.warnings)


def test_replace_warns_that_stories_are_deleted_unless_kept() -> None:
    spec = {**SPEC, "team_id": 8}
    change = plan_one(spec, LIVE, APPLIED)
    assert change.requests[0].body == {"keep_stories": False}
    assert any("also deletes its synced stories" in warning for warning in change.warnings)


def test_switching_to_same_tenant_is_a_replace() -> None:
    spec = {k: v for k, v in SPEC.items() if k != "destination_tenant_api_key"}
    change = plan_one(spec, LIVE, APPLIED)
    assert change.replace_paths == ("/destination_tenant_api_key",)
    assert change.is_replace


def test_supplying_the_key_of_a_destination_applied_without_one_is_an_update() -> None:
    # an exported (or adopted) remote destination: its key was never applied, so no digest
    change = plan_one(SPEC, LIVE, LIVE)
    assert change.actions == (Action.UPDATE,)
    assert change.replace_paths == ()
    assert requests_of(change) == [
        ("PATCH", f"{BASE}/24", {"destination_tenant_api_key": SENSITIVE})
    ]


def test_create_before_destroy_orders_create_first() -> None:
    spec = {**SPEC, "team_id": 8}
    change = plan_one(spec, LIVE, APPLIED, Lifecycle(create_before_destroy=True))
    assert change.actions == (Action.CREATE, Action.DELETE)
    assert [r.method for r in change.requests] == ["POST", "PATCH", "DELETE"]


def test_delete_of_state_only_address_uses_recorded_lifecycle() -> None:
    lives = dict([live(TINES, "old", LIVE, remote_id="23")])
    states = dict(
        [
            state(
                TINES,
                "old",
                APPLIED,
                remote_id="23",
                lifecycle=Lifecycle(keep_stories_on_delete=True),
            )
        ]
    )
    plan = make_plan([], lives, states, RULES, DRIVERS)
    change = change_of(plan, f"{TINES}/old")
    assert change.actions == (Action.DELETE,)
    assert change.action_reason == "not_in_manifests"
    assert requests_of(change) == [("DELETE", f"{BASE}/23", {"keep_stories": True})]
    assert change.source is None


def test_tenant_url_spelling_is_no_reason_to_replace() -> None:
    spec = {**SPEC, "destination_tenant_url": "https://DR.example.tines.com/"}
    change = plan_one(spec, LIVE, APPLIED)
    assert change.actions == (Action.NO_OP,)
