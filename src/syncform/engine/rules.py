"""Per-field semantics the diff and planner need, as a small protocol.

The real rules come from the JSON Schemas (`x-immutable`, `x-list-type`, `x-secret`); the pure
engine only sees this protocol, so tests can pass `StaticFieldRules`.

A schema path is a tuple of object keys where `"*"` stands for "any item of this list",
e.g. `("resources", "*", "query")`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

SchemaPath = tuple[str, ...]
ListType = tuple[str, Sequence[str]]  # ("ordered" | "set" | "map", map keys)

ORDERED = "ordered"
SET = "set"
MAP = "map"


class FieldRules(Protocol):
    """What the engine asks about a kind's fields."""

    def is_immutable(self, path: SchemaPath) -> bool: ...

    def list_type(self, path: SchemaPath) -> ListType | None: ...

    def secret_paths(self) -> Iterable[SchemaPath]: ...


@dataclass(frozen=True)
class StaticFieldRules:
    """FieldRules from plain tables; the default instance knows nothing (every list ordered)."""

    immutable: frozenset[SchemaPath] = frozenset()
    lists: Mapping[SchemaPath, ListType] = field(default_factory=dict)
    secrets: frozenset[SchemaPath] = frozenset()

    def is_immutable(self, path: SchemaPath) -> bool:
        return path in self.immutable

    def list_type(self, path: SchemaPath) -> ListType | None:
        return self.lists.get(path)

    def secret_paths(self) -> Iterable[SchemaPath]:
        return sorted(self.secrets)


def list_kind(rules: FieldRules, path: SchemaPath) -> tuple[str, tuple[str, ...]]:
    """The list type at `path` with its map keys; lists without a declared type are ordered."""
    declared = rules.list_type(path)
    if declared is None:
        return ORDERED, ()
    list_type, keys = declared
    return list_type, tuple(keys)
