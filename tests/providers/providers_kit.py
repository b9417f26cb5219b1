"""Shared by the provider tests: an emulator seed, manifest specs and client builders."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from syncform.emulator import EmulatorApp, EmulatorTransport
from syncform.emulator.seed import build_data
from syncform.http import ApiClient, RetryPolicy
from syncform.providers.registry import vendor_named

MODEL = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
MODEL_B = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a12"
SALESFORCE = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
HUBSPOT = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a22"
TOKENS = {"tines": "acme-token", "truto": "truto-token", "polytomic": "poly-token"}
MOUNTS = {"tines": "tines/acme", "truto": "truto", "polytomic": "polytomic"}

SEED: dict[str, Any] = {
    "tines": {
        "tenants": {
            "acme": {
                "url": "https://acme.tines.com",
                "tokens": ["acme-token"],
                "teams": [{"id": 7, "name": "Security Operations"}],
                "stories": [
                    {"id": i, "name": f"Story {i}", "team_id": 7, "change_control_enabled": True}
                    for i in (9981, 9982, 9983, 9984)
                ],
            },
            "dr": {
                "url": "https://dr.acme.tines.com",
                "tokens": ["dr-key"],
                "teams": [{"id": 42, "name": "DR Security"}],
            },
            "customer": {
                "url": "https://customer.example.tines.com",
                "tokens": ["cust-key"],
                "teams": [{"id": 15, "name": "Managed SOC"}, {"id": 16, "name": "Sandbox"}],
            },
        }
    },
    "truto": {
        "tokens": {"truto-token": {"environment_id": "env-acme-prod", "team_id": "team-acme"}},
        "teams": [{"id": "team-acme", "name": "Acme"}, {"id": "team-truto", "name": "Truto"}],
        "integrations": [
            {
                "id": "0b6f3a52-7c1e-4d2a-9f4b-1e2d3c4b5a61",
                "name": "zendesk",
                "category": "helpdesk",
                "team_id": "team-truto",
                "sharing": "allow",
                "config": {"label": "Zendesk", "base_url": "https://z.example/api"},
            }
        ],
    },
    "polytomic": {"tokens": ["poly-token"]},
}

TINES_SPEC: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "HTTPS://Customer.Example.Tines.com/",
    "destination_team_id": 15,
    "destination_tenant_api_key": "cust-key",
    "story_ids": [9983, 9981],
    "manual_sync_only": True,
}

TRUTO_INTEGRATION_SPEC: dict[str, Any] = {
    "name": "acme_crm",
    "category": "crm",
    "is_beta": False,
    "sharing": "deny",
    "config": {
        "label": "Acme CRM",
        "base_url": "https://crm.acme.example/api",
        "headers": {"Accept": "application/json"},
        "authorization": {"format": "bearer", "config": {"value": "{{oauth.token.access_token}}"}},
        "credentials": {"oauth2": {"client_id": "crm-client", "client_secret": "crm-secret"}},
        "pagination": {"format": "cursor", "config": {"cursor_field": "next_cursor"}},
        "resources": {
            "contacts": {"list": {"method": "get", "path": "/contacts", "response_path": "data"}}
        },
    },
}

TRUTO_JOB_SPEC: dict[str, Any] = {
    "label": "CRM contacts to warehouse",
    "integration_name": "acme_crm",
    "default_runtime_version": 4,
    "args_schema": {
        "integrated_account_id": {"type": "string", "required": True},
        "webhook_id": {"type": "string", "required": True},
    },
    "resources": [
        {"name": "start", "type": "event", "config": {"name": "start"}},
        {
            "name": "to-webhook",
            "type": "destination",
            "destination_type": "webhook",
            "config": {"id": "{{args.webhook_id}}"},
            "resources_to_persist": ["contacts", "accounts"],
            "depends_on": "accounts",
        },
        {
            "name": "contacts",
            "type": "request",
            "resource": "crm/contacts",
            "method": "list",
            "integrated_account_id": "{{args.integrated_account_id}}",
            "depends_on": "start",
        },
        {
            "name": "accounts",
            "type": "request",
            "resource": "crm/accounts",
            "method": "list",
            "integrated_account_id": "{{args.integrated_account_id}}",
            "depends_on": "contacts",
        },
    ],
}

POLYTOMIC_SPEC: dict[str, Any] = {
    "name": "Contacts to Salesforce",
    "mode": "updateOrCreate",
    "active": True,
    "schedule": {"frequency": "daily", "hour": "05", "minute": "30"},
    "identity": {
        "source": {"model_id": MODEL, "field": "email"},
        "target": "Email",
        "function": "Equality",
    },
    "target": {"connection_id": SALESFORCE, "object": "Contact", "configuration": {"batch": 200}},
    "fields": [
        {"source": {"model_id": MODEL, "field": "first_name"}, "target": "FirstName"},
        {"source": {"model_id": MODEL, "field": "last_name"}, "target": "LastName"},
        {
            "source": {"model_id": MODEL, "field": "job_title"},
            "target": "Title",
            "sync_mode": "create",
        },
        {"source": {"model_id": MODEL, "field": "email"}, "target": "Email"},
    ],
    "filters": [
        {"field": {"model_id": MODEL, "field": "email"}, "function": "IsNotNull"},
        {"field": {"model_id": MODEL, "field": "score"}, "function": "GreaterThan", "value": 5},
    ],
    "overrides": [
        {
            "field": {"model_id": MODEL, "field": "country"},
            "function": "Equality",
            "value": "UK",
            "override": {"code": "GB"},
        },
        {"field_id": "rating", "function": "IsNull", "override": "unknown"},
    ],
    "override_fields": [
        {"target": "LeadSource", "override_value": "Warehouse"},
        {
            "target": "Owner",
            "override_value": "sync-bot",
            "source": {"model_id": MODEL, "field": "ignored"},
        },
    ],
    "encryption_passphrase": "correct horse battery staple",
    "sync_all_records": False,
}


def runafter_spec(after: list[str]) -> dict[str, Any]:
    return {
        "name": "Accounts to HubSpot",
        "mode": "create",
        "active": True,
        "schedule": {"frequency": "runafter", "run_after": {"sync_ids": after}},
        "target": {"connection_id": HUBSPOT, "object": "companies"},
        "fields": [
            {"source": {"model_id": MODEL_B, "field": "name"}, "target": "name"},
            {"source": {"model_id": MODEL_B, "field": "domain"}, "target": "domain"},
        ],
    }


def make_app(seed: dict[str, Any] | None = None) -> EmulatorApp:
    return EmulatorApp(build_data(copy.deepcopy(seed if seed is not None else SEED)))


def vendor_http(app: EmulatorApp, vendor: str) -> httpx.Client:
    """A plain httpx client, as a vendor SDK would use, talking to the emulator in-process."""
    headers = {"Authorization": f"Bearer {TOKENS[vendor]}"}
    if vendor == "polytomic":
        headers["X-Polytomic-Version"] = "2025-09-18"
    base = f"http://emulator/{MOUNTS[vendor]}"
    return httpx.Client(transport=EmulatorTransport(app), base_url=base, headers=headers)


def api_client(
    app: EmulatorApp,
    vendor: str,
    *,
    read_only: bool = True,
    retry: RetryPolicy | None = None,
    sleeps: list[float] | None = None,
) -> ApiClient:
    """syncform's client for one vendor of the emulator; sleeps are recorded, never slept."""
    recorded = sleeps if sleeps is not None else []
    return ApiClient(
        f"http://localhost/{MOUNTS[vendor]}",
        vendor=vendor_named(vendor),
        token=TOKENS[vendor],
        transport=EmulatorTransport(app),
        read_only=read_only,
        retry=retry,
        sleep=recorded.append,
    )


def create(app: EmulatorApp, vendor: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST through the vendor API; the created object (unwrapped)."""
    with vendor_http(app, vendor) as http:
        response = http.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    payload: dict[str, Any] = response.json()
    for envelope in ("sync_destination", "data"):
        if envelope in payload:
            inner: dict[str, Any] = payload[envelope]
            return inner
    return payload


def declared_part(live: Any, desired: Any) -> Any:
    """`live` cut down to the keys `desired` declares, recursively through objects (lists are
    whole values): what the diff compares."""
    if isinstance(desired, dict) and isinstance(live, dict):
        return {key: declared_part(live.get(key), value) for key, value in desired.items()}
    return live
