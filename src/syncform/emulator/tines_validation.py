"""Tines request-body checks for sync destinations (all failures are 4xx with a body)."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from syncform.emulator.http_types import VendorError
from syncform.emulator.store import Store
from syncform.emulator.tines_sync import (
    find_team,
    normalise_url,
    story_index,
    tenant_by_url,
    tenants,
)

Obj = dict[str, Any]
CREATE_FIELDS = frozenset(
    {
        "destination_tenant_url",
        "destination_tenant_api_key",
        "destination_team_id",
        "team_id",
        "story_ids",
        "manual_sync_only",
    }
)
REQUIRED_ON_CREATE = ("destination_tenant_url", "destination_team_id", "team_id", "story_ids")
IMMUTABLE_FIELDS = ("team_id", "origin_team_id", "destination_team_id", "destination_tenant_url")
UPDATE_FIELDS = frozenset({"destination_tenant_api_key", "story_ids", "manual_sync_only"})


def _unprocessable(message: str, details: Any = None) -> VendorError:
    return VendorError(422, message, details=details)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_create(store: Store, tenant_name: str, body: Obj) -> Obj:
    """Validated create fields; raises 422 naming the first problem."""
    unknown = sorted(set(body) - CREATE_FIELDS)
    if unknown:
        raise _unprocessable(f"Unknown parameter: {unknown[0]}", {"unknown": unknown})
    missing = [name for name in REQUIRED_ON_CREATE if body.get(name) is None]
    if missing:
        raise _unprocessable(f"param is missing or the value is empty: {missing[0]}")
    tenant = tenants(store)[tenant_name]
    url = _check_url(body["destination_tenant_url"])
    team_id, dest_team = body["team_id"], body["destination_team_id"]
    if not is_int(team_id) or find_team(tenant, team_id) is None:
        raise _unprocessable(f"team_id {team_id!r} is not a team on this tenant")
    if not is_int(dest_team):
        raise _unprocessable("destination_team_id must be an integer")
    story_ids = check_story_ids(tenant, team_id, body["story_ids"], allow_empty=False)
    manual = check_manual_flag(body.get("manual_sync_only", False))
    key = body.get("destination_tenant_api_key")
    same_tenant = normalise_url(str(tenant["url"])) == url
    _check_destination(store, tenant, url, (team_id, dest_team), same_tenant)
    _check_key(key, same_tenant)
    _check_unique(tenant, team_id, url, dest_team)
    return {
        "origin_team_id": team_id,
        "destination_tenant_url": url,
        "destination_team_id": dest_team,
        "destination_tenant_api_key": key,
        "story_ids": story_ids,
        "manual_sync_only": manual,
    }


def _check_url(raw: Any) -> str:
    if not isinstance(raw, str):
        raise _unprocessable("destination_tenant_url must be a string")
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _unprocessable("destination_tenant_url must be an absolute https URL", raw)
    return normalise_url(raw)


def _check_destination(
    store: Store, tenant: Obj, url: str, teams: tuple[int, int], same_tenant: bool
) -> None:
    team_id, dest_team = teams
    found = (None, tenant) if same_tenant else tenant_by_url(store, url)
    if found is None:
        return
    if find_team(found[1], dest_team) is None:
        raise _unprocessable(f"destination_team_id {dest_team} is not a team on {url}")
    if same_tenant and dest_team == team_id:
        raise _unprocessable("A team cannot sync stories to itself")


def _check_key(key: Any, same_tenant: bool) -> None:
    if same_tenant and key is not None:
        raise _unprocessable(
            "destination_tenant_api_key must be omitted for a same-tenant sync destination"
        )
    if not same_tenant and (not isinstance(key, str) or not key):
        raise _unprocessable("destination_tenant_api_key is required for a remote tenant")


def _check_unique(tenant: Obj, team_id: int, url: str, dest_team: int) -> None:
    for record in tenant["sync_destinations"]:
        same = (
            record["origin_team_id"] == team_id
            and record["destination_tenant_url"] == url
            and record["destination_team_id"] == dest_team
        )
        if same:
            raise _unprocessable(
                "A sync destination for this team, tenant and destination team already exists",
                {"id": record["id"]},
            )


def check_story_ids(tenant: Obj, team_id: int, raw: Any, *, allow_empty: bool) -> list[int]:
    if not isinstance(raw, list) or not all(is_int(item) for item in raw):
        raise _unprocessable("story_ids must be an array of integers")
    if not raw and not allow_empty:
        raise _unprocessable("story_ids must contain at least one story")
    duplicates = sorted(i for i, n in Counter(raw).items() if n > 1)
    if duplicates:
        raise _unprocessable("story_ids contains duplicates", {"story_ids": duplicates})
    stories = story_index(tenant)
    missing = [i for i in raw if (s := stories.get(i)) is None or s["team_id"] != team_id]
    if missing:
        raise _unprocessable(f"Stories not found in team {team_id}", {"story_ids": missing})
    no_cc = [i for i in raw if not stories[i]["change_control_enabled"]]
    if no_cc:
        raise _unprocessable(
            "Synced stories must have change control enabled", {"story_ids": no_cc}
        )
    return list(raw)


def check_manual_flag(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise _unprocessable("manual_sync_only must be a boolean")
    return raw


def check_update(tenant: Obj, record: Obj, body: Obj, same_tenant: bool) -> Obj:
    """Validated partial-update fields (only the three the docs allow)."""
    for name in IMMUTABLE_FIELDS:
        if name in body:
            raise _unprocessable(
                f"{name} cannot be changed after creation; "
                "delete the sync destination and create a new one",
                {"field": name},
            )
    unknown = sorted(set(body) - UPDATE_FIELDS)
    if unknown:
        raise _unprocessable(f"Unknown parameter: {unknown[0]}", {"unknown": unknown})
    changes: Obj = {}
    if "story_ids" in body:
        changes["story_ids"] = check_story_ids(
            tenant, record["origin_team_id"], body["story_ids"], allow_empty=True
        )
    if "manual_sync_only" in body:
        changes["manual_sync_only"] = check_manual_flag(body["manual_sync_only"])
    if "destination_tenant_api_key" in body:
        key = body["destination_tenant_api_key"]
        if same_tenant:
            raise _unprocessable(
                "A same-tenant sync destination cannot take an API key "
                "(remote vs same-tenant cannot change)"
            )
        if not isinstance(key, str) or not key:
            raise _unprocessable("destination_tenant_api_key must be a non-empty string")
        changes["destination_tenant_api_key"] = key
    return changes
