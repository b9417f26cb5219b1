"""Known secret values masked in results, value by value, before any renderer sees them.

Renderers shorten long values for display and print JSON; masking has to come first and work on
whole values, so that neither a shortened value (a part of a secret) nor a short secret (every `1`
of a JSON text) escapes or breaks the output. The workflows hand out results masked here; the
CLI prints what the renderers make of them without scrubbing the text again.

- A string equal to a known secret becomes `(sensitive value)`, whatever its length; a known
  secret of at least `MIN_MASKABLE_LENGTH` characters inside a longer string is masked in place.
- In a request body, a value equal to a secret whose reference is known becomes a placeholder
  plus a `secret_refs` entry, exactly like a secret from the manifest: apply reads it at send
  time, so masking never changes what is sent.
- Free text (warnings, health notes, diagnostics) is scrubbed.
- In a refresh result, a live value standing where the manifest has a secret reference is shown
  as `(sensitive value)` even when it is not (or no longer) the secret syncform knows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from syncform.core.pointer import map_leaves
from syncform.core.records import LiveObject, SecretValue
from syncform.engine.plan import (
    SENSITIVE,
    Diagnostic,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)
from syncform.reading import ReadReport, ReadResult
from syncform.secrets.scrubber import Scrubber


def mask_plan(plan: Plan, scrubber: Scrubber) -> Plan:
    """`plan` with every known secret value masked (see the module docstring)."""
    changes = tuple(_mask_change(change, scrubber) for change in plan.resource_changes)
    diagnostics = tuple(_mask_diagnostic(item, scrubber) for item in plan.diagnostics)
    return replace(plan, resource_changes=changes, diagnostics=diagnostics)


def _mask_change(change: ResourceChange, scrubber: Scrubber) -> ResourceChange:
    return replace(
        change,
        changes=tuple(mask_field_change(field_change, scrubber) for field_change in change.changes),
        requests=tuple(_mask_request(request, scrubber) for request in change.requests),
        warnings=tuple(scrubber.scrub(warning) for warning in change.warnings),
    )


def mask_field_change(change: FieldChange, scrubber: Scrubber) -> FieldChange:
    before = scrubber.mask_value(change.before, SENSITIVE)
    after = scrubber.mask_value(change.after, SENSITIVE)
    if (before, after) == (change.before, change.after):
        return change
    return replace(change, before=before, after=after, sensitive=True)


def _mask_request(request: PlannedRequest, scrubber: Scrubber) -> PlannedRequest:
    secret_refs = dict(request.secret_refs)
    body = _mask_body(request.body, scrubber, secret_refs)
    headers = {name: scrubber.mask_text_value(value) for name, value in request.headers.items()}
    return replace(
        request,
        path=scrubber.mask_text_value(request.path),
        body=body,
        headers=headers,
        secret_refs=secret_refs,
        description=scrubber.scrub(request.description),
    )


def _mask_body(value: Any, scrubber: Scrubber, secret_refs: dict[str, str]) -> Any:
    def mask(pointer: str, leaf: Any) -> Any:
        if not isinstance(leaf, str):
            return leaf
        reference = scrubber.reference_of(leaf)
        if reference is not None:
            secret_refs[pointer] = reference
        return scrubber.mask_text_value(leaf, SENSITIVE)

    return map_leaves(value, mask)


def _mask_diagnostic(diagnostic: Diagnostic, scrubber: Scrubber) -> Diagnostic:
    return replace(
        diagnostic,
        summary=scrubber.scrub(diagnostic.summary),
        detail=scrubber.scrub(diagnostic.detail),
    )


def mask_read_report(report: ReadReport, scrubber: Scrubber) -> ReadReport:
    """`report` with every live spec and health note masked (see the module docstring)."""
    results = tuple(_mask_result(result, scrubber) for result in report.results)
    return replace(report, results=results)


def _mask_result(result: ReadResult, scrubber: Scrubber) -> ReadResult:
    live = result.live
    if live is None:
        return result
    spec = _hide_secret_fields(live.spec, result.desired.spec)
    masked: LiveObject = replace(
        live,
        spec=scrubber.mask_value(spec, SENSITIVE),
        health=tuple(scrubber.scrub(note) for note in live.health),
    )
    return replace(result, live=masked)


def _hide_secret_fields(live: Any, desired: Any) -> Any:
    """`live` with SENSITIVE wherever `desired` holds a secret (and live holds a value)."""
    if isinstance(desired, SecretValue):
        return None if live is None else SENSITIVE
    if isinstance(live, dict) and isinstance(desired, dict):
        return {key: _hide_secret_fields(item, desired.get(key)) for key, item in live.items()}
    if isinstance(live, list) and isinstance(desired, list) and len(live) == len(desired):
        return [_hide_secret_fields(item, want) for item, want in zip(live, desired, strict=True)]
    return live
