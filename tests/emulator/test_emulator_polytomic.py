"""Polytomic model syncs, including the server quirks that cause perpetual diffs."""

from __future__ import annotations

import copy
import threading
from typing import Any

import httpx
import pytest

from syncform.emulator import EmulatorApp, EmulatorTransport
from tests.kit.emulator import make_app
from tests.kit.seed import EXISTING_SYNC, MODEL, MODEL_B, SALESFORCE, SEED_WITH_EXISTING_OBJECTS

ZERO = "00000000-0000-0000-0000-000000000000"

SYNC: dict[str, Any] = {
    "name": "Accounts to HubSpot",
    "mode": "updateOrCreate",
    "active": True,
    "schedule": {"frequency": "daily", "hour": "05", "minute": "30"},
    "identity": {
        "source": {"model_id": MODEL_B, "field": "domain"},
        "target": "domain",
        "function": "Equality",
    },
    "target": {"connection_id": SALESFORCE, "object": "companies"},
    "fields": [
        {"source": {"model_id": MODEL_B, "field": "name"}, "target": "name"},
        {"source": {"model_id": MODEL_B, "field": "industry"}, "target": "industry"},
        {"source": {"model_id": MODEL_B, "field": "employees"}, "target": "numberofemployees"},
    ],
    "filters": [
        {
            "field": {"model_id": MODEL_B, "field": "domain"},
            "function": "IsNotNull",
            "label": "mine",
        },
        {
            "field": {"model_id": MODEL, "field": "email"},
            "function": "StringContains",
            "value": "@",
        },
        {"field_id": "Status", "field_type": "Target", "function": "Equality", "value": "open"},
    ],
    "overrides": [
        {
            "field": {"model_id": MODEL_B, "field": "industry"},
            "function": "IsNull",
            "override": "Unknown",
        },
        {
            "field_id": "f-1",
            "field": {"model_id": MODEL_B, "field": "x"},
            "function": "Equality",
            "value": 1,
            "override": {"a": 1},
        },
    ],
    "override_fields": [{"target": "lifecyclestage", "override_value": "customer"}],
    "encryption_passphrase": "very-secret-passphrase",
}


def create(
    polytomic: httpx.Client, body: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    return polytomic.post("/api/syncs", json=body or SYNC, headers=headers)


def test_version_header_is_required_and_echoed(app: EmulatorApp) -> None:
    client = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator/polytomic",
        headers={"Authorization": "Bearer poly-token"},
    )
    missing = client.get("/api/syncs")
    assert missing.status_code == 400
    assert set(missing.json()) == {"status", "message", "key", "metadata"}
    unknown = client.get("/api/syncs", headers={"X-Polytomic-Version": "2020-01-01"})
    assert unknown.status_code == 400
    for version in ("2025-09-18", "2024-02-08", "2023-04-25", "2022-12-12", "2021-05-23"):
        response = client.get("/api/syncs", headers={"X-Polytomic-Version": version})
        assert response.status_code == 200
        assert response.headers["x-polytomic-version"] == version


def test_401_shapes_depend_on_the_version(app: EmulatorApp) -> None:
    client = httpx.Client(transport=EmulatorTransport(app), base_url="http://emulator/polytomic")
    current = client.get("/api/syncs", headers={"X-Polytomic-Version": "2025-09-18"})
    assert current.status_code == 401
    assert current.json()["status"] == 401 and current.json()["key"] == "unauthorized"
    assert current.headers["x-polytomic-version"] == "2025-09-18"
    older = client.get(
        "/api/syncs", headers={"X-Polytomic-Version": "2024-02-08", "Authorization": "Bearer x"}
    )
    assert older.status_code == 401
    assert set(older.json()) == {"code", "status", "error", "context"}


def test_create_returns_200_with_the_server_form(polytomic: httpx.Client) -> None:
    response = create(polytomic)
    assert response.status_code == 200
    sync = response.json()["data"]
    assert "encryption_passphrase" not in sync
    assert "very-secret-passphrase" not in response.text
    assert sync["active"] is True
    assert sync["only_enrich_updates"] is False
    assert sync["skip_initial_backfill"] is False
    assert sync["sync_all_records"] is False
    assert sync["identity"]["remote_field_type_id"] == "string"
    assert sync["identity"]["new_field"] is False
    assert sync["target"]["search_values"] == {"object": "companies", "connection_id": SALESFORCE}
    assert sync["model_ids"] == sorted({MODEL, MODEL_B})
    assert sync["created_by"]["type"] == "apikey"
    assert sync["created_at"].endswith("Z") and "T" in sync["created_at"]


