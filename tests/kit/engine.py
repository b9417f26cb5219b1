"""Small builders and fake field rules for the pure engine tests."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from syncform.core.address import Address
from syncform.core.records import Desired, LiveObject, SecretValue, StateRecord
from syncform.core.resources import Lifecycle, Resource
from syncform.engine.plan import Plan, ResourceChange
from syncform.engine.rules import StaticFieldRules

TINES = "TinesSyncDestination"
INTEGRATION = "TrutoIntegration"
SYNC_JOB = "TrutoSyncJob"
POLYTOMIC = "PolytomicModelSync"

DEFAULT_LIFECYCLE = Lifecycle()
STATE_KEY = b"test-state-key"

RULES: dict[str, StaticFieldRules] = {
    TINES: StaticFieldRules(
        immutable=frozenset({("team_id",), ("destination_team_id",), ("destination_tenant_url",)}),
        lists={("story_ids",): ("set", ())},
        secrets=frozenset({("destination_tenant_api_key",)}),
    ),
    INTEGRATION: StaticFieldRules(),
    SYNC_JOB: StaticFieldRules(lists={("resources",): ("map", ("name",))}),
    POLYTOMIC: StaticFieldRules(
        lists={
            ("fields",): ("set", ()),
            ("filters",): ("set", ()),
            ("overrides",): ("set", ()),
            ("override_fields",): ("set", ()),
            ("policies",): ("set", ()),
            ("schedule", "run_after", "sync_ids"): ("set", ()),
            ("schedule", "run_after", "bulk_sync_ids"): ("set", ()),
        },
        secrets=frozenset({("encryption_passphrase",)}),
    ),
}


def secret(name: str, value: str) -> SecretValue:
    digest = hmac.new(STATE_KEY, value.encode(), hashlib.sha256).hexdigest()
    return SecretValue(f"${{env:{name}}}", digest)


def stored(value: SecretValue) -> dict[str, str]:
    """How the state store keeps a secret."""
    return {"$digest": value.digest}


def desired(
    kind: str,
    name: str,
    spec: dict[str, Any],
    *,
    raw: dict[str, Any] | None = None,
    lifecycle: Lifecycle = DEFAULT_LIFECYCLE,
    depends_on: tuple[str, ...] = (),
    connection: str = "main",
) -> Desired:
    resource = Resource(
        address=Address(kind, name),
        connection=connection,
        spec=raw if raw is not None else spec,
        lifecycle=lifecycle,
        depends_on=tuple(Address.parse(text) for text in depends_on),
    )
    return Desired(resource, connection, spec)


def live(
    kind: str,
    name: str,
    spec: dict[str, Any],
    *,
    remote_id: str = "r-1",
    version: Any = None,
    raw: dict[str, Any] | None = None,
    found_by: str = "state",
) -> tuple[Address, LiveObject]:
    address = Address(kind, name)
    obj = LiveObject(
        address=address,
        remote_id=remote_id,
        spec=spec,
        found_by=found_by,
        fingerprint="sha256:test",
        raw=raw or {},
        version=version,
    )
    return address, obj


def state(
    kind: str,
    name: str,
    applied: dict[str, Any],
    *,
    remote_id: str = "r-1",
    lifecycle: Lifecycle = DEFAULT_LIFECYCLE,
    connection: str = "main",
) -> tuple[Address, StateRecord]:
    address = Address(kind, name)
    return address, StateRecord(address, connection, remote_id, applied, lifecycle=lifecycle)


def change_of(plan: Plan, address: str) -> ResourceChange:
    return next(change for change in plan.resource_changes if change.address == address)


def requests_of(change: ResourceChange) -> list[tuple[str, str, Any]]:
    return [(request.method, request.path, request.body) for request in change.requests]


def all_requests(plan: Plan) -> list[tuple[int, str, str, str]]:
    """(seq, address, method, path) in global order."""
    found = [
        (request.seq, change.address, request.method, request.path)
        for change in plan.resource_changes
        for request in change.requests
    ]
    return sorted(found)
