"""`syncform check --output markdown`: a pull-request comment, size-capped like the plan's.

Summary first, then every destructive change flagged (blocked ones first), a table of changed
resources (destructive first) and one collapsible field diff per resource. Past `MAX_CHARS` the
largest diffs are elided, then whole diffs and table rows are dropped from the end and counted:
the table is never cut in the middle.
"""

from __future__ import annotations

import html

from syncform.core.findings import Finding
from syncform.engine.check_report import INVALID, CheckReport
from syncform.engine.compare import Comparison
from syncform.output.check_text import (
    describe,
    field_lines,
    notes,
    ordered,
    summary_line,
    title,
    verdict,
)
from syncform.output.plan_markdown import MAX_CHARS, Document, Section, cell
from syncform.output.values import elide_middle

MARKER = "<!-- syncform:check -->"
_MAX_FLAGGED = 25
_ICONS = {"create": "🟢", "update": "🟡", "replace": "🟠", "delete": "🔴"}


def render_check_markdown(result: CheckReport, *, limit: int = MAX_CHARS) -> str:
    if result.outcome == INVALID:
        return _invalid(result)
    changes = ordered(result.comparisons)
    document = Document(
        _head(result, changes),
        [_row(change) for change in changes],
        [_section(change) for change in changes],
        _tail(result),
    )
    document.shrink_to(limit)
    return document.render()


def _head(result: CheckReport, changes: list[Comparison]) -> list[str]:
    lines = [MARKER, f"## {cell(title(result))}", "", f"**{summary_line(result)}**", ""]
    destructive = [c for c in changes if c.destructive]
    if destructive:
        kind = "CAUTION" if result.refused else "WARNING"
        lines += [f"> [!{kind}]", f"> **{len(destructive)} destructive change(s):**"]
        lines += [f"> - {_flag(change)}" for change in destructive[:_MAX_FLAGGED]]
        if len(destructive) > _MAX_FLAGGED:
            lines.append(f"> - … and {len(destructive) - _MAX_FLAGGED} more")
        lines.append("")
    protect = [c for c in result.comparisons if c.protect_change is not None]
    if protect:
        lines += ["> [!IMPORTANT]", "> **lifecycle.protect changes:**"]
        lines += [f"> - {_protect_line(change)}" for change in protect[:_MAX_FLAGGED]]
        if len(protect) > _MAX_FLAGGED:
            lines.append(f"> - … and {len(protect) - _MAX_FLAGGED} more")
        lines.append("")
    return lines


def _flag(change: Comparison) -> str:
    text = f"{_ICONS[change.action]} **{change.action}** `{cell(str(change.address))}`: "
    text += cell(elide_middle(describe(change), 300))
    if change.renamed is not None:
        text += f" (renamed to `{cell(str(change.renamed))}`)"
    if change.blocked:
        text += f" **Blocked:** {cell(elide_middle(change.blocked, 300))}"
    return text


def _protect_line(change: Comparison) -> str:
    item = change.protect_change
    assert item is not None
    return f"`{cell(str(change.address))}`: protect {item.before} → {item.after}"


def _row(change: Comparison) -> str:
    detail = describe(change)
    if change.renamed is not None:
        direction = "to" if change.action == "delete" else "from"
        detail += f" (renamed {direction} {change.renamed})"
    reason = cell(elide_middle(detail, 300))
    where = cell(str(change.cause))
    return (
        f"| {_ICONS[change.action]} | {change.action} | `{cell(str(change.address))}` | "
        f"{reason} ({where}) |"
    )


def _section(change: Comparison) -> Section:
    summary = (
        f"{_ICONS[change.action]} {change.action} <code>{html.escape(str(change.address))}</code>"
    )
    body = field_lines(change) + [f"# {line}" for line in notes(change)]
    return Section(summary, body)


def _tail(result: CheckReport) -> list[str]:
    unchanged = len(result.comparisons) - len(result.changed)
    lines = [f"_{unchanged} resource(s) unchanged._", ""] if unchanged else []
    return [*lines, f"**{verdict(result)}**", ""]


def _invalid(result: CheckReport) -> str:
    lines = [MARKER, f"## {cell(title(result))}", "", "**The manifests are not valid.**", ""]
    errors = list(result.errors)
    lines += [f"- {_finding(finding)}" for finding in errors[: _MAX_FLAGGED * 4]]
    if len(errors) > _MAX_FLAGGED * 4:
        lines.append(f"- … and {len(errors) - _MAX_FLAGGED * 4} more")
    return "\n".join(lines) + "\n"


def _finding(finding: Finding) -> str:
    message = cell(elide_middle(finding.message, 500))
    return f"`{cell(str(finding.location))}` **{cell(finding.rule)}**: {message}"
