"""Value helpers shared by the plan renderers: JSON-safe conversion, compact text, elision."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from syncform.core.canonical import to_jsonable
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, ResourceChange

SENSITIVE_CHANGED = "(sensitive value changed)"
PLACEHOLDERS = frozenset({KNOWN_AFTER_APPLY, SENSITIVE, SENSITIVE_CHANGED})
ELLIPSIS = " … "


def compact_json(value: Any) -> str:
    """Canonical one-line JSON (sorted keys, no spaces after separators)."""
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def display_value(value: Any, limit: int = 160) -> str:
    """A value for humans: placeholders bare, everything else compact JSON, long ones elided."""
    if isinstance(value, str) and value in PLACEHOLDERS:
        return value
    return elide_middle(compact_json(value), limit)


def elide_middle(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` characters by cutting out its middle."""
    if len(text) <= limit:
        return text
    keep = max(limit - len(ELLIPSIS), 2)
    head = keep - keep // 2
    return text[:head] + ELLIPSIS + text[len(text) - keep // 2 :]


def covers(replace_paths: tuple[str, ...], path: str) -> bool:
    """True when `path` is one of `replace_paths` or lies under one of them."""
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in replace_paths)


def _paths(change: ResourceChange) -> str:
    return ", ".join(change.replace_paths) or "a field"


_BECAUSE: dict[str, Callable[[ResourceChange], str]] = {
    "not_found": lambda change: (
        "no live object exists for it (none in state, none found by its natural key)"
    ),
    "fields_changed": lambda change: (
        f"{len(change.changes)} managed field(s) differ from the manifest and can change in place"
    ),
    "replace_because_immutable": lambda change: f"{_paths(change)} cannot change in place",
    "not_in_manifests": lambda change: "it is in state but no manifest claims it any more",
    "deleted_outside": lambda change: (
        "its object was deleted outside syncform: nothing is sent, apply only forgets it in state"
    ),
    "moved": lambda change: (
        "another manifest now claims its object (metadata.importId): "
        "forgotten under this address, nothing is deleted"
    ),
    "no_changes": lambda change: "the live object matches every managed field",
}


def reason_sentence(change: ResourceChange) -> str:
    """Why the change happens, as a sentence ("because ..."); an unknown code as it is."""
    explain = _BECAUSE.get(change.action_reason)
    return f"because {explain(change)}" if explain else change.action_reason
