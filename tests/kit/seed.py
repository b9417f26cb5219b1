"""The one emulator seed every test folder starts from.

Three Tines tenants (acme, where syncform works; dr and customer, the destinations), a Truto
environment with one integration shared by Truto's own team and one private to it, and an empty
Polytomic workspace. Nothing in it was made by syncform: the objects a test reads, it creates (see
`tests.kit.emulator.create_everything`) or takes from `SEED_WITH_EXISTING_OBJECTS`.
"""

from __future__ import annotations

import copy
from typing import Any

MODEL = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
MODEL_B = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a12"
SALESFORCE = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
HUBSPOT = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a22"
EXISTING_SYNC = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a31"

# The API token of each vendor, and the keys of the two destination tenants.
TOKENS = {"tines": "acme-token", "truto": "truto-token", "polytomic": "poly-token"}
DR_KEY = "dr-key"
CUSTOMER_KEY = "cust-key"
# Every secret value in the seed: none may ever show in syncform's output.
SEED_SECRETS = (*TOKENS.values(), DR_KEY, CUSTOMER_KEY)


def _story(ident: int, name: str, team_id: int, *, change_control: bool = True) -> dict[str, Any]:
    story: dict[str, Any] = {"id": ident, "name": name, "team_id": team_id}
    if change_control:
        story["change_control_enabled"] = True
    return story


SEED: dict[str, Any] = {
    "tines": {
        "tenants": {
            "acme": {
                "url": "https://acme.tines.com/",
                "tokens": [TOKENS["tines"]],
                "teams": [
                    {"id": 7, "name": "Security Operations"},
                    {"id": 8, "name": "IT"},
                    {"id": 9, "name": "Local target"},
                ],
                "stories": [
                    _story(9981, "High-Priority Alerts", 7),
                    _story(9982, "Change Control Requests", 7),
                    _story(9983, "Incident Response", 7),
                    _story(9984, "Phishing Triage", 7),
                    _story(9985, "No Change Control", 7, change_control=False),
                    _story(9990, "IT Onboarding", 8),
                ],
            },
            "dr": {
                "url": "https://DR.acme.tines.com",
                "tokens": [DR_KEY],
                "teams": [{"id": 42, "name": "DR Security"}],
            },
            "customer": {
                "url": "https://customer.example.tines.com",
                "tokens": [CUSTOMER_KEY],
                "teams": [{"id": 15, "name": "Acme Managed SOC"}, {"id": 16, "name": "Sandbox"}],
            },
        }
    },
    "truto": {
        "tokens": {
            TOKENS["truto"]: {"environment_id": "env-acme-prod", "team_id": "team-acme"},
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
    "polytomic": {"tokens": [TOKENS["polytomic"]]},
}

# The emulator's own tests also need objects that exist before the test starts (a Tines sync
# destination with a known id, a Polytomic sync with a known id): the seed plus those two.
EXISTING_DESTINATION: dict[str, Any] = {
    "id": 23,
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": DR_KEY,
    "story_ids": [9981, 9982],
}
EXISTING_POLYTOMIC_SYNC: dict[str, Any] = {
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
    "target": {"connection_id": SALESFORCE, "object": "Contact"},
    "fields": [{"source": {"model_id": MODEL, "field": "first_name"}, "target": "FirstName"}],
}


def seed_with(**sections: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the seed with each vendor's section updated by `sections[vendor]`."""
    seed = copy.deepcopy(SEED)
    for vendor, extra in sections.items():
        seed[vendor].update(copy.deepcopy(extra))
    return seed


def _with_existing_objects() -> dict[str, Any]:
    seed = copy.deepcopy(SEED)
    seed["tines"]["tenants"]["acme"]["sync_destinations"] = [EXISTING_DESTINATION]
    seed["polytomic"]["syncs"] = [EXISTING_POLYTOMIC_SYNC]
    return seed


SEED_WITH_EXISTING_OBJECTS: dict[str, Any] = _with_existing_objects()
