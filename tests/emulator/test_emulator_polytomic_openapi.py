"""Every Polytomic `/api/syncs*` response the emulator sends matches Polytomic's OpenAPI.

`data/polytomic-modelsync-openapi.yml` is Polytomic's model-sync API reference (API version
2025-09-18) as mirrored in github.com/api-evangelist/polytomic,
`openapi/polytomic-subpackage-modelsync-api-openapi.yml` at commit 7e828d9b, copied unchanged.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from syncform.emulator import EmulatorApp
from tests.kit.emulator import client_for
from tests.kit.seed import EXISTING_SYNC, MODEL, MODEL_B, SALESFORCE

SPEC_PATH = Path(__file__).parent / "data" / "polytomic-modelsync-openapi.yml"
SPEC_URI = "urn:polytomic:modelsync-openapi"
MOUNT = "/polytomic"
SCHEMA_SLOTS = ("additionalProperties", "items")
POLICY = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a41"

MINIMAL: dict[str, Any] = {
    "name": "Minimal",
    "mode": "create",
    "fields": [{"source": {"model_id": MODEL, "field": "email"}, "target": "email"}],
    "schedule": {"frequency": "manual"},
    "target": {"connection_id": SALESFORCE, "object": "contacts"},
}
FULL: dict[str, Any] = {
    "name": "Full",
    "mode": "updateOrCreate",
    "active": True,
    "only_enrich_updates": True,
    "skip_initial_backfill": True,
    "sync_all_records": True,
    "encryption_passphrase": "a-passphrase",
    "filter_logic": "A AND (B OR C)",
    "policies": [POLICY],
    "identity": {
        "source": {"model_id": MODEL_B, "field": "domain"},
        "target": "domain",
        "function": "Equality",
        "new_field": True,
    },
    "fields": [
        {"source": {"model_id": MODEL_B, "field": "name"}, "target": "name", "new": True},
        {
            "source": {"model_id": MODEL_B, "field": "tier"},
            "target": "tier",
            "sync_mode": "create",
            "encryption_enabled": True,
        },
        {"source": {"model_id": MODEL_B, "field": "domain"}, "target": "domain"},
    ],
    "override_fields": [{"target": "lifecyclestage", "override_value": "customer"}],
    "filters": [
        {"field": {"model_id": MODEL_B, "field": "domain"}, "function": "IsNotNull"},
        {"field": {"model_id": MODEL, "field": "n"}, "function": "GreaterThan", "value": 3},
        {"field_id": "Status", "field_type": "Target", "function": "Equality", "value": "open"},
    ],
    "overrides": [
        {
            "field": {"model_id": MODEL_B, "field": "tier"},
            "function": "IsNull",
            "override": "free",
        },
        {"field_id": "f-1", "function": "Equality", "value": 1, "override": {"a": [1, 2]}},
    ],
    "schedule": {
        "frequency": "runafter",
        "run_after": {"sync_ids": [EXISTING_SYNC]},
        "run_after_success_only": True,
    },
    "target": {
        "connection_id": SALESFORCE,
        "object": "companies",
        "configuration": {"ingestion": "bulk", "batch": 200},
        "new_name": "Companies",
        "filter_logic": "A",
    },
}
CREATED_TARGET: dict[str, Any] = {
    **MINIMAL,
    "name": "New audience",
    "target": {"connection_id": SALESFORCE, "create": {"name": "VIPs", "type": "user_audience"}},
    "schedule": {"frequency": "daily", "hour": "05", "minute": "30", "day_of_week": None},
}


def _anything_for_empty(node: Any) -> Any:
    """OpenAPI leaves "any value" schemas empty (YAML null); JSON Schema spells that `{}`."""
    if isinstance(node, list):
        return [_anything_for_empty(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "nullable" in node:
        raise AssertionError("the description uses `nullable`: translate it to a type list")
    fixed = {key: _anything_for_empty(value) for key, value in node.items()}
    for slot in SCHEMA_SLOTS:
        if slot in fixed and fixed[slot] is None:
            fixed[slot] = {}
    if isinstance(fixed.get("properties"), dict):
        fixed["properties"] = {k: {} if v is None else v for k, v in fixed["properties"].items()}
    return fixed


@functools.cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = _anything_for_empty(yaml.safe_load(SPEC_PATH.read_text()))
    return loaded


@functools.cache
def registry() -> Registry[Any]:
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    built: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return built


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _template_for(path: str) -> str:
    """The description's path template for a concrete path; literal segments win."""
    templates: list[str] = sorted(spec()["paths"], key=lambda t: t.count("{"))
    for template in templates:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template
    raise AssertionError(f"{path} is not described by the OpenAPI document")


