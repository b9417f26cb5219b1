"""Schema findings: rule ids, JSON Pointers, messages, ordering and secret scrubbing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from syncform.schemas import config_schema, manifest_schema, spec_schema
from syncform.schemas.validation import SchemaIssue, iter_schema_issues

UUID = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"

VALID: dict[str, dict[str, Any]] = {
    "TinesSyncDestination": {
        "team_id": 7,
        "destination_tenant_url": "https://dr.acme.tines.com",
        "destination_team_id": 42,
        "destination_tenant_api_key": "${env:TINES_DR_KEY}",
        "story_ids": [9981, 9982],
        "manual_sync_only": False,
    },
    "TrutoIntegration": {
        "name": "acme_crm",
        "category": "crm",
        "sharing": "deny",
        "config": {
            "label": "Acme",
            "credentials": {"oauth2": {"config": {"client_secret": "${env:S}"}}},
        },
    },
    "TrutoSyncJob": {
        "label": "Contacts",
        "integration_name": "acme_crm",
        "default_runtime_version": 4,
        "resources": [
            {"name": "start", "type": "event", "config": {"name": "start"}},
            {
                "name": "contacts",
                "type": "request",
                "resource": "crm/contacts",
                "method": "list",
                "integrated_account_id": "{{args.integrated_account_id}}",
                "depends_on": "start",
            },
        ],
    },
    "PolytomicModelSync": {
        "name": "Contacts",
        "mode": "create",
        "fields": [{"source": {"model_id": UUID, "field": "email"}, "target": "Email"}],
        "schedule": {
            "frequency": "runafter",
            "run_after": {"sync_ids": ["${ref:PolytomicModelSync/a.id}"]},
        },
        "target": {"connection_id": UUID, "object": "Contact"},
    },
}


def _issues(kind: str, spec: dict[str, Any]) -> list[SchemaIssue]:
    return list(iter_schema_issues(spec, spec_schema(kind)))


def _with(kind: str, pointer: str, value: Any) -> dict[str, Any]:
    """A copy of VALID[kind] with the value at a JSON Pointer replaced (`...` deletes it)."""
    spec = copy.deepcopy(VALID[kind])
    *parents, last = pointer.strip("/").split("/")
    node: Any = spec
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return spec


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_specs_have_no_issues(kind: str) -> None:
    assert _issues(kind, VALID[kind]) == []


NEGATIVE = [
    # (kind, pointer to change, new value, expected rule, expected issue pointer)
    ("TinesSyncDestination", "/team_id", ..., "schema.required", ""),
    ("TinesSyncDestination", "/team_id", "7", "schema.type", "/team_id"),
    ("TinesSyncDestination", "/team_id", 0, "schema.minimum", "/team_id"),
    (
        "TinesSyncDestination",
        "/destination_tenant_url",
        "http://dr.acme.tines.com",
        "schema.pattern",
        "/destination_tenant_url",
    ),
    ("TinesSyncDestination", "/story_ids/1", "9982", "schema.type", "/story_ids/1"),
    ("TinesSyncDestination", "/manual_sync_only", "yes", "schema.type", "/manual_sync_only"),
    ("TinesSyncDestination", "/name", "dr", "schema.additionalProperties", "/name"),
    ("TrutoIntegration", "/sharing", "public", "schema.enum", "/sharing"),
    ("TrutoIntegration", "/name", "Acme CRM", "schema.pattern", "/name"),
    ("TrutoIntegration", "/config", ..., "schema.required", ""),
    (
        "TrutoIntegration",
        "/config/query_array_format",
        "csv",
        "schema.enum",
        "/config/query_array_format",
    ),
    ("TrutoSyncJob", "/default_runtime_version", 5, "schema.enum", "/default_runtime_version"),
    ("TrutoSyncJob", "/resources/0/type", "webhook", "schema.enum", "/resources/0/type"),
    (
        "TrutoSyncJob",
        "/resources/0/config/name",
        "finish",
        "schema.enum",
        "/resources/0/config/name",
    ),
    ("TrutoSyncJob", "/resources/1/method", ..., "schema.required", "/resources/1"),
    (
        "TrutoSyncJob",
        "/resources/1/persist",
        True,
        "schema.additionalProperties",
        "/resources/1/persist",
    ),
    ("TrutoSyncJob", "/resources/0/name", ..., "schema.required", "/resources/0"),
    ("PolytomicModelSync", "/mode", "upsert", "schema.enum", "/mode"),
    ("PolytomicModelSync", "/schedule/frequency", "nightly", "schema.enum", "/schedule/frequency"),
    (
        "PolytomicModelSync",
        "/schedule/run_after/sync_ids/0",
        "not-a-uuid",
        "schema.format",
        "/schedule/run_after/sync_ids/0",
    ),
    ("PolytomicModelSync", "/target/connection_id", ..., "schema.required", "/target"),
    (
        "PolytomicModelSync",
        "/fields/0/source/model_id",
        12,
        "schema.type",
        "/fields/0/source/model_id",
    ),
    ("PolytomicModelSync", "/schedule/hour", 5, "schema.type", "/schedule/hour"),
    ("PolytomicModelSync", "/target/search", {}, "schema.additionalProperties", "/target/search"),
]


@pytest.mark.parametrize(("kind", "pointer", "value", "rule", "at"), NEGATIVE)
def test_invalid_spec_gives_rule_and_pointer(
    kind: str, pointer: str, value: Any, rule: str, at: str
) -> None:
    issues = _issues(kind, _with(kind, pointer, value))
    assert [(i.rule, i.pointer) for i in issues] == [(rule, at)]


def test_legacy_runtime_validates_resources_as_flat_requests() -> None:
    spec = _with("TrutoSyncJob", "/default_runtime_version", 3)
    issues = _issues("TrutoSyncJob", spec)
    assert ("schema.additionalProperties", "/resources/0/name") in [
        (i.rule, i.pointer) for i in issues
    ]
    legacy = _with(
        "TrutoSyncJob",
        "/resources",
        [{"resource": "crm/contacts", "method": "list", "persist": True}],
    )
    legacy["default_runtime_version"] = 3
    assert _issues("TrutoSyncJob", legacy) == []


def test_required_names_the_property_and_points_at_the_object() -> None:
    [issue] = _issues(
        "PolytomicModelSync", _with("PolytomicModelSync", "/target/connection_id", ...)
    )
    assert issue.message == "missing required property 'connection_id'"


def test_unknown_property_suggests_the_close_name() -> None:
    spec = _with("TinesSyncDestination", "/story_id", [1])
    [issue] = _issues("TinesSyncDestination", spec)
    assert issue.message == "unknown property 'story_id'; did you mean 'story_ids'?"


def test_each_unknown_property_is_its_own_issue() -> None:
    spec = _with("TinesSyncDestination", "/zzz", 1)
    spec["aaa"] = 2
    issues = _issues("TinesSyncDestination", spec)
    assert [i.message.split(";")[0] for i in issues] == [
        "unknown property 'aaa'",
        "unknown property 'zzz'",
    ]


def test_composite_errors_report_the_best_match_and_how_many_more() -> None:
    [issue] = _issues(
        "PolytomicModelSync", _with("PolytomicModelSync", "/target/connection_id", "prod")
    )
    assert issue.more == 1
    assert issue.message == '"prod" is not a valid uuid (1 more)'


def test_references_are_accepted_where_ids_may_be_references() -> None:
    spec = _with("PolytomicModelSync", "/target/connection_id", "${env:SALESFORCE_CONNECTION_ID}")
    spec["policies"] = [UUID, "${ref:PolytomicModelSync/x.id}"]
    assert _issues("PolytomicModelSync", spec) == []


def test_tines_ids_are_plain_integers() -> None:
    spec = _with("TinesSyncDestination", "/destination_team_id", "${ref:TinesSyncDestination/x.id}")
    assert [i.rule for i in _issues("TinesSyncDestination", spec)] == ["schema.type"]


def test_issues_are_sorted_by_pointer_then_rule() -> None:
    spec = {
        "team_id": "x",
        "destination_tenant_url": 1,
        "story_ids": ["a"],
        "destination_team_id": -1,
    }
    issues = _issues("TinesSyncDestination", spec)
    assert issues == sorted(issues, key=lambda i: (i.pointer, i.rule))
    assert [i.pointer for i in issues] == [
        "/destination_team_id",
        "/destination_tenant_url",
        "/story_ids/0",
        "/team_id",
    ]


def test_secret_values_never_appear_in_messages() -> None:
    secret = "tines-live-key-5f2a9c"
    spec = _with("TinesSyncDestination", "/destination_tenant_api_key", secret)
    spec["story_ids"] = secret  # the same value echoed by another field's message
    spec["destination_tenant_url"] = secret
    issues = _issues("TinesSyncDestination", spec)
    assert issues
    assert all(secret not in i.message for i in issues)
    assert any("***" in i.message for i in issues)


def test_secret_values_under_truto_credentials_are_scrubbed() -> None:
    secret = "crm-client-secret-99"
    spec = copy.deepcopy(VALID["TrutoIntegration"])
    spec["config"]["credentials"]["oauth2"]["config"]["client_secret"] = secret
    spec["config"]["query_array_format"] = secret
    spec["sharing"] = secret
    issues = _issues("TrutoIntegration", spec)
    assert [i.pointer for i in issues] == ["/config/query_array_format", "/sharing"]
    assert all(secret not in i.message for i in issues)


def test_config_token_literal_is_rejected_without_echo() -> None:
    config = {
        "apiVersion": "syncform/v1",
        "kind": "Config",
        "connections": {
            "t": {"provider": "tines", "url": "https://acme.tines.com", "token": "tok-123456"}
        },
    }
    [issue] = iter_schema_issues(config, config_schema())
    assert (issue.rule, issue.pointer) == ("schema.pattern", "/connections/t/token")
    assert "tok-123456" not in issue.message


CONFIG_CASES = [
    (
        {"provider": "tines", "url": "https://acme.tines.com"},
        [("schema.required", "/connections/c")],
    ),
    ({"provider": "tines", "url": "emulator://examples/tines/acme"}, []),
    ({"provider": "tines", "url": "http://127.0.0.1:8080", "token": "${env:T}"}, []),
    ({"provider": "tines", "url": "http://localhost/x", "token": "${file:t}"}, []),
    (
        {"provider": "tines", "url": "http://acme.tines.com", "token": "${env:T}"},
        [("schema.pattern", "/connections/c/url")],
    ),
    (
        {"provider": "tines", "url": "emulator://e", "team_id": "t"},
        [("schema.not", "/connections/c/team_id")],
    ),
    (
        {"provider": "truto", "url": "emulator://e", "api_version": "2025-09-18"},
        [("schema.not", "/connections/c/api_version")],
    ),
    (
        {
            "provider": "truto",
            "url": "emulator://e",
            "team_id": "team-acme",
            "integration_path": "/integrations",
        },
        [],
    ),
    (
        {"provider": "polytomic", "url": "emulator://e", "api_version": "2025-9-18"},
        [("schema.pattern", "/connections/c/api_version")],
    ),
    ({"provider": "zapier", "url": "emulator://e"}, [("schema.enum", "/connections/c/provider")]),
]


@pytest.mark.parametrize(("connection", "expected"), CONFIG_CASES)
def test_config_connections(connection: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    config = {"apiVersion": "syncform/v1", "kind": "Config", "connections": {"c": connection}}
    assert [(i.rule, i.pointer) for i in iter_schema_issues(config, config_schema())] == expected


def test_provider_specific_keys_explain_themselves() -> None:
    config = {
        "apiVersion": "syncform/v1",
        "kind": "Config",
        "connections": {"c": {"provider": "tines", "url": "emulator://e", "team_id": "x"}},
    }
    [issue] = iter_schema_issues(config, config_schema())
    assert issue.message == "team_id applies only to truto connections"


def _manifest(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "syncform/v1",
        "kind": kind,
        "metadata": {"name": "a"},
        "spec": copy.deepcopy(VALID[kind]),
        **extra,
    }


MANIFEST_CASES = [
    ("/metadata/name", "Bad_Name", "schema.pattern", "/metadata/name"),
    ("/metadata/dependsOn", ["security-to-dr"], "schema.pattern", "/metadata/dependsOn/0"),
    ("/metadata/labels", {"team": 7}, "schema.type", "/metadata/labels/team"),
    (
        "/lifecycle",
        {"ignore_changes": ["manual_sync_only"]},
        "schema.pattern",
        "/lifecycle/ignore_changes/0",
    ),
    ("/lifecycle", {"protect": "yes"}, "schema.type", "/lifecycle/protect"),
    ("/apiVersion", "syncform/v2", "schema.const", "/apiVersion"),
    ("/status", {}, "schema.additionalProperties", "/status"),
]


@pytest.mark.parametrize(("pointer", "value", "rule", "at"), MANIFEST_CASES)
def test_manifest_envelope(pointer: str, value: Any, rule: str, at: str) -> None:
    document = _manifest("TinesSyncDestination")
    *parents, last = pointer.strip("/").split("/")
    node = document
    for part in parents:
        node = node[part]
    node[last] = value
    assert [(i.rule, i.pointer) for i in iter_schema_issues(document, manifest_schema())] == [
        (rule, at)
    ]


def test_manifest_validates_the_spec_of_its_kind() -> None:
    document = _manifest("PolytomicModelSync")
    document["spec"]["mode"] = "upsert"
    issues = list(iter_schema_issues(document, manifest_schema()))
    assert [(i.rule, i.pointer) for i in issues] == [("schema.enum", "/spec/mode")]


def test_keep_stories_on_delete_is_tines_only() -> None:
    tines = _manifest("TinesSyncDestination", lifecycle={"keep_stories_on_delete": True})
    assert list(iter_schema_issues(tines, manifest_schema())) == []
    truto = _manifest("TrutoIntegration", lifecycle={"keep_stories_on_delete": True})
    [issue] = iter_schema_issues(truto, manifest_schema())
    assert (issue.rule, issue.pointer) == ("schema.not", "/lifecycle/keep_stories_on_delete")
    assert "TinesSyncDestination" in issue.message


def test_ignore_changes_accepts_wildcard_pointers() -> None:
    document = _manifest(
        "PolytomicModelSync", lifecycle={"ignore_changes": ["/fields/*/sync_mode", "/active"]}
    )
    assert list(iter_schema_issues(document, manifest_schema())) == []
