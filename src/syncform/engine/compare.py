"""Two manifest sets compared offline, address by address: what a change to the manifests does.

Pure: no I/O, no environment, no secret. The same rules as the planner, with the base manifests in
the place of live state:

- both sides go through the kind's `normalise_desired` and are diffed with `diff_spec` under the
  schema's field rules and the new manifest's `lifecycle.ignore_changes`; `${env:}`, `${file:}`
  and `${ref:}` values are compared as text, never resolved. A secret field is compared by a digest
  of its text and shown only as `(sensitive value)`;
- `update`: fields differ and all can change in place; `replace`: an `x-immutable` field (or
  ancestor) differs, or a driver's replace trigger fires with the base spec standing for what
  state would hold (Tines: the API key added or removed); `create` / `delete`: the address is
  on one side only; `no-op`: nothing the manifests manage differs;
- a rename: a delete and a create of one kind whose specs have the same natural key (one to one)
  are linked (`renamed`). They stay a delete plus a create, because state is keyed by address:
  apply deletes the old object and creates a new one;
- destructive (delete, replace) changes carry what the kind's delete does (its driver's warning)
  and `blocked` when no flag can allow them: `lifecycle.protect` in effect (apply refuses), or
  `protect` removed in the same change that deletes or replaces the resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from syncform.core.address import Address, SourceLocation
from syncform.core.pointer import join_pointer, split_pointer
from syncform.core.records import DIGEST_KEY, Desired, SecretValue, StateRecord, is_digest_marker
from syncform.core.resources import Lifecycle, Resource
from syncform.engine.actions import immutable_paths
from syncform.engine.diff import diff_spec
from syncform.engine.driver import Drivers, PlanningDriver
from syncform.engine.plan import SENSITIVE, FieldChange
from syncform.engine.rules import FieldRules
from syncform.engine.values import contains_secret, display
from syncform.schemas.semantics import path_matches
from syncform.secrets.digests import SecretHasher, redact_secrets

CREATE = "create"
UPDATE = "update"
REPLACE = "replace"
DELETE = "delete"
NO_OP = "no-op"
DESTRUCTIVE = (REPLACE, DELETE)
NO_REMOTE_ID = "(remote id)"
# Secrets are compared by a digest of their reference text; the key only keeps digests apart
# from state's (nothing here is a secret value, and no digest is ever shown).
_OFFLINE_HASHER = SecretHasher(b"syncform check: offline comparison")


@dataclass(frozen=True)
class LifecycleChange:
    field: str  # protect | ignore_changes | create_before_destroy | keep_stories_on_delete
    before: Any
    after: Any


@dataclass(frozen=True)
class Comparison:
    """What the change of the manifests does to one address."""

    address: Address
    action: str  # create | update | replace | delete | no-op
    base: Resource | None
    head: Resource | None
    changes: tuple[FieldChange, ...] = ()
    replace_paths: tuple[str, ...] = ()
    lifecycle_changes: tuple[LifecycleChange, ...] = ()
    renamed: Address | None = None  # a create: renamed from; a delete: renamed to
    warnings: tuple[str, ...] = ()
    blocked: str | None = None  # why no flag can allow this destructive change

    @property
    def destructive(self) -> bool:
        return self.action in DESTRUCTIVE

    @property
    def source(self) -> SourceLocation:
        """The manifest document: the new one, or the removed one for a delete."""
        resource = self.head or self.base
        assert resource is not None
        return resource.location

    @property
    def cause(self) -> SourceLocation:
        """The YAML line that causes the change: the first field forcing a replace, the
        `metadata.name` of a deleted (or renamed) manifest, else the document."""
        if self.action == REPLACE and self.head is not None and self.replace_paths:
            return self.head.location_of("/spec" + self.replace_paths[0])
        if self.action == DELETE and self.base is not None:
            return self.base.location_of("/metadata/name")
        return self.source

    @property
    def protect_change(self) -> LifecycleChange | None:
        return next((c for c in self.lifecycle_changes if c.field == "protect"), None)


def compare_manifests(
    base: Sequence[Resource],
    head: Sequence[Resource],
    drivers: Drivers,
    rules: Mapping[str, FieldRules],
) -> tuple[Comparison, ...]:
    """One comparison per address on either side, sorted by address (see the module doc)."""
    old = _by_address(base)
    new = _by_address(head)
    found: dict[Address, Comparison] = {}
    for address in sorted(old.keys() | new.keys()):
        before, after = old.get(address), new.get(address)
        kind = address.kind
        if kind not in drivers or kind not in rules:
            continue  # an unknown kind on the base side: nothing to compare it with
        driver, rule = drivers[kind], rules[kind]
        if before is None and after is not None:
            found[address] = _created(after, rule)
        elif after is None and before is not None:
            found[address] = _deleted(before, driver, rule)
        elif before is not None and after is not None:
            found[address] = _compared(before, after, driver, rule)
    _link_renames(found, drivers)
    return tuple(found[address] for address in sorted(found))


def _by_address(resources: Sequence[Resource]) -> dict[Address, Resource]:
    """The first manifest of each address (validation reports duplicates)."""
    found: dict[Address, Resource] = {}
    for resource in resources:
        found.setdefault(resource.address, resource)
    return found


def _created(head: Resource, rules: FieldRules) -> Comparison:
    spec = _wanted(head.spec, rules)
    return Comparison(head.address, CREATE, None, head, tuple(diff_spec(spec, None, None, rules)))


def _deleted(base: Resource, driver: PlanningDriver, rules: FieldRules) -> Comparison:
    spec = _recorded(base.spec, rules)
    changes = tuple(
        FieldChange(join_pointer("", key), display(value), None, contains_secret(value))
        for key, value in sorted(spec.items())
    )
    return Comparison(
        base.address,
        DELETE,
        base,
        None,
        changes,
        warnings=_delete_warnings(driver, base.lifecycle),
        blocked=_protected(base, None),
    )


def _compared(
    base: Resource, head: Resource, driver: PlanningDriver, rules: FieldRules
) -> Comparison:
    had = _recorded(driver.normalise_desired(base.spec), rules)
    wanted = _wanted(driver.normalise_desired(head.spec), rules)
    changes = tuple(diff_spec(wanted, had, had, rules, head.lifecycle.ignore_changes))
    triggers = driver.replace_triggers(_as_desired(head), _as_state(base, rules))
    replace_paths = tuple(sorted(immutable_paths(changes, wanted, had, rules) | set(triggers)))
    lifecycle = _lifecycle_changes(base.lifecycle, head.lifecycle)
    action = REPLACE if replace_paths else UPDATE if changes else NO_OP
    comparison = Comparison(head.address, action, base, head, changes, replace_paths, lifecycle)
    if action != REPLACE:
        return comparison
    warnings = (_replace_sentence(head.lifecycle), *_delete_warnings(driver, head.lifecycle))
    return replace(comparison, warnings=warnings, blocked=_protected(base, head))


def _recorded(spec: Mapping[str, Any], rules: FieldRules) -> dict[str, Any]:
    """The spec with each secret field as a digest of its text, as state records secrets."""
    patterns = tuple(rules.secret_paths())

    def is_secret(pointer: str) -> bool:
        path = tuple(split_pointer(pointer))
        return any(path_matches(pattern, path, wildcards=True) for pattern in patterns)

    return redact_secrets(spec, is_secret, _OFFLINE_HASHER)


def _wanted(spec: Mapping[str, Any], rules: FieldRules) -> dict[str, Any]:
    """The spec with each secret field as a `SecretValue` (compared by digest, never shown)."""
    wanted = _as_secret_values(_recorded(spec, rules))
    assert isinstance(wanted, dict)
    return wanted


def _as_secret_values(value: Any) -> Any:
    if is_digest_marker(value):
        return SecretValue(SENSITIVE, value[DIGEST_KEY])
    if isinstance(value, dict):
        return {key: _as_secret_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_secret_values(item) for item in value]
    return value


def _as_desired(head: Resource) -> Desired:
    return Desired(head, head.connection or "", head.spec)


def _as_state(base: Resource, rules: FieldRules) -> StateRecord:
    """What state would hold had the base manifests been applied (no remote id is known)."""
    applied = _recorded(base.spec, rules)
    return StateRecord(
        base.address, base.connection or "", NO_REMOTE_ID, applied, lifecycle=base.lifecycle
    )


def _lifecycle_changes(before: Lifecycle, after: Lifecycle) -> tuple[LifecycleChange, ...]:
    changed = []
    for item in fields(Lifecycle):
        old, new = getattr(before, item.name), getattr(after, item.name)
        if old != new:
            shown = (list(old), list(new)) if isinstance(old, tuple) else (old, new)
            changed.append(LifecycleChange(item.name, *shown))
    return tuple(changed)


def _delete_warnings(driver: PlanningDriver, lifecycle: Lifecycle) -> tuple[str, ...]:
    """What the kind's delete does, in its driver's own words (e.g. Tines' synced stories)."""
    return driver.delete(NO_REMOTE_ID, lifecycle).warnings


def _replace_sentence(lifecycle: Lifecycle) -> str:
    if lifecycle.create_before_destroy:
        return "replacing creates a new object (with a new id), then deletes the live one"
    return "replacing deletes the live object, then creates a new one (with a new id)"


def _protected(base: Resource, head: Resource | None) -> str | None:
    """Why `lifecycle.protect` makes a delete or replace impossible to allow, if it does."""
    if head is not None and head.lifecycle.protect:
        return "lifecycle.protect is set: apply refuses to replace it"
    if not base.lifecycle.protect:
        return None
    if head is None:
        return (
            "its manifest had lifecycle.protect, which state keeps: apply refuses to delete it; "
            "remove protect in a change of its own and apply that first"
        )
    return (
        "lifecycle.protect is removed in the same change that replaces it: remove protect in "
        "a change of its own and apply that first"
    )


def _link_renames(found: dict[Address, Comparison], drivers: Drivers) -> None:
    """Link each delete to the create of the same kind with the same natural key (one to one)."""
    deletes = _keyed(found, DELETE, drivers)
    creates = _keyed(found, CREATE, drivers)
    for slot, old in deletes.items():
        new = creates.get(slot)
        if old is None or new is None:
            continue
        found[old] = _renamed(found[old], new, is_delete=True)
        found[new] = _renamed(found[new], old, is_delete=False)


def _keyed(
    found: Mapping[Address, Comparison], action: str, drivers: Drivers
) -> dict[tuple[str, str], Address | None]:
    """(kind, natural key) -> the one address with `action` there (None: several)."""
    keyed: dict[tuple[str, str], Address | None] = {}
    for address, comparison in found.items():
        resource = comparison.head or comparison.base
        natural_key = drivers[address.kind].traits.natural_key
        if comparison.action != action or resource is None or natural_key is None:
            continue
        key = natural_key(resource.spec)
        if any(part is None for part in key):
            continue
        slot = (address.kind, repr(key))
        keyed[slot] = None if slot in keyed else address
    return keyed


def _renamed(comparison: Comparison, other: Address, *, is_delete: bool) -> Comparison:
    if is_delete:
        note = (
            f"renamed to {other.name} (same natural key): state is kept by address, so apply "
            f"deletes this object and creates {other} anew; to keep the live object, run "
            f"`syncform state rm {comparison.address}` before apply, and {other} adopts it by "
            "its natural key"
        )
    else:
        note = f"renamed from {other.name} (same natural key): see the delete of {other}"
    return replace(comparison, renamed=other, warnings=(note, *comparison.warnings))
