"""Shared by the reading tests: an emulator, its connections, manifests and a read helper."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx

from syncform.core.address import Address, SourceLocation
from syncform.core.records import StateRecord
from syncform.core.resources import Resource
from syncform.emulator import EmulatorApp, EmulatorTransport
from syncform.emulator.seed import build_data
from syncform.manifests.config import Config, Connection
from syncform.reading import ReadReport, read_live
from syncform.reading.resolve import Resolver
from syncform.secrets.digests import SecretHasher
from syncform.secrets.scrubber import Scrubber
from syncform.session import ConnectionPool, HttpSettings, Transports

MODEL = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
SALESFORCE = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
HUBSPOT = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a22"
TOKENS = {"tines": "acme-token", "truto": "truto-token", "polytomic": "poly-token"}
MOUNTS = {"tines": "tines/acme", "truto": "truto", "polytomic": "polytomic"}
CONNECTIONS = {"tines": "tines-acme", "truto": "truto", "polytomic": "polytomic"}

SEED: dict[str, Any] = {
    "tines": {
        "tenants": {
            "acme": {
                "url": "https://acme.tines.com",
                "tokens": ["acme-token"],
                "teams": [{"id": 7, "name": "Security Operations"}],
                "stories": [
                    {"id": i, "name": f"Story {i}", "team_id": 7, "change_control_enabled": True}
                    for i in (9981, 9982, 9983)
                ],
            },
            "dr": {
                "url": "https://dr.acme.tines.com",
                "tokens": ["dr-key-value"],
                "teams": [{"id": 42, "name": "DR"}],
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
                "team_id": "team-truto",
                "sharing": "allow",
                "config": {"label": "Zendesk"},
            }
        ],
    },
    "polytomic": {"tokens": ["poly-token"]},
}

TINES_SPEC: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": "${env:DR_KEY}",
    "story_ids": [9982, 9981],
    "manual_sync_only": False,
}
INTEGRATION_SPEC: dict[str, Any] = {
    "name": "acme_crm",
    "category": "crm",
    "sharing": "deny",
    "config": {"label": "Acme CRM", "base_url": "https://crm.acme.example/api"},
}
JOB_SPEC: dict[str, Any] = {
    "label": "CRM contacts",
    "integration_name": "${ref:TrutoIntegration/acme-crm.name}",
    "default_runtime_version": 4,
    "resources": [{"name": "start", "type": "event", "config": {"name": "start"}}],
}
CONTACTS_SPEC: dict[str, Any] = {
    "name": "Contacts to Salesforce",
    "mode": "updateOrCreate",
    "active": True,
    "schedule": {"frequency": "daily", "hour": "05", "minute": "30"},
    "identity": {
        "source": {"model_id": MODEL, "field": "email"},
        "target": "Email",
        "function": "Equality",
    },
    "target": {"connection_id": SALESFORCE, "object": "Contact"},
    "fields": [{"source": {"model_id": MODEL, "field": "first_name"}, "target": "FirstName"}],
    "override_fields": [{"target": "LeadSource", "override_value": "Warehouse"}],
}
ACCOUNTS_SPEC: dict[str, Any] = {
    "name": "Accounts to HubSpot",
    "mode": "create",
    "schedule": {
        "frequency": "runafter",
        "run_after": {"sync_ids": ["${ref:PolytomicModelSync/contacts-to-salesforce.id}"]},
    },
    "target": {"connection_id": HUBSPOT, "object": "companies"},
    "fields": [{"source": {"model_id": MODEL, "field": "name"}, "target": "name"}],
}
ENVIRON = {"DR_KEY": "dr-key-value"}


def make_app(seed: dict[str, Any] | None = None) -> EmulatorApp:
    return EmulatorApp(build_data(copy.deepcopy(seed if seed is not None else SEED)))


def resource(kind: str, name: str, spec: dict[str, Any], folder: Path) -> Resource:
    return Resource(
        address=Address(kind, name),
        connection=None,
        spec=copy.deepcopy(spec),
        location=SourceLocation(str(folder / "manifests.yaml"), 3, 1),
    )


def all_resources(folder: Path) -> list[Resource]:
    return [
        resource("TinesSyncDestination", "security-to-dr", TINES_SPEC, folder),
        resource("TrutoSyncJob", "crm-contacts", JOB_SPEC, folder),
        resource("TrutoIntegration", "acme-crm", INTEGRATION_SPEC, folder),
        resource("PolytomicModelSync", "accounts-to-hubspot", ACCOUNTS_SPEC, folder),
        resource("PolytomicModelSync", "contacts-to-salesforce", CONTACTS_SPEC, folder),
    ]


def emulator_config(root: Path, *, team_id: str | None = "team-acme") -> Config:
    connections = {
        CONNECTIONS[vendor]: Connection(
            name=CONNECTIONS[vendor],
            provider=vendor,
            url=f"emulator://test/{MOUNTS[vendor]}",
            team_id=team_id if vendor == "truto" else None,
        )
        for vendor in MOUNTS
    }
    return Config(path=root / "syncform.yaml", root=root, connections=connections)


def vendor_post(app: EmulatorApp, vendor: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """Create through the vendor API with plain httpx; the object's id."""
    headers = {"Authorization": f"Bearer {TOKENS[vendor]}", "X-Polytomic-Version": "2025-09-18"}
    with httpx.Client(
        transport=EmulatorTransport(app), base_url=f"http://e/{MOUNTS[vendor]}", headers=headers
    ) as http:
        response = http.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    payload: dict[str, Any] = response.json()
    inner: dict[str, Any] = payload.get("sync_destination") or payload.get("data") or payload
    return inner


