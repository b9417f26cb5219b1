"""Helpers over spec values: JSON Pointers, canonical JSON and plan-safe display.

Specs are plain JSON-like data in which a secret is a `SecretValue` and a value known only during
apply is a `DeferredValue`. Nothing here ever returns a secret's value: there is none to return.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from syncform.engine.inputs import DeferredValue, SecretValue
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE

DIGEST_KEY = "$digest"  # how the state store keeps a secret: {"$digest": hex}


def escape_segment(segment: str) -> str:
    """One JSON Pointer segment (RFC 6901): `~` -> `~0`, `/` -> `~1`."""
    return segment.replace("~", "~0").replace("/", "~1")


def unescape_segment(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, segment: str | int) -> str:
    return f"{pointer}/{escape_segment(str(segment))}"


def split_pointer(pointer: str) -> list[str]:
    """`"/a/b~1c"` -> `["a", "b/c"]`; the root `""` -> `[]`."""
    if not pointer:
        return []
    return [unescape_segment(part) for part in pointer.split("/")[1:]]


def pointer_sort_key(pointer: str) -> tuple[tuple[int, int, str], ...]:
    """Orders pointers segment by segment, list indexes numerically."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in split_pointer(pointer)
    )


def canonical(value: Any) -> Any:
    """A comparable form: integral floats become ints, secrets their digest, refs their text."""
    if isinstance(value, SecretValue):
        return {DIGEST_KEY: value.digest}
    if isinstance(value, DeferredValue):
        return {"$ref": value.ref}
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(*parts: Any) -> str:
    """sha256 hex of the canonical JSON of `parts` (deterministic across runs)."""
    return hashlib.sha256(canonical_json(list(parts)).encode()).hexdigest()


def display(value: Any) -> Any:
    """A value fit for a plan: secrets become SENSITIVE, deferred values KNOWN_AFTER_APPLY."""
    if isinstance(value, SecretValue) or is_digest(value):
        return SENSITIVE
    if isinstance(value, DeferredValue):
        return KNOWN_AFTER_APPLY
    if isinstance(value, dict):
        return {key: display(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [display(item) for item in value]
    return value


def is_digest(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {DIGEST_KEY}


def iter_leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar (or SecretValue / DeferredValue) in `value` with its JSON Pointer."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_leaves(item, join_pointer(pointer, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from iter_leaves(item, join_pointer(pointer, index))
    else:
        yield pointer, value


def contains_secret(value: Any) -> bool:
    return is_digest(value) or any(isinstance(leaf, SecretValue) for _, leaf in iter_leaves(value))


def contains_deferred(value: Any) -> bool:
    return any(isinstance(leaf, DeferredValue) for _, leaf in iter_leaves(value))


def value_at(value: Any, segments: list[str]) -> tuple[bool, Any]:
    """(found, value) at the pointer segments; list segments are indexes."""
    current = value
    for segment in segments:
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            return False, None
    return True, current


def element_key(element: Any, keys: tuple[str, ...]) -> str | None:
    """The key of a map-list element (`x-list-map-keys`), or None when it lacks one."""
    if not keys or not isinstance(element, dict):
        return None
    parts = []
    for key in keys:
        part = element.get(key)
        if part is None or isinstance(part, dict | list | SecretValue | DeferredValue):
            return None
        parts.append(str(part))
    return ",".join(parts)


def keyed_elements(items: list[Any], keys: tuple[str, ...]) -> dict[str, Any] | None:
    """A map list as {key: element}; None when an element has no key or two share one."""
    keyed: dict[str, Any] = {}
    for item in items:
        key = element_key(item, keys)
        if key is None or key in keyed:
            return None
        keyed[key] = item
    return keyed
