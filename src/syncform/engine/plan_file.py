"""The plan as a document: the JSON view of `plan -o json` and the saved plan apply reads.

Both are one format (`FORMAT_VERSION`, documented in docs/plan-format.md, schema in
schemas/plan.schema.json). A saved plan adds, per request, the secret references apply resolves
at send time (`${env:NAME}` text, never a value); per address, the desired spec to record with
secrets and `${ref:}`s as reference text, and its lifecycle; and the manifests digest and live
fingerprints that tell a stale plan. Bodies always hold SENSITIVE where a secret goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from syncform.core.canonical import to_jsonable
from syncform.core.errors import PlanError
from syncform.core.resources import Lifecycle
from syncform.engine.plan import (
    FORMAT_VERSION,
    Action,
    Diagnostic,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)

TOOL_NAME = "syncform"


def encode_plan(plan: Plan, *, tool_version: str, saved: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "summary": plan.summary(),
        "targeted": list(plan.targeted),
        "resource_changes": [_encode_change(change, saved) for change in plan.resource_changes],
        "diagnostics": [asdict(diagnostic) for diagnostic in plan.diagnostics],
    }
    if saved and plan.manifests_digest is not None:
        document["manifests_digest"] = plan.manifests_digest
    if saved and plan.created_at is not None:
        document["created_at"] = plan.created_at
    if saved:
        document["live_fingerprints"] = dict(sorted(plan.live_fingerprints.items()))
    return document


def _encode_change(change: ResourceChange, saved: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "address": change.address,
        "kind": change.kind,
        "name": change.name,
        "connection": change.connection,
        "remote_id": change.remote_id,
        "actions": [action.value for action in change.actions],
        "action_reason": change.action_reason,
        "replace_paths": list(change.replace_paths),
        "changes": [field_change.to_dict() for field_change in change.changes],
        "requests": [_encode_request(request, saved) for request in change.requests],
        "warnings": list(change.warnings),
        "depends_on": list(change.depends_on),
        "source": change.source,
    }
    if saved:
        document["desired"] = _encode_desired(change)
    return document


def _encode_desired(change: ResourceChange) -> dict[str, Any] | None:
    if change.desired_spec is None:
        return None
    lifecycle = asdict(change.lifecycle or Lifecycle())
    return {"spec": to_jsonable(change.desired_spec), "lifecycle": to_jsonable(lifecycle)}


def _encode_request(request: PlannedRequest, saved: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "seq": request.seq,
        "method": request.method,
        "path": request.path,
        "body": request.masked_body(),
        "headers": request.masked_headers(),
        "description": request.description,
        "deferred": dict(sorted(request.deferred.items())),
        "sensitive_paths": sorted(request.secret_refs),
    }
    if saved:
        document["secret_refs"] = dict(sorted(request.secret_refs.items()))
    return document


def decode_plan(data: Any) -> Plan:
    """A Plan from a saved plan document; PlanError names the first thing that does not fit."""
    document = _mapping(data, "the plan")
    _check_version(document.get("format_version"))
    try:
        changes = tuple(_decode_change(item) for item in document["resource_changes"])
        return Plan(
            resource_changes=changes,
            diagnostics=tuple(Diagnostic(**item) for item in document["diagnostics"]),
            targeted=tuple(document["targeted"]),
            manifests_digest=document.get("manifests_digest"),
            created_at=document.get("created_at"),
            live_fingerprints=dict(document.get("live_fingerprints") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"the saved plan is not a syncform plan file: {exc!r}") from None


def _check_version(version: Any) -> None:
    major = FORMAT_VERSION.split(".")[0]
    if not isinstance(version, str) or version.split(".")[0] != major:
        raise PlanError(
            f"the saved plan has format version {version!r}; this syncform reads {major}.x: "
            "plan again with this version"
        )


def _decode_change(item: Any) -> ResourceChange:
    change = _mapping(item, "a resource change")
    desired = change.get("desired")
    return ResourceChange(
        address=change["address"],
        kind=change["kind"],
        name=change["name"],
        connection=change["connection"],
        remote_id=change["remote_id"],
        actions=tuple(Action(action) for action in change["actions"]),
        action_reason=change["action_reason"],
        replace_paths=tuple(change["replace_paths"]),
        changes=tuple(_decode_field(entry) for entry in change["changes"]),
        requests=tuple(_decode_request(entry) for entry in change["requests"]),
        warnings=tuple(change["warnings"]),
        depends_on=tuple(change["depends_on"]),
        source=change["source"],
        desired_spec=dict(desired["spec"]) if desired else None,
        lifecycle=_decode_lifecycle(desired["lifecycle"]) if desired else None,
    )


def _decode_field(item: Any) -> FieldChange:
    entry = _mapping(item, "a field change")
    return FieldChange(entry["path"], entry["before"], entry["after"], bool(entry["sensitive"]))


def _decode_request(item: Any) -> PlannedRequest:
    entry = _mapping(item, "a request")
    return PlannedRequest(
        seq=int(entry["seq"]),
        method=entry["method"],
        path=entry["path"],
        body=entry["body"],
        headers=dict(entry["headers"]),
        secret_refs=dict(entry.get("secret_refs") or {}),
        deferred=dict(entry["deferred"]),
        description=entry["description"],
    )


def _decode_lifecycle(item: Any) -> Lifecycle:
    entry = _mapping(item, "a lifecycle")
    known = {spec.name for spec in fields(Lifecycle)}
    values = {key: value for key, value in entry.items() if key in known}
    values["ignore_changes"] = tuple(values.get("ignore_changes", ()))
    return Lifecycle(**values)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanError(f"the saved plan is not a syncform plan file: {what} is not an object")
    return value
