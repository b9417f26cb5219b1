"""The requests that create, update and delete a Tines story sync destination (pure).

Paths are relative to the connection's base URL.
- create: `POST /api/v1/admin/sync_destinations` with the seed's create fields (the API key only
  for a remote tenant), then a `PATCH` of `manual_sync_only` when the manifest sets it to true
  (the create body documented in the seed has no such field);
- update: one `PATCH` of the changed mutable fields (`story_ids` always the full set; the API key
  only when its hash changed; a dropped `manual_sync_only` goes back to `false`, dropped
  `story_ids` to `[]`);
- delete: `DELETE` with `{"keep_stories": <lifecycle.keep_stories_on_delete>}`.
Removing the API key of a remote destination switches it to same-tenant sync, which the API cannot
change in place: that is a replace trigger (adding one is an update: see `replace_triggers`).
Tenant URLs are compared normalised (see `mapping`), so `https://DR.example.tines.com/` is no
reason to replace.
"""

from __future__ import annotations

from typing import Any

from syncform.core.records import Desired, StateRecord, is_digest_marker
from syncform.core.resources import Lifecycle
from syncform.engine.plan import KNOWN_AFTER_APPLY
from syncform.engine.requests import Built, UpdateInput, id_ref, make_request

COLLECTION = "/api/v1/admin/sync_destinations"
API_KEY = "destination_tenant_api_key"
URL = "destination_tenant_url"
CREATE_FIELDS = (URL, API_KEY, "destination_team_id", "team_id", "story_ids")
MUTABLE_FIELDS = (API_KEY, "story_ids", "manual_sync_only")
_CLEARED: dict[str, Any] = {"story_ids": [], "manual_sync_only": False}


def create(desired: Desired) -> Built:
    spec = desired.spec
    body = {key: spec[key] for key in CREATE_FIELDS if key in spec}
    requests = [make_request("POST", COLLECTION, body, description="create sync destination")]
    if spec.get("manual_sync_only") is True:
        requests.append(
            make_request(
                "PATCH",
                f"{COLLECTION}/{KNOWN_AFTER_APPLY}",
                {"manual_sync_only": True},
                path_ref=id_ref(desired.address),
                description="set manual_sync_only (the create body has no such field)",
            )
        )
    return Built(tuple(requests))


def update(change: UpdateInput) -> Built:
    spec = change.desired.spec
    changed = change.changed_fields
    body: dict[str, Any] = {}
    for key in MUTABLE_FIELDS:
        if key not in changed:
            continue
        if key in spec:
            body[key] = spec[key]
        elif key in _CLEARED:
            body[key] = _CLEARED[key]
    if not body:
        return Built(())
    path = f"{COLLECTION}/{change.live.remote_id}"
    request = make_request("PATCH", path, body, description="update sync destination")
    return Built((request,))


def delete(remote_id: str, lifecycle: Lifecycle) -> Built:
    keep = lifecycle.keep_stories_on_delete
    request = make_request(
        "DELETE",
        f"{COLLECTION}/{remote_id}",
        {"keep_stories": keep},
        description="delete sync destination",
    )
    return Built((request,), (_delete_warning(keep),))


def _delete_warning(keep: bool) -> str:
    if keep:
        return (
            "deleting this sync destination keeps its synced stories on the destination tenant "
            "as independent stories (keep_stories: true)"
        )
    return (
        "deleting this sync destination also deletes its synced stories on the destination "
        "tenant (keep_stories: false); set lifecycle.keep_stories_on_delete: true to keep them"
    )


def replace_triggers(desired: Desired, state: StateRecord | None) -> tuple[str, ...]:
    """Removing the API key turns a remote sync into a same-tenant one: a replace.

    Only the digest of a key syncform applied proves that a destination is remote. A last
    applied spec without one proves nothing: the key is write-only, so an exported, adopted or
    imported remote destination has no digest either, and supplying its key is an update of the
    key, never a replace (which would delete the destination and its synced stories). Adding a
    key to a destination that really is same-tenant is refused by Tines and shows as a failed
    update; its URL, which is what makes it same-tenant, is immutable and replaces on its own.
    """
    if state is None:
        return ()
    was_remote = is_digest_marker(state.applied_spec.get(API_KEY))
    is_remote = API_KEY in desired.spec
    return (f"/{API_KEY}",) if was_remote and not is_remote else ()