def response_schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    """A $ref to the declared schema, or None when the declared response has no body.

    A status the operation does not declare is checked against ApiError: under 2025-09-18
    every Polytomic error uses it.
    """
    template = _template_for(path)
    responses = spec()["paths"][template][method.lower()]["responses"]
    if str(status) not in responses:
        assert status >= 400, f"{method} {template} does not declare {status}"
        return {"$ref": f"{SPEC_URI}#/components/schemas/ApiError"}
    content = responses[str(status)].get("content")
    if content is None:
        return None
    where = ("paths", template, method.lower(), "responses", str(status), "content")
    return {"$ref": SPEC_URI + "#" + _pointer(*where, "application/json", "schema")}


class ResponseChecker:
    """An httpx response hook validating every `/api/syncs*` body against the description."""

    def __init__(self) -> None:
        self.checked: list[tuple[str, str, int]] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path.removeprefix(MOUNT)
        if not path.startswith("/api/syncs"):
            return
        method = response.request.method
        schema = response_schema(method, path, response.status_code)
        if schema is None:
            assert response.content == b"", f"{method} {path}: a body where none is declared"
        else:
            validator = jsonschema.Draft202012Validator(
                schema, registry=registry(), format_checker=jsonschema.FormatChecker()
            )
            errors = [
                f"{list(e.absolute_path)}: {e.message}"
                for e in validator.iter_errors(response.json())
            ]
            assert not errors, f"{method} {path} {response.status_code}: {errors}"
        self.checked.append((method, _template_for(path), response.status_code))


@pytest.fixture
def checker() -> ResponseChecker:
    return ResponseChecker()


@pytest.fixture
def checked(app: EmulatorApp, checker: ResponseChecker) -> Iterator[httpx.Client]:
    headers = {"Authorization": "Bearer poly-token", "X-Polytomic-Version": "2025-09-18"}
    with client_for(app, f"http://emulator{MOUNT}", headers) as client:
        client.event_hooks["response"] = [checker]
        yield client


def _created(client: httpx.Client, body: dict[str, Any]) -> str:
    response = client.post("/api/syncs", json=body)
    assert response.status_code == 200, response.text
    ident: str = response.json()["data"]["id"]
    return ident


def test_the_description_is_valid_and_its_refs_resolve() -> None:
    document = spec()
    assert document["openapi"].startswith("3.")
    for name, schema in document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert registry().resolver().lookup(f"{SPEC_URI}#/components/schemas/{name}")


def test_the_checker_rejects_the_old_nulls() -> None:
    schema = response_schema("GET", f"/api/syncs/{EXISTING_SYNC}", 200)
    assert schema is not None
    validator = jsonschema.Draft202012Validator(schema, registry=registry())
    assert validator.is_valid({"data": {"name": "x", "filters": []}})
    for key in ("filters", "overrides", "override_fields", "policies", "identity"):
        assert not validator.is_valid({"data": {key: None}})
    assert not validator.is_valid({"data": {"schedule": {"run_after": None}}})
    assert not validator.is_valid({"data": {"filters": [{"function": "True", "field": None}]}})


