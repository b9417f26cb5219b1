"""Pure normalisation rules, one by one."""

from __future__ import annotations

from typing import Any

import pytest

from syncform.core.canonical import as_set, fingerprint
from syncform.core.records import UNREADABLE, DeferredValue, SecretValue
from syncform.engine.diff import diff_spec
from syncform.engine.values import fill_unreadable
from syncform.providers.polytomic import mapping as polytomic
from syncform.providers.registry import normalise_desired, normalise_live, strip_write_only
from syncform.providers.tines import mapping as tines
from syncform.providers.truto import mapping as truto
from syncform.schemas.semantics import semantics_for

TINES_RAW: dict[str, Any] = {
    "id": 24,
    "destination_tenant_url": "https://DR.acme.tines.com:443/",
    "destination_team_id": 42,
    "origin_team_id": 7,
    "subscriptions": [
        {"story": {"id": 9983, "name": "IR"}, "status": "failed", "error_message": "timeout"},
        {"story": {"id": 9981, "name": "HPA"}, "status": "synced", "error_message": None},
        {"story": {"id": 9982, "name": "CCR"}, "status": "requires_sync", "error_message": None},
    ],
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Dr.Acme.Tines.com/", "https://dr.acme.tines.com"),
        ("https://dr.acme.tines.com:443", "https://dr.acme.tines.com"),
        ("https://dr.acme.tines.com:8443/", "https://dr.acme.tines.com:8443"),
        (" https://dr.acme.tines.com ", "https://dr.acme.tines.com"),
        # Text that is no URL stays as written (the schema reports it), never raises.
        ("https://dr.acme.tines.com:99999", "https://dr.acme.tines.com:99999"),
        ("https://dr.acme.tines.com:abc/ ", "https://dr.acme.tines.com:abc/"),
        ("http://[::1", "http://[::1"),
    ],
)
def test_tines_tenant_urls_are_normalised(url: str, expected: str) -> None:
    assert tines.normalise_tenant_url(url) == expected


def test_tines_live_spec_reads_stories_as_a_set_and_health_apart() -> None:
    live = tines.live_spec(TINES_RAW)
    assert live == {
        "team_id": 7,
        "destination_tenant_url": "https://dr.acme.tines.com",
        "destination_team_id": 42,
        "story_ids": [9981, 9982, 9983],
    }
    assert tines.health(TINES_RAW) == (
        "story 9983 (IR): failed: timeout",
        "story 9982 (CCR): requires_sync",
    )


def test_tines_missing_manual_sync_only_is_unknown_not_false() -> None:
    assert "manual_sync_only" not in tines.live_spec(TINES_RAW)
    assert tines.live_spec({**TINES_RAW, "manual_sync_only": False})["manual_sync_only"] is False


def test_tines_fingerprint_ignores_subscription_status_only() -> None:
    synced = {
        **TINES_RAW,
        "subscriptions": [{**s, "status": "synced"} for s in TINES_RAW["subscriptions"]],
    }
    assert tines.raw_fingerprint(synced) == tines.raw_fingerprint(TINES_RAW)
    assert tines.raw_fingerprint({**TINES_RAW, "destination_team_id": 43}) != tines.raw_fingerprint(
        TINES_RAW
    )


def test_tines_fingerprint_is_that_of_the_stories_as_a_set() -> None:
    """The fast ordering of the stories is the canonical JSON order of the definition."""
    odd_ids: list[Any] = [10, 9, "9", None, 2.0, 2, 'a"', {"z": 1}, True, 100]
    raw = {
        **TINES_RAW,
        "subscriptions": [{"story": {"id": i, "name": "x"}, "status": "failed"} for i in odd_ids]
        + [{"story": None}, {}],
    }
    stories = [{"story": {"id": (s.get("story") or {}).get("id")}} for s in raw["subscriptions"]]
    expected = fingerprint({**raw, "subscriptions": as_set(stories)})
    assert tines.raw_fingerprint(raw) == expected


def test_tines_a_real_difference_still_shows() -> None:
    desired = normalise_desired(
        "TinesSyncDestination",
        {
            "team_id": 7,
            "destination_tenant_url": "https://dr.acme.tines.com/",
            "destination_team_id": 42,
            "story_ids": [9984, 9983, 9982, 9981],
        },
    )
    changes = diff_spec(
        desired, tines.live_spec(TINES_RAW), None, semantics_for("TinesSyncDestination")
    )
    assert [change.path for change in changes] == ["/story_ids"]