def test_fields_filters_and_overrides_come_back_reordered(polytomic: httpx.Client) -> None:
    sync = create(polytomic).json()["data"]
    sent_targets = [f["target"] for f in SYNC["fields"]] + ["lifecyclestage"]
    got_targets = [f["target"] for f in sync["fields"]]
    assert sorted(got_targets) == sorted(sent_targets)
    assert got_targets != sent_targets
    sent_functions = [f["function"] for f in SYNC["filters"]]
    assert [f["function"] for f in sync["filters"]] != sent_functions
    assert [o["function"] for o in sync["overrides"]] != [o["function"] for o in SYNC["overrides"]]


def test_order_is_deterministic_for_the_same_input(polytomic: httpx.Client) -> None:
    first = create(polytomic).json()["data"]
    second = create(polytomic).json()["data"]
    assert first["fields"] == second["fields"]
    assert first["filters"] == second["filters"]


def test_override_fields_fold_into_fields(polytomic: httpx.Client) -> None:
    sync = create(polytomic).json()["data"]
    assert sync["override_fields"] == []
    folded = [f for f in sync["fields"] if f["target"] == "lifecyclestage"]
    assert folded == [
        {
            "target": "lifecyclestage",
            "source": {"model_id": ZERO, "field": ""},
            "override_value": "customer",
            "new": False,
            "sync_mode": "updateOrCreate",
            "encryption_enabled": False,
        }
    ]


def test_filter_labels_are_reassigned_in_returned_order(polytomic: httpx.Client) -> None:
    filters = create(polytomic).json()["data"]["filters"]
    assert [f["label"] for f in filters] == ["A", "B", "C"]
    by_function = {f["function"]: f for f in filters}
    assert by_function["IsNotNull"]["field_id"]
    assert by_function["IsNotNull"]["field_type"] == "Model"
    assert "field" not in by_function["Equality"]
    assert by_function["Equality"]["field_id"] == "Status"


def test_override_field_id_wins_and_json_overrides_become_strings(polytomic: httpx.Client) -> None:
    overrides = create(polytomic).json()["data"]["overrides"]
    by_function = {o["function"]: o for o in overrides}
    assert by_function["Equality"]["field_id"] == "f-1"
    assert "field" not in by_function["Equality"]
    assert by_function["Equality"]["override"] == '{"a":1}'
    assert by_function["IsNull"]["override"] == "Unknown"


def test_identity_target_mapped_as_field_is_deduplicated(polytomic: httpx.Client) -> None:
    body = copy.deepcopy(SYNC)
    body["fields"].append({"source": {"model_id": MODEL_B, "field": "domain"}, "target": "domain"})
    targets = [f["target"] for f in create(polytomic, body).json()["data"]["fields"]]
    assert "domain" not in targets


@pytest.mark.parametrize("missing", ["name", "mode", "fields", "schedule", "target"])
def test_required_fields_are_422(polytomic: httpx.Client, missing: str) -> None:
    body = {k: v for k, v in SYNC.items() if k != missing}
    response = create(polytomic, body)
    assert response.status_code == 422
    error = response.json()
    assert error["key"] == "validation_error"
    assert missing in error["message"]
    assert error["metadata"] == {"field": missing}


