"""Seed normalisation for Tines tenants, their stories and their sync destinations."""

from __future__ import annotations

from typing import Any

from syncform.core.errors import EmulatorError
from syncform.emulator import tines_sync as sync
from syncform.emulator.store import Store, iso_millis

Obj = dict[str, Any]


def normalise_tines(store: Store) -> None:
    section = store.section("tines")
    delay = section.setdefault("sync_delay_seconds", 0)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise EmulatorError("tines.sync_delay_seconds must be a number of seconds, 0 or more")
    tenants = section.setdefault("tenants", {})
    if not isinstance(tenants, dict):
        raise EmulatorError("tines.tenants must be a mapping of tenant name to tenant")
    for name, tenant in tenants.items():
        _normalise_tenant(store, name, tenant)
    for name, tenant in tenants.items():
        raw_destinations = tenant["sync_destinations"]
        tenant["sync_destinations"] = []
        for raw in raw_destinations:
            _add_destination(store, name, tenant, raw)
        seeded = [int(r["id"]) for r in tenant["sync_destinations"]]
        last = int(tenant.get("_last_sync_destination_id", 0))
        tenant["_last_sync_destination_id"] = max([*seeded, last])  # the id sequence starts here


def _normalise_tenant(store: Store, name: str, tenant: Obj) -> None:
    if not isinstance(tenant.get("url"), str):
        raise EmulatorError(f"tines tenant {name}: url is required")
    tenant["url"] = sync.normalise_url(tenant["url"])
    tenant["tokens"] = [str(t) for t in tenant.get("tokens", [])]
    tenant["teams"] = [
        {"id": int(t["id"]), "name": str(t["name"]), "groups": list(t.get("groups", []))}
        for t in tenant.get("teams", [])
    ]
    tenant["stories"] = [_story(store, name, raw) for raw in tenant.get("stories", [])]
    tenant.setdefault("sync_destinations", [])
    tenant.setdefault("rate_limit", {"requests": 5000, "per_seconds": 60})


def _story(store: Store, tenant_name: str, raw: Obj) -> Obj:
    now = iso_millis(store.now())
    story_name = str(raw["name"])
    story = {
        "id": int(raw["id"]),
        "name": story_name,
        "description": raw.get("description", ""),
        "team_id": int(raw["team_id"]),
        "folder_id": raw.get("folder_id"),
        "guid": raw.get("guid") or store.new_uuid(f"tines-story:{tenant_name}").replace("-", ""),
        "slug": raw.get("slug") or story_name.lower().replace(" ", "_").replace("-", "_"),
        "tags": list(raw.get("tags", [])),
        "disabled": bool(raw.get("disabled", False)),
        "locked": bool(raw.get("locked", False)),
        "priority": bool(raw.get("priority", False)),
        "change_control_enabled": bool(raw.get("change_control_enabled", False)),
        "mode": raw.get("mode", "LIVE"),
        "created_at": raw.get("created_at", now),
        "updated_at": raw.get("updated_at", now),
        "edited_at": raw.get("edited_at", now),
    }
    if isinstance(raw.get(sync.SYNC_MARK), dict):
        story[sync.SYNC_MARK] = raw[sync.SYNC_MARK]
    return story


def _add_destination(store: Store, tenant_name: str, tenant: Obj, raw: Obj) -> None:
    team_id = int(raw.get("origin_team_id") or raw["team_id"])
    ids = [int(r["id"]) for r in tenant["sync_destinations"]]
    record: Obj = {
        "id": int(raw.get("id") or max([*ids, 22]) + 1),
        "origin_team_id": team_id,
        "destination_tenant_url": sync.normalise_url(raw["destination_tenant_url"]),
        "destination_team_id": int(raw["destination_team_id"]),
        "manual_sync_only": bool(raw.get("manual_sync_only", False)),
        "destination_tenant_api_key": raw.get("destination_tenant_api_key"),
        "subscriptions": [],
    }
    tenant["sync_destinations"].append(record)
    for story_id in raw.get("story_ids", []):
        if sync.find_story(tenant, int(story_id)) is None:
            raise EmulatorError(f"tines tenant {tenant_name}: story {story_id} does not exist")
    sync.set_story_ids(store, tenant_name, record, [int(s) for s in raw.get("story_ids", [])])
    if not record["manual_sync_only"]:
        sync.sync_subscriptions(store, tenant_name, record)
