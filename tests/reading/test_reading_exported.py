"""Live objects as exported manifests (pure): names, placeholders, redacted values, escaping."""

from __future__ import annotations

from typing import Any

from syncform.manifests.config import Connection
from syncform.providers.registry import driver_for
from syncform.reading.exported import MAX_NAME, export_objects, slug
from syncform.reading.listing import Listed

TRUTO = Connection("truto", "truto", "https://api.truto.one", team_id="team-acme")
TINES = Connection("tines-acme", "tines", "https://acme.tines.com")


def listed(kind: str, remote_id: str, raw: dict[str, Any], connection: Connection) -> Listed:
    return Listed(connection, driver_for(kind), remote_id, raw)


def integration(remote_id: str, name: str, **config: Any) -> Listed:
    raw = {"id": remote_id, "name": name, "team_id": "team-acme", "config": config}
    return listed("TrutoIntegration", remote_id, raw, TRUTO)


def destination(remote_id: str, url: str, team: int = 7, target: int = 42) -> Listed:
    raw = {
        "id": int(remote_id),
        "origin_team_id": team,
        "destination_tenant_url": url,
        "destination_team_id": target,
        "manual_sync_only": False,
        "subscriptions": [{"story": {"id": 9981}, "status": "synced"}],
    }
    return listed("TinesSyncDestination", remote_id, raw, TINES)


def test_slugs_come_from_the_natural_key_without_url_schemes() -> None:
    assert slug((7, "https://DR.acme.tines.com", 42)) == "7-dr-acme-tines-com-42"
    assert slug(("Contacts to Salesforce",)) == "contacts-to-salesforce"
    assert slug(("CRM contacts", "acme_crm")) == "crm-contacts-acme-crm"


def test_names_are_unique_per_kind_and_never_too_long() -> None:
    long = "x" * 100
    found = export_objects(
        [
            integration("1", "crm"),
            integration("2", "CRM"),
            integration("3", long),
            integration("4", long.upper()),
        ]
    ).objects
    names = [item.address.name for item in found]
    assert names[:2] == ["crm", "crm-2"]
    assert names[3] == f"{names[2]}-2" and all(len(name) <= MAX_NAME for name in names)


def test_redacted_secrets_become_placeholders_and_other_redacted_values_are_left_out() -> None:
    credentials = {"oauth2": {"client_id": "********", "client_secret": "********"}}
    (item,) = export_objects([integration("1", "crm", credentials=credentials)]).objects
    variable = "TRUTO_CRM_OAUTH2_CLIENT_SECRET"
    assert item.spec["config"] == {
        "credentials": {"oauth2": {"client_secret": f"${{env:{variable}}}"}}
    }
    assert item.applied_spec["config"] == {"credentials": {"oauth2": {}}}
    assert [(pointer, v.name) for pointer, v in item.secrets] == [
        ("/config/credentials/oauth2/client_secret", variable)
    ]
    assert item.left_out == (
        "/config/credentials/oauth2/client_id is left out: the API redacts it and the schema "
        "does not mark it secret; write it here (as ${env:...} if it is sensitive) to manage it",
    )


def test_a_list_holding_a_redacted_value_is_left_out_whole() -> None:
    fields = [{"name": "api_key", "label": "API key", "default": "********"}]
    credentials = {"api_key": {"format": "api_key", "fields": fields}}
    (item,) = export_objects(
        [integration("1", "crm", label="CRM", credentials=credentials)]
    ).objects
    assert item.spec["config"] == {
        "label": "CRM",
        "credentials": {"api_key": {"format": "api_key"}},
    }
    assert item.left_out[0].startswith("/config/credentials/api_key/fields is left out")


def test_literal_dollar_braces_are_escaped_in_the_manifest_only() -> None:
    (item,) = export_objects([integration("1", "crm", label="${not a ref}")]).objects
    assert item.spec["config"]["label"] == "$${not a ref}"
    assert item.applied_spec["config"]["label"] == "${not a ref}"


def test_nulls_are_left_out() -> None:
    raw = {"id": "j1", "label": "Contacts", "integration_name": "crm", "args_schema": None}
    (item,) = export_objects([listed("TrutoSyncJob", "j1", raw, TRUTO)]).objects
    assert item.spec == {"label": "Contacts", "integration_name": "crm"}


def test_other_teams_integrations_are_not_exported() -> None:
    theirs = integration("2", "zendesk")
    theirs.raw["team_id"] = "team-truto"
    found = export_objects([integration("1", "crm"), theirs])
    assert [item.remote_id for item in found.objects] == ["1"]
    assert found.not_adoptable == (theirs,)


def test_tines_destinations_share_one_variable_per_remote_tenant_and_none_on_the_same_tenant() -> (
    None
):
    found = export_objects(
        [
            destination("1", "https://dr.acme.tines.com"),
            destination("2", "https://DR.acme.tines.com/", target=43),
            destination("3", "https://acme.tines.com", target=9),
        ]
    ).objects
    keys = [item.spec.get("destination_tenant_api_key") for item in found]
    assert keys == ["${env:TINES_DR_ACME_API_KEY}", "${env:TINES_DR_ACME_API_KEY}", None]
    assert all("destination_tenant_api_key" not in item.applied_spec for item in found)


def test_one_variable_name_never_names_two_secrets() -> None:
    found = export_objects(
        [
            destination("1", "https://dr.acme.tines.com"),
            destination("2", "https://dr-acme.tines.com"),
        ]
    ).objects
    names = [variable.name for item in found for _, variable in item.secrets]
    assert names == ["TINES_DR_ACME_API_KEY", "TINES_DR_ACME_API_KEY_2"]
