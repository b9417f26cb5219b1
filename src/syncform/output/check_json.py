"""`syncform check --output json`: the document of docs/check-format.md (schemas/check.schema.json).

Deterministic: sorted keys, 2-space indent, a trailing newline; secrets only as placeholders.
"""

from __future__ import annotations

import json
from typing import Any

from syncform.core.address import SourceLocation
from syncform.core.canonical import to_jsonable
from syncform.engine.check_report import CheckReport
from syncform.engine.compare import Comparison
from syncform.output.check_text import counts, describe
from syncform.output.findings import findings_to_dict

CHECK_FORMAT_VERSION = "1.0"


def check_to_dict(result: CheckReport, *, tool_version: str) -> dict[str, Any]:
    number = counts(result)
    summary = {key.replace("-", "_"): value for key, value in number.items()}
    summary["destructive"] = len(result.destructive)
    summary["blocked"] = sum(1 for c in result.destructive if c.blocked)
    findings = findings_to_dict(result.findings, result.files, result.resources)
    return {
        "format_version": CHECK_FORMAT_VERSION,
        "tool": {"name": "syncform", "version": tool_version},
        "base": {"ref": result.base_ref, "commit": result.base_commit},
        "outcome": result.outcome,
        "allow_destructive": result.allow_destructive,
        "summary": summary,
        "findings": findings["findings"],
        "resource_changes": [_change(c) for c in result.comparisons],
    }


def _change(change: Comparison) -> dict[str, Any]:
    return {
        "address": str(change.address),
        "kind": change.address.kind,
        "name": change.address.name,
        "action": change.action,
        "description": describe(change),
        "destructive": change.destructive,
        "blocked": change.blocked,
        "renamed_from": _renamed(change, "create"),
        "renamed_to": _renamed(change, "delete"),
        "replace_paths": list(change.replace_paths),
        "changes": [_field(c.path, *c.masked(), c.sensitive) for c in change.changes],
        "lifecycle_changes": [
            {"field": c.field, "before": to_jsonable(c.before), "after": to_jsonable(c.after)}
            for c in change.lifecycle_changes
        ],
        "warnings": list(change.warnings),
        "source": str(change.source),
        "cause": _location(change.cause),
    }


def _renamed(change: Comparison, action: str) -> str | None:
    return str(change.renamed) if change.renamed and change.action == action else None


def _field(path: str, before: Any, after: Any, sensitive: bool) -> dict[str, Any]:
    return {
        "path": path,
        "before": to_jsonable(before),
        "after": to_jsonable(after),
        "sensitive": sensitive,
    }


def _location(where: SourceLocation) -> dict[str, Any]:
    return {"file": where.file, "line": where.line, "column": where.column}


def render_check_json(result: CheckReport, *, tool_version: str) -> str:
    document = check_to_dict(result, tool_version=tool_version)
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
