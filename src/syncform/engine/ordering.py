"""The dependency graph and the one global order of requests.

Edges (`A` depends on `B`) come from `metadata.dependsOn`, from every `${ref:B.field}` in A's
manifest spec, and from each kind's implicit links (`KindTraits.links`: a TrutoSyncJob whose
`integration_name` is the `name` of a TrutoIntegration in the manifests depends on it; a Polytomic
sync whose `run_after` names the remote id of a sync in state depends on it). Addresses only in
state keep the edges state recorded when they were applied, plus their remote-id links.

Request order (numbered 1..N across the plan), in three phases:
1. deletes of addresses no manifest claims, in reverse dependency order (dependents first);
2. creates, updates and replaces, in dependency order (dependencies first); a
   `["delete","create"]` replace sends its DELETE right before its own POST, so a failure
   elsewhere never leaves the object deleted and not recreated for longer than needed;
3. the DELETE of each `["create","delete"]` replace (create_before_destroy), in reverse dependency
   order, after every dependent has been updated to point at the new object.
Ties are broken by address, ascending, in every phase, so the same input gives the same order.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from graphlib import CycleError, TopologicalSorter
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import DependencyCycleError
from syncform.core.kinds import REMOTE_ID, KindCatalog
from syncform.core.pointer import values_matching
from syncform.core.records import Desired, StateRecord
from syncform.engine.plan import PlannedRequest
from syncform.engine.requests import RequestDraft
from syncform.manifests.dependencies import iter_edges

Dependencies = Mapping[Address, frozenset[Address]]


@dataclass(frozen=True)
class Graph:
    dependencies: Dependencies  # address -> the addresses it depends on
    unknown: tuple[tuple[Address, Address], ...] = ()  # (from, to) edges to unplanned addresses


def build_graph(
    desired: Sequence[Desired], state: Mapping[Address, StateRecord], catalog: KindCatalog
) -> Graph:
    """Edges from the manifests (see `syncform.manifests.dependencies`), from remote-id links
    to addresses in state (a Polytomic `run_after` id), and, for addresses only in state, the
    edges state recorded plus their remote-id links. An edge from a manifest to an address that
    is not planned is reported as unknown."""
    claimed = {item.address for item in desired}
    state_only = [record for address, record in state.items() if address not in claimed]
    nodes = claimed | {record.address for record in state_only}
    dependencies: dict[Address, set[Address]] = {address: set() for address in nodes}
    unknown: set[tuple[Address, Address]] = set()
    for edge in iter_edges([item.resource for item in desired], catalog):
        if edge.target in nodes:
            dependencies[edge.source].add(edge.target)
        else:
            unknown.add((edge.source, edge.target))
    by_remote_id = {(r.address.kind, r.remote_id): address for address, r in state.items()}
    specs = [(item.address, item.spec) for item in desired]
    specs += [(record.address, record.applied_spec) for record in state_only]
    for address, spec in specs:
        dependencies[address] |= _id_links(address, spec, catalog, by_remote_id)
    for record in state_only:
        dependencies[record.address] |= {target for target in record.depends_on if target in nodes}
    frozen = {address: frozenset(targets) for address, targets in dependencies.items()}
    return Graph(frozen, tuple(sorted(unknown)))


def _id_links(
    address: Address,
    spec: Mapping[str, Any],
    catalog: KindCatalog,
    by_remote_id: Mapping[tuple[str, str], Address],
) -> set[Address]:
    """The addresses in state whose remote id a field of `spec` names (see `FieldLink`)."""
    traits = catalog.get(address.kind)
    found: set[Address] = set()
    for link in traits.links if traits is not None else ():
        if link.field != REMOTE_ID:
            continue
        for value in values_matching(spec, link.pointer):
            target = by_remote_id.get((link.kind, str(value)))
            if target is not None and target != address:
                found.add(target)
    return found


def topological_order(dependencies: Dependencies) -> list[Address]:
    """Dependencies before dependents; among ready nodes the smallest address first."""
    sorter: TopologicalSorter[Address] = TopologicalSorter(dependencies)
    try:
        sorter.prepare()
    except CycleError as error:
        raise DependencyCycleError(_cycle_message(error.args[1])) from None
    ready = list(sorter.get_ready())
    heapq.heapify(ready)
    order: list[Address] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        sorter.done(node)
        for released in sorter.get_ready():
            heapq.heappush(ready, released)
    return order


def reverse_order(dependencies: Dependencies) -> list[Address]:
    """Dependents before their dependencies; ties by address."""
    dependents: dict[Address, set[Address]] = {node: set() for node in dependencies}
    for node, targets in dependencies.items():
        for target in targets:
            dependents.setdefault(target, set()).add(node)
    return topological_order({node: frozenset(found) for node, found in dependents.items()})


def _cycle_message(cycle: Sequence[Address]) -> str:
    nodes = list(cycle[:-1]) if len(cycle) > 1 and cycle[0] == cycle[-1] else list(cycle)
    start = nodes.index(min(nodes))
    loop = nodes[start:] + nodes[:start] + [nodes[start]]
    return "dependency cycle: " + " -> ".join(str(node) for node in loop)


def closure(targets: Iterable[Address], dependencies: Dependencies) -> set[Address]:
    """The targets and everything they depend on, transitively."""
    selected: set[Address] = set()
    pending = [target for target in targets if target in dependencies]
    while pending:
        node = pending.pop()
        if node not in selected:
            selected.add(node)
            pending.extend(dependencies[node])
    return selected


@dataclass(frozen=True)
class Staged:
    """A resource's requests by phase (see the module docstring)."""

    deletes_first: tuple[RequestDraft, ...] = ()
    forward: tuple[RequestDraft, ...] = ()
    deletes_last: tuple[RequestDraft, ...] = ()


def number_requests(
    staged: Mapping[Address, Staged],
    forward: Sequence[Address],
    backward: Sequence[Address],
    selected: Collection[Address],
) -> dict[Address, tuple[PlannedRequest, ...]]:
    """Each resource's requests with their global sequence numbers."""
    phases = ((backward, "deletes_first"), (forward, "forward"), (backward, "deletes_last"))
    numbered: dict[Address, list[PlannedRequest]] = {address: [] for address in staged}
    seq = 0
    for order, phase in phases:
        for address in order:
            if address not in selected or address not in staged:
                continue
            drafts: tuple[RequestDraft, ...] = getattr(staged[address], phase)
            for draft in drafts:
                seq += 1
                numbered[address].append(replace(draft, seq=seq))
    return {address: tuple(requests) for address, requests in numbered.items()}