def create_everything(app: EmulatorApp) -> dict[str, str]:
    """Every resource of `all_resources`, created exactly as its manifest says; ids by name."""
    ids = {}
    tines = {**TINES_SPEC, "destination_tenant_api_key": "dr-key-value"}
    ids["security-to-dr"] = vendor_post(app, "tines", "/api/v1/admin/sync_destinations", tines)
    ids["acme-crm"] = vendor_post(app, "truto", "/integration", INTEGRATION_SPEC)
    job = {**JOB_SPEC, "integration_name": "acme_crm"}
    ids["crm-contacts"] = vendor_post(app, "truto", "/sync-job", job)
    contacts = vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)
    ids["contacts-to-salesforce"] = contacts
    accounts = copy.deepcopy(ACCOUNTS_SPEC)
    accounts["schedule"]["run_after"]["sync_ids"] = [contacts["id"]]
    ids["accounts-to-hubspot"] = vendor_post(app, "polytomic", "/api/syncs", accounts)
    with app.lock:
        app.clear_request_log_locked()
    return {name: str(obj["id"]) for name, obj in ids.items()}


def read(
    app: EmulatorApp,
    resources: list[Resource],
    config: Config,
    *,
    state: dict[Address, StateRecord] | None = None,
    parallelism: int = 4,
) -> ReadReport:
    scrubber = Scrubber()
    resolver = Resolver(config, environ=ENVIRON, hasher=SecretHasher(b"k" * 32), scrubber=scrubber)
    transports = Transports(config, emulator_apps={"test": app})
    with ConnectionPool(
        config,
        transports,
        environ=ENVIRON,
        read_only=True,
        scrubber=scrubber,
        http=HttpSettings(),
    ) as pool:
        return read_live(
            resources, resolver=resolver, clients=pool, state=state or {}, parallelism=parallelism
        )


def state_record(kind: str, name: str, remote_id: str, connection: str) -> StateRecord:
    return StateRecord(Address(kind, name), connection, remote_id, applied_spec={})


def declared_part(live: Any, desired: Any) -> Any:
    """`live` cut down to the keys `desired` declares, recursively through objects."""
    if isinstance(desired, dict) and isinstance(live, dict):
        return {key: declared_part(live.get(key), value) for key, value in desired.items()}
    return live
