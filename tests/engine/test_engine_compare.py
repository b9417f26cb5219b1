"""Comparing two manifest sets offline (`engine.compare`), with the real drivers and rules."""

from __future__ import annotations

from typing import Any

from syncform.core.address import Address
from syncform.core.resources import Lifecycle, Resource
from syncform.engine.compare import compare_manifests
from syncform.engine.plan import SENSITIVE
from syncform.providers.registry import DRIVERS
from syncform.schemas.semantics import semantics_for
from tests.kit.gitrepo import TINES_DESTINATION

DR = Address("TinesSyncDestination", "dr")
RULES = {kind: semantics_for(kind) for kind in DRIVERS}


def _resource(spec: dict[str, Any], address: Address = DR, **lifecycle: Any) -> Resource:
    return Resource(address, None, spec, Lifecycle(**lifecycle))


def _one(before: Resource | None, after: Resource | None) -> Any:
    found = compare_manifests([before] if before else [], [after] if after else [], DRIVERS, RULES)
    assert len(found) == 1
    return found[0]


def test_same_spec_spelled_differently_is_no_change() -> None:
    spelled = {**TINES_DESTINATION, "destination_tenant_url": "HTTPS://DR.acme.tines.com/"}
    spelled["story_ids"] = [9982, 9981]
    assert _one(_resource(TINES_DESTINATION), _resource(spelled)).action == "no-op"


def test_ignore_changes_on_an_immutable_field_means_no_replace() -> None:
    moved = _resource(
        {**TINES_DESTINATION, "destination_team_id": 9}, ignore_changes=("/destination_team_id",)
    )
    comparison = _one(_resource(TINES_DESTINATION), moved)
    assert comparison.action == "no-op"
    assert [c.field for c in comparison.lifecycle_changes] == ["ignore_changes"]


def test_a_changed_secret_reference_is_sensitive() -> None:
    other = _resource({**TINES_DESTINATION, "destination_tenant_api_key": "${env:OTHER}"})
    comparison = _one(_resource(TINES_DESTINATION), other)
    assert comparison.action == "update"
    (change,) = comparison.changes
    assert change.path == "/destination_tenant_api_key" and change.sensitive
    assert change.masked() == (SENSITIVE, SENSITIVE)


def test_replacing_a_protected_resource_is_blocked() -> None:
    moved = {**TINES_DESTINATION, "destination_team_id": 9}
    comparison = _one(_resource(TINES_DESTINATION, protect=True), _resource(moved, protect=True))
    assert comparison.action == "replace" and comparison.blocked
    unprotected = _one(_resource(TINES_DESTINATION, protect=True), _resource(moved))
    assert unprotected.blocked and "same change" in unprotected.blocked


def test_keeping_stories_is_said_but_a_replace_stays_destructive() -> None:
    moved = _resource({**TINES_DESTINATION, "destination_team_id": 9}, keep_stories_on_delete=True)
    comparison = _one(_resource(TINES_DESTINATION), moved)
    assert comparison.destructive and comparison.blocked is None
    assert any("keeps its synced stories" in warning for warning in comparison.warnings)


def test_two_candidates_for_one_natural_key_link_no_rename() -> None:
    old = _resource(TINES_DESTINATION)
    new = [_resource(TINES_DESTINATION, Address(DR.kind, name)) for name in ("a", "b")]
    found = compare_manifests([old], new, DRIVERS, RULES)
    assert [c.renamed for c in found] == [None, None, None]
