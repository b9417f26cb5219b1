"""The Plan: what apply will do, as frozen records (built by the planner, read by renderers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORMAT_VERSION = "1.0"

# Placeholders that stand in for values in plans; never a real value.
KNOWN_AFTER_APPLY = "(known after apply)"
SENSITIVE = "(sensitive value)"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    NO_OP = "no-op"


@dataclass(frozen=True)
class FieldChange:
    """One changed field. `path` is a JSON Pointer into the spec (e.g. "/story_ids").

    For sensitive fields `before`/`after` are never real values: renderers show
    "(sensitive value)" / "(sensitive value changed)".
    """

    path: str
    before: Any
    after: Any
    sensitive: bool = False


@dataclass(frozen=True)
class PlannedRequest:
    """One HTTP request apply will send. `seq` is the global 1-based order in the plan.

    `body` never holds a secret: secret values are replaced by SENSITIVE and the reference that
    apply resolves at send time is kept in `secret_refs` (JSON Pointer into body -> "${env:...}").
    Values only known during apply (ids of resources created earlier) are KNOWN_AFTER_APPLY in
    `path`/`body`; `deferred` maps the pointer ("" for the path) to "${ref:Kind/name.field}".
    """

    seq: int
    method: str
    path: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    secret_refs: dict[str, str] = field(default_factory=dict)
    deferred: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class ResourceChange:
    address: str
    kind: str
    name: str
    connection: str
    remote_id: str | None
    actions: tuple[Action, ...]
    action_reason: str
    replace_paths: tuple[str, ...] = ()
    changes: tuple[FieldChange, ...] = ()
    requests: tuple[PlannedRequest, ...] = ()
    warnings: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    source: str | None = None  # "file:line:col" of the manifest document, None for deletes

    @property
    def is_replace(self) -> bool:
        return Action.CREATE in self.actions and Action.DELETE in self.actions

    @property
    def summary_key(self) -> str:
        """create | update | replace | delete | no_op."""
        if self.is_replace:
            return "replace"
        return self.actions[0].value.replace("-", "_")


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning" | "info"
    summary: str
    address: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    resource_changes: tuple[ResourceChange, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    targeted: tuple[str, ...] = ()  # addresses given with --target; empty = whole configuration

    def summary(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "replace": 0, "delete": 0, "no_op": 0}
        for change in self.resource_changes:
            counts[change.summary_key] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        counts = self.summary()
        return any(counts[key] for key in ("create", "update", "replace", "delete"))
