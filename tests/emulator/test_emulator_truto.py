"""Truto integrations and sync jobs, as a Truto client sees them over httpx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from syncform.emulator import EmulatorApp, EmulatorTransport

CONFIG: dict[str, Any] = {
    "label": "Acme CRM",
    "base_url": "https://crm.acme.example/api",
    "headers": {"Accept": "application/json", "X-Trace": "on"},
    "authorization": {"format": "bearer", "config": {"value": "{{oauth.token.access_token}}"}},
    "pagination": {"format": "cursor", "config": {"cursor_field": "next_cursor"}},
    "credentials": {
        "oauth2": {"config": {"client": {"id": "client-id", "secret": "s3cr3t-value"}}},
        "api_key": {"config": {"fields": [{"name": "api_key", "type": "password"}]}},
        "password": "pw-value",
    },
    "resources": {"contacts": {"list": {"method": "get", "path": "/contacts"}}},
}

V4_JOB: dict[str, Any] = {
    "label": "CRM contacts to warehouse",
    "integration_name": "acme_crm",
    "default_runtime_version": 4,
    "args_schema": {"integrated_account_id": {"type": "string", "required": True}},
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
}


def create_integration(truto: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {"name": "acme_crm", "category": "crm", "config": CONFIG, **overrides}
    response = truto.post("/integration", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_missing_or_wrong_token_is_401_in_truto_shape(app: EmulatorApp) -> None:
    client = httpx.Client(transport=EmulatorTransport(app), base_url="http://emulator/truto")
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = client.get("/integration", headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["statusCode"] == 401
        assert body["error"] == "Unauthorized"
        assert body["message"]


def test_list_includes_shared_integrations_of_other_teams(truto: httpx.Client) -> None:
    body = truto.get("/integration").json()
    assert set(body) == {"result", "next_cursor", "limit"}
    assert [i["name"] for i in body["result"]] == ["zendesk"]
    assert body["result"][0]["team_id"] == "team-truto"
    assert body["result"][0]["team"]["name"] == "Truto"
    assert body["next_cursor"] is None
    assert body["limit"] == 25


def test_create_shows_defaults_and_redacts_credentials(truto: httpx.Client) -> None:
    created = create_integration(truto)
    assert created["version"] == 1
    assert created["team_id"] == "team-acme"
    assert created["sharing"] == "deny"
    assert created["is_beta"] is False
    assert created["installed_environment"] == []
    assert created["created_at"].endswith("Z") and len(created["created_at"]) == 24
    credentials = created["config"]["credentials"]
    assert credentials["oauth2"]["config"]["client"] == {"id": "********", "secret": "********"}
    assert credentials["password"] == "********"
    assert credentials["api_key"]["config"]["fields"][0]["name"] == "api_key"
    assert created["config"]["authorization"]["config"]["value"] == "{{oauth.token.access_token}}"
    shown = truto.get(f"/integration/{created['id']}")
    assert "s3cr3t-value" not in shown.text and "pw-value" not in shown.text


def test_plural_path_is_accepted(truto: httpx.Client) -> None:
    created = create_integration(truto)
    assert truto.get(f"/integrations/{created['id']}").json()["name"] == "acme_crm"


def test_duplicate_name_in_team_is_409(truto: httpx.Client) -> None:
    create_integration(truto)
    response = truto.post("/integration", json={"name": "acme_crm", "config": {}})
    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"


def test_name_filter_and_cursor_pagination(truto: httpx.Client) -> None:
    for index in range(3):
        create_integration(truto, name=f"crm_{index}")
    filtered = truto.get("/integration", params={"name": "crm_1"}).json()["result"]
    assert [i["name"] for i in filtered] == ["crm_1"]
    first = truto.get("/integration", params={"limit": 2}).json()
    assert len(first["result"]) == 2
    assert first["next_cursor"]
    second = truto.get(
        "/integration", params={"limit": 2, "next_cursor": first["next_cursor"]}
    ).json()
    assert second["next_cursor"] is None
    names = [i["name"] for i in first["result"] + second["result"]]
    assert sorted(names) == ["crm_0", "crm_1", "crm_2", "zendesk"]
    assert truto.get("/integration", params={"next_cursor": "garbage!"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"config": {}}, "name"),
        ({"name": "x"}, "config"),
        ({"name": "Bad Name", "config": {}}, "name"),
        ({"name": "x", "config": {}, "sharing": "public"}, "sharing"),
        ({"name": "x", "config": {}, "owner": "me"}, "owner"),
        ({"name": "x", "config": {"unknown_key": 1}}, "config.unknown_key"),
        (
            {"name": "x", "config": {"authorization": {"format": "magic"}}},
            "config.authorization.format",
        ),
        (
            {"name": "x", "config": {"resources": {"a": {"list": {"method": "get"}}}}},
            "config.resources.a.list.path",
        ),
    ],
)
def test_validation_failures_are_400_with_details(
    truto: httpx.Client, body: dict[str, Any], path: str
) -> None:
    response = truto.post("/integration", json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["statusCode"] == 400 and error["error"] == "Bad Request"
    assert path in [f["path"] for f in error["details"]["failures"]]


def test_patch_requires_the_current_version(truto: httpx.Client) -> None:
    created = create_integration(truto)
    url = f"/integration/{created['id']}"
    missing = truto.patch(url, json={"category": "sales"})
    assert missing.status_code == 400
    stale = truto.patch(url, json={"category": "sales", "version": 7})
    assert stale.status_code == 400
    assert set(stale.json()) == {"statusCode", "error", "message"}
    assert "version" in stale.json()["message"].lower()
    ok = truto.patch(url, json={"category": "sales", "version": 1})
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    assert truto.patch(url, json={"category": "crm", "version": 1}).status_code == 400
    assert truto.get(url).json()["category"] == "sales"


def test_patch_deep_merges_config_null_removes_arrays_replace(truto: httpx.Client) -> None:
    created = create_integration(truto)
    patch = {
        "version": 1,
        "config": {
            "label": "New label",
            "headers": {"X-Trace": None},
            "tool_tags": ["a"],
        },
    }
    body = truto.patch(f"/integration/{created['id']}", json=patch).json()
    config = body["config"]
    assert config["label"] == "New label"
    assert config["headers"] == {"Accept": "application/json"}
    assert config["base_url"] == CONFIG["base_url"]
    assert config["resources"] == CONFIG["resources"]
    second = {"version": 2, "config": {"tool_tags": ["b", "c"]}}
    assert truto.patch(f"/integration/{created['id']}", json=second).json()["config"][
        "tool_tags"
    ] == ["b", "c"]


def test_writing_back_the_redaction_overwrites_the_secret(
    app: EmulatorApp, truto: httpx.Client
) -> None:
    created = create_integration(truto)
    patch = {"version": 1, "config": {"credentials": created["config"]["credentials"]}}
    assert truto.patch(f"/integration/{created['id']}", json=patch).status_code == 200
    stored = next(i for i in app.snapshot()["truto"]["integrations"] if i["id"] == created["id"])
    assert stored["config"]["credentials"]["password"] == "********"


def test_other_teams_integrations_are_read_only_and_private_ones_hidden(
    truto: httpx.Client,
) -> None:
    zendesk = "0b6f3a52-7c1e-4d2a-9f4b-1e2d3c4b5a61"
    assert truto.get(f"/integration/{zendesk}").status_code == 200
    assert truto.patch(f"/integration/{zendesk}", json={"version": 1}).status_code == 403
    assert truto.delete(f"/integration/{zendesk}").status_code == 403
    assert truto.get("/integration/0b6f3a52-7c1e-4d2a-9f4b-1e2d3c4b5a62").status_code == 404


def test_delete_integration_returns_its_id(truto: httpx.Client) -> None:
    created = create_integration(truto)
    response = truto.delete(f"/integration/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {"id": created["id"]}
    assert truto.get(f"/integration/{created['id']}").status_code == 404


def test_sync_job_lifecycle(truto: httpx.Client) -> None:
    create_integration(truto)
    response = truto.post("/sync-job", json=V4_JOB)
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["environment_id"] == "env-acme-prod"
    assert job["default_runtime_version"] == 4
    assert job["created_at"] == job["updated_at"]
    patched = truto.patch(f"/sync-job/{job['id']}", json={"label": "Renamed"}).json()
    assert patched["label"] == "Renamed"
    assert patched["resources"] == V4_JOB["resources"]
    assert patched["updated_at"] > job["updated_at"]
    listed = truto.get("/sync-job", params={"integration_name": "acme_crm"}).json()
    assert [j["id"] for j in listed["result"]] == [job["id"]]
    assert truto.get("/sync-job", params={"integration_name": "zendesk"}).json()["result"] == []
    assert truto.delete(f"/sync-job/{job['id']}").json() == {"id": job["id"]}
    assert truto.get(f"/sync-job/{job['id']}").status_code == 404


def test_sync_job_defaults_to_runtime_3(truto: httpx.Client) -> None:
    job = truto.post("/sync-job", json={"integration_name": "zendesk"}).json()
    assert job["default_runtime_version"] == 3
    assert job["label"] == "Untitled"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"label": "x"}, "integration_name"),
        ({"integration_name": "nope"}, "integration_name"),
        ({"integration_name": "", "environment_id": "env-x"}, "environment_id"),
        ({"integration_name": "", "default_runtime_version": 5}, "default_runtime_version"),
        ({"integration_name": "", "resources": [{"resource": "crm/contacts"}]}, "resources[0]"),
        (
            {
                "integration_name": "",
                "default_runtime_version": 4,
                "resources": [{"name": "a", "type": "request"}],
            },
            "resources[0].integrated_account_id",
        ),
        (
            {
                "integration_name": "",
                "default_runtime_version": 4,
                "resources": [{"name": "a", "type": "event", "depends_on": "z"}],
            },
            "resources[0].depends_on",
        ),
    ],
)
def test_sync_job_validation(truto: httpx.Client, body: dict[str, Any], path: str) -> None:
    response = truto.post("/sync-job", json=body)
    assert response.status_code == 400
    assert path in [f["path"] for f in response.json()["details"]["failures"]]


def test_sync_jobs_are_scoped_to_the_token_environment(
    app: EmulatorApp, truto: httpx.Client
) -> None:
    job = truto.post("/sync-job", json={"integration_name": ""}).json()
    other = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator/truto",
        headers={"Authorization": "Bearer other-token"},
    )
    assert other.get(f"/sync-job/{job['id']}").status_code == 404
    assert other.get("/sync-job").json()["result"] == []


def test_unknown_method_is_405(truto: httpx.Client) -> None:
    response = truto.put("/sync-job", json={})
    assert response.status_code == 405
    assert response.json()["statusCode"] == 405


def test_rate_limit_429_with_retry_after_10(app: EmulatorApp, truto: httpx.Client) -> None:
    app.store.data["truto"]["rate_limit"] = {"requests": 5, "per_seconds": 10}
    statuses = [truto.get("/integration").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    limited = truto.get("/integration")
    assert limited.headers["retry-after"] == "10"
    assert limited.json() == {
        "statusCode": 429,
        "error": "Too Many Requests",
        "message": "Too many requests",
    }
