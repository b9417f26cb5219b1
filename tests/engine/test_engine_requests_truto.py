from __future__ import annotations

from typing import Any

from syncform.engine.plan import SENSITIVE, Action, ResourceChange
from syncform.engine.planner import make_plan
from syncform.providers.registry import DRIVERS
from tests.kit.engine import (
    INTEGRATION,
    RULES,
    SYNC_JOB,
    change_of,
    desired,
    live,
    requests_of,
    secret,
    state,
    stored,
)

CONFIG = {
    "label": "Acme CRM",
    "base_url": "https://api.acme.test",
    "headers": {"Accept": "application/json", "X-Old": "1"},
    "tool_tags": {"users": ["a", "b"]},
}
INTEGRATION_SPEC = {"name": "acme_crm", "category": "crm", "config": CONFIG}
JOB_SPEC: dict[str, Any] = {
    "label": "nightly",
    "integration_name": "acme_crm",
    "default_runtime_version": 4,
    "resources": [
        {"name": "contacts", "type": "request", "resource": "crm/contacts", "query": {"page": 1}},
        {"name": "done", "type": "event", "config": {"name": "complete"}},
    ],
}


def plan_for(
    kind: str,
    spec: dict[str, Any],
    live_spec: dict[str, Any] | None = None,
    applied: dict[str, Any] | None = None,
    version: int | None = None,
) -> ResourceChange:
    lives = (
        dict([live(kind, "x", live_spec, remote_id="id-1", version=version)]) if live_spec else {}
    )
    states = dict([state(kind, "x", applied, remote_id="id-1")]) if applied else {}
    plan = make_plan([desired(kind, "x", spec)], lives, states, RULES, DRIVERS)
    return change_of(plan, f"{kind}/x")


def test_integration_create_is_a_post() -> None:
    change = plan_for(INTEGRATION, INTEGRATION_SPEC)
    assert requests_of(change) == [("POST", "/integration", INTEGRATION_SPEC)]


def test_integration_update_is_merge_patch_with_version_and_null_for_dropped() -> None:
    spec = {
        "name": "acme_crm",
        "category": "crm",
        "config": {
            "label": "Acme CRM v2",
            "base_url": "https://api.acme.test",
            "headers": {"Accept": "application/json"},
            "tool_tags": {"users": ["a", "b", "c"]},
        },
    }
    change = plan_for(INTEGRATION, spec, INTEGRATION_SPEC, INTEGRATION_SPEC, version=3)
    assert change.actions == (Action.UPDATE,)
    assert requests_of(change) == [
        (
            "PATCH",
            "/integration/id-1",
            {
                "config": {
                    "headers": {"X-Old": None},
                    "label": "Acme CRM v2",
                    "tool_tags": {"users": ["a", "b", "c"]},
                },
                "version": 3,
            },
        )
    ]


def test_integration_credential_secret_in_config_is_placeholdered() -> None:
    token = secret("CRM_CLIENT_SECRET", "client-secret-value")
    spec = {**INTEGRATION_SPEC, "config": {**CONFIG, "credentials": {"client_secret": token}}}
    old = secret("CRM_CLIENT_SECRET", "old-secret-value")
    applied = {
        **INTEGRATION_SPEC,
        "config": {**CONFIG, "credentials": {"client_secret": stored(old)}},
    }
    change = plan_for(INTEGRATION, spec, INTEGRATION_SPEC, applied, version=5)
    (request,) = change.requests
    assert request.body == {"config": {"credentials": {"client_secret": SENSITIVE}}, "version": 5}
    assert request.secret_refs == {"/config/credentials/client_secret": "${env:CRM_CLIENT_SECRET}"}


def test_integration_top_level_field_change_is_sent_alone() -> None:
    spec = {**INTEGRATION_SPEC, "category": "helpdesk"}
    change = plan_for(INTEGRATION, spec, INTEGRATION_SPEC, INTEGRATION_SPEC, version=1)
    assert requests_of(change) == [
        ("PATCH", "/integration/id-1", {"category": "helpdesk", "version": 1})
    ]


def test_integration_without_live_version_warns() -> None:
    spec = {**INTEGRATION_SPEC, "category": "helpdesk"}
    change = plan_for(INTEGRATION, spec, INTEGRATION_SPEC, INTEGRATION_SPEC)
    assert any("no version" in warning for warning in change.warnings)


def test_integration_delete() -> None:
    lives = dict([live(INTEGRATION, "gone", INTEGRATION_SPEC, remote_id="id-9")])
    states = dict([state(INTEGRATION, "gone", INTEGRATION_SPEC, remote_id="id-9")])
    plan = make_plan([], lives, states, RULES, DRIVERS)
    assert requests_of(change_of(plan, f"{INTEGRATION}/gone")) == [
        ("DELETE", "/integration/id-9", None)
    ]


def test_sync_job_create_is_a_post() -> None:
    change = plan_for(SYNC_JOB, JOB_SPEC)
    assert requests_of(change) == [("POST", "/sync-job", JOB_SPEC)]


def test_sync_job_update_sends_resources_whole() -> None:
    resources = [dict(JOB_SPEC["resources"][0], query={"page": 2}), JOB_SPEC["resources"][1]]
    spec = {**JOB_SPEC, "resources": resources}
    change = plan_for(SYNC_JOB, spec, JOB_SPEC, JOB_SPEC)
    assert [c.path for c in change.changes] == ["/resources/contacts/query/page"]
    assert requests_of(change) == [("PATCH", "/sync-job/id-1", {"resources": resources})]


def test_sync_job_dropped_field_is_sent_as_null() -> None:
    applied = {**JOB_SPEC, "mutex_key": "{{args.id}}"}
    change = plan_for(SYNC_JOB, JOB_SPEC, applied, applied)
    assert requests_of(change) == [("PATCH", "/sync-job/id-1", {"mutex_key": None})]


def test_sync_job_delete() -> None:
    lives = dict([live(SYNC_JOB, "gone", JOB_SPEC, remote_id="job-9")])
    states = dict([state(SYNC_JOB, "gone", JOB_SPEC, remote_id="job-9")])
    plan = make_plan([], lives, states, RULES, DRIVERS)
    assert requests_of(change_of(plan, f"{SYNC_JOB}/gone")) == [("DELETE", "/sync-job/job-9", None)]
