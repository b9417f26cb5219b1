"""Value helpers shared by the plan renderers: JSON-safe conversion, compact text, elision."""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, FieldChange, PlannedRequest

SENSITIVE_CHANGED = "(sensitive value changed)"
PLACEHOLDERS = frozenset({KNOWN_AFTER_APPLY, SENSITIVE, SENSITIVE_CHANGED})
ELLIPSIS = " … "


def to_jsonable(value: Any) -> Any:
    """Plain JSON data: tuples become lists, sets sorted lists, enums their values."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [to_jsonable(item) for item in value]
        return sorted(items, key=compact_json)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    return str(value)


def compact_json(value: Any) -> str:
    """Canonical one-line JSON (sorted keys, no spaces after separators)."""
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def masked_field_values(change: FieldChange) -> tuple[Any, Any]:
    """The before/after a renderer may show: placeholders for sensitive fields, whatever they hold.

    `None` stays `None` (absence is not secret); any other value becomes SENSITIVE.
    """
    if not change.sensitive:
        return change.before, change.after
    before = None if change.before is None else SENSITIVE
    after = None if change.after is None else SENSITIVE
    return before, after


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


CREDENTIAL_HEADERS = frozenset(
    {"authorization", "cookie", "proxy-authorization", "x-api-key", "x-user-token"}
)


def masked_headers(request: PlannedRequest) -> dict[str, str]:
    """The request's extra headers, sorted, with any credential header shown as SENSITIVE."""
    return {
        name: SENSITIVE if name.lower() in CREDENTIAL_HEADERS else value
        for name, value in sorted(request.headers.items())
    }


def masked_body(request: PlannedRequest) -> Any:
    """The body with SENSITIVE at every secret pointer, whatever the record holds there."""
    masked = to_jsonable(request.body)  # fresh containers: safe to modify
    for pointer in request.secret_refs:
        masked = _set_pointer(masked, pointer, SENSITIVE)
    return masked


def _set_pointer(document: Any, pointer: str, value: Any) -> Any:
    if pointer == "":
        return value
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]
    target = document
    for token in tokens[:-1]:
        target = _child(target, token)
        if target is None:
            return document
    last = tokens[-1]
    if isinstance(target, dict) and last in target:
        target[last] = value
    elif isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = value
    return document


def _child(container: Any, token: str) -> Any:
    if isinstance(container, dict):
        return container.get(token)
    if isinstance(container, list) and token.isdigit() and int(token) < len(container):
        return container[int(token)]
    return None
