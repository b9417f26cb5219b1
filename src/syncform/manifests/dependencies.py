"""The dependency graph of a set of resources: dependsOn, ${ref:} and implicit edges."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from syncform.core.address import Address
from syncform.core.kinds import REMOTE_ID, KindCatalog
from syncform.core.pointer import values_matching
from syncform.core.resources import Resource
from syncform.secrets.references import ReferenceSyntaxError, parse_reference, reference_strings

# The strings of one resource's spec that may hold a reference: reference_strings(spec, "/spec").
ReferenceStrings = Sequence[tuple[str, str]]


@dataclass(frozen=True, order=True)
class Edge:
    """`source` must be applied after `target`; `pointer` says where the edge comes from."""

    source: Address
    target: Address
    origin: str  # "dependsOn" | "ref" | "implicit"
    pointer: str


def iter_edges(
    resources: Sequence[Resource],
    catalog: KindCatalog,
    scanned: Sequence[ReferenceStrings] | None = None,
) -> Iterable[Edge]:
    """Every edge the resources declare, including ones to addresses that do not exist.

    Implicit edges come from each kind's `FieldLink`s: a linking field whose value is the linked
    field of exactly one resource (the first by address, when several share it) of the named kind.
    `scanned`, when given, holds `reference_strings(resource.spec, "/spec")` of each resource, in
    order: a caller that needs them too scans each spec once.
    """
    if scanned is not None and len(scanned) != len(resources):
        raise ValueError("scanned must hold the reference strings of each resource")
    linked = _linked_values(resources, catalog)
    for index, resource in enumerate(resources):
        for position, target in enumerate(resource.depends_on):
            yield Edge(resource.address, target, "dependsOn", f"/metadata/dependsOn/{position}")
        strings = scanned[index] if scanned is not None else None
        yield from _ref_edges(resource, strings)
        yield from _link_edges(resource, catalog, linked)


def _linked_values(
    resources: Sequence[Resource], catalog: KindCatalog
) -> dict[tuple[str, str, str], Address]:
    """(kind, field, value) -> the address whose spec has that value, for every linked field."""
    wanted = {
        (link.kind, link.field)
        for traits in catalog.values()
        for link in traits.links
        if link.field != REMOTE_ID  # remote ids are known from state, not from manifests
    }
    found: dict[tuple[str, str, str], Address] = {}
    for resource in sorted(resources, key=lambda item: item.address):
        for kind, field in wanted:
            value = resource.spec.get(field)
            if resource.kind == kind and isinstance(value, str):
                found.setdefault((kind, field, value), resource.address)
    return found


def _link_edges(
    resource: Resource, catalog: KindCatalog, linked: Mapping[tuple[str, str, str], Address]
) -> Iterable[Edge]:
    traits = catalog.get(resource.kind)
    for link in traits.links if traits is not None else ():
        for value in values_matching(resource.spec, link.pointer):
            target = linked.get((link.kind, link.field, str(value)))
            if target is not None:
                yield Edge(resource.address, target, "implicit", "/spec" + link.pointer)


def _ref_edges(resource: Resource, strings: ReferenceStrings | None = None) -> Iterable[Edge]:
    if strings is None:
        strings = reference_strings(resource.spec, "/spec")
    for pointer, value in strings:
        try:
            reference = parse_reference(value)
        except ReferenceSyntaxError:
            continue
        if reference is not None and reference.scheme == "ref":
            yield Edge(resource.address, reference.address, "ref", pointer)


def dependency_map(
    resources: Sequence[Resource],
    catalog: KindCatalog,
    known: Iterable[Address] | None = None,
    edges: Iterable[Edge] | None = None,
) -> dict[Address, set[Address]]:
    """Address -> the addresses it depends on, restricted to `known` (default: the resources).
    `edges` are `iter_edges(resources, catalog)` when the caller has them already."""
    allowed = set(known) if known is not None else {r.address for r in resources}
    graph: dict[Address, set[Address]] = {r.address: set() for r in resources}
    for edge in iter_edges(resources, catalog) if edges is None else edges:
        if edge.target in allowed:
            graph.setdefault(edge.source, set()).add(edge.target)
    return graph


def find_cycle(graph: Mapping[Address, set[Address]]) -> list[Address] | None:
    """One dependency cycle (first node repeated at the end), or None."""
    sorter = graphlib.TopologicalSorter({node: sorted(deps) for node, deps in graph.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle: list[Address] = list(exc.args[1])
        cycle.reverse()
        return cycle
    return None
