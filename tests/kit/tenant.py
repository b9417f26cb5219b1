"""A tenant already full of objects nobody exported yet: 50 of acme's across the four kinds, made
through the vendor APIs, besides the kit seed (which has two integrations of Truto's own team).
`SECRETS` are the write-only values behind them, by the variable `syncform export` names."""

from __future__ import annotations

from typing import Any

from syncform.emulator import EmulatorApp
from tests.kit.emulator import clear_request_log, make_app, vendor_post
from tests.kit.seed import CUSTOMER_KEY, DR_KEY, HUBSPOT, MODEL, SALESFORCE

DESTINATIONS = "/api/v1/admin/sync_destinations"
DR = "https://dr.acme.tines.com"
CUSTOMER = "https://customer.example.tines.com"
INTEGRATIONS = 10
JOBS = 14
SYNCS = 20
# The secrets a person sets after exporting, by the variable each manifest names.
SECRETS = {
    "TINES_DR_ACME_API_KEY": DR_KEY,
    "TINES_CUSTOMER_EXAMPLE_API_KEY": CUSTOMER_KEY,
    **{f"TRUTO_CRM_{n}_OAUTH2_CLIENT_SECRET": f"crm-secret-{n}" for n in range(0, INTEGRATIONS, 2)},
    **{f"TRUTO_CRM_{n}_API_KEY": f"crm-key-{n}" for n in range(1, INTEGRATIONS, 2)},
    "POLYTOMIC_SYNC_0_ENCRYPTION_PASSPHRASE": "correct horse battery staple",
}


def _seed_tines(app: EmulatorApp) -> None:
    """Six destinations: teams 7 and 8 to DR (team 42) and to the customer's teams 15 and 16."""
    targets = ((DR, DR_KEY, 42), (CUSTOMER, CUSTOMER_KEY, 15), (CUSTOMER, CUSTOMER_KEY, 16))
    for team, stories in ((7, [9981, 9982]), (8, [9990])):
        for url, key, destination_team in targets:
            body = {
                "team_id": team,
                "destination_tenant_url": url,
                "destination_team_id": destination_team,
                "destination_tenant_api_key": key,
                "story_ids": stories,
            }
            vendor_post(app, "tines", DESTINATIONS, body)


def _integration(number: int) -> dict[str, Any]:
    """Even numbers use OAuth2 (a client id and secret), odd ones an API key."""
    credentials: dict[str, Any] = (
        {"oauth2": {"client_id": f"client-{number}", "client_secret": f"crm-secret-{number}"}}
        if number % 2 == 0
        else {"api_key": {"api_key": f"crm-key-{number}"}}
    )
    return {
        "name": f"crm_{number}",
        "category": "crm",
        "sharing": "deny",
        "config": {
            "label": f"CRM {number}",
            "base_url": f"https://crm{number}.example/api",
            "headers": {"Accept": "application/json"},
            "credentials": credentials,
        },
    }


def _job(number: int) -> dict[str, Any]:
    return {
        "label": f"Contacts {number}",
        "integration_name": f"crm_{number % INTEGRATIONS}",
        "default_runtime_version": 4,
        "resources": [{"name": "start", "type": "event", "config": {"name": "start"}}],
    }


def _sync(number: int, first_id: str | None) -> dict[str, Any]:
    """Sync 0 has an encrypted field; every fourth one runs after sync 0."""
    schedule: dict[str, Any] = {"frequency": "daily", "hour": "05", "minute": f"{number:02d}"}
    if number % 4 == 3 and first_id is not None:
        schedule = {"frequency": "runafter", "run_after": {"sync_ids": [first_id]}}
    field: dict[str, Any] = {"source": {"model_id": MODEL, "field": "name"}, "target": "Name"}
    body: dict[str, Any] = {
        "name": f"Sync {number}",
        "mode": "updateOrCreate" if number % 2 else "create",
        "schedule": schedule,
        "identity": {
            "source": {"model_id": MODEL, "field": "email"},
            "target": "Email",
            "function": "Equality",
        },
        "target": {"connection_id": SALESFORCE if number % 2 else HUBSPOT, "object": "Contact"},
        "fields": [field],
    }
    if number == 0:
        body["fields"] = [{**field, "encryption_enabled": True}]
        body["encryption_passphrase"] = SECRETS["POLYTOMIC_SYNC_0_ENCRYPTION_PASSPHRASE"]
    return body


def seeded_app() -> EmulatorApp:
    """The kit seed (with two integrations of Truto's own team) plus 50 objects of acme's."""
    app = make_app()
    _seed_tines(app)
    for number in range(INTEGRATIONS):
        vendor_post(app, "truto", "/integration", _integration(number))
    for number in range(JOBS):
        vendor_post(app, "truto", "/sync-job", _job(number))
    first = vendor_post(app, "polytomic", "/api/syncs", _sync(0, None))
    for number in range(1, SYNCS):
        vendor_post(app, "polytomic", "/api/syncs", _sync(number, str(first["id"])))
    clear_request_log(app)
    return app
