"""The requests that create, update and delete a Polytomic model sync (pure).

Paths are relative to the connection's base URL.
- create: `POST /api/syncs` with an `Idempotency-Key` derived from the address and the desired
  spec (same input, same key; a changed spec gets a new key);
- update: `PUT /api/syncs/{id}`, a full replacement, so the body is the desired spec merged over
  the live value of every field the manifest does not manage (objects merged key by key, lists
  whole; a field the manifest dropped since the last apply is left out on purpose; an ignored
  path keeps its live value). A write-only field the manifest does not declare
  (`encryption_passphrase`) cannot be echoed: the plan warns that the PUT clears it;
- delete: `DELETE /api/syncs/{id}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from syncform.core.canonical import digest_of
from syncform.core.pointer import expand, split_pointer, value_at
from syncform.core.records import Desired
from syncform.core.resources import Lifecycle
from syncform.engine.requests import Built, UpdateInput, make_request
from syncform.engine.rules import plain_paths

SYNCS = "/api/syncs"
REQUEST_FIELDS = (
    "name",
    "mode",
    "active",
    "fields",
    "override_fields",
    "filters",
    "filter_logic",
    "overrides",
    "identity",
    "schedule",
    "target",
    "policies",
    "organization_id",
    "encryption_passphrase",
    "only_enrich_updates",
    "skip_initial_backfill",
    "sync_all_records",
)


def idempotency_key(desired: Desired) -> str:
    return "syncform-" + digest_of(str(desired.address), desired.spec)[:40]


def create(desired: Desired) -> Built:
    request = make_request(
        "POST",
        SYNCS,
        dict(desired.spec),
        headers={"Idempotency-Key": idempotency_key(desired)},
        description="create",
    )
    return Built((request,))


def update(change: UpdateInput) -> Built:
    body = full_body(change)
    path = f"{SYNCS}/{change.live.remote_id}"
    request = make_request("PUT", path, body, description="update (full replacement)")
    return Built((request,), tuple(_cleared_write_only(change)))


def delete(remote_id: str, lifecycle: Lifecycle) -> Built:
    return Built((make_request("DELETE", f"{SYNCS}/{remote_id}", description="delete"),))


def full_body(change: UpdateInput) -> dict[str, Any]:
    """The desired spec plus the live value of everything the manifest does not manage."""
    spec, live = change.desired.spec, change.live.spec
    raw = change.live.raw.get("data", change.live.raw)
    last = change.state.applied_spec if change.state else {}
    body: dict[str, Any] = {}
    for key in (*REQUEST_FIELDS, *(key for key in spec if key not in REQUEST_FIELDS)):
        if key in spec:
            body[key] = _merged(spec[key], live.get(key), last.get(key))
        elif key in last:
            continue  # dropped from the manifest: cleared on purpose
        elif key in live:
            body[key] = live[key]
        elif isinstance(raw, dict) and key in raw:
            body[key] = raw[key]
    for segments in _ignored_pointers(change):
        _keep_live(body, live, segments)
    return body


def _merged(want: Any, have: Any, had: Any) -> Any:
    if not isinstance(want, dict) or not isinstance(have, dict):
        return want
    previous = had if isinstance(had, dict) else {}
    merged = {key: value for key, value in have.items() if key not in previous or key in want}
    for key, value in want.items():
        merged[key] = _merged(value, have.get(key), previous.get(key))
    return merged


def _ignored_pointers(change: UpdateInput) -> Iterator[list[str]]:
    for pointer in change.desired.resource.lifecycle.ignore_changes:
        yield from expand(change.live.spec, split_pointer(pointer))


def _keep_live(body: dict[str, Any], live: dict[str, Any], segments: list[str]) -> None:
    found, value = value_at(live, segments)
    parent_found, parent = value_at(body, segments[:-1])
    if not parent_found or not segments:
        return
    leaf = segments[-1]
    if isinstance(parent, dict):
        if found:
            parent[leaf] = value
        else:
            parent.pop(leaf, None)
    elif isinstance(parent, list) and found and leaf.isdigit() and int(leaf) < len(parent):
        parent[int(leaf)] = value


def _cleared_write_only(change: UpdateInput) -> Iterator[str]:
    for path in plain_paths(change.rules.secret_paths()):
        if value_at(change.desired.spec, list(path))[0]:
            continue
        pointer = "/" + "/".join(path)
        yield (
            f"{pointer} is write-only and not declared in the manifest: the PUT replaces the "
            "whole sync and clears it on the server"
        )
