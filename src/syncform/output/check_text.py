"""`syncform check` as text: the changes (destructive first), their fields, and the verdict.

The sentences and the order here are shared by the markdown and GitHub renderers.
"""

from __future__ import annotations

from collections import Counter

from syncform.engine.check_report import INVALID, CheckReport
from syncform.engine.compare import CREATE, DELETE, NO_OP, REPLACE, UPDATE, Comparison
from syncform.output.findings import render_findings_text
from syncform.output.plan_markdown import diff_lines
from syncform.output.values import display_value, elide_middle

SYMBOLS = {CREATE: "+", UPDATE: "~", REPLACE: "-/+", DELETE: "-", NO_OP: " "}
_RANK = {DELETE: 1, REPLACE: 1, CREATE: 2, UPDATE: 3, NO_OP: 4}
SUMMARY_KEYS = (CREATE, UPDATE, REPLACE, DELETE, NO_OP)


def ordered(comparisons: tuple[Comparison, ...]) -> list[Comparison]:
    """Changed addresses, blocked first, then destructive, creates, updates; by address."""
    changed = [c for c in comparisons if c.action != NO_OP]
    return sorted(changed, key=lambda c: (c.blocked is None, _RANK[c.action], c.address))


def counts(result: CheckReport) -> dict[str, int]:
    found = Counter(c.action for c in result.comparisons)
    return {key: found.get(key, 0) for key in SUMMARY_KEYS}


def summary_line(result: CheckReport) -> str:
    number = counts(result)
    return (
        f"{number[CREATE]} to create, {number[UPDATE]} to update, {number[REPLACE]} to replace, "
        f"{number[DELETE]} to delete, {number[NO_OP]} unchanged."
    )


def title(result: CheckReport) -> str:
    return f"syncform check against {result.base_ref} ({result.base_commit[:12]})"


def describe(change: Comparison) -> str:
    """What happens to the address, as one sentence."""
    if change.action == REPLACE:
        return "must be replaced: " + ", ".join(change.replace_paths) + " cannot change in place"
    if change.action == DELETE:
        return "will be deleted: its manifest was removed"
    if change.action == CREATE:
        return "will be created"
    if change.action == UPDATE:
        return f"will be updated in place: {', '.join(c.path for c in change.changes)}"
    return "unchanged"


def verdict(result: CheckReport) -> str:
    """The closing line: whether the check passes, and why not."""
    destructive = result.destructive
    blocked = [c for c in destructive if c.blocked]
    if blocked:
        return (
            f"Refused: {len(blocked)} destructive change(s) blocked by lifecycle.protect "
            "(--allow-destructive cannot allow them)."
        )
    if destructive and not result.allow_destructive:
        return (
            f"Refused: {len(destructive)} destructive change(s) (deletes and replaces); "
            "run with --allow-destructive to accept them."
        )
    if destructive:
        return f"Passed: {len(destructive)} destructive change(s) allowed (--allow-destructive)."
    return "Passed: no destructive change."


def notes(change: Comparison) -> list[str]:
    """Blocking reason, lifecycle changes and warnings, one line each."""
    lines = [f"BLOCKED: {change.blocked}"] if change.blocked else []
    for item in change.lifecycle_changes:
        before, after = display_value(item.before, 200), display_value(item.after, 200)
        call_out = "  (protection changes!)" if item.field == "protect" else ""
        lines.append(f"lifecycle.{item.field}: {before} -> {after}{call_out}")
    lines += [elide_middle(warning, 500) for warning in change.warnings]
    return lines


def field_lines(change: Comparison) -> list[str]:
    lines: list[str] = []
    for field_change in change.changes:
        lines += diff_lines(field_change, change.replace_paths)
    return lines


def render_check_text(result: CheckReport) -> str:
    if result.outcome == INVALID:
        return render_findings_text(result.findings, result.files, result.resources)
    lines = [f"{title(result)}: {summary_line(result)}", ""]
    for change in ordered(result.comparisons):
        lines.append(f"{SYMBOLS[change.action]} {change.address} {describe(change)}")
        lines.append(f"    at {change.cause}")
        lines += [f"    {line}" for line in field_lines(change)]
        lines += [f"    ! {line}" for line in notes(change)]
        lines.append("")
    protect_only = [c for c in result.comparisons if c.action == NO_OP and c.lifecycle_changes]
    for change in protect_only:
        lines.append(f"  {change.address}: no change to its spec")
        lines += [f"    ! {line}" for line in notes(change)]
        lines.append("")
    lines.append(verdict(result))
    return "\n".join(lines) + "\n"
