"""The plan as a pull-request comment: summary first, destructive changes flagged, size-capped."""

from __future__ import annotations

import heapq
import html
import re
from dataclasses import dataclass, field

from syncform.engine.plan import Diagnostic, FieldChange, Plan, PlannedRequest, ResourceChange
from syncform.output.plan_text import summary_line
from syncform.output.values import (
    SENSITIVE_CHANGED,
    covers,
    display_value,
    elide_middle,
    reason_sentence,
)

MARKER = "<!-- syncform:plan -->"
MAX_CHARS = 60_000
_MAX_FLAGGED = 25
_BACKTICKS = re.compile(r"`+")
_MIN_BODY_CHARS = 400
ICONS = {"create": "🟢", "update": "🟡", "replace": "🟠", "delete": "🔴", "forget": "⚪"}


@dataclass
class Section:
    """One resource's collapsible block; `budget` caps the diff body when eliding."""

    summary: str
    body: list[str]
    budget: int | None = None
    fence: str = field(init=False)

    def __post_init__(self) -> None:
        self.fence = _fence_for(self.body)

    def visible_body(self) -> list[str]:
        return self.body if self.budget is None else elide_lines(self.body, self.budget)

    def render(self) -> str:
        fence = self.fence
        body = self.visible_body()
        opening = [f"<details><summary>{self.summary}</summary>", "", f"{fence}diff"]
        return "\n".join([*opening, *body, fence, "", "</details>", ""])


def render_plan_markdown(plan: Plan, *, limit: int = MAX_CHARS) -> str:
    """Markdown for a PR comment, at most `limit` characters."""
    changed = [c for c in plan.resource_changes if c.summary_key != "no_op"]
    head = _head(plan, changed)
    rows = [_table_row(change) for change in changed]
    sections = [_section(change) for change in changed]
    tail = _tail(plan, len(plan.resource_changes) - len(changed))
    document = Document(head, rows, sections, tail)
    document.shrink_to(limit)
    return document.render()


@dataclass
class Document:
    head: list[str]
    rows: list[str]
    sections: list[Section]
    tail: list[str]
    hidden_rows: int = 0
    hidden_sections: int = 0

    def render(self) -> str:
        lines = list(self.head)
        if self.rows or self.hidden_rows:
            lines += ["| | Action | Resource | Reason |", "|---|---|---|---|", *self.rows]
            if self.hidden_rows:
                lines.append(f"| | … | {self.hidden_rows} more resources not listed | |")
            lines.append("")
        lines += [section.render() for section in self.sections]
        if self.hidden_sections:
            lines += [f"_… {self.hidden_sections} more resource diffs not shown …_", ""]
        return "\n".join(lines + self.tail).rstrip("\n") + "\n"

    def shrink_to(self, limit: int) -> None:
        """Elide the middle of the largest sections, then drop sections, then table rows."""
        excess = len(self.render()) - limit
        if excess > 0:
            excess = self._elide_sections(excess)
        while excess > 0 and self.sections:
            excess -= len(self.sections.pop().render()) + 1
            self.hidden_sections += 1
        while excess > 0 and self.rows:
            excess -= len(self.rows.pop()) + 1
            self.hidden_rows += 1
        excess = len(self.render()) - limit  # exact check after the estimates above
        while excess > 0 and (self.sections or self.rows):
            if self.sections:
                self.sections.pop()
                self.hidden_sections += 1
            else:
                self.rows.pop()
                self.hidden_rows += 1
            excess = len(self.render()) - limit

    def _elide_sections(self, excess: int) -> int:
        """Shrink the largest sections until `excess` is gone or none can shrink; new excess."""
        largest_first = [
            (-len(section.render()), index) for index, section in enumerate(self.sections)
        ]
        heapq.heapify(largest_first)
        while excess > 0 and largest_first:
            negative_size, index = heapq.heappop(largest_first)
            section = self.sections[index]
            body_now = sum(len(line) + 1 for line in section.visible_body())
            budget = max(_MIN_BODY_CHARS, body_now - excess - 100)
            if budget >= body_now:
                continue  # already as small as sections get
            section.budget = budget
            new_size = len(section.render())
            excess -= -negative_size - new_size
            heapq.heappush(largest_first, (-new_size, index))
        return excess


def elide_lines(lines: list[str], budget: int) -> list[str]:
    """Keep the first and last lines within about `budget` characters, eliding the middle."""
    if sum(len(line) + 1 for line in lines) <= budget:
        return lines
    head: list[str] = []
    tail: list[str] = []
    used = 0
    low, high = 0, len(lines) - 1
    while low <= high:
        take_head = len(head) <= len(tail)
        line = lines[low] if take_head else lines[high]
        if used + len(line) + 1 > budget:
            break
        used += len(line) + 1
        if take_head:
            head.append(line)
            low += 1
        else:
            tail.append(line)
            high -= 1
    elided = len(lines) - len(head) - len(tail)
    return [*head, f"… {elided} lines elided …", *reversed(tail)]


