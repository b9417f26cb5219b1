"""The apply result: a summary for people, and a documented, versioned JSON document."""

from __future__ import annotations

import json
from typing import Any

from syncform.apply.result import ApplyResult

APPLY_FORMAT_VERSION = "1.0"


def apply_document(result: ApplyResult) -> dict[str, Any]:
    """`syncform apply -o json` (see docs/apply-format.md)."""
    return {
        "format_version": APPLY_FORMAT_VERSION,
        "run_id": result.run_id,
        "approved": result.approved,
        "summary": result.plan.summary(),
        "applied": sorted(result.applied),
        "failed": [{"address": a, "error": e} for a, e in sorted(result.failed.items())],
        "skipped": sorted(result.skipped),
        "not_started": sorted(result.not_started),
        "unconverged": [
            {"address": address, "fields": list(paths)}
            for address, paths in sorted(result.unconverged.items())
        ],
    }


def render_apply_json(result: ApplyResult) -> str:
    return json.dumps(apply_document(result), indent=2, sort_keys=True) + "\n"


def render_apply_text(result: ApplyResult) -> str:
    if not result.approved:
        return "Apply cancelled: nothing was changed.\n"
    lines = [f"  failed: {address}: {error}" for address, error in sorted(result.failed.items())]
    lines += [f"  skipped (a resource it depends on failed): {a}" for a in sorted(result.skipped)]
    lines += [f"  not started (--on-error abort): {a}" for a in sorted(result.not_started)]
    lines += [
        f"  did not converge: {address}: {', '.join(paths)}"
        for address, paths in sorted(result.unconverged.items())
    ]
    done = len(result.applied)
    head = "Apply complete!" if result.succeeded else "Apply finished with errors."
    counts = (
        f" Resources: {done} applied, {len(result.failed)} failed, {len(result.skipped)} "
        f"skipped, {len(result.not_started)} not started."
    )
    return "\n".join([head + counts, *lines]) + "\n"
