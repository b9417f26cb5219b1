from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from syncform.engine.plan import FORMAT_VERSION, SENSITIVE, Plan
from syncform.output.plan_json import render_plan_json
from tests.kit.plans import FAKE_SECRET, full_plan, no_change_plan

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _by_address(document: dict[str, Any], address: str) -> dict[str, Any]:
    return next(c for c in document["resource_changes"] if c["address"] == address)


@pytest.mark.parametrize(
    "plan", [full_plan(), full_plan(("TinesSyncDestination/ops",)), no_change_plan()]
)
def test_rendered_plans_validate_against_the_schema(
    validator: Draft202012Validator, plan: Plan
) -> None:
    stamped = dataclasses.replace(
        plan,
        manifests_digest="sha256:abc",
        live_fingerprints={"TrutoIntegration/hubspot": "sha256:def"},
    )
    saved = render_plan_json(stamped, tool_version="1.2.3", saved=True)
    for text in (render_plan_json(plan, tool_version="1.2.3"), saved):
        errors = sorted(validator.iter_errors(json.loads(text)), key=str)
        assert errors == []


def test_schema_rejects_a_leaked_sensitive_value(validator: Draft202012Validator) -> None:
    document = full_plan().to_dict(tool_version="1")
    _by_address(document, "TrutoIntegration/hubspot")["changes"][3]["after"] = "plaintext"
    assert not validator.is_valid(document)


def test_json_is_byte_identical_across_renders_and_equal_plans() -> None:
    first = render_plan_json(full_plan(), tool_version="1.0.0")
    second = render_plan_json(full_plan(), tool_version="1.0.0")
    assert first == second
    assert first.endswith("}\n")
    assert (
        first == json.dumps(json.loads(first), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )


def test_top_level_fields_and_summary() -> None:
    document = full_plan().to_dict(tool_version="9.9")
    assert document["format_version"] == FORMAT_VERSION
    assert document["tool"] == {"name": "syncform", "version": "9.9"}
    assert document["summary"] == {
        "create": 1,
        "update": 1,
        "replace": 2,
        "delete": 1,
        "forget": 0,
        "no_op": 1,
    }
    assert document["targeted"] == []
    assert "manifests_digest" not in document
    assert "live_fingerprints" not in document
    assert [d["severity"] for d in document["diagnostics"]] == ["warning", "info"]


def test_saved_plan_fields_only_in_the_saved_plan() -> None:
    stamped = dataclasses.replace(
        full_plan(), manifests_digest="sha256:m", live_fingerprints={"b/x": "2", "a/x": "1"}
    )
    assert "manifests_digest" not in stamped.to_dict(tool_version="1")
    document = stamped.to_dict(tool_version="1", saved=True)
    assert document["manifests_digest"] == "sha256:m"
    assert list(document["live_fingerprints"]) == ["a/x", "b/x"]


def test_actions_use_terraform_vocabulary_in_run_order() -> None:
    document = full_plan().to_dict(tool_version="1")
    actions = {c["address"]: c["actions"] for c in document["resource_changes"]}
    assert actions == {
        "PolytomicModelSync/contacts": ["no-op"],
        "TinesSyncDestination/security-to-dr": ["create"],
        "TrutoIntegration/hubspot": ["update"],
        "TinesSyncDestination/ops": ["delete", "create"],
        "PolytomicModelSync/accounts": ["create", "delete"],
        "TrutoSyncJob/nightly": ["delete"],
    }
    replace = _by_address(document, "TinesSyncDestination/ops")
    assert replace["replace_paths"] == ["/team_id"]
    assert replace["action_reason"] == "replace_because_immutable"


def test_sensitive_changes_and_bodies_hold_placeholders_only() -> None:
    document = full_plan().to_dict(tool_version="1")
    create = _by_address(document, "TinesSyncDestination/security-to-dr")
    key_change = create["changes"][2]
    assert key_change == {
        "path": "/destination_tenant_api_key",
        "before": None,
        "after": SENSITIVE,
        "sensitive": True,
    }
    post = create["requests"][0]
    assert post["body"]["destination_tenant_api_key"] == SENSITIVE
    assert post["sensitive_paths"] == ["/destination_tenant_api_key"]
    assert "secret_refs" not in post
    update = _by_address(document, "TrutoIntegration/hubspot")
    assert update["changes"][3]["before"] == update["changes"][3]["after"] == SENSITIVE


def test_secret_refs_only_in_the_saved_plan() -> None:
    document = full_plan().to_dict(tool_version="1", saved=True)
    post = _by_address(document, "TinesSyncDestination/security-to-dr")["requests"][0]
    assert post["secret_refs"] == {"/destination_tenant_api_key": "${env:DR_TINES_KEY}"}
    assert FAKE_SECRET not in json.dumps(document)


def test_sets_become_sorted_lists_and_deferred_values_are_kept() -> None:
    document = full_plan().to_dict(tool_version="1")
    create = _by_address(document, "TinesSyncDestination/security-to-dr")
    assert create["changes"][1]["after"] == [1, 2, 3]
    patch = create["requests"][1]
    assert patch["seq"] == 2
    assert patch["path"].endswith("/(known after apply)")
    assert patch["deferred"] == {"": "${ref:TinesSyncDestination/security-to-dr.id}"}
    polytomic = _by_address(document, "PolytomicModelSync/accounts")
    post = polytomic["requests"][0]
    assert post["headers"] == {"Idempotency-Key": "plan-accounts-1"}
    assert post["body"]["schedule"]["run_after"] == ["(known after apply)"]
    assert post["deferred"] == {"/schedule/run_after/0": "${ref:PolytomicModelSync/contacts.id}"}
    assert polytomic["depends_on"] == ["PolytomicModelSync/contacts"]


def test_request_numbering_is_global_and_increasing() -> None:
    document = full_plan().to_dict(tool_version="1")
    seqs = [r["seq"] for c in document["resource_changes"] for r in c["requests"]]
    assert seqs == list(range(1, 9))


def test_targeted_addresses_are_listed() -> None:
    document = full_plan(("TinesSyncDestination/ops",)).to_dict(tool_version="1")
    assert document["targeted"] == ["TinesSyncDestination/ops"]
