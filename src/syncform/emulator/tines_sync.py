"""Tines story syncing: subscriptions, their status, and the story copies on the destination."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from syncform.emulator.store import Store, iso_millis

Obj = dict[str, Any]
SYNC_MARK = "_synced_from"


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, no trailing slash: how tenant URLs are compared."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{host}{path}"


def tenants(store: Store) -> dict[str, Obj]:
    found: dict[str, Obj] = store.section("tines").setdefault("tenants", {})
    return found


def tenant_by_url(store: Store, url: str) -> tuple[str, Obj] | None:
    wanted = normalise_url(url)
    for name, tenant in tenants(store).items():
        if normalise_url(str(tenant.get("url", ""))) == wanted:
            return name, tenant
    return None


def find_story(tenant: Obj, story_id: int) -> Obj | None:
    return next((s for s in tenant["stories"] if s["id"] == story_id), None)


def find_team(tenant: Obj, team_id: int) -> Obj | None:
    return next((t for t in tenant["teams"] if t["id"] == team_id), None)


def is_same_tenant(source: Obj, record: Obj) -> bool:
    return normalise_url(str(source["url"])) == normalise_url(record["destination_tenant_url"])


def _target_problem(store: Store, source: Obj, record: Obj) -> tuple[Obj | None, str | None]:
    """The destination tenant to copy into, or why syncing to it fails."""
    url = record["destination_tenant_url"]
    if is_same_tenant(source, record):
        return source, None
    found = tenant_by_url(store, url)
    if found is None:
        return None, f"Could not connect to the destination tenant {url}"
    target = found[1]
    if record.get("destination_tenant_api_key") not in target.get("tokens", []):
        return None, f"The destination tenant {url} rejected the API key (401 Unauthorized)"
    if find_team(target, record["destination_team_id"]) is None:
        team = record["destination_team_id"]
        return None, f"Team {team} was not found on the destination tenant {url}"
    return target, None


def sync_subscriptions(
    store: Store, source_name: str, record: Obj, only: int | None = None
) -> None:
    """Push each subscribed story (or just `only`) and record synced/failed per story."""
    source = tenants(store)[source_name]
    target, problem = _target_problem(store, source, record)
    stories = story_index(source)
    copies = _CopyIndex(target) if target is not None else None
    for subscription in record["subscriptions"]:
        if only is not None and subscription["story_id"] != only:
            continue
        if target is None or copies is None:
            subscription.update(status="failed", error_message=problem)
            continue
        story = stories.get(subscription["story_id"])
        if story is None:
            subscription.update(status="failed", error_message="The story no longer exists")
            continue
        _upsert_copy(store, source_name, record, story, copies)
        subscription.update(status="synced", error_message=None)


class _CopyIndex:
    """A target tenant's synced copies by their mark, and its next story id: worked out once
    per sync, not once per story."""

    def __init__(self, target: Obj) -> None:
        self.target = target
        self.by_mark = {_mark_key(s[SYNC_MARK]): s for s in target["stories"] if SYNC_MARK in s}
        self.last_id = _last_story_id(target)

    def add(self, copy: Obj) -> Obj:
        self.last_id += 1
        self.target["_last_story_id"] = self.last_id
        copy["id"] = self.last_id
        self.target["stories"].append(copy)
        self.by_mark[_mark_key(copy[SYNC_MARK])] = copy
        return copy


def _mark_key(mark: Any) -> str:
    return repr(sorted(mark.items())) if isinstance(mark, dict) else repr(mark)


def _upsert_copy(
    store: Store, source_name: str, record: Obj, story: Obj, copies: _CopyIndex
) -> None:
    mark = {"tenant": source_name, "destination_id": record["id"], "story_id": story["id"]}
    now = iso_millis(store.now())
    existing = copies.by_mark.get(_mark_key(mark))
    if existing is not None:
        existing.update(name=story["name"], updated_at=now, edited_at=now)
        return
    copy = {k: v for k, v in story.items() if k != SYNC_MARK}
    copy.update(
        team_id=record["destination_team_id"],
        guid=store.new_uuid("tines-story-guid").replace("-", ""),
        created_at=now,
        updated_at=now,
        edited_at=now,
    )
    copy[SYNC_MARK] = mark
    copies.add(copy)


def _last_story_id(tenant: Obj) -> int:
    """Story ids are never reused, as in a database sequence."""
    ids = [int(s["id"]) for s in tenant["stories"]]
    return max([*ids, int(tenant.get("_last_story_id", 1000))])


def remove_copies(
    store: Store, source_name: str, destination_id: int, story_ids: set[int] | None, keep: bool
) -> None:
    """Delete (or, with keep, detach) the destination copies of the given subscribed stories."""
    for tenant in tenants(store).values():
        kept = []
        for story in tenant["stories"]:
            mark = story.get(SYNC_MARK)
            ours = (
                isinstance(mark, dict)
                and mark.get("tenant") == source_name
                and mark.get("destination_id") == destination_id
                and (story_ids is None or mark.get("story_id") in story_ids)
            )
            if ours and keep:
                story.pop(SYNC_MARK)
            if not ours or keep:
                kept.append(story)
        tenant["stories"] = kept


def set_story_ids(store: Store, source_name: str, record: Obj, story_ids: list[int]) -> None:
    """Replace the subscription set: kept ones keep their place and status, new ones append."""
    wanted = set(story_ids)
    current = {s["story_id"] for s in record["subscriptions"]}
    dropped = current - wanted
    if dropped:
        remove_copies(store, source_name, record["id"], dropped, keep=False)
    record["subscriptions"] = [s for s in record["subscriptions"] if s["story_id"] in wanted]
    for story_id in story_ids:
        if story_id not in current:
            record["subscriptions"].append(
                {"story_id": story_id, "status": "requires_sync", "error_message": None}
            )


def story_index(tenant: Obj) -> dict[int, Obj]:
    """The tenant's stories by id: one pass, for requests that look up many stories."""
    return {int(s["id"]): s for s in tenant["stories"]}


def render_destination(tenant: Obj, record: Obj, stories: dict[int, Obj] | None = None) -> Obj:
    """The documented object: never the API key. `stories` is a `story_index` to reuse."""
    index = story_index(tenant) if stories is None else stories
    subscriptions = []
    for sub in record["subscriptions"]:
        story = index.get(sub["story_id"])
        name = story["name"] if story else None
        subscriptions.append(
            {
                "story": {"id": sub["story_id"], "name": name},
                "status": sub["status"],
                "error_message": sub["error_message"],
            }
        )
    return {
        "id": record["id"],
        "destination_tenant_url": record["destination_tenant_url"],
        "destination_team_id": record["destination_team_id"],
        "manual_sync_only": record["manual_sync_only"],
        "origin_team_id": record["origin_team_id"],
        "subscriptions": subscriptions,
    }
