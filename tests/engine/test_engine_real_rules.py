"""The planner with the field rules read from the shipped JSON Schemas."""

from __future__ import annotations

from typing import Any

from syncform.engine.diff import diff_spec
from syncform.engine.planner import make_plan
from syncform.engine.rules import FieldRules
from syncform.providers.registry import DRIVERS, KINDS
from syncform.schemas.semantics import semantics_for
from tests.kit.engine import POLYTOMIC, SYNC_JOB, TINES, change_of, desired, live, state

RULES: dict[str, FieldRules] = {kind: semantics_for(kind) for kind in KINDS}


def job(version: int, resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "label": "nightly",
        "integration_name": "zendesk",
        "default_runtime_version": version,
        "resources": resources,
    }


def test_v4_resources_are_a_map_keyed_by_name() -> None:
    nodes = [{"name": "a", "type": "spool"}, {"name": "b", "type": "spool", "depends_on": "a"}]
    changes = diff_spec(job(4, nodes), job(4, nodes[::-1]), None, RULES[SYNC_JOB])
    assert changes == []
    moved = [nodes[0], dict(nodes[1], depends_on="c")]
    changes = diff_spec(job(4, moved), job(4, nodes[::-1]), None, RULES[SYNC_JOB])
    assert [c.path for c in changes] == ["/resources/b/depends_on"]


def test_legacy_resources_are_ordered() -> None:
    items = [
        {"resource": "crm/contacts", "method": "list"},
        {"resource": "crm/users", "method": "list"},
    ]
    changes = diff_spec(job(2, items), job(2, items[::-1]), None, RULES[SYNC_JOB])
    assert [c.path for c in changes] == ["/resources/0/resource", "/resources/1/resource"]


def test_tines_immutable_fields_force_a_replace() -> None:
    spec = {
        "team_id": 7,
        "destination_tenant_url": "https://dr.example.tines.com",
        "destination_team_id": 42,
        "story_ids": [1],
    }
    lives = dict([live(TINES, "x", spec, remote_id="1")])
    states = dict([state(TINES, "x", spec, remote_id="1")])
    plan = make_plan([desired(TINES, "x", {**spec, "team_id": 8})], lives, states, RULES, DRIVERS)
    assert change_of(plan, f"{TINES}/x").replace_paths == ("/team_id",)


def test_polytomic_run_after_ids_are_a_set_and_passphrase_is_write_only() -> None:
    spec = {
        "name": "s",
        "mode": "create",
        "schedule": {"frequency": "runafter", "run_after": {"sync_ids": ["b", "a"]}},
    }
    live_spec = {
        **spec,
        "schedule": {"frequency": "runafter", "run_after": {"sync_ids": ["a", "b"]}},
    }
    assert diff_spec(spec, live_spec, None, RULES[POLYTOMIC]) == []
    lives = dict([live(POLYTOMIC, "s", live_spec, remote_id="s-1")])
    plan = make_plan(
        [desired(POLYTOMIC, "s", {**spec, "mode": "append"})], lives, {}, RULES, DRIVERS
    )
    warnings = change_of(plan, f"{POLYTOMIC}/s").warnings
    assert any("/encryption_passphrase" in warning for warning in warnings)
