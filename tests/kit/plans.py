"""Hand-built plans covering every action, sensitive and deferred values, warnings, diagnostics."""

from __future__ import annotations

from syncform.engine.plan import (
    KNOWN_AFTER_APPLY,
    SENSITIVE,
    Action,
    Diagnostic,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)

FAKE_SECRET = "sk-live-FAKE-0123456789abcdef"
SYNC_DESTINATIONS = "/api/v1/admin/sync_destinations"


def tines_create() -> ResourceChange:
    return ResourceChange(
        address="TinesSyncDestination/security-to-dr",
        kind="TinesSyncDestination",
        name="security-to-dr",
        connection="tines-prod",
        remote_id=None,
        actions=(Action.CREATE,),
        action_reason="not_found",
        changes=(
            FieldChange("/team_id", None, 12),
            FieldChange("/story_ids", None, frozenset({3, 1, 2})),
            # Defence in depth: a planner bug leaves the raw secret in a sensitive change.
            FieldChange("/destination_tenant_api_key", None, FAKE_SECRET, sensitive=True),
        ),
        requests=(
            PlannedRequest(
                seq=1,
                method="POST",
                path=SYNC_DESTINATIONS,
                body={
                    "team_id": 12,
                    "story_ids": [1, 2, 3],
                    "destination_tenant_api_key": FAKE_SECRET,
                },
                secret_refs={"/destination_tenant_api_key": "${env:DR_TINES_KEY}"},
                description="create sync destination",
            ),
            PlannedRequest(
                seq=2,
                method="PATCH",
                path=f"{SYNC_DESTINATIONS}/{KNOWN_AFTER_APPLY}",
                body={"manual_sync_only": True},
                deferred={"": "${ref:TinesSyncDestination/security-to-dr.id}"},
            ),
        ),
        source="tines/destinations.yaml:1:1",
    )


def truto_update() -> ResourceChange:
    return ResourceChange(
        address="TrutoIntegration/hubspot",
        kind="TrutoIntegration",
        name="hubspot",
        connection="truto",
        remote_id="int-1",
        actions=(Action.UPDATE,),
        action_reason="fields_changed",
        changes=(
            FieldChange("/config/label", "old", "new"),
            FieldChange("/config/scopes", ["a"] * 5, ["b" * 400]),
            FieldChange("/config/dropped", "x", None),
            FieldChange(
                "/credentials/client_secret", FAKE_SECRET, FAKE_SECRET + "2", sensitive=True
            ),
        ),
        requests=(
            PlannedRequest(
                seq=3,
                method="PATCH",
                path="/integration/int-1",
                body={"version": 4, "config": {"label": "new", "dropped": None}},
            ),
        ),
        depends_on=(),
        source="truto/hubspot.yaml:3:1",
    )


def tines_replace() -> ResourceChange:
    return ResourceChange(
        address="TinesSyncDestination/ops",
        kind="TinesSyncDestination",
        name="ops",
        connection="tines-prod",
        remote_id="77",
        actions=(Action.DELETE, Action.CREATE),
        action_reason="replace_because_immutable",
        replace_paths=("/team_id",),
        changes=(FieldChange("/team_id", 1, 2), FieldChange("/story_ids", [1], [1, 2])),
        requests=(
            PlannedRequest(4, "DELETE", f"{SYNC_DESTINATIONS}/77", {"keep_stories": False}),
            PlannedRequest(5, "POST", SYNC_DESTINATIONS, {"team_id": 2, "story_ids": [1, 2]}),
        ),
        warnings=("Deleting removes the synced stories from the destination tenant.",),
        source="tines/ops.yaml:1:1",
    )


def polytomic_replace_create_first() -> ResourceChange:
    return ResourceChange(
        address="PolytomicModelSync/accounts",
        kind="PolytomicModelSync",
        name="accounts",
        connection="polytomic",
        remote_id="ms-9",
        actions=(Action.CREATE, Action.DELETE),
        action_reason="replace_because_immutable",
        replace_paths=("/target",),
        changes=(FieldChange("/target/object", "Account", "Contact"),),
        requests=(
            PlannedRequest(
                6,
                "POST",
                "/api/syncs",
                {"name": "accounts", "schedule": {"run_after": [KNOWN_AFTER_APPLY]}},
                headers={"Idempotency-Key": "plan-accounts-1"},
                deferred={"/schedule/run_after/0": "${ref:PolytomicModelSync/contacts.id}"},
            ),
            PlannedRequest(7, "DELETE", "/api/syncs/ms-9"),
        ),
        depends_on=("PolytomicModelSync/contacts",),
        source="polytomic/accounts.yaml:1:1",
    )


def truto_delete() -> ResourceChange:
    return ResourceChange(
        address="TrutoSyncJob/nightly",
        kind="TrutoSyncJob",
        name="nightly",
        connection="truto",
        remote_id="job-5",
        actions=(Action.DELETE,),
        action_reason="not_in_manifests",
        requests=(PlannedRequest(8, "DELETE", "/sync-job/job-5"),),
    )


def polytomic_no_op() -> ResourceChange:
    return ResourceChange(
        address="PolytomicModelSync/contacts",
        kind="PolytomicModelSync",
        name="contacts",
        connection="polytomic",
        remote_id="ms-1",
        actions=(Action.NO_OP,),
        action_reason="no_changes",
        warnings=("encryption_passphrase is write-only and not declared",),
        source="polytomic/contacts.yaml:1:1",
    )


def full_plan(targeted: tuple[str, ...] = ()) -> Plan:
    return Plan(
        resource_changes=(
            polytomic_no_op(),
            tines_create(),
            truto_update(),
            tines_replace(),
            polytomic_replace_create_first(),
            truto_delete(),
        ),
        diagnostics=(
            Diagnostic(
                "warning", "rate limited while reading", "TrutoIntegration/hubspot", "retried"
            ),
            Diagnostic("info", "3 resources read"),
        ),
        targeted=targeted,
    )


def no_change_plan() -> Plan:
    return Plan(resource_changes=(polytomic_no_op(),))


__all__ = ["FAKE_SECRET", "SENSITIVE", "full_plan", "no_change_plan"]
