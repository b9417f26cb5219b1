"""The JSON plan: a documented, versioned format (see docs/plan-format.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from syncform.engine.plan import (
    FORMAT_VERSION,
    Diagnostic,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)
from syncform.output.values import masked_body, masked_field_values, masked_headers, to_jsonable

TOOL_NAME = "syncform"


def plan_to_dict(
    plan: Plan,
    *,
    tool_version: str,
    manifests_digest: str | None = None,
    live_fingerprints: Mapping[str, str] | None = None,
    include_refs: bool = False,
) -> dict[str, Any]:
    """The plan as plain JSON data. `include_refs` adds each request's secret references
    (names like "${env:X}", never values) for the saved plan file that apply reads."""
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "summary": plan.summary(),
        "targeted": list(plan.targeted),
        "resource_changes": [_change_dict(c, include_refs) for c in plan.resource_changes],
        "diagnostics": [_diagnostic_dict(d) for d in plan.diagnostics],
    }
    if manifests_digest is not None:
        document["manifests_digest"] = manifests_digest
    if live_fingerprints is not None:
        document["live_fingerprints"] = dict(sorted(live_fingerprints.items()))
    return document


def render_plan_json(
    plan: Plan,
    *,
    tool_version: str,
    manifests_digest: str | None = None,
    live_fingerprints: Mapping[str, str] | None = None,
    include_refs: bool = False,
) -> str:
    """The plan as JSON text: sorted keys, 2-space indent, trailing newline, deterministic."""
    document = plan_to_dict(
        plan,
        tool_version=tool_version,
        manifests_digest=manifests_digest,
        live_fingerprints=live_fingerprints,
        include_refs=include_refs,
    )
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _change_dict(change: ResourceChange, include_refs: bool) -> dict[str, Any]:
    return {
        "address": change.address,
        "kind": change.kind,
        "name": change.name,
        "connection": change.connection,
        "remote_id": change.remote_id,
        "actions": [action.value for action in change.actions],
        "action_reason": change.action_reason,
        "replace_paths": list(change.replace_paths),
        "changes": [_field_dict(field_change) for field_change in change.changes],
        "requests": [_request_dict(request, include_refs) for request in change.requests],
        "warnings": list(change.warnings),
        "depends_on": list(change.depends_on),
        "source": change.source,
    }


def _field_dict(change: FieldChange) -> dict[str, Any]:
    before, after = masked_field_values(change)
    return {
        "path": change.path,
        "before": to_jsonable(before),
        "after": to_jsonable(after),
        "sensitive": change.sensitive,
    }


def _request_dict(request: PlannedRequest, include_refs: bool) -> dict[str, Any]:
    sensitive_paths = sorted(request.secret_refs)
    entry: dict[str, Any] = {
        "seq": request.seq,
        "method": request.method,
        "path": request.path,
        "body": masked_body(request),
        "headers": masked_headers(request),
        "description": request.description,
        "deferred": dict(sorted(request.deferred.items())),
        "sensitive_paths": sensitive_paths,
    }
    if include_refs:
        entry["secret_refs"] = dict(sorted(request.secret_refs.items()))
    return entry


def _diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "severity": diagnostic.severity,
        "summary": diagnostic.summary,
        "address": diagnostic.address,
        "detail": diagnostic.detail,
    }
