"""An object made through the vendor API exactly as its manifest says normalises equal to the
manifest's normalised spec, field by field, despite what the servers do to it."""

from __future__ import annotations

from typing import Any

import pytest

from syncform.core.records import UNREADABLE
from syncform.emulator import EmulatorApp
from syncform.engine.diff import diff_spec
from syncform.engine.values import fill_unreadable
from syncform.providers.polytomic.client import PolytomicClient
from syncform.providers.registry import normalise_desired, normalise_live, strip_write_only
from syncform.providers.tines.client import TinesClient
from syncform.providers.truto.client import TrutoClient
from syncform.schemas.semantics import semantics_for
from tests.kit.emulator import api_client, declared_part, make_app
from tests.kit.emulator import vendor_post as create
from tests.kit.specs import CONTACTS_SPEC_WITH_SERVER_QUIRKS as POLYTOMIC_SPEC
from tests.kit.specs import INTEGRATION_SPEC_WITH_CREDENTIALS as TRUTO_INTEGRATION_SPEC
from tests.kit.specs import JOB_SPEC_V4_DAG as TRUTO_JOB_SPEC
from tests.kit.specs import TINES_SPEC_WITH_RAW_URL, runafter_spec, vendor_body

TINES_SPEC = vendor_body(TINES_SPEC_WITH_RAW_URL)


def _read_tines(app: EmulatorApp, ident: Any) -> dict[str, Any]:
    with api_client(app, "tines") as api:
        return next(d for d in TinesClient(api).list_sync_destinations() if d["id"] == ident)


def _read_truto(app: EmulatorApp, ident: Any, jobs: bool) -> dict[str, Any]:
    with api_client(app, "truto") as api:
        client = TrutoClient(api)
        listing = client.list_sync_jobs() if jobs else client.list_integrations()
    return next(item for item in listing if item["id"] == ident)


def _read_polytomic(app: EmulatorApp, ident: str) -> dict[str, Any]:
    with api_client(app, "polytomic") as api:
        return PolytomicClient(api).get_sync(ident)


def _assert_equal_on_every_field(kind: str, manifest: dict[str, Any], raw: dict[str, Any]) -> None:
    desired = normalise_desired(kind, strip_write_only(kind, manifest))
    live = normalise_live(kind, raw)
    assert declared_part(live, desired) == desired
    assert diff_spec(desired, live, None, semantics_for(kind)) == []


def test_tines_destination_normalises_equal() -> None:
    app = make_app()
    created = create(app, "tines", "/api/v1/admin/sync_destinations", TINES_SPEC)
    raw = _read_tines(app, created["id"])
    _assert_equal_on_every_field("TinesSyncDestination", TINES_SPEC, raw)
    live = normalise_live("TinesSyncDestination", raw)
    assert live["destination_tenant_url"] == "https://dr.acme.tines.com"
    assert live["story_ids"] == [9981, 9982]
    assert "destination_tenant_api_key" not in live


def test_truto_integration_normalises_equal_once_its_credentials_were_applied() -> None:
    app = make_app()
    created = create(app, "truto", "/integration", TRUTO_INTEGRATION_SPEC)
    raw = _read_truto(app, created["id"], jobs=False)
    assert raw["config"]["credentials"]["oauth2"]["client_secret"] != "crm-secret"
    kind, rules = "TrutoIntegration", semantics_for("TrutoIntegration")
    desired = normalise_desired(kind, TRUTO_INTEGRATION_SPEC)
    live = normalise_live(kind, raw)
    assert live["config"]["credentials"]["oauth2"]["client_secret"] is UNREADABLE
    assert not {"id", "version", "team_id", "team", "created_at"} & live.keys()
    # What was applied stands in for what cannot be read: equal, on every field.
    assert diff_spec(desired, fill_unreadable(live, desired), desired, rules) == []
    # With nothing applied (an adopted object) the masked values are changes, never equal.
    unknown = diff_spec(desired, live, None, rules)
    assert unknown and all(c.path.startswith("/config/credentials/") for c in unknown)


def test_truto_v4_sync_job_normalises_equal_whatever_the_node_order() -> None:
    app = make_app()
    create(app, "truto", "/integration", TRUTO_INTEGRATION_SPEC)
    reordered = {**TRUTO_JOB_SPEC, "resources": list(reversed(TRUTO_JOB_SPEC["resources"]))}
    created = create(app, "truto", "/sync-job", reordered)
    raw = _read_truto(app, created["id"], jobs=True)
    _assert_equal_on_every_field("TrutoSyncJob", TRUTO_JOB_SPEC, raw)


@pytest.mark.parametrize("after_count", [1, 2])
def test_polytomic_syncs_normalise_equal_despite_the_server_quirks(after_count: int) -> None:
    app = make_app()
    first = create(app, "polytomic", "/api/syncs", POLYTOMIC_SPEC)
    raw = _read_polytomic(app, first["id"])
    # The quirks are really there: folded override fields, labels, echoed JSON, dropped mapping.
    assert raw["override_fields"] == []
    assert {f["label"] for f in raw["filters"]} == {"A", "B"}
    assert any(o["override"] == '{"code":"GB"}' for o in raw["overrides"])
    assert "Email" not in {f["target"] for f in raw["fields"]}
    _assert_equal_on_every_field("PolytomicModelSync", POLYTOMIC_SPEC, raw)

    others = [
        create(app, "polytomic", "/api/syncs", {**POLYTOMIC_SPEC, "name": f"n{i}"})["id"]
        for i in range(after_count - 1)
    ]
    spec = runafter_spec([first["id"], *others])
    second = create(app, "polytomic", "/api/syncs", spec)
    _assert_equal_on_every_field("PolytomicModelSync", spec, _read_polytomic(app, second["id"]))


def test_polytomic_live_spec_splits_override_fields_and_drops_server_fields() -> None:
    app = make_app()
    created = create(app, "polytomic", "/api/syncs", POLYTOMIC_SPEC)
    live = normalise_live("PolytomicModelSync", _read_polytomic(app, created["id"]))
    assert live["override_fields"] == [
        {"override_value": "Warehouse", "target": "LeadSource"},
        {"override_value": "sync-bot", "target": "Owner"},
    ]
    assert {f["target"] for f in live["fields"]} == {"FirstName", "LastName", "Title"}
    assert "search_values" not in live["target"]
    assert "remote_field_type_id" not in live["identity"]
    assert not {"id", "model_ids", "created_at", "updated_by", "encryption_passphrase"} & set(live)
    assert all("label" not in item for item in live["filters"])
