"""Per-field semantics the diff and planner need, as a small protocol.

The real rules come from the JSON Schemas (`x-immutable`, `x-list-type`, `x-secret`); the pure
engine only sees this protocol, so tests can pass `StaticFieldRules`.

A schema path is a tuple of object keys where `"*"` stands for "any item of this list",
e.g. `("resources", "*", "query")`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

SchemaPath = tuple[str, ...]
ListType = tuple[str, Sequence[str]]  # ("ordered" | "set" | "map", map keys)

ORDERED = "ordered"
SET = "set"
MAP = "map"


Spec = Mapping[str, Any]


class FieldRules(Protocol):
    """What the engine asks about a kind's fields.

    `spec` is the desired spec, for rules that hold only under a condition (a TrutoSyncJob's
    `resources` is a map keyed by name only when `default_runtime_version` is 4).
    Paths in `secret_paths()` may hold pattern segments; the engine uses only the plain ones.
    """

    def is_immutable(self, path: SchemaPath, spec: Spec | None = None) -> bool: ...

    def list_type(self, path: SchemaPath, spec: Spec | None = None) -> ListType | None: ...

    def secret_paths(self) -> Iterable[SchemaPath]: ...


@dataclass(frozen=True)
class StaticFieldRules:
    """FieldRules from plain tables; the default instance knows nothing (every list ordered)."""

    immutable: frozenset[SchemaPath] = frozenset()
    lists: Mapping[SchemaPath, ListType] = field(default_factory=dict)
    secrets: frozenset[SchemaPath] = frozenset()

    def is_immutable(self, path: SchemaPath, spec: Spec | None = None) -> bool:
        return path in self.immutable

    def list_type(self, path: SchemaPath, spec: Spec | None = None) -> ListType | None:
        return self.lists.get(path)

    def secret_paths(self) -> Iterable[SchemaPath]:
        return sorted(self.secrets)


def list_kind(
    rules: FieldRules, path: SchemaPath, spec: Spec | None = None
) -> tuple[str, tuple[str, ...]]:
    """The list type at `path` with its map keys; lists without a declared type are ordered."""
    declared = rules.list_type(path, spec)
    if declared is None:
        return ORDERED, ()
    list_type, keys = declared
    return list_type, tuple(keys)


@dataclass(frozen=True)
class SpecBoundRules:
    """`rules` with every question asked about one desired spec."""

    rules: FieldRules
    spec: Spec

    def is_immutable(self, path: SchemaPath, spec: Spec | None = None) -> bool:
        return self.rules.is_immutable(path, self.spec if spec is None else spec)

    def list_type(self, path: SchemaPath, spec: Spec | None = None) -> ListType | None:
        return self.rules.list_type(path, self.spec if spec is None else spec)

    def secret_paths(self) -> Iterable[SchemaPath]:
        return self.rules.secret_paths()


def plain_paths(paths: Iterable[SchemaPath]) -> list[SchemaPath]:
    """The paths made of plain keys only (no `*`, `**` or `/regex/` segments)."""
    return [
        path
        for path in paths
        if path and not any(part in ("*", "**") or part.startswith("/") for part in path)
    ]
