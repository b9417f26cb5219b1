"""The Truto admin API: `/integration` (also `/integrations`) and `/sync-job`."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from syncform.emulator.http_types import (
    EmulatorRequest,
    EmulatorResponse,
    VendorError,
    bearer_token,
    json_response,
    read_json_object,
)
from syncform.emulator.pagination import truto_page
from syncform.emulator.ratelimit import SlidingWindowLimiter
from syncform.emulator.routing import Mount, find_route, route
from syncform.emulator.store import Store, iso_millis
from syncform.emulator.truto_config import deep_merge, redact_config
from syncform.emulator.truto_validation import (
    INTEGRATION_FIELDS,
    JOB_FIELDS,
    check_integration_config,
    fail,
    integration_failures,
    job_failures,
    unknown_failures,
)

Obj = dict[str, Any]
DEFAULT_RATE_LIMIT = {"requests": 500, "per_seconds": 10}


@dataclass(frozen=True)
class TrutoCall:
    store: Store
    environment_id: str
    team_id: str

    @property
    def data(self) -> Obj:
        return self.store.section("truto")


class TrutoApi:
    """Serves `/truto/...`; errors as `{statusCode, error, message, details?}`."""

    vendor = "truto"

    def __init__(self, store: Store, limiter: SlidingWindowLimiter) -> None:
        self._store = store
        self._limiter = limiter

    def handle(self, request: EmulatorRequest, mount: Mount) -> EmulatorResponse:
        data = self._store.section("truto")
        token = bearer_token(request)
        grant = data.get("tokens", {}).get(token) if token else None
        if grant is None:
            raise VendorError(401, "Invalid or missing API token")
        limit = data.get("rate_limit") or DEFAULT_RATE_LIMIT
        period = float(limit["per_seconds"])
        if not self._limiter.allow(f"truto:{token}", int(limit["requests"]), period):
            retry = str(int(period))
            raise VendorError(429, "Too many requests", headers={"Retry-After": retry})
        handler, found = find_route(ROUTES, request.method, mount.subpath, wrong_method_status=405)
        call = TrutoCall(self._store, grant["environment_id"], grant["team_id"])
        return handler(call, request, found)

    @staticmethod
    def error_response(error: VendorError, request: EmulatorRequest) -> EmulatorResponse:
        body: Obj = {
            "statusCode": error.status,
            "error": _reason(error.status),
            "message": error.message,
        }
        if error.details is not None:
            body["details"] = error.details
        return json_response(error.status, body, error.headers)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _now(call: TrutoCall) -> str:
    return iso_millis(call.store.now())


def _team(call: TrutoCall, team_id: str) -> Obj:
    teams = call.data.get("teams", [])
    found = next((t for t in teams if t["id"] == team_id), None)
    return dict(found) if found else {"id": team_id, "name": team_id}


def _visible(call: TrutoCall, integration: Obj) -> bool:
    return bool(integration["team_id"] == call.team_id or integration["sharing"] != "deny")


def render_integration(call: TrutoCall, integration: Obj) -> Obj:
    shown = {k: v for k, v in integration.items() if not k.startswith("_")}
    shown["config"] = redact_config(integration["config"])
    shown["team"] = _team(call, integration["team_id"])
    return shown


def _integration(call: TrutoCall, ident: str, *, owned: bool) -> Obj:
    for integration in call.data["integrations"]:
        if integration["id"] == ident and _visible(call, integration):
            if owned and integration["team_id"] != call.team_id:
                raise VendorError(403, "This integration belongs to another team")
            found: Obj = integration
            return found
    raise VendorError(404, f"Integration {ident} not found")


def list_integrations(
    call: TrutoCall, request: EmulatorRequest, _: re.Match[str]
) -> EmulatorResponse:
    rows = [i for i in call.data["integrations"] if _visible(call, i)]
    for name in ("name", "category", "sharing", "team_id"):
        wanted = request.param(name)
        if wanted is not None:
            rows = [i for i in rows if str(i.get(name)) == wanted]
    page = truto_page(request, rows)
    page["result"] = [render_integration(call, i) for i in page["result"]]
    return json_response(200, page)


def show_integration(call: TrutoCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    return json_response(200, render_integration(call, _integration(call, found[1], owned=False)))


def _check_unique_name(call: TrutoCall, name: str, ident: str | None) -> None:
    for other in call.data["integrations"]:
        if other["team_id"] == call.team_id and other["name"] == name and other["id"] != ident:
            raise VendorError(409, f"An integration named {name!r} already exists in this team")


def create_integration(
    call: TrutoCall, request: EmulatorRequest, _: re.Match[str]
) -> EmulatorResponse:
    body = read_json_object(request)
    failures = unknown_failures(body, INTEGRATION_FIELDS)
    failures += integration_failures(body, creating=True)
    if failures:
        raise fail(failures)
    check_integration_config(body["config"])
    _check_unique_name(call, body["name"], None)
    now = _now(call)
    integration = {
        "id": call.store.new_uuid("truto-integration"),
        "name": body["name"],
        "category": body.get("category"),
        "is_beta": body.get("is_beta", False),
        "config": copy.deepcopy(body["config"]),
        "team_id": call.team_id,
        "sharing": body.get("sharing", "deny"),
        "installed_environment": [],
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    call.data["integrations"].append(integration)
    call.store.mark_changed()
    return json_response(201, render_integration(call, integration))


def update_integration(
    call: TrutoCall, request: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    integration = _integration(call, found[1], owned=True)
    body = read_json_object(request)
    if "version" not in body:
        raise fail([{"path": "version", "message": "is required"}], "version is required")
    if body["version"] != integration["version"]:
        raise VendorError(400, "Version mismatch: the integration was modified by someone else")
    changes = {k: v for k, v in body.items() if k != "version"}
    failures = unknown_failures(changes, INTEGRATION_FIELDS)
    failures += integration_failures(changes, creating=False)
    if failures:
        raise fail(failures)
    merged_config = deep_merge(integration["config"], changes.get("config", {}))
    check_integration_config(merged_config)
    if "name" in changes:
        _check_unique_name(call, changes["name"], integration["id"])
    for name in ("name", "category", "is_beta", "sharing"):
        if name in changes:
            integration[name] = changes[name]
    integration["config"] = merged_config
    integration["version"] += 1
    integration["updated_at"] = _now(call)
    call.store.mark_changed()
    return json_response(200, render_integration(call, integration))


def delete_integration(
    call: TrutoCall, _: EmulatorRequest, found: re.Match[str]
) -> EmulatorResponse:
    integration = _integration(call, found[1], owned=True)
    call.data["integrations"].remove(integration)
    call.store.mark_changed()
    return json_response(200, {"id": integration["id"]})


def _job(call: TrutoCall, ident: str) -> Obj:
    for job in call.data["sync_jobs"]:
        if job["id"] == ident and job["environment_id"] == call.environment_id:
            found: Obj = job
            return found
    raise VendorError(404, f"Sync job {ident} not found")


def _check_job(call: TrutoCall, job: Obj) -> None:
    failures = job_failures(job)
    name = job.get("integration_name")
    if isinstance(name, str) and name:
        known = {i["name"] for i in call.data["integrations"] if _visible(call, i)}
        if name not in known:
            failures.append({"path": "integration_name", "message": f"no integration {name!r}"})
    if failures:
        raise fail(failures)


def list_jobs(call: TrutoCall, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    rows = [j for j in call.data["sync_jobs"] if j["environment_id"] == call.environment_id]
    wanted = request.param("integration_name")
    if wanted is not None:
        rows = [j for j in rows if j["integration_name"] == wanted]
    page = truto_page(request, rows)
    page["result"] = copy.deepcopy(page["result"])
    return json_response(200, page)


def show_job(call: TrutoCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    return json_response(200, _job(call, found[1]))


def create_job(call: TrutoCall, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    body = read_json_object(request)
    failures = unknown_failures(body, JOB_FIELDS)
    if "integration_name" not in body:
        failures.append({"path": "integration_name", "message": "is required"})
    if failures:
        raise fail(failures)
    now = _now(call)
    job = {
        "id": call.store.new_uuid("truto-sync-job"),
        "label": "Untitled",
        "args_schema": None,
        "args_validation": None,
        "mutex_key": None,
        "state_key": None,
        "resources": [],
        "default_runtime_version": 3,
        **copy.deepcopy(body),
        "environment_id": call.environment_id,
        "created_at": now,
        "updated_at": now,
    }
    _check_job(call, job)
    call.data["sync_jobs"].append(job)
    call.store.mark_changed()
    return json_response(201, job)


def update_job(call: TrutoCall, request: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    job = _job(call, found[1])
    body = read_json_object(request)
    failures = unknown_failures(body, JOB_FIELDS)
    if failures:
        raise fail(failures)
    updated = {**job, **copy.deepcopy(body)}
    _check_job(call, updated)
    job.update(updated, updated_at=_now(call))
    call.store.mark_changed()
    return json_response(200, job)


def delete_job(call: TrutoCall, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    job = _job(call, found[1])
    call.data["sync_jobs"].remove(job)
    call.store.mark_changed()
    return json_response(200, {"id": job["id"]})


ROUTES = (
    *(
        r
        for prefix in ("/integration", "/integrations")
        for r in (
            route("GET", prefix, list_integrations),
            route("POST", prefix, create_integration),
            route("GET", prefix + r"/([^/]+)", show_integration),
            route("PATCH", prefix + r"/([^/]+)", update_integration),
            route("DELETE", prefix + r"/([^/]+)", delete_integration),
        )
    ),
    route("GET", "/sync-job", list_jobs),
    route("POST", "/sync-job", create_job),
    route("GET", r"/sync-job/([^/]+)", show_job),
    route("PATCH", r"/sync-job/([^/]+)", update_job),
    route("DELETE", r"/sync-job/([^/]+)", delete_job),
)
