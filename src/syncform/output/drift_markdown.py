"""The drift report for an issue or a chat: counts, a table of findings, details per finding."""

from __future__ import annotations

from syncform.engine.drift import DRIFT_CLASSES, DriftFinding, DriftResult
from syncform.output.drift_json import LABELS
from syncform.output.drift_text import change_line, counts_line, subject_of
from syncform.output.values import elide_middle

MARKER = "<!-- syncform:drift -->"
MAX_CHARS = 60_000
_ICONS = {
    "changed_outside": "🟡",
    "pending": "🔵",
    "deleted_outside": "🔴",
    "unmanaged": "⚪",
    "unhealthy": "🟠",
}


def render_drift_markdown(result: DriftResult, *, limit: int = MAX_CHARS) -> str:
    report = result.report
    where = ", ".join(f"`{name}`" for name in report.connections) or "none"
    head = [MARKER, "### syncform drift", "", f"**{counts_line(result)}**", "",
            f"Checked {report.resources_checked} resource(s) on {where}.", ""]  # fmt: skip
    if not report.findings:
        return "\n".join(head) + "\n"
    table = ["| class | resource | connection | detail |", "|---|---|---|---|"]
    table += [_row(finding) for finding in report.findings]
    sections = [_section(finding) for finding in _by_class(report.findings)]
    document = "\n".join([*head, *table, "", *sections]) + "\n"
    if len(document) > limit:
        note = "\n_The details were cut to fit; run `syncform drift -o json` for all of them._\n"
        document = "\n".join([*head, *table, ""])[: limit - len(note)] + note
    return document


def _by_class(findings: tuple[DriftFinding, ...]) -> list[DriftFinding]:
    return sorted(findings, key=lambda finding: DRIFT_CLASSES.index(finding.drift_class))


def _row(finding: DriftFinding) -> str:
    icon = _ICONS[finding.drift_class]
    detail = ", ".join(f"`{change.path}`" for change in finding.changes) or "; ".join(finding.notes)
    cells = [f"{icon} {LABELS[finding.drift_class]}", f"`{subject_of(finding)}`",
             f"`{finding.connection}`", _cell(detail)]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    return elide_middle(text.replace("|", "\\|").replace("\n", " "), 200)


def _section(finding: DriftFinding) -> str:
    body = [change_line(change) for change in finding.changes] + list(finding.notes)
    fence = "~~~~"
    summary = f"{LABELS[finding.drift_class]}: {subject_of(finding)}"
    return "\n".join(
        [f"<details><summary>{_cell(summary)}</summary>", "", f"{fence}diff", *body, fence, "",
         "</details>", ""]
    )  # fmt: skip
