"""What a kind's request builders receive and return (the planner numbers the requests).

Builders put `SecretValue` and `DeferredValue` straight into bodies; `make_request` swaps them for
placeholders and records where they stand, so no request ever carries a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncform.core.address import Address
from syncform.core.pointer import copy_tree, map_leaves, split_pointer
from syncform.core.records import DeferredValue, Desired, LiveObject, SecretValue, StateRecord
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, FieldChange, PlannedRequest
from syncform.engine.rules import FieldRules
from syncform.engine.values import has_record

RequestDraft = PlannedRequest
"""A request before it gets its place in the plan: `seq` is 0 until the ordering numbers it."""


def make_request(
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    description: str = "",
    path_ref: str | None = None,
) -> RequestDraft:
    """A draft whose body holds placeholders instead of secrets and not-yet-known values.

    `path_ref` is the `${ref:}` that fills a KNOWN_AFTER_APPLY in the path (an id from a create).
    """
    secret_refs: dict[str, str] = {}
    deferred: dict[str, str] = {}
    clean_body = _placeholders(body, secret_refs, deferred)
    if path_ref is not None:
        deferred[""] = path_ref
    return RequestDraft(
        seq=0,
        method=method,
        path=path,
        body=clean_body,
        headers=dict(headers or {}),
        secret_refs=secret_refs,
        deferred=deferred,
        description=description,
    )


def _placeholders(value: Any, secret_refs: dict[str, str], deferred: dict[str, str]) -> Any:
    if not has_record(value, (SecretValue, DeferredValue)):
        return copy_tree(value)  # what map_leaves gives when no leaf is replaced

    def placeholder(pointer: str, leaf: Any) -> Any:
        if isinstance(leaf, SecretValue):
            secret_refs[pointer] = leaf.ref
            return SENSITIVE
        if isinstance(leaf, DeferredValue):
            deferred[pointer] = leaf.ref
            return KNOWN_AFTER_APPLY
        return leaf

    return map_leaves(value, placeholder)


def id_ref(address: Address) -> str:
    """The reference to a resource's remote id, for requests that follow its create."""
    return f"${{ref:{address}.id}}"


@dataclass(frozen=True)
class UpdateInput:
    """Everything an update builder may use: desired, live, last applied and what changed."""

    desired: Desired
    live: LiveObject
    state: StateRecord | None
    changes: tuple[FieldChange, ...]
    rules: FieldRules

    @property
    def changed_fields(self) -> tuple[str, ...]:
        """Top-level spec keys with at least one change, in path order."""
        keys: dict[str, None] = {}
        for change in self.changes:
            keys[split_pointer(change.path)[0]] = None
        return tuple(keys)


@dataclass(frozen=True)
class Built:
    requests: tuple[RequestDraft, ...]
    warnings: tuple[str, ...] = ()
