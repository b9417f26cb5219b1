"""The Tines REST API for one emulated tenant: sync destinations, stories and teams."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from syncform.emulator import tines_sync as sync
from syncform.emulator.http_types import (
    EmulatorRequest,
    EmulatorResponse,
    VendorError,
    bearer_token,
    empty_response,
    json_response,
    read_json_body,
    read_json_object,
)
from syncform.emulator.pagination import tines_page
from syncform.emulator.ratelimit import SlidingWindowLimiter
from syncform.emulator.routing import Mount, find_route, route
from syncform.emulator.store import Store
from syncform.emulator.tines_jobs import run_due_jobs, start_cleanup, start_sync
from syncform.emulator.tines_validation import check_create, check_update

Obj = dict[str, Any]
DEFAULT_RATE_LIMIT = {"requests": 5000, "per_seconds": 60}
STORY_FILTERS = {
    "CHANGE_CONTROL_ENABLED": lambda s: s["change_control_enabled"],
    "DISABLED": lambda s: s["disabled"],
    "LOCKED": lambda s: s["locked"],
}


@dataclass(frozen=True)
class TinesCall:
    store: Store
    tenant_name: str
    tenant: Obj
    sync_delay: float


class TinesApi:
    """Serves `/tines/<tenant>/api/v1/...`; errors as `{"errors": [{message, details}]}`."""

    vendor = "tines"

    def __init__(self, store: Store, limiter: SlidingWindowLimiter, sync_delay: float) -> None:
        self._store = store
        self._limiter = limiter
        self.sync_delay = sync_delay

    def handle(self, request: EmulatorRequest, mount: Mount) -> EmulatorResponse:
        run_due_jobs(self._store)
        tenant = sync.tenants(self._store).get(mount.tenant or "")
        if tenant is None:
            raise VendorError(404, f"No emulated Tines tenant named {mount.tenant!r}")
        token = bearer_token(request) or request.header("x-user-token")
        if not token or token not in tenant.get("tokens", []):
            raise VendorError(401, "Unauthorized: missing or invalid API key")
        limit = tenant.get("rate_limit") or DEFAULT_RATE_LIMIT
        key = f"tines:{mount.tenant}:{token}"
        if not self._limiter.allow(key, int(limit["requests"]), float(limit["per_seconds"])):
            raise VendorError(429, "Rate limit exceeded")
        handler, found = find_route(ROUTES, request.method, mount.subpath, wrong_method_status=404)
        call = TinesCall(self._store, mount.tenant or "", tenant, self.sync_delay)
        return handler(call, request, found)

    @staticmethod
    def error_response(error: VendorError, request: EmulatorRequest) -> EmulatorResponse:
        body = {"errors": [{"message": error.message, "details": error.details}]}
        return json_response(error.status, body, error.headers)


def _find_destination(call: TinesCall, raw_id: str) -> Obj:
    ident = int(raw_id)
    for record in call.tenant["sync_destinations"]:
        if record["id"] == ident:
            found: Obj = record
            return found
    raise VendorError(404, "Not found", details={"id": ident})


def _next_destination_id(tenant: Obj) -> int:
    """Ids are never reused, as in a database sequence: not even the id of a seeded destination
    deleted since (seeding sets where the sequence starts; data saved before it did has the
    sequence start after its largest id)."""
    last = tenant.get("_last_sync_destination_id")
    if last is None:
        last = max([0, *(int(record["id"]) for record in tenant["sync_destinations"])])
    ident = int(last) + 1
    tenant["_last_sync_destination_id"] = ident
    return ident


def _wrapped(call: TinesCall, record: Obj, status: int = 200) -> EmulatorResponse:
    body = {"sync_destination": sync.render_destination(call.tenant, record)}
    return json_response(status, body)


def list_destinations(
    call: TinesCall, request: EmulatorRequest, _: re.Match[str]
) -> EmulatorResponse:
    records, meta = tines_page(request, call.tenant["sync_destinations"])
    stories = sync.story_index(call.tenant)
    page = [sync.render_destination(call.tenant, r, stories) for r in records]
    return json_response(200, {"sync_destinations": page, "meta": meta})


def show_destination(call: TinesCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    return _wrapped(call, _find_destination(call, found[1]))


def create_destination(
    call: TinesCall, request: EmulatorRequest, _: re.Match[str]
) -> EmulatorResponse:
    fields = check_create(call.store, call.tenant_name, read_json_object(request))
    record: Obj = {
        "id": _next_destination_id(call.tenant),
        **{k: v for k, v in fields.items() if k != "story_ids"},
        "subscriptions": [],
    }
    call.tenant["sync_destinations"].append(record)
    sync.set_story_ids(call.store, call.tenant_name, record, fields["story_ids"])
    if not record["manual_sync_only"]:
        start_sync(call.store, call.tenant_name, record, call.sync_delay)
    call.store.mark_changed()
    return _wrapped(call, record, 201)


def update_destination(
    call: TinesCall, request: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    record = _find_destination(call, found[1])
    same_tenant = sync.is_same_tenant(call.tenant, record)
    changes = check_update(call.tenant, record, read_json_object(request), same_tenant)
    if "destination_tenant_api_key" in changes:
        record["destination_tenant_api_key"] = changes["destination_tenant_api_key"]
    if "manual_sync_only" in changes:
        record["manual_sync_only"] = changes["manual_sync_only"]
    if "story_ids" in changes:
        sync.set_story_ids(call.store, call.tenant_name, record, changes["story_ids"])
    if changes and not record["manual_sync_only"]:
        start_sync(call.store, call.tenant_name, record, call.sync_delay)
    call.store.mark_changed()
    return _wrapped(call, record)


def delete_destination(
    call: TinesCall, request: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    record = _find_destination(call, found[1])
    body = read_json_body(request, required=False)
    if body is None:
        body = {}
    if not isinstance(body, dict) or set(body) - {"keep_stories"}:
        raise VendorError(422, "The delete body accepts only keep_stories")
    keep = body.get("keep_stories", False)
    if not isinstance(keep, bool):
        raise VendorError(422, "keep_stories must be a boolean")
    start_cleanup(call.store, call.tenant_name, record, keep, call.sync_delay)
    call.tenant["sync_destinations"].remove(record)
    call.store.mark_changed()
    return empty_response(204)


def manual_sync(call: TinesCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    record = _find_destination(call, found[1])
    start_sync(call.store, call.tenant_name, record, call.sync_delay)
    call.store.mark_changed()
    return json_response(200, {"sync_initiated": True})


def story_sync(call: TinesCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    record = _find_destination(call, found[1])
    story_id = int(found[2])
    if all(s["story_id"] != story_id for s in record["subscriptions"]):
        raise VendorError(404, "Story is not subscribed to this sync destination")
    start_sync(call.store, call.tenant_name, record, call.sync_delay, only=story_id)
    call.store.mark_changed()
    return json_response(200, {"story_sync_initiated": True})


def render_story(story: Obj) -> Obj:
    return {k: v for k, v in story.items() if not k.startswith("_")}


def list_stories(call: TinesCall, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    stories = [s for s in call.tenant["stories"] if s.get("mode", "LIVE") == "LIVE"]
    team = request.param("team_id")
    if team is not None:
        stories = [s for s in stories if str(s["team_id"]) == team]
    search = request.param("search")
    if search:
        stories = [s for s in stories if search.lower() in s["name"].lower()]
    wanted = request.param("filter")
    if wanted:
        if wanted not in STORY_FILTERS:
            raise VendorError(400, f"Unsupported filter {wanted}")
        stories = [s for s in stories if STORY_FILTERS[wanted](s)]
    chunk, meta = tines_page(request, stories)
    return json_response(200, {"stories": [render_story(s) for s in chunk], "meta": meta})


def show_story(call: TinesCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    story = sync.find_story(call.tenant, int(found[1]))
    if story is None:
        raise VendorError(404, "Not found")
    return json_response(200, render_story(story))


def list_teams(call: TinesCall, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    page, meta = tines_page(request, list(call.tenant["teams"]))
    return json_response(200, {"teams": page, "meta": meta})


def show_team(call: TinesCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    team = sync.find_team(call.tenant, int(found[1]))
    if team is None:
        raise VendorError(404, "Not found")
    return json_response(200, team)


_SD = "/api/v1/admin/sync_destinations"
ROUTES = (
    route("GET", _SD, list_destinations),
    route("POST", _SD, create_destination),
    route("GET", _SD + r"/(\d+)", show_destination),
    route("PUT", _SD + r"/(\d+)", update_destination),
    route("PATCH", _SD + r"/(\d+)", update_destination),
    route("DELETE", _SD + r"/(\d+)", delete_destination),
    route("POST", _SD + r"/(\d+)/manual_sync", manual_sync),
    route("POST", _SD + r"/(\d+)/story/(\d+)/sync", story_sync),
    route("GET", "/api/v1/stories", list_stories),
    route("GET", r"/api/v1/stories/(\d+)", show_story),
    route("GET", "/api/v1/teams", list_teams),
    route("GET", r"/api/v1/teams/(\d+)", show_team),
)
