"""The emulator as tests use it: apps built from the kit seed, plain vendor requests, syncform's
clients and readers pointed at it, and the request log."""

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
from syncform.http import ApiClient, RetryPolicy
from syncform.manifests.config import Config, Connection
from syncform.providers.registry import vendor_named
from syncform.reading import ReadReport, read_live
from syncform.reading.resolve import Resolver
from syncform.secrets.digests import SecretHasher
from syncform.secrets.scrubber import Scrubber
from syncform.session import ConnectionPool, HttpSettings, Transports
from tests.kit.seed import CUSTOMER_KEY, SEED, TOKENS
from tests.kit.specs import (
    ACCOUNTS_SPEC,
    CONNECTION_OF,
    CONTACTS_SPEC,
    ENVIRON,
    INTEGRATION_SPEC,
    JOB_SPEC,
    TINES_SPEC,
    vendor_body,
)

MOUNTS = {"tines": "tines/acme", "truto": "truto", "polytomic": "polytomic"}
CONNECTIONS = {"tines": "tines-acme", "truto": "truto", "polytomic": "polytomic"}
POLYTOMIC_VERSION = "2025-09-18"


def make_app(seed: dict[str, Any] | None = None, **options: Any) -> EmulatorApp:
    """An in-process emulator holding a deep copy of `seed` (the kit seed by default)."""
    return EmulatorApp(build_data(copy.deepcopy(seed if seed is not None else SEED)), **options)


# ---- plain vendor requests, as a vendor SDK would send them ----


def client_for(app: EmulatorApp, base: str, headers: dict[str, str]) -> httpx.Client:
    return httpx.Client(transport=EmulatorTransport(app), base_url=base, headers=headers)


def vendor_http(app: EmulatorApp, vendor: str) -> httpx.Client:
    """A plain httpx client for one vendor of the emulator, with the seed's token."""
    headers = {"Authorization": f"Bearer {TOKENS[vendor]}"}
    if vendor == "polytomic":
        headers["X-Polytomic-Version"] = POLYTOMIC_VERSION
    return client_for(app, f"http://emulator/{MOUNTS[vendor]}", headers)


def vendor_post(app: EmulatorApp, vendor: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST through the vendor API; the created object, out of its envelope."""
    with vendor_http(app, vendor) as http:
        response = http.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    payload: dict[str, Any] = response.json()
    for envelope in ("sync_destination", "data"):
        if envelope in payload:
            inner: dict[str, Any] = payload[envelope]
            return inner
    return payload


def create_everything(app: EmulatorApp) -> dict[str, str]:
    """Every resource of `all_resources`, created exactly as its manifest says; ids by name.
    The request log is cleared afterwards."""
    ids = {}
    ids["security-to-dr"] = vendor_post(
        app, "tines", "/api/v1/admin/sync_destinations", vendor_body(TINES_SPEC)
    )
    ids["acme-crm"] = vendor_post(app, "truto", "/integration", INTEGRATION_SPEC)
    job = vendor_body(JOB_SPEC, {"TrutoIntegration/acme-crm.name": INTEGRATION_SPEC["name"]})
    ids["crm-contacts"] = vendor_post(app, "truto", "/sync-job", job)
    contacts = vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)
    ids["contacts-to-salesforce"] = contacts
    accounts = vendor_body(
        ACCOUNTS_SPEC, {"PolytomicModelSync/contacts-to-salesforce.id": contacts["id"]}
    )
    ids["accounts-to-hubspot"] = vendor_post(app, "polytomic", "/api/syncs", accounts)
    clear_request_log(app)
    return {name: str(obj["id"]) for name, obj in ids.items()}


# ---- the request log ----


def clear_request_log(app: EmulatorApp) -> None:
    with app.lock:
        app.clear_request_log_locked()


def logged_requests(app: EmulatorApp) -> list[tuple[str, str]]:
    """(method, path) of every request the emulator has served, in order."""
    return [(entry.method, entry.path) for entry in app.request_log()]


def mutating_requests(app: EmulatorApp) -> list[tuple[str, str]]:
    """(method, path) of every request that was not a GET."""
    return [(method, path) for method, path in logged_requests(app) if method != "GET"]


def count_gets(app: EmulatorApp, path: str) -> int:
    return sum(1 for method, logged in logged_requests(app) if (method, logged) == ("GET", path))


# ---- syncform pointed at the emulator ----


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


def emulator_config(root: Path, *, team_id: str | None = "team-acme") -> Config:
    """A Config with one connection per vendor, served in-process by the emulator "test"."""
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


def state_record(kind: str, name: str, remote_id: str) -> StateRecord:
    return StateRecord(Address(kind, name), CONNECTION_OF[kind], remote_id, applied_spec={})


def declared_part(live: Any, desired: Any) -> Any:
    """`live` cut down to the keys `desired` declares, recursively through objects (lists are
    whole values): what the diff compares."""
    if isinstance(desired, dict) and isinstance(live, dict):
        return {key: declared_part(live.get(key), value) for key, value in desired.items()}
    return live


# ---- Tines sync destinations, straight through the vendor API ----

SD = "/admin/sync_destinations"  # under a Tines tenant's /api/v1


def tenant_client(app: EmulatorApp, tenant: str, token: str) -> httpx.Client:
    """A plain httpx client for one Tines tenant's /api/v1."""
    base = f"http://emulator/tines/{tenant}/api/v1"
    return client_for(app, base, {"Authorization": f"Bearer {token}"})


def create_body(**overrides: Any) -> dict[str, Any]:
    """A valid create body: acme's team 7 syncing two stories to the customer tenant."""
    body: dict[str, Any] = {
        "destination_tenant_url": "https://customer.example.tines.com",
        "destination_tenant_api_key": CUSTOMER_KEY,
        "destination_team_id": 15,
        "team_id": 7,
        "story_ids": [9981, 9983],
    }
    body.update(overrides)
    return body


def stories_of(client: httpx.Client, team_id: int) -> list[dict[str, Any]]:
    response = client.get("/stories", params={"team_id": team_id, "per_page": 500})
    assert response.status_code == 200
    return list(response.json()["stories"])
