"""The planner: desired, live and state in; an ordered Plan out. Pure: no I/O, clock or env.

Steps: index the manifests; build the dependency graph (`ordering`); walk it in dependency order
deciding one action per address (`actions`), so that a `${ref:X.id}` to a resource being created or
replaced is known after apply in its dependents; refuse protected deletes and replaces
(`guardrails`); number every request in one global order; sort resource changes by address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import PlanError
from syncform.core.records import DeferredValue, Desired, LiveObject, StateRecord
from syncform.engine.actions import Decision, decide_desired, decide_state_only
from syncform.engine.driver import Drivers, PlanningDriver
from syncform.engine.guardrails import check_protected
from syncform.engine.ordering import (
    build_graph,
    closure,
    number_requests,
    reverse_order,
    topological_order,
)
from syncform.engine.plan import Action, Diagnostic, Plan, PlannedRequest, ResourceChange
from syncform.engine.rules import FieldRules
from syncform.engine.values import as_references
from syncform.secrets.references import (
    Reference,
    ReferenceSyntaxError,
    parse_reference,
    reference_strings,
)


def make_plan(
    desired: Sequence[Desired],
    live: Mapping[Address, LiveObject],
    state: Mapping[Address, StateRecord],
    rules: Mapping[str, FieldRules],
    drivers: Drivers,
    *,
    targets: Sequence[Address] = (),
) -> Plan:
    """The plan that takes live to desired (see the module docstring)."""
    by_address = _index(desired)
    graph = build_graph(desired, state, {kind: d.traits for kind, d in drivers.items()})
    forward = topological_order(graph.dependencies)
    backward = reverse_order(graph.dependencies)
    selected = closure(targets, graph.dependencies) if targets else set(forward)
    order = [address for address in forward if address in selected]
    decisions = _decide_all(order, _Inputs(by_address, live, state, rules, drivers))
    check_protected(decisions)
    staged = {address: decision.staged for address, decision in decisions.items()}
    numbered = number_requests(staged, forward, backward, selected)
    changes = tuple(
        _resource_change(address, decisions[address], numbered[address], graph.dependencies,
                         by_address.get(address))
        for address in sorted(decisions)
    )  # fmt: skip
    diagnostics = _diagnostics(graph.unknown, targets, graph.dependencies)
    return Plan(changes, diagnostics, tuple(sorted({str(target) for target in targets})))


@dataclass(frozen=True)
class _Inputs:
    by_address: Mapping[Address, Desired]
    live: Mapping[Address, LiveObject]
    state: Mapping[Address, StateRecord]
    rules: Mapping[str, FieldRules]
    drivers: Drivers


def _decide_all(order: Sequence[Address], given: _Inputs) -> dict[Address, Decision]:
    """One decision per address, dependencies first (their outcome shapes their dependents)."""
    by_address, live, state = given.by_address, given.live, given.state
    claimed = _claimed_objects(by_address, live)
    decisions: dict[Address, Decision] = {}
    creating = False  # whether any decision so far creates: only then can a ref be deferred
    for address in order:
        driver = _driver(given.drivers, address.kind)
        if address not in by_address:
            record = state[address]
            owner = claimed.get((address.kind, record.connection, record.remote_id))
            decision = decide_state_only(record, live.get(address), driver, owner)
        else:
            item = by_address[address]
            if creating:
                item = _defer_pending_refs(item, decisions, by_address)
            rule = _rules(given.rules, address.kind)
            found = live.get(address)
            decision = decide_desired(item, found, state.get(address), rule, driver)
        decisions[address] = decision
        creating = creating or Action.CREATE in decision.actions
    return decisions


def _claimed_objects(
    by_address: Mapping[Address, Desired], live: Mapping[Address, LiveObject]
) -> dict[tuple[str, str, str], Address]:
    """(kind, connection, remote id) -> the manifest address whose live object it is."""
    return {
        (address.kind, item.connection, live[address].remote_id): address
        for address, item in by_address.items()
        if address in live
    }


def _index(desired: Sequence[Desired]) -> dict[Address, Desired]:
    by_address: dict[Address, Desired] = {}
    for item in desired:
        if item.address in by_address:
            raise PlanError(f"{item.address} is declared twice")
        by_address[item.address] = item
    return by_address


def _driver(drivers: Drivers, kind: str) -> PlanningDriver:
    if kind not in drivers:
        raise PlanError(f"no driver for kind {kind!r}")
    return drivers[kind]


def _rules(rules: Mapping[str, FieldRules], kind: str) -> FieldRules:
    if kind not in rules:
        raise PlanError(f"no field rules for kind {kind!r}")
    return rules[kind]


def _reference(text: str) -> Reference | None:
    try:
        return parse_reference(text)
    except ReferenceSyntaxError:
        return None


def _defer_pending_refs(
    item: Desired, decisions: Mapping[Address, Decision], by_address: Mapping[Address, Desired]
) -> Desired:
    """Mark `${ref:X.field}` values as known after apply when X is created or replaced here.

    The resolver filled such refs from X's current live object; once X is replaced, its id (and
    any field its manifest does not set) changes, so the old value must not be planned.
    """

    def pending(reference: Reference) -> bool:
        address, field = reference.address, reference.field
        if address not in decisions or Action.CREATE not in decisions[address].actions:
            return False
        return field == "id" or field not in by_address[address].spec

    references = (_reference(text) for _, text in reference_strings(item.resource.spec))
    if not any(ref is not None and ref.scheme == "ref" and pending(ref) for ref in references):
        return item  # no reference to defer: `_defer` would give the same spec
    spec = _defer(item.resource.spec, item.spec, pending)
    return item if spec == item.spec else replace(item, spec=spec)


def _defer(raw: Any, resolved: Any, pending: Callable[[Reference], bool]) -> Any:
    if isinstance(raw, str):
        reference = _reference(raw)
        if reference is not None and reference.scheme == "ref" and pending(reference):
            return DeferredValue(raw)
        return resolved
    if isinstance(raw, dict) and isinstance(resolved, dict):
        return {key: _defer(raw.get(key), value, pending) for key, value in resolved.items()}
    if isinstance(raw, list) and isinstance(resolved, list) and len(raw) == len(resolved):
        return [_defer(old, new, pending) for old, new in zip(raw, resolved, strict=True)]
    return resolved


def _resource_change(
    address: Address,
    decision: Decision,
    requests: tuple[PlannedRequest, ...],
    dependencies: Mapping[Address, frozenset[Address]],
    item: Desired | None,
) -> ResourceChange:
    return ResourceChange(
        address=str(address),
        kind=address.kind,
        name=address.name,
        connection=decision.connection,
        remote_id=decision.remote_id,
        actions=decision.actions,
        action_reason=decision.reason,
        replace_paths=decision.replace_paths,
        changes=decision.changes,
        requests=requests,
        warnings=decision.warnings,
        depends_on=tuple(str(target) for target in sorted(dependencies.get(address, ()))),
        source=str(item.resource.location) if item is not None else None,
        desired_spec=as_references(item.spec) if item is not None else None,
        lifecycle=item.resource.lifecycle if item is not None else None,
    )


def _diagnostics(
    unknown: Sequence[tuple[Address, Address]],
    targets: Sequence[Address],
    dependencies: Mapping[Address, frozenset[Address]],
) -> tuple[Diagnostic, ...]:
    found = [
        Diagnostic("warning", f"depends on {target}, which is neither in the manifests nor in "
                   "state: the dependency is ignored", address=str(source))
        for source, target in unknown
    ]  # fmt: skip
    for target in sorted(set(targets)):
        if target not in dependencies:
            found.append(Diagnostic("warning", f"--target {target} matches no resource"))
    if targets:
        names = ", ".join(str(target) for target in sorted(set(targets)))
        found.append(
            Diagnostic(
                "warning",
                f"partial plan: only {names} and what they depend on were planned (--target); "
                "other changes may be pending",
            )
        )
    return tuple(found)
