"""`syncform check --output github`: workflow annotations, then the text report for the log.

Each delete or replace is annotated on the YAML line that causes it (the field forcing the
replace, the `metadata.name` of a removed manifest): an `error` when it fails the check, a
`warning` when `--allow-destructive` accepts it. A change of `lifecycle.protect` is a `notice`.
Invalid manifests are annotated as `validate --output github` does. At most
`GITHUB_ANNOTATION_CAP` annotations; the text report below lists everything.
"""

from __future__ import annotations

from syncform.core.address import SourceLocation
from syncform.engine.check_report import INVALID, CheckReport
from syncform.engine.compare import Comparison
from syncform.output.check_text import describe, ordered, render_check_text
from syncform.output.findings import (
    GITHUB_ANNOTATION_CAP,
    escape_data,
    escape_property,
    render_findings_github,
)

TITLE = "syncform check"


def render_check_github(result: CheckReport) -> str:
    if result.outcome == INVALID:
        return render_findings_github(result.findings, result.files, result.resources)
    annotations = [
        _destructive(change, bool(change.blocked) or not result.allow_destructive)
        for change in ordered(result.comparisons)
        if change.destructive
    ]
    annotations += [_protect(c) for c in result.comparisons if c.protect_change is not None]
    lines = annotations[:GITHUB_ANNOTATION_CAP]
    if len(annotations) > GITHUB_ANNOTATION_CAP:
        hidden = len(annotations) - GITHUB_ANNOTATION_CAP
        lines.append(f"::notice title={TITLE}::{hidden} more annotation(s): see the report below")
    return "\n".join(lines) + ("\n" if lines else "") + render_check_text(result)


def _destructive(change: Comparison, fails: bool) -> str:
    message = f"{change.address} {describe(change)}"
    if change.renamed is not None and change.action == "delete":
        message += f" (renamed to {change.renamed})"
    if change.blocked:
        message += f". Blocked: {change.blocked}"
    message += "".join(f"\n{warning}" for warning in change.warnings)
    return _command("error" if fails else "warning", change.cause, message)


def _protect(change: Comparison) -> str:
    item = change.protect_change
    assert item is not None
    resource = change.head or change.base
    assert resource is not None
    where = resource.location_of("/lifecycle/protect") if change.head else change.source
    message = f"{change.address}: lifecycle.protect changes from {item.before} to {item.after}"
    return _command("notice", where, message)


def _command(level: str, where: SourceLocation, message: str) -> str:
    properties = (
        f"file={escape_property(where.file)},line={where.line},col={where.column},"
        f"title={escape_property(TITLE)}"
    )
    return f"::{level} {properties}::{escape_data(message)}"
