"""The drift classes, pure: three-way comparison of manifest, last applied spec and live object."""

from __future__ import annotations

from typing import Any

from syncform.core.records import UNREADABLE
from syncform.engine.drift import (
    CHANGED_OUTSIDE,
    DELETED_OUTSIDE,
    PENDING,
    UNHEALTHY,
    DriftFinding,
    HealthStatus,
    Subject,
    Unclaimed,
    make_report,
)
from syncform.providers.registry import DRIVERS
from tests.kit.engine import INTEGRATION, RULES, TINES, desired, live, secret, state, stored

KEY = secret("DR_KEY", "dr-key")
SPEC: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": KEY,
    "story_ids": [9982, 9981],
}
APPLIED = {**SPEC, "destination_tenant_api_key": stored(KEY)}
LIVE = {key: value for key, value in SPEC.items() if key != "destination_tenant_api_key"}


def findings(*subjects: Subject, stuck_after: float = 3600.0) -> list[DriftFinding]:
    report = make_report(list(subjects), [], RULES, DRIVERS, connections=["main"],
                         stuck_after=stuck_after)  # fmt: skip
    return list(report.findings)


def tines(spec: dict[str, Any] = SPEC, applied: dict[str, Any] = APPLIED,
          found: dict[str, Any] | None = LIVE, **extra: Any) -> Subject:  # fmt: skip
    wanted = desired(TINES, "dr", spec)
    address, record = state(TINES, "dr", applied)
    live_object = live(TINES, "dr", found)[1] if found is not None else None
    return Subject(address, wanted, record, live_object, **extra)


def test_a_live_object_as_last_applied_is_no_drift_and_an_unreadable_secret_is_not_seen() -> None:
    assert findings(tines()) == []


def test_a_field_changed_outside_shows_last_applied_before_and_live_after() -> None:
    [found] = findings(tines(found={**LIVE, "story_ids": [9981]}))
    assert found.drift_class == CHANGED_OUTSIDE
    assert [(c.path, c.before, c.after) for c in found.changes] == [
        ("/story_ids", [9981, 9982], [9981])
    ]


def test_a_rotated_secret_in_the_manifest_is_pending_and_sensitive() -> None:
    rotated = {**SPEC, "destination_tenant_api_key": secret("DR_KEY", "new-key")}
    [found] = findings(tines(spec=rotated))
    assert found.drift_class == PENDING
    assert [(c.path, c.sensitive) for c in found.changes] == [("/destination_tenant_api_key", True)]


def test_a_redacted_credential_is_compared_with_what_was_applied() -> None:
    spec = {"name": "crm", "config": {"label": "CRM", "credentials": {"secret": "s"}}}
    found = {"name": "crm", "config": {"label": "CRM", "credentials": {"secret": UNREADABLE}}}
    address, record = state(INTEGRATION, "crm", spec)
    subject = Subject(address, desired(INTEGRATION, "crm", spec), record,
                      live(INTEGRATION, "crm", found)[1])  # fmt: skip
    assert findings(subject) == []


def test_gone_from_the_live_side_is_deleted_outside() -> None:
    [found] = findings(tines(found=None))
    assert (found.drift_class, found.remote_id) == (DELETED_OUTSIDE, "r-1")


def test_a_sync_waiting_is_unhealthy_only_past_the_threshold() -> None:
    waiting = HealthStatus(settling=("story 9981 (Alerts): requires_sync",))
    assert findings(tines(health=waiting, since_applied=60.0)) == []
    [found] = findings(tines(health=waiting, since_applied=7200.0))
    assert found.drift_class == UNHEALTHY and "stuck" in found.notes[0]


def test_unmanaged_and_unhealthy_are_drift_only_when_asked_for() -> None:
    failing = HealthStatus(failing=("story 9981 (Alerts): failed: 401",))
    report = make_report([tines(health=failing)], [Unclaimed(TINES, "main", "9", "7, x, 1")],
                         RULES, DRIVERS, connections=["main"])  # fmt: skip
    assert report.counts()["unhealthy"] == 1 and report.counts()["unmanaged"] == 1
    assert not report.has_drift()
    assert report.has_drift(["unmanaged"]) and report.has_drift(["unhealthy"])
