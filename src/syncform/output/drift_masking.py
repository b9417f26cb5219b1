"""A drift result with every known secret masked, value by value, before any renderer sees it.

Field values go through the same masking as plan changes (`mask_field_change`); notes and
messages (vendor error texts, health notes, apply failures) are scrubbed as free text.
"""

from __future__ import annotations

from dataclasses import replace

from syncform.engine.drift import DriftFinding, DriftReport, Remediation
from syncform.output.masking import mask_field_change
from syncform.secrets.scrubber import Scrubber


def mask_drift_report(report: DriftReport, scrubber: Scrubber) -> DriftReport:
    findings = tuple(_mask_finding(finding, scrubber) for finding in report.findings)
    return replace(report, findings=findings)


def mask_remediation(remediation: Remediation, scrubber: Scrubber) -> Remediation:
    return replace(
        remediation,
        failed={address: scrubber.scrub(text) for address, text in remediation.failed.items()},
        refused={address: scrubber.scrub(text) for address, text in remediation.refused.items()},
    )


def _mask_finding(finding: DriftFinding, scrubber: Scrubber) -> DriftFinding:
    return replace(
        finding,
        changes=tuple(mask_field_change(change, scrubber) for change in finding.changes),
        notes=tuple(scrubber.scrub(note) for note in finding.notes),
    )
