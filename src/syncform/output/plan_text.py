"""The human plan: Terraform-like text, coloured only when asked."""

from __future__ import annotations

from syncform.engine.plan import (
    Action,
    Diagnostic,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)
from syncform.output.values import (
    SENSITIVE_CHANGED,
    covers,
    display_value,
    reason_sentence,
)

NO_CHANGES = "No changes. Live state matches the manifests."

_LEGEND = {
    "+": "create",
    "~": "update in-place",
    "-": "destroy",
    "-/+": "destroy and then create replacement",
    "+/-": "create replacement and then destroy",
    "x": "forget (deleted outside syncform; nothing is sent)",
}
_HEADLINE = {
    "create": "will be created",
    "update": "will be updated in-place",
    "replace": "must be replaced",
    "delete": "will be destroyed",
    "forget": "is gone and will be forgotten",
}
_COLOURS = {"+": "\x1b[32m", "~": "\x1b[33m", "-": "\x1b[31m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def symbol_of(change: ResourceChange) -> str:
    """`+`, `~`, `-`, `x` (forget), `-/+` (delete first) or `+/-` (create first); "" for no-op."""
    if change.is_replace:
        return "-/+" if change.actions[0] is Action.DELETE else "+/-"
    return {"create": "+", "update": "~", "delete": "-", "forget": "x"}.get(change.summary_key, "")


def summary_line(plan: Plan) -> str:
    """`Plan: N to create, …` or the `No changes.` line."""
    if not plan.has_changes:
        return NO_CHANGES
    counts = plan.summary()
    line = (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['replace']} to replace, {counts['delete']} to delete"
    )
    forgotten = (
        f", {counts['forget']} deleted outside syncform to forget" if counts["forget"] else ""
    )
    return line + forgotten + "."


def render_plan_text(plan: Plan, *, color: bool = False) -> str:
    """The whole plan as text, ending with the summary line and a newline."""
    paint = _Painter(color)
    changed = [c for c in plan.resource_changes if c.summary_key != "no_op"]
    lines: list[str] = [*_targeted_banner(plan)]
    if changed:
        lines += _legend(changed, paint)
    for change in changed:
        lines += _resource_block(change, paint)
    lines += _unchanged_warnings(plan)
    lines += _diagnostics(plan.diagnostics)
    if plan.targeted:
        lines += [
            "Note: this plan is partial (--target); it shows only the targeted resources.",
            "",
        ]
    lines.append(paint.bold(summary_line(plan)))
    return "\n".join(lines) + "\n"


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def symbol(self, symbol: str) -> str:
        if not self.enabled:
            return symbol
        return "".join(f"{_COLOURS[c]}{c}{_RESET}" if c in _COLOURS else c for c in symbol)

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.enabled else text


def _pad(symbol: str, paint: _Painter) -> str:
    return " " * (3 - len(symbol)) + paint.symbol(symbol)


def _targeted_banner(plan: Plan) -> list[str]:
    if not plan.targeted:
        return []
    lines = [
        "Warning: PARTIAL PLAN. Resource targeting (--target) is in effect.",
        "  Only these addresses and what they depend on were planned:",
    ]
    lines += [f"    - {address}" for address in plan.targeted]
    lines += ["  Other resources may have changes that this plan does not show.", ""]
    return lines


def _legend(changed: list[ResourceChange], paint: _Painter) -> list[str]:
    used = {symbol_of(change) for change in changed}
    lines = ["Resource actions are indicated with the following symbols:"]
    lines += [f"  {_pad(s, paint)} {text}" for s, text in _LEGEND.items() if s in used]
    lines += ["", "syncform will perform the following actions:", ""]
    return lines


def _resource_block(change: ResourceChange, paint: _Painter) -> list[str]:
    symbol = symbol_of(change)
    lines = [f"  # {change.address} {_HEADLINE[change.summary_key]}"]
    if change.summary_key != "create":
        lines.append(f"  # ({reason_sentence(change)})")
    identity = f"connection {change.connection}, id {change.remote_id or '(known after apply)'}"
    lines.append(f"{_pad(symbol, paint)} {change.address}  ({identity})")
    for field_change in change.changes:
        lines.append("      " + _field_line(field_change, change.replace_paths, paint))
    lines += [f"    Warning: {warning}" for warning in change.warnings]
    if change.requests:
        lines.append("    Requests:")
        for request in change.requests:
            lines += _request_lines(request)
    lines.append("")
    return lines


def _field_line(change: FieldChange, replace_paths: tuple[str, ...], paint: _Painter) -> str:
    before, after = change.masked()
    if before is None:
        text = f"{paint.symbol('+')} {change.path}: {display_value(after)}"
    elif after is None:
        text = f"{paint.symbol('-')} {change.path}: {display_value(before)} -> null"
    elif change.sensitive:
        text = f"{paint.symbol('~')} {change.path}: {SENSITIVE_CHANGED}"
    else:
        text = (
            f"{paint.symbol('~')} {change.path}: {display_value(before)} -> {display_value(after)}"
        )
    if covers(replace_paths, change.path):
        text += "  # forces replacement"
    return text


def _request_lines(request: PlannedRequest) -> list[str]:
    line = f"      {request.seq}. {request.method} {request.path}"
    if request.description:
        line += f"  ({request.description})"
    lines = [line]
    if request.body is not None:
        lines.append(f"         body: {display_value(request.masked_body(), 200)}")
    for pointer, ref in sorted(request.deferred.items()):
        where = pointer or "(path)"
        lines.append(f"         {where} known after apply from {ref}")
    return lines


def _unchanged_warnings(plan: Plan) -> list[str]:
    lines = [
        f"Warning: {change.address}: {warning}"
        for change in plan.resource_changes
        if change.summary_key == "no_op"
        for warning in change.warnings
    ]
    return [*lines, ""] if lines else []


def _diagnostics(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    lines: list[str] = []
    for diagnostic in diagnostics:
        where = f" ({diagnostic.address})" if diagnostic.address else ""
        lines.append(f"{diagnostic.severity.capitalize()}: {diagnostic.summary}{where}")
        lines += [f"  {detail_line}" for detail_line in diagnostic.detail.splitlines()]
        lines.append("")
    return lines
