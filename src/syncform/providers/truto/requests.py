"""The requests that create, update and delete Truto integrations and sync jobs (pure).

Paths are relative to the connection's base URL.
- Integration: `POST /integration`; `PATCH /integration/{id}` of the changed fields plus the live
  `version` (optimistic concurrency), where `config` is a merge patch: the changed keys only,
  `null` for a key the last apply set and the manifest dropped, arrays whole; `DELETE`.
- Sync job: `POST /sync-job`; `PATCH /sync-job/{id}` of the changed top-level fields, each whole
  (so `resources` is always sent whole); `DELETE`.
A dropped top-level field is sent as `null`.
"""

from __future__ import annotations

from typing import Any

from syncform.core.pointer import split_pointer
from syncform.core.records import Desired
from syncform.core.resources import Lifecycle
from syncform.engine.plan import FieldChange
from syncform.engine.requests import Built, UpdateInput, make_request

INTEGRATIONS = "/integration"
SYNC_JOBS = "/sync-job"
CONFIG = "config"


def create_integration(desired: Desired) -> Built:
    request = make_request("POST", INTEGRATIONS, dict(desired.spec), description="create")
    return Built((request,))


def update_integration(change: UpdateInput) -> Built:
    spec = change.desired.spec
    body: dict[str, Any] = {}
    for key in change.changed_fields:
        if key == CONFIG:
            body[CONFIG] = config_merge_patch(change.changes, spec.get(CONFIG))
        else:
            body[key] = spec.get(key)
    body["version"] = change.live.version
    warnings: tuple[str, ...] = ()
    if change.live.version is None:
        warnings = ("the live integration has no version; Truto will refuse this PATCH",)
    path = f"{INTEGRATIONS}/{change.live.remote_id}"
    request = make_request("PATCH", path, body, description="update (merge patch)")
    return Built((request,), warnings)


def config_merge_patch(changes: tuple[FieldChange, ...], config: Any) -> Any:
    """A JSON merge patch (RFC 7386) of `config` that makes the changed keys match."""
    patch: dict[str, Any] = {}
    for change in changes:
        segments = split_pointer(change.path)
        if segments[0] != CONFIG:
            continue
        if len(segments) == 1:
            return config
        _patch_one(patch, segments[1:], config)
    return patch


def _patch_one(patch: dict[str, Any], segments: list[str], config: Any) -> None:
    node, want = patch, config
    for index, segment in enumerate(segments):
        if not isinstance(want, dict) or segment not in want:
            node[segment] = None
            return
        value = want[segment]
        if index == len(segments) - 1 or not isinstance(value, dict):
            node[segment] = value  # scalars and arrays go whole
            return
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            return
        node, want = child, value


def delete_integration(remote_id: str, lifecycle: Lifecycle) -> Built:
    return Built((make_request("DELETE", f"{INTEGRATIONS}/{remote_id}", description="delete"),))


def create_sync_job(desired: Desired) -> Built:
    request = make_request("POST", SYNC_JOBS, dict(desired.spec), description="create")
    return Built((request,))


def update_sync_job(change: UpdateInput) -> Built:
    spec = change.desired.spec
    body = {key: spec.get(key) for key in change.changed_fields}
    path = f"{SYNC_JOBS}/{change.live.remote_id}"
    return Built((make_request("PATCH", path, body, description="update"),))


def delete_sync_job(remote_id: str, lifecycle: Lifecycle) -> Built:
    return Built((make_request("DELETE", f"{SYNC_JOBS}/{remote_id}", description="delete"),))
