"""The `/_emulator` control API: state, reset, request log and fault rules."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from syncform.emulator.http_types import (
    EmulatorRequest,
    EmulatorResponse,
    VendorError,
    json_response,
    read_json_body,
)
from syncform.emulator.routing import Mount, find_route, route
from syncform.emulator.truto_config import REDACTED, redact_config

if TYPE_CHECKING:
    from syncform.emulator.app import EmulatorApp

Obj = dict[str, Any]


def handle_control(app: EmulatorApp, request: EmulatorRequest, mount: Mount) -> EmulatorResponse:
    """Serve one control request; the caller holds the app lock."""
    try:
        handler, found = find_route(ROUTES, request.method, mount.subpath, wrong_method_status=405)
        response: EmulatorResponse = handler(app, request, found)
        return response
    except VendorError as error:
        return json_response(error.status, {"error": error.message})
    except Exception as exc:  # an emulator bug must not kill the connection
        return json_response(500, {"error": f"internal emulator error: {type(exc).__name__}"})


def redacted_state(data: Obj) -> Obj:
    """The data tree with every token, API key, passphrase and credential masked."""
    state = copy.deepcopy(data)
    for tenant in state.get("tines", {}).get("tenants", {}).values():
        tenant["tokens"] = [REDACTED for _ in tenant.get("tokens", [])]
        for record in tenant.get("sync_destinations", []):
            if record.get("destination_tenant_api_key") is not None:
                record["destination_tenant_api_key"] = REDACTED
    truto = state.get("truto", {})
    truto["tokens"] = list(truto.get("tokens", {}).values())
    for integration in truto.get("integrations", []):
        integration["config"] = redact_config(integration.get("config", {}))
    polytomic = state.get("polytomic", {})
    polytomic["tokens"] = [REDACTED for _ in polytomic.get("tokens", [])]
    for sync in polytomic.get("syncs", []):
        if sync.get("_encryption_passphrase") is not None:
            sync["_encryption_passphrase"] = REDACTED
    return state


def get_state(app: EmulatorApp, _: EmulatorRequest, __: re.Match[str]) -> EmulatorResponse:
    return json_response(200, redacted_state(app.store.data))


def post_reset(app: EmulatorApp, _: EmulatorRequest, __: re.Match[str]) -> EmulatorResponse:
    app.reset_locked()
    return json_response(200, {"reset": True})


def get_requests(app: EmulatorApp, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    entries = [entry.as_dict() for entry in app.request_log_locked()]
    vendor = request.param("vendor")
    if vendor:
        entries = [e for e in entries if e["vendor"] == vendor]
    return json_response(200, {"requests": entries})


def delete_requests(app: EmulatorApp, _: EmulatorRequest, __: re.Match[str]) -> EmulatorResponse:
    app.clear_request_log_locked()
    return json_response(200, {"requests": []})


def get_faults(app: EmulatorApp, _: EmulatorRequest, __: re.Match[str]) -> EmulatorResponse:
    return json_response(200, {"faults": [rule.describe() for rule in app.faults.rules]})


def post_faults(app: EmulatorApp, request: EmulatorRequest, _: re.Match[str]) -> EmulatorResponse:
    body = read_json_body(request)
    raw_rules = body.get("rules") if isinstance(body, dict) and "rules" in body else body
    if not isinstance(raw_rules, list):
        raw_rules = [raw_rules]
    added = [app.faults.add(raw).describe() for raw in raw_rules]
    return json_response(201, {"faults": added})


def delete_faults(app: EmulatorApp, _: EmulatorRequest, __: re.Match[str]) -> EmulatorResponse:
    app.faults.clear()
    return json_response(200, {"faults": []})


def delete_fault(app: EmulatorApp, _: EmulatorRequest, found: re.Match[str]) -> EmulatorResponse:
    ident = int(found[1])
    before = len(app.faults.rules)
    app.faults.rules[:] = [rule for rule in app.faults.rules if rule.id != ident]
    if len(app.faults.rules) == before:
        raise VendorError(404, f"no fault rule {ident}")
    return json_response(200, {"deleted": ident})


ROUTES = (
    route("GET", "/state", get_state),
    route("POST", "/reset", post_reset),
    route("GET", "/requests", get_requests),
    route("DELETE", "/requests", delete_requests),
    route("GET", "/faults", get_faults),
    route("POST", "/faults", post_faults),
    route("DELETE", "/faults", delete_faults),
    route("DELETE", r"/faults/(\d+)", delete_fault),
)
