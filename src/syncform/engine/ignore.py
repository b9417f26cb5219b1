"""`lifecycle.ignore_changes`: JSON Pointers with `*` wildcards, erased before comparing.

A segment matches an object key, an ordered or set list index, or a map list element's key
(`/resources/contacts/query` ignores the `query` of the element named `contacts`); `*` matches any
one segment. An erased path is compared on neither side, so it never shows as a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from syncform.core.pointer import split_pointer
from syncform.engine.rules import MAP, FieldRules, SchemaPath, list_kind
from syncform.engine.values import element_key

WILDCARD = "*"
_ERASED = object()


def parse_patterns(pointers: Sequence[str]) -> list[list[str]]:
    return [split_pointer(pointer) for pointer in pointers if pointer.startswith("/")]


def erase_ignored(value: Any, patterns: Sequence[list[str]], rules: FieldRules) -> Any:
    """`value` without anything the patterns name (a new value; the input is not changed)."""
    for pattern in patterns:
        erased = _erase(value, pattern, (), rules)
        value = None if erased is _ERASED else erased
    return value


def _erase(value: Any, pattern: list[str], path: SchemaPath, rules: FieldRules) -> Any:
    if not pattern:
        return _ERASED
    head, rest = pattern[0], pattern[1:]
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            result = _erase(item, rest, (*path, key), rules) if head in (WILDCARD, key) else item
            if result is not _ERASED:
                kept[key] = result
        return kept
    if isinstance(value, list):
        list_type, keys = list_kind(rules, path)
        kept_items = []
        for index, item in enumerate(value):
            segment = element_key(item, keys) if list_type == MAP else str(index)
            matches = head in (WILDCARD, segment)
            result = _erase(item, rest, (*path, WILDCARD), rules) if matches else item
            if result is not _ERASED:
                kept_items.append(result)
        return kept_items
    return value
