"""The human drift report: one block per finding, then the counts line."""

from __future__ import annotations

from syncform.engine.drift import DriftFinding, DriftResult, Remediation
from syncform.engine.plan import FieldChange
from syncform.output.drift_json import LABELS
from syncform.output.values import SENSITIVE_CHANGED, display_value

NO_DRIFT = "No drift. Live state matches what syncform last applied and the manifests."
SYMBOLS = {
    "changed_outside": "~",
    "pending": ">",
    "deleted_outside": "-",
    "unmanaged": "?",
    "unhealthy": "!",
}
HEADLINES = {
    "changed_outside": "was changed outside syncform (last applied -> live)",
    "pending": "has manifest changes not applied yet (last applied -> manifest)",
    "deleted_outside": "was deleted outside syncform",
    "unmanaged": "is not managed by syncform",
    "unhealthy": "is unhealthy",
}


def subject_of(finding: DriftFinding) -> str:
    """The address, or `Kind id ID` for an object no manifest or state names."""
    return finding.address or f"{finding.kind} id {finding.remote_id}"


def counts_line(result: DriftResult) -> str:
    counts = result.report.counts()
    parts = ", ".join(f"{count} {LABELS[name]}" for name, count in counts.items())
    return f"{'Drift' if result.has_drift else 'No drift'}: {parts}."


def change_line(change: FieldChange) -> str:
    if change.sensitive:
        return f"~ {change.path}: {SENSITIVE_CHANGED}"
    before, after = change.masked()
    return f"~ {change.path}: {display_value(before)} -> {display_value(after)}"


def render_drift_text(result: DriftResult) -> str:
    report = result.report
    where = ", ".join(report.connections) or "none"
    lines = [f"Checked {report.resources_checked} resource(s) on connections: {where}.", ""]
    for finding in report.findings:
        lines += _block(finding)
    lines += _remediation(result.remediation)
    lines.append(counts_line(result) if report.findings else NO_DRIFT)
    return "\n".join(lines) + "\n"


def _block(finding: DriftFinding) -> list[str]:
    where = f"connection {finding.connection}, id {finding.remote_id or '(none)'}"
    lines = [
        f"  # {subject_of(finding)} {HEADLINES[finding.drift_class]}",
        f"  {SYMBOLS[finding.drift_class]} {subject_of(finding)}  ({where})",
    ]
    lines += [f"      {change_line(change)}" for change in finding.changes]
    lines += [f"      {note}" for note in finding.notes]
    return [*lines, ""]


def _remediation(remediation: Remediation | None) -> list[str]:
    if remediation is None:
        return []
    lines = [
        f"Remediation: {len(remediation.applied)} applied, {len(remediation.failed)} failed, "
        f"{len(remediation.refused)} refused."
    ]
    lines += [f"  applied: {address}" for address in sorted(remediation.applied)]
    lines += [f"  failed: {address}: {why}" for address, why in sorted(remediation.failed.items())]
    lines += [f"  skipped: {address}" for address in sorted(remediation.skipped)]
    lines += [
        f"  refused: {address}: {why}" for address, why in sorted(remediation.refused.items())
    ]
    lines += [f"  did not converge: {address}: {', '.join(paths)}"
              for address, paths in sorted(remediation.unconverged.items())]  # fmt: skip
    return [*lines, ""]
