"""Tines sync destinations, stories and teams, as a Tines client sees them over httpx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from syncform.emulator import EmulatorApp, EmulatorTransport
from tests.kit.emulator import SD, create_body, stories_of, tenant_client


def test_missing_or_wrong_token_is_401_in_tines_error_shape(app: EmulatorApp) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic acme-token"}):
        client = httpx.Client(
            transport=EmulatorTransport(app), base_url="http://emulator/tines/acme/api/v1"
        )
        response = client.get(SD, headers=headers)
        assert response.status_code == 401
        assert response.json()["errors"][0]["message"].startswith("Unauthorized")


def test_legacy_x_user_token_header_is_accepted(app: EmulatorApp) -> None:
    client = tenant_client(app, "acme", "x")
    response = client.get(SD, headers={"Authorization": "", "X-User-Token": "acme-token"})
    assert response.status_code == 200


def test_token_of_another_tenant_is_refused(app: EmulatorApp) -> None:
    assert tenant_client(app, "acme", "dr-key").get(SD).status_code == 401


def test_show_never_returns_the_api_key(tines: httpx.Client) -> None:
    response = tines.get(f"{SD}/23")
    assert response.status_code == 200
    body = response.json()["sync_destination"]
    assert set(body) == {
        "id",
        "destination_tenant_url",
        "destination_team_id",
        "manual_sync_only",
        "origin_team_id",
        "subscriptions",
    }
    assert "dr-key" not in response.text
    assert body["origin_team_id"] == 7
    assert [s["story"] for s in body["subscriptions"]] == [
        {"id": 9981, "name": "High-Priority Alerts"},
        {"id": 9982, "name": "Change Control Requests"},
    ]
    assert {s["status"] for s in body["subscriptions"]} == {"synced"}


def test_create_returns_201_and_syncs_copies_to_the_destination_team(
    app: EmulatorApp, tines: httpx.Client
) -> None:
    response = tines.post(SD, json=create_body())
    assert response.status_code == 201
    created = response.json()["sync_destination"]
    assert created["id"] == 24
    assert created["manual_sync_only"] is False
    assert [s["status"] for s in created["subscriptions"]] == ["synced", "synced"]
    names = {s["name"] for s in stories_of(tenant_client(app, "customer", "cust-key"), 15)}
    assert names == {"High-Priority Alerts", "Incident Response"}


def test_manual_sync_only_leaves_requires_sync_until_a_manual_sync(
    app: EmulatorApp, tines: httpx.Client
) -> None:
    created = tines.post(SD, json=create_body(manual_sync_only=True)).json()["sync_destination"]
    assert {s["status"] for s in created["subscriptions"]} == {"requires_sync"}
    customer = tenant_client(app, "customer", "cust-key")
    assert stories_of(customer, 15) == []
    synced = tines.post(f"{SD}/{created['id']}/manual_sync")
    assert synced.status_code == 200
    assert synced.json() == {"sync_initiated": True}
    shown = tines.get(f"{SD}/{created['id']}").json()["sync_destination"]
    assert {s["status"] for s in shown["subscriptions"]} == {"synced"}
    assert len(stories_of(customer, 15)) == 2


def test_single_story_sync(tines: httpx.Client) -> None:
    created = tines.post(SD, json=create_body(manual_sync_only=True)).json()["sync_destination"]
    response = tines.post(f"{SD}/{created['id']}/story/9983/sync")
    assert response.json() == {"story_sync_initiated": True}
    shown = tines.get(f"{SD}/{created['id']}").json()["sync_destination"]
    statuses = {s["story"]["id"]: s["status"] for s in shown["subscriptions"]}
    assert statuses == {9981: "requires_sync", 9983: "synced"}
    assert tines.post(f"{SD}/{created['id']}/story/9984/sync").status_code == 404


def test_invalid_remote_key_gives_failed_subscriptions_with_a_message(tines: httpx.Client) -> None:
    created = tines.post(SD, json=create_body(destination_tenant_api_key="wrong")).json()
    subscriptions = created["sync_destination"]["subscriptions"]
    assert {s["status"] for s in subscriptions} == {"failed"}
    assert all("rejected the API key" in s["error_message"] for s in subscriptions)
    assert all("wrong" not in s["error_message"] for s in subscriptions)


def test_unknown_remote_tenant_fails_to_connect(tines: httpx.Client) -> None:
    body = create_body(destination_tenant_url="https://elsewhere.tines.com")
    created = tines.post(SD, json=body).json()["sync_destination"]
    assert {s["status"] for s in created["subscriptions"]} == {"failed"}
    assert "Could not connect" in created["subscriptions"][0]["error_message"]


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"story_ids": [9985]}, "change control"),
        ({"story_ids": [9990]}, "not found in team 7"),
        ({"story_ids": [123456]}, "not found in team 7"),
        ({"story_ids": [9981, 9981]}, "duplicates"),
        ({"story_ids": []}, "at least one"),
        ({"story_ids": ["9981"]}, "array of integers"),
        ({"destination_team_id": 99}, "is not a team on"),
        ({"team_id": 1234}, "not a team on this tenant"),
        ({"destination_tenant_api_key": None}, "required for a remote tenant"),
        ({"destination_tenant_url": "not a url"}, "absolute https URL"),
        ({"manual_sync_only": "yes"}, "must be a boolean"),
        ({"origin_team_id": 7}, "Unknown parameter: origin_team_id"),
        ({"name": "x"}, "Unknown parameter: name"),
    ],
)
def test_create_refusals_are_422_with_a_body(
    tines: httpx.Client, overrides: dict[str, Any], fragment: str
) -> None:
    body = create_body(**overrides)
    body = {k: v for k, v in body.items() if v is not None}
    response = tines.post(SD, json=body)
    assert response.status_code == 422
    assert fragment in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "missing", ["destination_tenant_url", "destination_team_id", "team_id", "story_ids"]
)
def test_required_create_fields(tines: httpx.Client, missing: str) -> None:
    body = create_body()
    del body[missing]
    response = tines.post(SD, json=body)
    assert response.status_code == 422
    assert missing in response.json()["errors"][0]["message"]


def test_same_tenant_sync_needs_no_key_and_refuses_one(
    app: EmulatorApp, tines: httpx.Client
) -> None:
    same = {"destination_tenant_url": "https://ACME.tines.com/", "destination_team_id": 9}
    refused = tines.post(SD, json=create_body(**same))
    assert refused.status_code == 422
    assert "same-tenant" in refused.json()["errors"][0]["message"]
    body = {k: v for k, v in create_body(**same).items() if k != "destination_tenant_api_key"}
    created = tines.post(SD, json=body)
    assert created.status_code == 201
    assert created.json()["sync_destination"]["destination_tenant_url"] == "https://acme.tines.com"
    assert {s["name"] for s in stories_of(tines, 9)} == {
        "High-Priority Alerts",
        "Incident Response",
    }
    record_id = created.json()["sync_destination"]["id"]
    key_update = tines.patch(f"{SD}/{record_id}", json={"destination_tenant_api_key": "k"})
    assert key_update.status_code == 422


def test_duplicate_destination_is_refused(tines: httpx.Client) -> None:
    body = create_body(destination_tenant_url="https://dr.acme.tines.com", destination_team_id=42)
    body["destination_tenant_api_key"] = "dr-key"
    response = tines.post(SD, json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["details"] == {"id": 23}


def test_non_json_body_is_400(tines: httpx.Client) -> None:
    response = tines.post(SD, content=b"team_id=7", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert (
        tines.post(SD, content=b"{", headers={"Content-Type": "application/json"}).status_code
        == 400
    )


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_update_is_partial_for_put_and_patch(tines: httpx.Client, method: str) -> None:
    response = tines.request(method, f"{SD}/23", json={"manual_sync_only": True})
    assert response.status_code == 200
    body = response.json()["sync_destination"]
    assert body["manual_sync_only"] is True
    assert [s["story"]["id"] for s in body["subscriptions"]] == [9981, 9982]
    assert body["destination_team_id"] == 42


def test_story_ids_replace_the_set_keeping_existing_order(
    app: EmulatorApp, tines: httpx.Client
) -> None:
    response = tines.patch(f"{SD}/23", json={"story_ids": [9983, 9982]})
    subscriptions = response.json()["sync_destination"]["subscriptions"]
    assert [s["story"]["id"] for s in subscriptions] == [9982, 9983]
    assert {s["status"] for s in subscriptions} == {"synced"}
    dr_names = {s["name"] for s in stories_of(tenant_client(app, "dr", "dr-key"), 42)}
    assert dr_names == {"Change Control Requests", "Incident Response"}


def test_empty_story_ids_clears_subscriptions(tines: httpx.Client) -> None:
    response = tines.put(f"{SD}/23", json={"story_ids": []})
    assert response.status_code == 200
    assert response.json()["sync_destination"]["subscriptions"] == []


@pytest.mark.parametrize(
    "field", ["team_id", "origin_team_id", "destination_team_id", "destination_tenant_url"]
)
def test_immutable_field_in_update_is_refused_naming_it(tines: httpx.Client, field: str) -> None:
    current = tines.get(f"{SD}/23").json()["sync_destination"]
    value = current.get(field, 7)
    response = tines.patch(f"{SD}/23", json={field: value, "manual_sync_only": True})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert field in error["message"]
    assert error["details"] == {"field": field}
    assert tines.get(f"{SD}/23").json()["sync_destination"]["manual_sync_only"] is False


def test_unknown_field_in_update_is_refused(tines: httpx.Client) -> None:
    response = tines.patch(f"{SD}/23", json={"subscriptions": []})
    assert response.status_code == 422
    assert "subscriptions" in response.json()["errors"][0]["message"]


def test_key_rotation_to_an_invalid_key_marks_failed(tines: httpx.Client) -> None:
    response = tines.patch(f"{SD}/23", json={"destination_tenant_api_key": "rotated-wrong"})
    assert {s["status"] for s in response.json()["sync_destination"]["subscriptions"]} == {"failed"}


def test_delete_removes_synced_stories_by_default(app: EmulatorApp, tines: httpx.Client) -> None:
    dr = tenant_client(app, "dr", "dr-key")
    assert len(stories_of(dr, 42)) == 2
    response = tines.delete(f"{SD}/23")
    assert response.status_code == 204
    assert response.content == b""
    assert tines.get(f"{SD}/23").status_code == 404
    assert stories_of(dr, 42) == []


def test_delete_with_keep_stories_detaches_them(app: EmulatorApp, tines: httpx.Client) -> None:
    response = tines.request("DELETE", f"{SD}/23", json={"keep_stories": True})
    assert response.status_code == 204
    assert len(stories_of(tenant_client(app, "dr", "dr-key"), 42)) == 2


def test_delete_body_is_checked(tines: httpx.Client) -> None:
    assert tines.request("DELETE", f"{SD}/23", json={"keep_stories": "yes"}).status_code == 422
    assert tines.request("DELETE", f"{SD}/23", json={"force": True}).status_code == 422


def test_ids_are_never_reused(tines: httpx.Client) -> None:
    first = tines.post(SD, json=create_body()).json()["sync_destination"]["id"]
    assert tines.delete(f"{SD}/{first}").status_code == 204
    second = tines.post(SD, json=create_body()).json()["sync_destination"]["id"]
    assert second == first + 1


def test_a_deleted_seeded_destination_id_is_never_reused(tines: httpx.Client) -> None:
    assert tines.delete(f"{SD}/23").status_code == 204  # the seeded one, the largest id
    created = tines.post(SD, json=create_body()).json()["sync_destination"]["id"]
    assert created == 24


def test_unknown_destination_is_404_with_errors_body(tines: httpx.Client) -> None:
    response = tines.get(f"{SD}/999")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "Not found"


def test_pagination_meta_with_urls(tines: httpx.Client) -> None:
    for team in (15, 16):
        assert tines.post(SD, json=create_body(destination_team_id=team)).status_code == 201
    page = tines.get(SD, params={"per_page": 2}).json()
    assert [d["id"] for d in page["sync_destinations"]] == [23, 24]
    meta = page["meta"]
    assert meta["count"] == 3
    assert meta["pages"] == 2
    assert meta["per_page"] == 2
    assert meta["previous_page"] is None
    assert meta["next_page_number"] == 2
    assert (
        meta["current_page"]
        == "http://emulator/tines/acme/api/v1/admin/sync_destinations?page=1&per_page=2"
    )
    next_url = meta["next_page"]
    assert next_url.endswith("?page=2&per_page=2")
    second = tines.get(next_url).json()
    assert [d["id"] for d in second["sync_destinations"]] == [25]
    assert second["meta"]["next_page"] is None
    assert second["meta"]["next_page_number"] is None
    assert second["meta"]["previous_page"].endswith("page=1&per_page=2")


def test_default_per_page_is_20_and_max_500(tines: httpx.Client) -> None:
    assert tines.get(SD).json()["meta"]["per_page"] == 20
    assert tines.get(SD, params={"per_page": 10_000}).json()["meta"]["per_page"] == 500
    assert tines.get(SD, params={"per_page": 0}).status_code == 400
    assert tines.get(SD, params={"page": "x"}).status_code == 400


def test_stories_list_filters_and_show_is_bare(tines: httpx.Client) -> None:
    everything = tines.get("/stories").json()
    assert everything["meta"]["count"] == 6
    assert "_synced_from" not in everything["stories"][0]
    team8 = tines.get("/stories", params={"team_id": 8}).json()["stories"]
    assert [s["id"] for s in team8] == [9990]
    cc = tines.get("/stories", params={"filter": "CHANGE_CONTROL_ENABLED"}).json()["stories"]
    assert 9985 not in {s["id"] for s in cc}
    found = tines.get("/stories", params={"search": "phish"}).json()["stories"]
    assert [s["name"] for s in found] == ["Phishing Triage"]
    story = tines.get("/stories/9981").json()
    assert story["id"] == 9981
    assert story["change_control_enabled"] is True
    assert tines.get("/stories/1").status_code == 404


def test_teams_list(tines: httpx.Client) -> None:
    body = tines.get("/teams").json()
    assert [t["name"] for t in body["teams"]] == ["Security Operations", "IT", "Local target"]
    assert body["meta"]["count"] == 3
    assert tines.get("/teams/7").json()["name"] == "Security Operations"


def test_unknown_tenant_and_route_are_404(app: EmulatorApp, tines: httpx.Client) -> None:
    assert tenant_client(app, "nobody", "acme-token").get(SD).status_code == 404
    assert tines.get("/nothing-here").status_code == 404


def test_rate_limit_is_429_without_retry_after(tines: httpx.Client, app: EmulatorApp) -> None:
    app.store.data["tines"]["tenants"]["acme"]["rate_limit"] = {"requests": 3, "per_seconds": 60}
    statuses = [tines.get("/teams").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = tines.get("/teams")
    assert "retry-after" not in limited.headers
    assert limited.json()["errors"][0]["message"] == "Rate limit exceeded"
