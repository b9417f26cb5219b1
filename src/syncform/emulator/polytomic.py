"""The Polytomic model-sync API (`/api/syncs`), versioned by `X-Polytomic-Version`."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from syncform.emulator.http_types import (
    EmulatorRequest,
    EmulatorResponse,
    VendorError,
    bearer_token,
    json_response,
    read_json_object,
)
from syncform.emulator.pagination import polytomic_page
from syncform.emulator.polytomic_quirks import build_sync_body, render_full, render_light
from syncform.emulator.polytomic_validation import check_sync_body, is_uuid
from syncform.emulator.routing import Mount, find_route, route
from syncform.emulator.store import ID_NAMESPACE, Store, rfc3339

Obj = dict[str, Any]
VERSIONS = ("2025-09-18", "2024-02-08", "2023-04-25", "2022-12-12", "2021-05-23")
CURRENT_VERSION = VERSIONS[0]
VERSION_HEADER = "X-Polytomic-Version"
SCHEDULE_OPTIONS = ("manual", "continuous", "hourly", "daily", "weekly", "custom", "runafter")


@dataclass(frozen=True)
class PolytomicCall:
    store: Store
    version: str
    actor: Obj

    @property
    def data(self) -> Obj:
        return self.store.section("polytomic")


def request_version(request: EmulatorRequest) -> str | None:
    version = request.header(VERSION_HEADER)
    return version if version in VERSIONS else None


class PolytomicApi:
    """Serves `/polytomic/api/...`; errors as `{status, message, key, metadata}`."""

    vendor = "polytomic"

    def __init__(self, store: Store) -> None:
        self._store = store

    def handle(self, request: EmulatorRequest, mount: Mount) -> EmulatorResponse:
        sent = request.header(VERSION_HEADER)
        if sent is None:
            raise VendorError(400, f"{VERSION_HEADER} header is required", key="missing_version")
        if sent not in VERSIONS:
            raise VendorError(400, f"Unsupported API version {sent!r}", key="invalid_version")
        token = bearer_token(request)
        if not token or token not in self._store.section("polytomic").get("tokens", []):
            raise VendorError(401, "unauthorized", key="unauthorized")
        handler, found = find_route(ROUTES, request.method, mount.subpath, wrong_method_status=405)
        call = PolytomicCall(self._store, sent, actor_for(token))
        return handler(call, request, found)

    @staticmethod
    def error_response(error: VendorError, request: EmulatorRequest) -> EmulatorResponse:
        version = request_version(request)
        headers = {**error.headers, **({VERSION_HEADER: version} if version else {})}
        if error.status == 401 and version not in (None, CURRENT_VERSION):
            body: Obj = {
                "code": 401,
                "status": "Unauthorized",
                "error": error.message,
                "context": {},
            }
            return json_response(401, body, headers)
        metadata = error.details if isinstance(error.details, dict) else {}
        body = {
            "status": error.status,
            "message": error.message,
            "key": error.key or _default_key(error.status),
            "metadata": metadata,
        }
        return json_response(error.status, body, headers)


def _default_key(status: int) -> str:
    keys = {400: "bad_request", 404: "not_found", 409: "conflict", 422: "validation_error"}
    return keys.get(status, "error" if status < 500 else "internal_error")


def actor_for(token: str) -> Obj:
    """A stable actor per API key (the key itself never appears)."""
    ident = str(uuid.uuid5(ID_NAMESPACE, "polytomic-actor:" + token))
    return {"id": ident, "name": "API key", "type": "apikey"}


def _reply(call: PolytomicCall, payload: Obj, status: int = 200) -> EmulatorResponse:
    return json_response(status, payload, {VERSION_HEADER: call.version})


def _sync(call: PolytomicCall, raw_id: str) -> Obj:
    if not is_uuid(raw_id):
        raise VendorError(400, f"invalid sync id {raw_id!r}", key="bad_request")
    for sync in call.data["syncs"]:
        if sync["id"] == raw_id:
            found: Obj = sync
            return found
    raise VendorError(404, "sync not found", key="not_found", details={"id": raw_id})


def _flag(request: EmulatorRequest, name: str) -> bool | None:
    raw = request.param(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise VendorError(400, f"{name} must be true or false", key="bad_request")
    return raw == "true"


def list_syncs(call: PolytomicCall, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    syncs: list[Obj] = list(call.data["syncs"])
    active = _flag(request, "active")
    if active is not None:
        syncs = [s for s in syncs if s["active"] == active]
    for param, pick in (("mode", "mode"), ("target_connection_id", "connection_id")):
        wanted = request.param(param)
        if wanted is not None:
            syncs = [s for s in syncs if (s["target"] if pick != "mode" else s).get(pick) == wanted]
    if call.version != CURRENT_VERSION:
        full = sorted(syncs, key=lambda s: (s["updated_at"], s["id"]), reverse=True)
        return _reply(call, {"data": [render_full(s) for s in full]})
    page, token = polytomic_page(request, syncs)
    pagination = {"next_page_token": token} if token else {}
    return _reply(call, {"data": [render_light(s) for s in page], "pagination": pagination})


def show_sync(call: PolytomicCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    return _reply(call, {"data": render_full(_sync(call, found[1]))})


def _write(call: PolytomicCall, body: Obj, existing: Obj | None) -> Obj:
    known = {s["id"] for s in call.data["syncs"]}
    check_sync_body(body, known, existing["id"] if existing else None)
    stamp = rfc3339(call.store.now())
    sync = build_sync_body(body)
    if existing is None:
        sync["id"] = call.store.new_uuid("polytomic-sync")
        sync.update(created_at=stamp, created_by=call.actor)
    else:
        sync.update({k: existing[k] for k in ("id", "created_at", "created_by")})
    sync.update(
        organization_id=call.data["organization_id"], updated_at=stamp, updated_by=call.actor
    )
    call.store.mark_changed()
    return sync


def create_sync(
    call: PolytomicCall, request: EmulatorRequest, _: re.Match[str]
) -> EmulatorResponse:
    sync = _write(call, read_json_object(request), None)
    call.data["syncs"].append(sync)
    return _reply(call, {"data": render_full(sync)})


def replace_sync(
    call: PolytomicCall, request: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    existing = _sync(call, found[1])
    sync = _write(call, read_json_object(request), existing)
    existing.clear()
    existing.update(sync)
    return _reply(call, {"data": render_full(existing)})


def delete_sync(call: PolytomicCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    sync = _sync(call, found[1])
    dependants = [
        other["id"]
        for other in call.data["syncs"]
        if sync["id"] in ((other["schedule"].get("run_after") or {}).get("sync_ids") or [])
    ]
    if dependants:
        raise VendorError(
            409,
            "sync is referenced by the schedule of other syncs",
            key="conflict",
            details={"sync_ids": dependants},
        )
    call.data["syncs"].remove(sync)
    call.store.mark_changed()
    return EmulatorResponse(200, {VERSION_HEADER: call.version}, b"")


def activate_sync(
    call: PolytomicCall, request: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    sync = _sync(call, found[1])
    body = read_json_object(request)
    if not isinstance(body.get("active"), bool):
        raise VendorError(422, "active: is required and must be a boolean", key="validation_error")
    sync["active"] = body["active"]
    sync.update(updated_at=rfc3339(call.store.now()), updated_by=call.actor)
    call.store.mark_changed()
    return _reply(call, {"data": {"id": sync["id"], "active": sync["active"]}})


def schedule_options(
    call: PolytomicCall, _: EmulatorRequest, __: re.Match[str]
) -> EmulatorResponse:
    options = [
        {"frequency": f, "label": f.capitalize(), "configuration": {}} for f in SCHEDULE_OPTIONS
    ]
    return _reply(call, {"data": {"schedule_options": options}})


ROUTES = (
    route("GET", "/api/syncs", list_syncs),
    route("POST", "/api/syncs", create_sync),
    route("GET", "/api/syncs/schedules", schedule_options),
    route("GET", r"/api/syncs/([^/]+)", show_sync),
    route("PUT", r"/api/syncs/([^/]+)", replace_sync),
    route("DELETE", r"/api/syncs/([^/]+)", delete_sync),
    route("POST", r"/api/syncs/([^/]+)/activate", activate_sync),
)