def test_desired_normalisation_keeps_secrets_and_refs_and_is_pure() -> None:
    secret = SecretValue("${env:KEY}", "hmac-sha256:00")
    spec = {
        "team_id": 7,
        "destination_tenant_url": "https://X.example/",
        "destination_team_id": 1,
        "destination_tenant_api_key": secret,
        "story_ids": [3, 1, 2],
    }
    before = repr(spec)
    normalised = normalise_desired("TinesSyncDestination", spec)
    assert normalised["destination_tenant_api_key"] is secret
    assert normalised["story_ids"] == [1, 2, 3]
    assert repr(spec) == before
    assert "destination_tenant_api_key" not in strip_write_only("TinesSyncDestination", spec)
    deferred = DeferredValue("${ref:PolytomicModelSync/a.id}")
    schedule = {"frequency": "runafter", "run_after": {"sync_ids": ["b", deferred, "a"]}}
    result = polytomic.normalise_desired({"name": "x", "schedule": schedule})
    assert result["schedule"]["run_after"]["sync_ids"] == ["a", "b", deferred]


def test_truto_integration_drops_read_only_fields_and_credentials() -> None:
    raw: dict[str, Any] = {
        "id": "i1",
        "name": "crm",
        "category": None,
        "version": 3,
        "team_id": "t",
        "team": {"id": "t"},
        "installed_environment": [],
        "created_at": "x",
        "updated_at": "y",
        "sharing": "deny",
        "config": {"label": "CRM", "credentials": {"api_key": {"api_key": "********"}}},
    }
    assert normalise_live("TrutoIntegration", raw) == {
        "name": "crm",
        "sharing": "deny",
        "config": {"label": "CRM", "credentials": {"api_key": {"api_key": UNREADABLE}}},
    }
    assert truto.integration_team({"team": {"id": "t2"}}) == "t2"
    stripped = normalise_live("TrutoIntegration", {"name": "crm", "config": {"label": "CRM"}})
    assert stripped["config"] == {"label": "CRM", "credentials": UNREADABLE}


def test_truto_masked_credentials_read_as_what_was_last_applied() -> None:
    structure = {"format": "oauth2", "config": {"fields": [{"name": "key", "type": "password"}]}}
    applied = {"config": {"credentials": {"oauth2": {**structure, "client_id": "crm-client"}}}}
    masked = {"oauth2": {**structure, "client_id": "***", "signing_key": "********"}}
    live = normalise_live("TrutoIntegration", {"name": "crm", "config": {"credentials": masked}})
    filled = fill_unreadable(live, applied)
    assert filled["config"]["credentials"]["oauth2"]["client_id"] == "crm-client"
    assert filled["config"]["credentials"]["oauth2"]["format"] == "oauth2"
    assert filled["config"]["credentials"]["oauth2"]["signing_key"] is UNREADABLE


def test_truto_legacy_resources_keep_their_order() -> None:
    resources = [{"resource": "b", "method": "list"}, {"resource": "a", "method": "list"}]
    job = {"label": "x", "default_runtime_version": 3, "resources": resources, "id": "j"}
    assert normalise_live("TrutoSyncJob", job)["resources"] == resources


def test_polytomic_labels_count_only_with_filter_logic() -> None:
    field = {"model_id": "m", "field": "f"}
    filters = [{"field": field, "function": "IsNull", "label": "B", "field_id": "uuid"}]
    without_logic = polytomic.normalise_desired({"filters": filters})
    assert without_logic["filters"] == [{"field": field, "function": "IsNull"}]
    with_logic = polytomic.normalise_desired({"filters": filters, "filter_logic": "B"})
    assert with_logic["filters"][0]["label"] == "B"


def test_polytomic_json_values_compare_as_json() -> None:
    live = [{"field_id": "x", "function": "Equality", "value": "5", "override": '{"a": [1]}'}]
    desired = [{"field_id": "x", "function": "Equality", "value": 5, "override": {"a": [1]}}]
    assert (
        polytomic.live_spec({"overrides": live})["overrides"]
        == (polytomic.normalise_desired({"overrides": desired})["overrides"])
    )


def test_polytomic_split_recognises_every_empty_source_form() -> None:
    zero = {"model_id": polytomic.ZERO_UUID, "field": ""}
    fields = [
        {"target": "A", "override_value": "1"},
        {"target": "B", "override_value": "2", "source": {}},
        {"target": "C", "override_value": "3", "source": zero},
        {"target": "D", "override_value": "4", "source": {"model_id": "m", "field": "f"}},
        {"target": "E", "source": {"model_id": "m", "field": "g"}},
    ]
    mappings, overrides = polytomic.split_override_fields(fields)
    assert [f["target"] for f in overrides] == ["A", "B", "C"]
    assert [f["target"] for f in mappings] == ["D", "E"]
