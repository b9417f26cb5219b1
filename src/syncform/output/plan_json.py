"""The JSON plan: the engine's plan document (see docs/plan-format.md), as deterministic text."""

from __future__ import annotations

import json

from syncform.engine.plan import Plan


def render_plan_json(plan: Plan, *, tool_version: str, saved: bool = False) -> str:
    """Sorted keys, 2-space indent, trailing newline. `saved` writes the file apply reads."""
    document = plan.to_dict(tool_version=tool_version, saved=saved)
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
