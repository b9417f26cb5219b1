"""Rendering validation findings: compiler-style text, stable JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from syncform.core.findings import Finding

FINDINGS_FORMAT_VERSION = "1.0"
GITHUB_ANNOTATION_CAP = 50


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for finding in findings if finding.is_error)
    return errors, len(findings) - errors


def render_findings_text(findings: Sequence[Finding], files: int, resources: int) -> str:
    lines = [f"{f.location}: {f.severity} [{f.rule}] {f.message}" for f in findings]
    lines.append(summary_line(findings, files, resources))
    return "\n".join(lines) + "\n"


def summary_line(findings: Sequence[Finding], files: int, resources: int) -> str:
    errors, warnings = _counts(findings)
    if errors:
        return f"{errors} error(s), {warnings} warning(s) in {files} file(s)."
    return f"Valid: {resources} resource(s) in {files} file(s), {warnings} warning(s)."


def findings_to_dict(findings: Sequence[Finding], files: int, resources: int) -> dict[str, object]:
    errors, warnings = _counts(findings)
    return {
        "format_version": FINDINGS_FORMAT_VERSION,
        "valid": errors == 0,
        "summary": {"errors": errors, "warnings": warnings, "files": files, "resources": resources},
        "findings": [
            {
                "file": f.location.file,
                "line": f.location.line,
                "column": f.location.column,
                "pointer": f.pointer,
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
            }
            for f in findings
        ],
    }


def render_findings_json(findings: Sequence[Finding], files: int, resources: int) -> str:
    return json.dumps(findings_to_dict(findings, files, resources), indent=2, sort_keys=True) + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_findings_github(findings: Sequence[Finding], files: int, resources: int) -> str:
    """Workflow commands; errors first. Past the per-job cap the rest are printed as plain lines."""
    ordered = sorted(findings, key=lambda f: (not f.is_error, f))
    lines = [_annotation(f) for f in ordered[:GITHUB_ANNOTATION_CAP]]
    rest = ordered[GITHUB_ANNOTATION_CAP:]
    if rest:
        lines.append(
            f"::notice title=syncform::{len(rest)} more finding(s) are listed below as text"
        )
        lines.extend(render_findings_text(rest, files, resources).splitlines()[:-1])
    lines.append(summary_line(findings, files, resources))
    return "\n".join(lines) + "\n"


def _annotation(finding: Finding) -> str:
    level = "error" if finding.is_error else "warning"
    where = finding.location
    properties = (
        f"file={escape_property(where.file)},line={where.line},col={where.column},"
        f"title={escape_property(finding.rule)}"
    )
    return f"::{level} {properties}::{escape_data(finding.message)}"


FINDINGS_RENDERERS = {
    "text": render_findings_text,
    "json": render_findings_json,
    "github": render_findings_github,
}