@pytest.mark.parametrize("mode", ["update", "updateOrCreate", "remove"])
def test_identity_required_for_matching_modes(polytomic: httpx.Client, mode: str) -> None:
    body = {k: v for k, v in SYNC.items() if k != "identity"}
    assert create(polytomic, {**body, "mode": mode}).status_code == 422
    assert create(polytomic, {**body, "mode": "create"}).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"mode": "upsert"},
        {"active": "yes"},
        {"target": {"connection_id": "not-a-uuid", "object": "x"}},
        {"target": {"connection_id": SALESFORCE}},
        {"fields": [{"target": "a"}]},
        {"filters": [{"function": "Resembles", "field_id": "x"}]},
        {"schedule": {"frequency": "sometimes"}},
        {"schedule": {"frequency": "runafter", "run_after": ["x"]}},
        {"target": {"connection_id": SALESFORCE, "create": "audience"}},
        {"fields": [{"source": {"model_id": MODEL, "field": "f"}, "target": "t", "new": "false"}]},
        {
            "fields": [
                {"source": {"model_id": MODEL, "field": "f"}, "target": "t", "sync_mode": "x"}
            ]
        },
        {"override_fields": [{"target": "t"}]},
        {"schedule": {"frequency": "runafter", "run_after": {"sync_ids": []}}},
        {"schedule": {"frequency": "runafter", "run_after": {"sync_ids": [SALESFORCE]}}},
        {
            "identity": {
                "source": {"model_id": MODEL, "field": "e"},
                "target": "E",
                "function": "Like",
            }
        },
    ],
)
def test_invalid_bodies_are_422(polytomic: httpx.Client, change: dict[str, Any]) -> None:
    assert create(polytomic, {**SYNC, **change}).status_code == 422


