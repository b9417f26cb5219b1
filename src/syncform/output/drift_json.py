"""The JSON drift report (see docs/drift-format.md and schemas/drift.schema.json), and the short
one-line summary a chat webhook shows (`text`)."""

from __future__ import annotations

import json
from typing import Any

from syncform.engine.drift import (
    ALWAYS_DRIFT,
    DRIFT_CLASSES,
    DriftFinding,
    DriftResult,
    Remediation,
)
from syncform.output.refresh import counters_record

FORMAT_VERSION = "1.0"
LABELS = {
    "changed_outside": "changed outside",
    "pending": "pending",
    "deleted_outside": "deleted outside",
    "unmanaged": "unmanaged",
    "unhealthy": "unhealthy",
}


def summary_text(result: DriftResult) -> str:
    """`syncform drift: 1 changed outside, 2 unmanaged on truto, polytomic` (one line, for chat)."""
    counts = result.report.counts()
    found = ", ".join(f"{counts[name]} {LABELS[name]}" for name in DRIFT_CLASSES if counts[name])
    where = ", ".join(result.report.connections) or "no connection"
    if result.has_drift:
        return f"syncform drift: {found} on {where}"
    reported = f" ({found} reported)" if found else ""
    return f"syncform drift: no drift{reported} on {where}"


def drift_document(result: DriftResult, *, tool_version: str) -> dict[str, Any]:
    report = result.report
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "syncform", "version": tool_version},
        "text": summary_text(result),
        "checked_at": result.checked_at,
        "drift": result.has_drift,
        "counted_as_drift": sorted(ALWAYS_DRIFT | set(result.fail_on)),
        "connections": list(report.connections),
        "resources_checked": report.resources_checked,
        "summary": report.counts(),
        "by_connection": report.counts_by_connection(),
        "findings": [_finding(finding) for finding in report.findings],
        "requests": counters_record(result.counters),
        "remediation": _remediation(result.remediation),
    }


def render_drift_json(result: DriftResult, *, tool_version: str) -> str:
    document = drift_document(result, tool_version=tool_version)
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _finding(finding: DriftFinding) -> dict[str, Any]:
    return {
        "class": finding.drift_class,
        "address": finding.address,
        "kind": finding.kind,
        "connection": finding.connection,
        "remote_id": finding.remote_id,
        "changes": [change.to_dict() for change in finding.changes],
        "notes": list(finding.notes),
    }


def _remediation(remediation: Remediation | None) -> dict[str, Any] | None:
    if remediation is None:
        return None
    return {
        "applied": sorted(remediation.applied),
        "failed": dict(sorted(remediation.failed.items())),
        "skipped": sorted(remediation.skipped),
        "refused": dict(sorted(remediation.refused.items())),
        "unconverged": {a: list(p) for a, p in sorted(remediation.unconverged.items())},
    }
