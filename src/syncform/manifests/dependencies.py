"""The dependency graph of a set of resources: dependsOn, ${ref:} and implicit edges."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from syncform.manifests.resource import Resource
from syncform.model import Address
from syncform.references import ReferenceSyntaxError, iter_strings, parse_reference


@dataclass(frozen=True, order=True)
class Edge:
    """`source` must be applied after `target`; `pointer` says where the edge comes from."""

    source: Address
    target: Address
    origin: str  # "dependsOn" | "ref" | "implicit"
    pointer: str


def iter_edges(resources: Sequence[Resource]) -> Iterable[Edge]:
    """Every edge the resources declare, including ones to addresses that do not exist."""
    integrations: dict[str, Address] = {}
    for resource in sorted(resources, key=lambda item: item.address):
        if resource.kind == "TrutoIntegration" and isinstance(resource.spec.get("name"), str):
            integrations.setdefault(resource.spec["name"], resource.address)
    for resource in resources:
        for index, target in enumerate(resource.depends_on):
            yield Edge(resource.address, target, "dependsOn", f"/metadata/dependsOn/{index}")
        yield from _ref_edges(resource)
        if resource.kind == "TrutoSyncJob":
            integration = integrations.get(str(resource.spec.get("integration_name")))
            if integration is not None:
                yield Edge(resource.address, integration, "implicit", "/spec/integration_name")


def _ref_edges(resource: Resource) -> Iterable[Edge]:
    for pointer, value in iter_strings(resource.spec, "/spec"):
        try:
            reference = parse_reference(value)
        except ReferenceSyntaxError:
            continue
        if reference is not None and reference.scheme == "ref":
            yield Edge(resource.address, reference.address, "ref", pointer)


def dependency_map(
    resources: Sequence[Resource], known: Iterable[Address] | None = None
) -> dict[Address, set[Address]]:
    """Address -> the addresses it depends on, restricted to `known` (default: the resources)."""
    allowed = set(known) if known is not None else {r.address for r in resources}
    graph: dict[Address, set[Address]] = {r.address: set() for r in resources}
    for edge in iter_edges(resources):
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