def test_malformed_json_is_400(polytomic: httpx.Client) -> None:
    response = polytomic.post(
        "/api/syncs", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_put_is_a_full_replacement(polytomic: httpx.Client) -> None:
    created = create(polytomic).json()["data"]
    minimal = {
        "name": "Renamed",
        "mode": "create",
        "fields": [{"source": {"model_id": MODEL, "field": "x"}, "target": "x"}],
        "schedule": {"frequency": "manual"},
        "target": {"connection_id": SALESFORCE, "object": "companies"},
    }
    response = polytomic.put(f"/api/syncs/{created['id']}", json=minimal)
    assert response.status_code == 200
    sync = response.json()["data"]
    assert sync["name"] == "Renamed"
    assert sync["active"] is False
    assert sync["filters"] == [] and sync["overrides"] == [] and sync["policies"] == []
    assert "identity" not in sync and "run_after" not in sync["schedule"]
    assert sync["schedule"]["hour"] is None
    assert sync["created_at"] == created["created_at"]
    assert sync["updated_at"] > created["updated_at"]
    assert polytomic.get(f"/api/syncs/{created['id']}").json()["data"] == sync


def test_put_without_required_fields_is_422(polytomic: httpx.Client) -> None:
    response = polytomic.put(f"/api/syncs/{EXISTING_SYNC}", json={"name": "only a name"})
    assert response.status_code == 422


def test_show_unknown_and_malformed_ids(polytomic: httpx.Client) -> None:
    assert polytomic.get(f"/api/syncs/{SALESFORCE}").status_code == 404
    assert polytomic.get(f"/api/syncs/{SALESFORCE}").json()["key"] == "not_found"
    assert polytomic.get("/api/syncs/not-a-uuid").status_code == 400


def test_list_is_light_newest_first_and_paginated(polytomic: httpx.Client) -> None:
    ids = [create(polytomic, {**SYNC, "name": f"sync {i}"}).json()["data"]["id"] for i in range(4)]
    first = polytomic.get("/api/syncs", params={"limit": 2}).json()
    assert [s["id"] for s in first["data"]] == [ids[3], ids[2]]
    item = first["data"][0]
    for heavy in ("fields", "filters", "overrides", "target", "override_fields", "identity"):
        assert heavy not in item
    assert item["target_connection_id"] == SALESFORCE
    assert item["target_object"] == "companies"
    token = first["pagination"]["next_page_token"]
    second = polytomic.get("/api/syncs", params={"limit": 2, "page_token": token}).json()
    assert [s["id"] for s in second["data"]] == [ids[1], ids[0]]
    third = polytomic.get(
        "/api/syncs", params={"limit": 2, "page_token": second["pagination"]["next_page_token"]}
    ).json()
    assert [s["id"] for s in third["data"]] == [EXISTING_SYNC]
    assert third["pagination"].get("next_page_token") in (None, "")
    assert polytomic.get("/api/syncs", params={"page_token": "%%%"}).status_code == 400


def test_list_limit_is_clamped_and_non_positive_falls_back(polytomic: httpx.Client) -> None:
    for index in range(55):
        create(polytomic, {**SYNC, "name": f"bulk {index}"})
    assert len(polytomic.get("/api/syncs", params={"limit": 500}).json()["data"]) == 50
    assert len(polytomic.get("/api/syncs", params={"limit": 0}).json()["data"]) == 50
    assert len(polytomic.get("/api/syncs", params={"limit": -3}).json()["data"]) == 50
    assert len(polytomic.get("/api/syncs").json()["data"]) == 50


def test_list_filters(polytomic: httpx.Client) -> None:
    create(polytomic)
    inactive = polytomic.get("/api/syncs", params={"active": "false"}).json()["data"]
    assert [s["id"] for s in inactive] == [EXISTING_SYNC]
    assert polytomic.get("/api/syncs", params={"mode": "create"}).json()["data"] == []


def test_older_versions_list_full_objects_without_pagination(polytomic: httpx.Client) -> None:
    body = polytomic.get("/api/syncs", headers={"X-Polytomic-Version": "2024-02-08"}).json()
    assert "pagination" not in body
    assert "fields" in body["data"][0]


def test_update_after_a_list_edit_the_ui_flag(polytomic: httpx.Client) -> None:
    response = polytomic.post(f"/api/syncs/{EXISTING_SYNC}/activate", json={"active": True})
    assert response.status_code == 200
    assert response.json() == {"data": {"id": EXISTING_SYNC, "active": True}}
    assert polytomic.get(f"/api/syncs/{EXISTING_SYNC}").json()["data"]["active"] is True
    assert polytomic.post(f"/api/syncs/{EXISTING_SYNC}/activate", json={}).status_code == 422


def test_delete_and_runafter_dependency_conflict(polytomic: httpx.Client) -> None:
    follower = {
        **SYNC,
        "name": "after",
        "schedule": {"frequency": "runafter", "run_after": {"sync_ids": [EXISTING_SYNC]}},
    }
    created = create(polytomic, follower).json()["data"]
    assert created["schedule"]["run_after"]["sync_ids"] == [EXISTING_SYNC]
    assert created["schedule"]["run_after_success_only"] is False
    conflict = polytomic.delete(f"/api/syncs/{EXISTING_SYNC}")
    assert conflict.status_code == 409
    assert conflict.json()["metadata"] == {"sync_ids": [created["id"]]}
    deleted = polytomic.delete(f"/api/syncs/{created['id']}")
    assert deleted.status_code == 200 and deleted.content == b""
    assert polytomic.delete(f"/api/syncs/{EXISTING_SYNC}").status_code == 200
    assert polytomic.get(f"/api/syncs/{EXISTING_SYNC}").status_code == 404


def test_target_create_is_write_only(polytomic: httpx.Client) -> None:
    body = {**SYNC, "target": {"connection_id": SALESFORCE, "create": {"name": "New audience"}}}
    sync = create(polytomic, body).json()["data"]
    assert "create" not in sync["target"]
    assert sync["target"]["object"] == "New audience"


def test_idempotency_key_replays_the_first_outcome(polytomic: httpx.Client) -> None:
    first = create(polytomic, None, **{"Idempotency-Key": "create-accounts-1"})
    second = create(
        polytomic, {**SYNC, "name": "different"}, **{"Idempotency-Key": "create-accounts-1"}
    )
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    names = [s["name"] for s in polytomic.get("/api/syncs").json()["data"]]
    assert sorted(names) == ["Accounts to HubSpot", "Contacts to Salesforce"]


def test_idempotency_key_replays_on_the_same_endpoint_with_a_trailing_slash(
    polytomic: httpx.Client,
) -> None:
    first = create(polytomic, None, **{"Idempotency-Key": "slash-key-1"})
    again = polytomic.post("/api/syncs/", json=SYNC, headers={"Idempotency-Key": "slash-key-1"})
    assert again.status_code == 200
    assert again.json() == first.json()


def _assert_key_reused(response: httpx.Response, first_used_for: str) -> None:
    assert response.status_code == 422
    body = response.json()
    assert body["key"] == "idempotency_key_reused"
    assert body["status"] == 422
    assert body["metadata"] == {"first_used_for": first_used_for}
    assert response.headers["X-Polytomic-Version"] == "2025-09-18"


def test_idempotency_key_reused_on_another_method_is_422(polytomic: httpx.Client) -> None:
    created = create(polytomic, None, **{"Idempotency-Key": "cross-method-1"}).json()["data"]
    put = polytomic.put(
        f"/api/syncs/{created['id']}",
        json={**SYNC, "name": "Renamed"},
        headers={"Idempotency-Key": "cross-method-1"},
    )
    _assert_key_reused(put, "POST /api/syncs")
    assert polytomic.get(f"/api/syncs/{created['id']}").json()["data"]["name"] == SYNC["name"]
    replay = create(polytomic, None, **{"Idempotency-Key": "cross-method-1"})
    assert replay.json()["data"] == created


def test_idempotency_key_reused_on_another_path_is_422(polytomic: httpx.Client) -> None:
    key = {"Idempotency-Key": "cross-path-1"}
    activate = polytomic.post(f"/api/syncs/{EXISTING_SYNC}/activate", json={"active": True})
    assert activate.status_code == 200
    first = polytomic.post(
        f"/api/syncs/{EXISTING_SYNC}/activate", json={"active": False}, headers=key
    )
    assert first.json()["data"]["active"] is False
    _assert_key_reused(create(polytomic, None, **key), f"POST /api/syncs/{EXISTING_SYNC}/activate")
    assert len(polytomic.get("/api/syncs").json()["data"]) == 1


def test_idempotency_key_reused_for_another_sync_is_422(polytomic: httpx.Client) -> None:
    other = create(polytomic).json()["data"]["id"]
    key = {"Idempotency-Key": "cross-sync-1"}
    body = {**SYNC, "name": "Replaced"}
    assert polytomic.put(f"/api/syncs/{EXISTING_SYNC}", json=body, headers=key).status_code == 200
    _assert_key_reused(
        polytomic.put(f"/api/syncs/{other}", json=body, headers=key),
        f"PUT /api/syncs/{EXISTING_SYNC}",
    )
    assert polytomic.get(f"/api/syncs/{other}").json()["data"]["name"] == SYNC["name"]


def test_idempotency_replays_errors_too(polytomic: httpx.Client) -> None:
    bad = {k: v for k, v in SYNC.items() if k != "name"}
    first = create(polytomic, bad, **{"Idempotency-Key": "bad-request-1"})
    assert first.status_code == 422
    again = create(polytomic, SYNC, **{"Idempotency-Key": "bad-request-1"})
    assert again.status_code == 422


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 256, "bad/slash-1"])
def test_invalid_idempotency_keys_are_400(polytomic: httpx.Client, key: str) -> None:
    response = create(polytomic, None, **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.json()["key"] == "invalid_idempotency_key"


def test_concurrent_reuse_of_an_idempotency_key_is_409() -> None:
    entered, release = threading.Event(), threading.Event()

    def held_sleep(_: float) -> None:
        entered.set()
        release.wait(5)

    app = make_app(SEED_WITH_EXISTING_OBJECTS, sleep=held_sleep)
    app.add_fault(
        {
            "match": {"method": "POST", "path": "/polytomic/api/syncs"},
            "action": "latency",
            "ms": 1,
            "count": 1,
        }
    )
    headers = {
        "Authorization": "Bearer poly-token",
        "X-Polytomic-Version": "2025-09-18",
        "Idempotency-Key": "concurrent-key-1",
    }
    client = httpx.Client(
        transport=EmulatorTransport(app), base_url="http://emulator/polytomic", headers=headers
    )
    results: list[int] = []
    slow = threading.Thread(
        target=lambda: results.append(client.post("/api/syncs", json=SYNC).status_code)
    )
    slow.start()
    assert entered.wait(5)
    second = client.post("/api/syncs", json=SYNC)
    release.set()
    slow.join()
    assert second.status_code == 409
    assert second.json()["key"] == "idempotency_conflict"
    assert results == [200]
    replay = client.post("/api/syncs", json=SYNC)
    assert replay.status_code == 200
    assert len(app.snapshot()["polytomic"]["syncs"]) == 2


def test_schedule_options(polytomic: httpx.Client) -> None:
    options = polytomic.get("/api/syncs/schedules").json()["data"]["schedule_options"]
    assert "runafter" in {o["frequency"] for o in options}