def _fence_for(lines: list[str]) -> str:
    """A code fence longer than any backtick run inside the block, so none can close it."""
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    return "`" * max(3, longest + 1)


def _head(plan: Plan, changed: list[ResourceChange]) -> list[str]:
    lines = [MARKER, "## syncform plan", "", f"**{summary_line(plan)}**", ""]
    if plan.targeted:
        targets = ", ".join(f"`{cell(address)}`" for address in plan.targeted)
        lines += ["> [!WARNING]", f"> **Partial plan** (`--target`): only {targets}", ""]
    destructive = [c for c in changed if c.summary_key in ("delete", "replace")]
    if destructive:
        lines += ["> [!CAUTION]", f"> **{len(destructive)} destructive change(s):**"]
        lines += [f"> - {_flag(change)}" for change in destructive[:_MAX_FLAGGED]]
        if len(destructive) > _MAX_FLAGGED:
            lines.append(f"> - … and {len(destructive) - _MAX_FLAGGED} more")
        lines.append("")
    return lines


def _flag(change: ResourceChange) -> str:
    key = change.summary_key
    reason = cell(elide_middle(reason_sentence(change), 300))
    text = f"{ICONS[key]} **{key}** `{cell(change.address)}`: {reason}"
    if change.replace_paths:
        text += " (forces replacement: " + ", ".join(f"`{p}`" for p in change.replace_paths) + ")"
    return text


def _table_row(change: ResourceChange) -> str:
    key = change.summary_key
    reason = cell(elide_middle(reason_sentence(change), 300))
    return f"| {ICONS[key]} | {key} | `{cell(change.address)}` | {reason} |"


def cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _section(change: ResourceChange) -> Section:
    key = change.summary_key
    summary = f"{ICONS[key]} {key} <code>{html.escape(change.address)}</code>"
    body: list[str] = []
    for field_change in change.changes:
        body += diff_lines(field_change, change.replace_paths)
    if not change.changes and key == "delete":
        body.append(f"- {change.address}")
    body += [f"# Warning: {elide_middle(warning, 500)}" for warning in change.warnings]
    if change.requests:
        body.append("# Requests:")
        body += [_request_line(request) for request in change.requests]
    return Section(summary, body)


def diff_lines(change: FieldChange, replace_paths: tuple[str, ...]) -> list[str]:
    before, after = change.masked()
    note = "  # forces replacement" if covers(replace_paths, change.path) else ""
    if change.sensitive and before is not None and after is not None:
        after = SENSITIVE_CHANGED
    lines = []
    if before is not None:
        lines.append(f"- {change.path}: {display_value(before, 300)}")
    if after is not None:
        lines.append(f"+ {change.path}: {display_value(after, 300)}{note}")
    elif note:
        lines[-1] += note
    return lines


def _request_line(request: PlannedRequest) -> str:
    line = f"#   {request.seq}. {request.method} {request.path}"
    if request.body is not None:
        line += " " + display_value(request.masked_body(), 200)
    return line


def _tail(plan: Plan, unchanged: int) -> list[str]:
    lines = [f"_{unchanged} resource(s) unchanged._", ""] if unchanged else []
    no_op_warnings = [
        f"- ⚠️ `{cell(c.address)}`: {cell(w)}"
        for c in plan.resource_changes
        if c.summary_key == "no_op"
        for w in c.warnings
    ]
    if no_op_warnings:
        lines += ["### Warnings", "", *no_op_warnings[:_MAX_FLAGGED]]
        if len(no_op_warnings) > _MAX_FLAGGED:
            lines.append(f"- … and {len(no_op_warnings) - _MAX_FLAGGED} more")
        lines.append("")
    if plan.diagnostics:
        lines += ["### Diagnostics", ""]
        lines += [_diagnostic_line(d) for d in plan.diagnostics[:_MAX_FLAGGED]]
        if len(plan.diagnostics) > _MAX_FLAGGED:
            lines.append(f"- … and {len(plan.diagnostics) - _MAX_FLAGGED} more")
        lines.append("")
    return lines


def _diagnostic_line(diagnostic: Diagnostic) -> str:
    where = f" (`{cell(diagnostic.address)}`)" if diagnostic.address else ""
    detail = f": {cell(elide_middle(diagnostic.detail, 500))}" if diagnostic.detail else ""
    return f"- **{diagnostic.severity}**: {cell(diagnostic.summary)}{where}{detail}"
