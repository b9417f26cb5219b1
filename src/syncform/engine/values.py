"""Helpers over spec values: plan-safe display, secrets and deferred values inside, map lists.

Specs are plain JSON-like data in which a secret is a `SecretValue` and a value known only during
apply is a `DeferredValue`. Nothing here ever returns a secret's value: there is none to return.
"""

from __future__ import annotations

from typing import Any

from syncform.core.pointer import has_leaf, plain_bytes
from syncform.core.records import (
    DIGEST_KEY,
    DeferredValue,
    SecretValue,
    Unreadable,
    is_digest_marker,
)
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, WRITE_ONLY


def display(value: Any) -> Any:
    """A value fit for a plan: secrets become SENSITIVE, deferred values KNOWN_AFTER_APPLY."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        if len(value) == 1 and DIGEST_KEY in value:  # is_digest_marker
            return SENSITIVE
        return {key: display(item) for key, item in value.items()}
    if kind is list:
        return [display(item) for item in value]
    return _display_other(value)


def _display_other(value: Any) -> Any:
    if isinstance(value, SecretValue) or is_digest_marker(value):
        return SENSITIVE
    if isinstance(value, DeferredValue):
        return KNOWN_AFTER_APPLY
    if isinstance(value, Unreadable):
        return WRITE_ONLY
    if isinstance(value, dict):
        return {key: display(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [display(item) for item in value]
    return value


def contains_secret(value: Any) -> bool:
    return is_digest_marker(value) or has_record(value, SecretValue)


def contains_deferred(value: Any) -> bool:
    return has_record(value, DeferredValue)


_RECORDS = (SecretValue, DeferredValue, Unreadable)


def has_record(value: Any, records: type | tuple[type, ...] = _RECORDS) -> bool:
    """Whether a leaf of `value` is one of the records (`SecretValue`, `DeferredValue`,
    `Unreadable`). Plain data (`core.pointer.plain_bytes`) is told apart at C speed and holds
    none of them; anything else has its leaves walked."""
    if isinstance(value, str | int | float) or value is None:
        return isinstance(value, records)
    if plain_bytes(value) is not None:
        return False
    return has_leaf(value, records)  # a record, a subclass, or a value nested too deep: walk


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


def as_references(value: Any) -> Any:
    """A spec fit for a plan file: each secret and deferred value as its reference text. A
    spec holding neither is returned as it is (a plan only reads it; copying every desired
    spec cost a 10,000-resource plan about 95 MB); otherwise it is a copy, with dicts and
    lists, tuples too, rebuilt around the leaves, as `map_leaves` does."""
    if not has_record(value, (SecretValue, DeferredValue)):
        return value
    return _with_references(value)


def _with_references(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _reference_of(item) for key, item in value.items()}
    if kind is list:
        return [_reference_of(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_references(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_references(item) for item in value]
    return value.ref if isinstance(value, SecretValue | DeferredValue) else value


def _reference_of(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    return _with_references(value)


def fill_unreadable(live: Any, last_applied: Any) -> Any:
    """`live` with each UNREADABLE value replaced by what was last applied at the same place.

    The API cannot show it, so what syncform last wrote there is the best knowledge of it; where
    nothing was applied (an adopted object), it stays UNREADABLE and shows as a change.
    Without any UNREADABLE in `live`, that is `live` itself (not a copy).
    """
    if not has_record(live, Unreadable):
        return live
    return _filled(live, last_applied)


def _filled(live: Any, last_applied: Any) -> Any:
    if isinstance(live, Unreadable):
        return live if last_applied is None else last_applied
    if isinstance(live, dict | list) and not has_record(live, Unreadable):
        return live  # nothing to fill below
    if isinstance(live, dict):
        fields = last_applied if isinstance(last_applied, dict) else {}
        return {key: _filled(item, fields.get(key)) for key, item in live.items()}
    if isinstance(live, list):
        items = last_applied if isinstance(last_applied, list) else []
        return [
            _filled(item, items[index] if index < len(items) else None)
            for index, item in enumerate(live)
        ]
    return live
