"""The concurrent read: identity by state id, then natural key; the fewest requests."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from syncform.core.address import Address
from syncform.core.errors import IdentityError
from syncform.core.records import DeferredValue, SecretValue
from syncform.emulator import EmulatorApp
from syncform.providers.registry import normalise_desired, strip_write_only
from tests.kit.emulator import (
    all_resources,
    create_everything,
    declared_part,
    emulator_config,
    logged_requests,
    make_app,
    read,
    resource,
    state_record,
    vendor_post,
)
from tests.kit.specs import CONTACTS_SPEC, INTEGRATION_SPEC

CONTACTS = Address("PolytomicModelSync", "contacts-to-salesforce")
ACCOUNTS = Address("PolytomicModelSync", "accounts-to-hubspot")


def _requests(app: EmulatorApp) -> list[tuple[str, str]]:
    return logged_requests(app)


def test_every_kind_is_found_by_natural_key_and_normalised(tmp_path: Path) -> None:
    app = make_app()
    ids = create_everything(app)
    report = read(app, all_resources(tmp_path), emulator_config(tmp_path))
    for result in report.results:
        live = result.live
        assert live is not None, result.address
        assert live.found_by == "natural_key"
        assert live.remote_id == ids[result.address.name]
        desired = normalise_desired(
            result.address.kind, strip_write_only(result.address.kind, result.desired.spec)
        )
        assert declared_part(live.spec, desired) == desired
    tines = report.results[0]
    assert isinstance(tines.desired.spec["destination_tenant_api_key"], SecretValue)
    integration = report.live_objects()[Address("TrutoIntegration", "acme-crm")]
    assert integration.version == 1


def test_refs_resolve_to_live_values(tmp_path: Path) -> None:
    app = make_app()
    ids = create_everything(app)
    report = {
        r.address: r for r in read(app, all_resources(tmp_path), emulator_config(tmp_path)).results
    }
    accounts = report[ACCOUNTS].desired.spec
    assert accounts["schedule"]["run_after"]["sync_ids"] == [ids["contacts-to-salesforce"]]
    job = report[Address("TrutoSyncJob", "crm-contacts")].desired.spec
    assert job["integration_name"] == "acme_crm"


def test_a_refresh_sends_the_minimum_of_requests_and_only_gets(tmp_path: Path) -> None:
    app = make_app()
    create_everything(app)
    report = read(app, all_resources(tmp_path), emulator_config(tmp_path))
    requests = _requests(app)
    assert all(method == "GET" for method, _ in requests)
    # Tines: one list page; Truto: one page per list; Polytomic: one list page + one GET per sync.
    assert sorted(path for _, path in requests if not path.startswith("/polytomic/api/syncs/")) == [
        "/polytomic/api/syncs",
        "/tines/acme/api/v1/admin/sync_destinations",
        "/truto/integration",
        "/truto/sync-job",
    ]
    assert len([p for _, p in requests if p.startswith("/polytomic/api/syncs/")]) == 2
    assert report.counters.requests_sent == len(requests) == 6


def test_state_ids_come_first_and_skip_the_polytomic_list(tmp_path: Path) -> None:
    app = make_app()
    ids = create_everything(app)
    renamed = copy.deepcopy(CONTACTS_SPEC)
    renamed["name"] = "A new name"  # not the live name: only the state id can find it
    resources = [resource("PolytomicModelSync", "contacts-to-salesforce", renamed, tmp_path)]
    state = {CONTACTS: state_record(CONTACTS.kind, CONTACTS.name, ids["contacts-to-salesforce"])}
    report = read(app, resources, emulator_config(tmp_path), state=state)
    live = report.results[0].live
    assert live is not None and live.found_by == "state"
    assert live.spec["name"] == "Contacts to Salesforce"
    assert _requests(app) == [("GET", f"/polytomic/api/syncs/{ids['contacts-to-salesforce']}")]


def test_a_state_id_that_is_gone_is_not_found_and_not_replaced_by_name(tmp_path: Path) -> None:
    app = make_app()
    create_everything(app)
    gone = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4fff"
    resources = [resource("PolytomicModelSync", "contacts-to-salesforce", CONTACTS_SPEC, tmp_path)]
    tines_resources = all_resources(tmp_path)[:1]
    state = {
        CONTACTS: state_record(CONTACTS.kind, CONTACTS.name, gone),
        tines_resources[0].address: state_record("TinesSyncDestination", "security-to-dr", "999"),
    }
    report = read(app, resources + tines_resources, emulator_config(tmp_path), state=state)
    assert [(r.live, r.searched_by) for r in report.results] == [(None, "state"), (None, "state")]


def test_objects_claimed_in_state_are_not_adopted_by_another_address(tmp_path: Path) -> None:
    app = make_app()
    ids = create_everything(app)
    resources = [resource("PolytomicModelSync", "copy", CONTACTS_SPEC, tmp_path)]
    state = {CONTACTS: state_record(CONTACTS.kind, CONTACTS.name, ids["contacts-to-salesforce"])}
    assert read(app, resources, emulator_config(tmp_path), state=state).results[0].live is None


def test_two_live_objects_with_one_natural_key_is_an_error_naming_both(tmp_path: Path) -> None:
    app = make_app()
    first = vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)["id"]
    second = vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)["id"]
    resources = [resource("PolytomicModelSync", "contacts-to-salesforce", CONTACTS_SPEC, tmp_path)]
    with pytest.raises(IdentityError) as raised:
        read(app, resources, emulator_config(tmp_path))
    message = raised.value.message
    assert first in message and second in message
    assert (
        "PolytomicModelSync/contacts-to-salesforce" in message and "manifests.yaml:3:1" in message
    )


def test_two_addresses_cannot_be_one_live_object(tmp_path: Path) -> None:
    app = make_app()
    vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)
    resources = [
        resource("PolytomicModelSync", name, CONTACTS_SPEC, tmp_path) for name in ("one", "two")
    ]
    with pytest.raises(IdentityError, match="one and PolytomicModelSync/two both match"):
        read(app, resources, emulator_config(tmp_path))


@pytest.mark.parametrize(
    ("team_id", "adopted"), [("team-acme", True), (None, False), ("team-other", False)]
)
def test_truto_integrations_are_adopted_only_from_the_connection_team(
    tmp_path: Path, team_id: str | None, adopted: bool
) -> None:
    app = make_app()
    vendor_post(app, "truto", "/integration", INTEGRATION_SPEC)
    zendesk = {"name": "zendesk", "config": {"label": "Zendesk"}}
    resources = [
        resource("TrutoIntegration", "acme-crm", INTEGRATION_SPEC, tmp_path),
        resource("TrutoIntegration", "zendesk", zendesk, tmp_path),
    ]
    report = read(app, resources, emulator_config(tmp_path, team_id=team_id))
    assert (report.results[0].live is not None) is adopted
    assert report.results[1].live is None  # owned by team-truto, shared: never adopted


def test_refs_to_missing_objects_are_deferred(tmp_path: Path) -> None:
    app = make_app()
    report = read(app, all_resources(tmp_path), emulator_config(tmp_path), parallelism=1)
    assert all(result.live is None for result in report.results)
    accounts = next(r for r in report.results if r.address == ACCOUNTS).desired.spec
    (deferred,) = accounts["schedule"]["run_after"]["sync_ids"]
    assert isinstance(deferred, DeferredValue) and deferred.address == CONTACTS
    # Nothing to GET by id: only the list walks.
    assert len(_requests(app)) == 4
