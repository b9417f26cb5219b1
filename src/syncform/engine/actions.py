"""One action per address, with its reason, field changes and requests by phase.

`action_reason` values (the vocabulary of docs/plan-format.md and schemas/plan.schema.json):
- `not_found`: no live object (by state id or natural key); create it;
- `fields_changed`: managed fields differ and all of them can change in place;
- `replace_because_immutable`: a field that cannot change in place differs (see
  `replace_paths`): `["delete","create"]`, or `["create","delete"]` with create_before_destroy;
  a delete-then-create replace sends its DELETE right before its own POST;
- `not_in_manifests`: the address is in state but no manifest claims it: delete it;
- `deleted_outside`: the address is in state, no manifest claims it and its object is already
  gone: `forget`, nothing is sent (apply only drops it from state);
- `moved`: the address is in state, no manifest claims it, and another manifest now claims its
  object (by `metadata.importId`): `forget`, nothing is deleted;
- `no_changes`: live matches every managed field (`no-op`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from syncform.core.address import Address
from syncform.core.pointer import join_pointer, split_pointer
from syncform.core.records import Desired, LiveObject, StateRecord
from syncform.engine.diff import diff_spec
from syncform.engine.driver import PlanningDriver
from syncform.engine.ordering import Staged
from syncform.engine.plan import Action, FieldChange
from syncform.engine.requests import UpdateInput
from syncform.engine.rules import FieldRules, SchemaPath, Spec
from syncform.engine.values import contains_secret, display, fill_unreadable

NOT_FOUND = "not_found"
FIELDS_CHANGED = "fields_changed"
REPLACE_BECAUSE_IMMUTABLE = "replace_because_immutable"
NOT_IN_MANIFESTS = "not_in_manifests"
DELETED_OUTSIDE = "deleted_outside"
MOVED = "moved"
NO_CHANGES = "no_changes"
ACTION_REASONS = (
    NOT_FOUND,
    FIELDS_CHANGED,
    REPLACE_BECAUSE_IMMUTABLE,
    NOT_IN_MANIFESTS,
    DELETED_OUTSIDE,
    MOVED,
    NO_CHANGES,
)


@dataclass(frozen=True)
class Decision:
    actions: tuple[Action, ...]
    reason: str
    connection: str
    remote_id: str | None
    staged: Staged = field(default_factory=Staged)
    changes: tuple[FieldChange, ...] = ()
    replace_paths: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    protected: bool = False

    @property
    def destroys(self) -> bool:
        return Action.DELETE in self.actions


def decide_desired(
    desired: Desired,
    live: LiveObject | None,
    state: StateRecord | None,
    rules: FieldRules,
    driver: PlanningDriver,
) -> Decision:
    """The action for an address a manifest claims."""
    lifecycle = desired.resource.lifecycle
    if live is None:
        return _create(desired, state, rules, driver)
    # Live objects arrive normalised by reading; desired and last applied specs go through the
    # same driver's other half of the pair, so a spelled-out server default is no change.
    normalise = driver.normalise_desired
    last = normalise(state.applied_spec) if state is not None else None
    wanted, found = normalise(desired.spec), fill_unreadable(live.spec, last)
    changes = tuple(diff_spec(wanted, found, last, rules, lifecycle.ignore_changes))
    base = Decision(
        (Action.NO_OP,),
        NO_CHANGES,
        connection=desired.connection,
        remote_id=live.remote_id,
        changes=changes,
        warnings=_adoption_warnings(live, state),
        protected=lifecycle.protect,
    )
    immutable = immutable_paths(changes, desired.spec, live.spec, rules)
    replace_paths = tuple(sorted(immutable | set(driver.replace_triggers(desired, state))))
    if replace_paths:
        return _replacement(base, desired, live, replace_paths, driver)
    if not changes:
        return base
    built = driver.update(UpdateInput(desired, live, state, changes, rules))
    return replace(
        base,
        actions=(Action.UPDATE,),
        reason=FIELDS_CHANGED,
        staged=Staged(forward=built.requests),
        warnings=base.warnings + built.warnings,
    )


def _replacement(
    base: Decision,
    desired: Desired,
    live: LiveObject,
    replace_paths: tuple[str, ...],
    driver: PlanningDriver,
) -> Decision:
    lifecycle = desired.resource.lifecycle
    created = driver.create(desired)
    deleted = driver.delete(live.remote_id, lifecycle)
    if lifecycle.create_before_destroy:
        actions = (Action.CREATE, Action.DELETE)
        staged = Staged(forward=created.requests, deletes_last=deleted.requests)
    else:
        actions = (Action.DELETE, Action.CREATE)
        # The DELETE goes right before its own POST, so a failure elsewhere never leaves the
        # object deleted and not recreated for longer than needed.
        staged = Staged(forward=deleted.requests + created.requests)
    return replace(
        base,
        actions=actions,
        reason=REPLACE_BECAUSE_IMMUTABLE,
        staged=staged,
        replace_paths=replace_paths,
        warnings=base.warnings + created.warnings + deleted.warnings,
    )


def _create(
    desired: Desired, state: StateRecord | None, rules: FieldRules, driver: PlanningDriver
) -> Decision:
    built = driver.create(desired)
    warnings = built.warnings
    if state is not None:
        warnings = (
            f"was in state as remote id {state.remote_id} but no longer exists: "
            "it will be created again",
            *warnings,
        )
    return Decision(
        (Action.CREATE,),
        NOT_FOUND,
        connection=desired.connection,
        remote_id=None,
        staged=Staged(forward=built.requests),
        changes=tuple(diff_spec(desired.spec, None, None, rules)),
        warnings=warnings,
        protected=desired.resource.lifecycle.protect,
    )


def decide_state_only(
    state: StateRecord,
    live: LiveObject | None,
    driver: PlanningDriver,
    claimed_by: Address | None = None,
) -> Decision:
    """The delete of an address that is in state but in no manifest; `forget` when it is gone,
    or when another manifest now claims its object (a rename through `metadata.importId`)."""
    if claimed_by is not None:
        return Decision(
            (Action.FORGET,),
            MOVED,
            connection=state.connection,
            remote_id=state.remote_id,
            warnings=(f"its object is now {claimed_by}: nothing is deleted",),
        )
    before = live.spec if live is not None else state.applied_spec
    changes = tuple(
        FieldChange(join_pointer("", key), display(value), None, contains_secret(value))
        for key, value in sorted(before.items())
    )
    if live is None:
        return Decision(
            (Action.FORGET,),
            DELETED_OUTSIDE,
            connection=state.connection,
            remote_id=state.remote_id,
            warnings=("deleted outside syncform: nothing is sent; apply forgets it in state",),
        )
    built = driver.delete(state.remote_id, state.lifecycle)
    return Decision(
        (Action.DELETE,),
        NOT_IN_MANIFESTS,
        connection=state.connection,
        remote_id=state.remote_id,
        staged=Staged(deletes_first=built.requests),
        changes=changes,
        warnings=built.warnings,
        protected=state.lifecycle.protect,
    )


ADOPTED_BY = {"natural_key": "natural key", "import": "metadata.importId"}


def _adoption_warnings(live: LiveObject, state: StateRecord | None) -> tuple[str, ...]:
    if state is None and live.found_by in ADOPTED_BY:
        how = ADOPTED_BY[live.found_by]
        return (f"adopts the existing remote object {live.remote_id}, found by its {how}",)
    return ()


def immutable_paths(
    changes: Iterable[FieldChange], desired: Spec, live: Spec, rules: FieldRules
) -> set[str]:
    """The pointer of each immutable field (or immutable ancestor) among the changes."""
    found: set[str] = set()
    for change in changes:
        segments = split_pointer(change.path)
        schema = _schema_path(segments, desired, live)
        for depth in range(1, len(schema) + 1):
            if rules.is_immutable(schema[:depth], desired):
                pointer = ""
                for segment in segments[:depth]:
                    pointer = join_pointer(pointer, segment)
                found.add(pointer)
                break
    return found


def _schema_path(segments: list[str], *samples: object) -> SchemaPath:
    """Pointer segments as a schema path: list positions and map keys become `*`."""
    path: list[str] = []
    currents = list(samples)
    for segment in segments:
        is_list = any(isinstance(current, list) for current in currents)
        path.append("*" if is_list else segment)
        currents = [_child(current, segment) for current in currents]
    return tuple(path)


def _child(value: object, segment: str) -> object:
    if isinstance(value, dict):
        return value.get(segment)
    if isinstance(value, list):
        return next(iter(value), None) if not segment.isdigit() else _index(value, int(segment))
    return None


def _index(values: list[object], index: int) -> object:
    return values[index] if index < len(values) else None
