"""Shared by the emulator tests: a test seed and plain httpx clients per vendor."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from syncform.emulator import EmulatorApp, EmulatorTransport
from syncform.emulator.seed import build_data

MODEL = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
MODEL_B = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a12"
CONNECTION = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
EXISTING_SYNC = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a31"

TEST_SEED: dict[str, Any] = {
    "tines": {
        "tenants": {
            "acme": {
                "url": "https://acme.tines.com/",
                "tokens": ["acme-token"],
                "teams": [
                    {"id": 7, "name": "Security Operations"},
                    {"id": 8, "name": "IT"},
                    {"id": 9, "name": "Local target"},
                ],
                "stories": [
                    {
                        "id": 9981,
                        "name": "High-Priority Alerts",
                        "team_id": 7,
                        "change_control_enabled": True,
                    },
                    {
                        "id": 9982,
                        "name": "Change Control Requests",
                        "team_id": 7,
                        "change_control_enabled": True,
                    },
                    {
                        "id": 9983,
                        "name": "Incident Response",
                        "team_id": 7,
                        "change_control_enabled": True,
                    },
                    {
                        "id": 9984,
                        "name": "Phishing Triage",
                        "team_id": 7,
                        "change_control_enabled": True,
                    },
                    {"id": 9985, "name": "No Change Control", "team_id": 7},
                    {
                        "id": 9990,
                        "name": "IT Onboarding",
                        "team_id": 8,
                        "change_control_enabled": True,
                    },
                ],
                "sync_destinations": [
                    {
                        "id": 23,
                        "team_id": 7,
                        "destination_tenant_url": "https://dr.acme.tines.com",
                        "destination_team_id": 42,
                        "destination_tenant_api_key": "dr-key",
                        "story_ids": [9981, 9982],
                    }
                ],
            },
            "dr": {
                "url": "https://DR.acme.tines.com",
                "tokens": ["dr-key"],
                "teams": [{"id": 42, "name": "DR Security"}],
            },
            "customer": {
                "url": "https://customer.example.tines.com",
                "tokens": ["cust-key"],
                "teams": [{"id": 15, "name": "Acme Managed SOC"}, {"id": 16, "name": "Sandbox"}],
            },
        }
    },
    "truto": {
        "tokens": {
            "truto-token": {"environment_id": "env-acme-prod", "team_id": "team-acme"},
            "other-token": {"environment_id": "env-other", "team_id": "team-other"},
        },
        "teams": [{"id": "team-acme", "name": "Acme"}, {"id": "team-truto", "name": "Truto"}],
        "integrations": [
            {
                "id": "0b6f3a52-7c1e-4d2a-9f4b-1e2d3c4b5a61",
                "name": "zendesk",
                "category": "helpdesk",
                "team_id": "team-truto",
                "sharing": "allow",
                "config": {"label": "Zendesk", "base_url": "https://z.example/api"},
            },
            {
                "id": "0b6f3a52-7c1e-4d2a-9f4b-1e2d3c4b5a62",
                "name": "private_thing",
                "team_id": "team-truto",
                "sharing": "deny",
                "config": {"label": "Hidden"},
            },
        ],
    },
    "polytomic": {
        "tokens": ["poly-token"],
        "syncs": [
            {
                "id": EXISTING_SYNC,
                "name": "Contacts to Salesforce",
                "mode": "updateOrCreate",
                "active": False,
                "schedule": {"frequency": "daily", "hour": "05", "minute": "30"},
                "identity": {
                    "source": {"model_id": MODEL, "field": "email"},
                    "target": "Email",
                    "function": "Equality",
                },
                "target": {"connection_id": CONNECTION, "object": "Contact"},
                "fields": [
                    {"source": {"model_id": MODEL, "field": "first_name"}, "target": "FirstName"}
                ],
            }
        ],
    },
}


def make_app(seed: dict[str, Any] | None = None, **options: Any) -> EmulatorApp:
    return EmulatorApp(build_data(copy.deepcopy(seed or TEST_SEED)), **options)


def client_for(app: EmulatorApp, base: str, headers: dict[str, str]) -> httpx.Client:
    return httpx.Client(transport=EmulatorTransport(app), base_url=base, headers=headers)


SD = "/admin/sync_destinations"


def create_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "destination_tenant_url": "https://customer.example.tines.com",
        "destination_tenant_api_key": "cust-key",
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


def tenant_client(app: EmulatorApp, tenant: str, token: str) -> httpx.Client:
    base = f"http://emulator/tines/{tenant}/api/v1"
    return client_for(app, base, {"Authorization": f"Bearer {token}"})


class FakeClock:
    """An injectable clock that only moves when told to."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