@pytest.mark.parametrize("body", [MINIMAL, FULL, CREATED_TARGET], ids=["minimal", "full", "new"])
def test_create_get_list_and_activate_match_the_description(
    checked: httpx.Client, checker: ResponseChecker, body: dict[str, Any]
) -> None:
    ident = _created(checked, body)
    assert checked.get(f"/api/syncs/{ident}").status_code == 200
    assert checked.post(f"/api/syncs/{ident}/activate", json={"active": False}).status_code == 200
    assert checked.get("/api/syncs", params={"limit": 1}).status_code == 200
    for params in (
        {"active": "false"},
        {"mode": body["mode"]},
        {"target_connection_id": SALESFORCE},
    ):
        assert checked.get("/api/syncs", params=params).json()["data"]
    assert len(checker.checked) == 7


@pytest.mark.parametrize(
    ("before", "after"),
    [(MINIMAL, FULL), (FULL, MINIMAL), (FULL, CREATED_TARGET)],
    ids=["minimal-to-full", "full-to-minimal", "full-to-new-target"],
)
def test_put_responses_match_the_description(
    checked: httpx.Client, checker: ResponseChecker, before: Any, after: Any
) -> None:
    ident = _created(checked, before)
    response = checked.put(f"/api/syncs/{ident}", json=after)
    assert response.status_code == 200
    assert checked.get(f"/api/syncs/{ident}").json() == response.json()
    assert [status for _, _, status in checker.checked] == [200, 200, 200]


def test_every_page_of_the_list_matches_the_description(
    checked: httpx.Client, checker: ResponseChecker
) -> None:
    for body in (MINIMAL, FULL, CREATED_TARGET, MINIMAL):
        _created(checked, body)
    pages, params = 0, {"limit": "2"}
    while True:
        page = checked.get("/api/syncs", params=params).json()
        pages += 1
        token = page["pagination"].get("next_page_token")
        if not token:
            break
        params = {"limit": "2", "page_token": token}
    assert pages == 3
    assert checker.checked[-1] == ("GET", "/api/syncs", 200)


def test_schedule_options_and_delete_match_the_description(
    checked: httpx.Client, checker: ResponseChecker
) -> None:
    assert checked.get("/api/syncs/schedules").status_code == 200
    ident = _created(checked, MINIMAL)
    deleted = checked.delete(f"/api/syncs/{ident}")
    assert deleted.status_code == 200
    assert ("DELETE", "/api/syncs/{id}", 200) in checker.checked


def _bad_requests(client: httpx.Client) -> Iterator[httpx.Response]:
    missing = copy.deepcopy(MINIMAL)
    del missing["name"]
    yield client.post("/api/syncs", json=missing)
    yield client.post("/api/syncs", json={**MINIMAL, "mode": "sideways"})
    yield client.post(
        "/api/syncs", content=b"{not json", headers={"content-type": "application/json"}
    )
    yield client.get("/api/syncs/6f0c5a0e-0000-4000-8000-000000000000")
    yield client.get("/api/syncs/not-a-uuid")
    yield client.put("/api/syncs/6f0c5a0e-0000-4000-8000-000000000000", json=MINIMAL)
    yield client.put(f"/api/syncs/{EXISTING_SYNC}", json={"name": "only a name"})
    yield client.get("/api/syncs", params={"page_token": "tampered"})
    yield client.get("/api/syncs", params={"active": "maybe"})
    yield client.post(f"/api/syncs/{EXISTING_SYNC}/activate", json={"active": "yes"})
    yield client.post("/api/syncs", json=MINIMAL, headers={"Idempotency-Key": "bad key"})
    yield client.get("/api/syncs", headers={"Authorization": "Bearer wrong"})


def test_error_bodies_match_the_description(
    checked: httpx.Client, checker: ResponseChecker
) -> None:
    dependant = _created(checked, FULL)
    statuses = [response.status_code for response in _bad_requests(checked)]
    conflict = checked.delete(f"/api/syncs/{EXISTING_SYNC}")
    assert conflict.status_code == 409
    assert checked.delete(f"/api/syncs/{dependant}").status_code == 200
    assert statuses == [422, 422, 400, 404, 400, 404, 422, 400, 400, 422, 400, 401]
    assert len(checker.checked) == len(statuses) + 3
