"""The Plan: what apply will do, as frozen records (built by the planner, read by renderers).

`Plan.to_dict()` / `Plan.from_dict()` are the plan file (`plan --out`, read by apply), owned by
the engine; the JSON renderer shows the same document. See `syncform.engine.plan_file`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from syncform.core.canonical import to_jsonable
from syncform.core.pointer import split_pointer, value_at
from syncform.core.resources import Lifecycle

FORMAT_VERSION = "1.1"  # 1.1: saved plans carry `desired` per address

# Placeholders that stand in for values in plans; never a real value.
KNOWN_AFTER_APPLY = "(known after apply)"
SENSITIVE = "(sensitive value)"
WRITE_ONLY = "(write-only value, not readable)"


CREDENTIAL_HEADERS = frozenset(
    {"authorization", "cookie", "proxy-authorization", "x-api-key", "x-user-token"}
)


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    FORGET = "forget"  # gone outside syncform: dropped from state, nothing sent
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

    def masked(self) -> tuple[Any, Any]:
        """(before, after) as anything may show them: SENSITIVE for a sensitive field whatever it
        holds; `None` stays `None` (absence is not secret)."""
        if not self.sensitive:
            return self.before, self.after
        before = None if self.before is None else SENSITIVE
        after = None if self.after is None else SENSITIVE
        return before, after

    def to_dict(self) -> dict[str, Any]:
        """The change as plain JSON data, masked (the plan document and drift reports)."""
        before, after = self.masked()
        return {
            "path": self.path,
            "before": to_jsonable(before),
            "after": to_jsonable(after),
            "sensitive": self.sensitive,
        }


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

    def masked_body(self) -> Any:
        """The body as plain JSON with SENSITIVE at every secret pointer, whatever it holds."""
        masked = to_jsonable(self.body)  # fresh containers: safe to modify
        for pointer in self.secret_refs:
            masked = _replace_at(masked, split_pointer(pointer), SENSITIVE)
        return masked

    def masked_headers(self) -> dict[str, str]:
        """The extra headers, sorted, with any credential header shown as SENSITIVE."""
        return {
            name: SENSITIVE if name.lower() in CREDENTIAL_HEADERS else value
            for name, value in sorted(self.headers.items())
        }


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
    # What apply records in state once the change is applied: the manifest's spec with every
    # secret and `${ref:}` as its reference text (never a value), and its lifecycle.
    desired_spec: dict[str, Any] | None = None
    lifecycle: Lifecycle | None = None

    @property
    def is_replace(self) -> bool:
        return Action.CREATE in self.actions and Action.DELETE in self.actions

    @property
    def summary_key(self) -> str:
        """create | update | replace | delete | forget | no_op."""
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
    manifests_digest: str | None = None  # sha256 of the manifests and config the plan came from
    created_at: str | None = None  # when the plan was made (ISO 8601 UTC), for --max-plan-age
    live_fingerprints: dict[str, str] = field(default_factory=dict)  # address -> live object

    def to_dict(self, *, tool_version: str, saved: bool = False) -> dict[str, Any]:
        """The plan as plain JSON data; `saved` adds what apply needs (secret references by name,
        the desired specs to record, the digests and fingerprints to check staleness)."""
        from syncform.engine.plan_file import encode_plan  # noqa: PLC0415 (it imports this module)

        return encode_plan(self, tool_version=tool_version, saved=saved)

    @classmethod
    def from_dict(cls, data: Any) -> Plan:
        """A plan read back from a saved plan file; raises PlanError naming what is wrong."""
        from syncform.engine.plan_file import decode_plan  # noqa: PLC0415 (it imports this module)

        return decode_plan(data)

    def summary(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "replace": 0, "delete": 0, "forget": 0, "no_op": 0}
        for change in self.resource_changes:
            counts[change.summary_key] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        counts = self.summary()
        return any(counts[key] for key in ("create", "update", "replace", "delete", "forget"))


def _replace_at(document: Any, segments: list[str], value: Any) -> Any:
    """`document` with `value` at the pointer segments, when the place exists."""
    if not segments:
        return value
    found, parent = value_at(document, segments[:-1])
    last = segments[-1]
    if found and isinstance(parent, dict) and last in parent:
        parent[last] = value
    elif found and isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = value
    return document
