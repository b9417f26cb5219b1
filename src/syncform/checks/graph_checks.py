"""Checks across resources: duplicate addresses, connections, references and dependencies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from syncform.core.address import Address
from syncform.core.canonical import canonical_json
from syncform.core.findings import Finding
from syncform.core.kinds import KindCatalog
from syncform.core.resources import Resource
from syncform.manifests.config import Config
from syncform.manifests.dependencies import (
    Edge,
    ReferenceStrings,
    dependency_map,
    find_cycle,
    iter_edges,
)
from syncform.secrets.references import ReferenceSyntaxError, parse_reference, reference_strings


def duplicate_addresses(resources: Sequence[Resource]) -> Iterable[Finding]:
    first_seen: dict[Address, Resource] = {}
    for resource in resources:
        first = first_seen.setdefault(resource.address, resource)
        if first is not resource:
            where = resource.location_of("/metadata/name")
            first_at = first.location_of("/metadata/name")
            message = f"{resource.address} is defined twice; first at {first_at}"
            yield Finding(where, "manifest.duplicate-address", message, "/metadata/name")


def duplicate_natural_keys(
    resources: Sequence[Resource], catalog: KindCatalog
) -> Iterable[Finding]:
    """Two manifests of a kind on one connection that would find the same live object."""
    first_seen: dict[tuple[str, str | None, str], Resource] = {}
    for resource in resources:
        natural_key = catalog[resource.kind].natural_key
        if natural_key is None:
            continue
        value = natural_key(resource.spec)
        # By canonical JSON: a field of the wrong type (reported by the schema) may be unhashable.
        first = first_seen.setdefault(
            (resource.kind, resource.connection, canonical_json(value)), resource
        )
        if first is not resource:
            message = (
                f"{resource.address} and {first.address} have the same natural key "
                f"{value!r}: both would claim one live object (first at {first.location})"
            )
            yield Finding(
                resource.location_of("/spec"), "manifest.duplicate-natural-key", message, "/spec"
            )


def connections(
    resources: Sequence[Resource], config: Config, catalog: KindCatalog
) -> Iterable[Finding]:
    for resource in resources:
        provider = catalog[resource.kind].provider
        fitting = sorted(n for n, c in config.connections.items() if c.provider == provider)
        if resource.connection is None:
            if len(fitting) != 1:
                where = resource.location_of("/metadata")
                found = ", ".join(fitting) or "none"
                message = (
                    f"metadata.connection is required: {len(fitting)} {provider} "
                    f"connections fit ({found})"
                )
                yield Finding(where, "manifest.connection", message, "/metadata")
            continue
        chosen = config.connections.get(resource.connection)
        if chosen is None:
            choices = ", ".join(fitting) or "none"
            message = (
                f"unknown connection {resource.connection!r}; {provider} connections: {choices}"
            )
        elif chosen.provider != provider:
            message = (
                f"connection {resource.connection!r} is {chosen.provider}, "
                f"but {resource.kind} needs {provider}"
            )
        else:
            continue
        # Located only when reported: a manifest's locations are worked out on first use.
        where = resource.location_of("/metadata/connection")
        yield Finding(where, "manifest.connection", message, "/metadata/connection")


def references(
    resources: Sequence[Resource],
    catalog: KindCatalog,
    scanned: Sequence[ReferenceStrings] | None = None,
    edges: Iterable[Edge] | None = None,
) -> Iterable[Finding]:
    """Malformed references, then edges to addresses no manifest defines. `scanned` (each
    resource's `reference_strings(spec, "/spec")`, in order) and `edges` (`iter_edges`) are the
    caller's when it has them already."""
    if scanned is None:
        scanned = [reference_strings(resource.spec, "/spec") for resource in resources]
    known = {resource.address for resource in resources}
    for resource, strings in zip(resources, scanned, strict=True):
        yield from _syntax_findings(resource, strings)
    first_by_address: dict[Address, Resource] = {}
    for edge in iter_edges(resources, catalog, scanned) if edges is None else edges:
        if edge.target in known:
            continue
        if not first_by_address:
            for resource in resources:
                first_by_address.setdefault(resource.address, resource)
        source = first_by_address[edge.source]
        where = source.location_of(edge.pointer)
        if edge.origin == "dependsOn":
            yield Finding(
                where,
                "dependency.unknown",
                f"dependsOn names {edge.target}, which no manifest defines",
                edge.pointer,
            )
        elif edge.origin == "ref":
            yield Finding(
                where,
                "reference.unknown-target",
                f"${{ref:}} names {edge.target}, which no manifest defines",
                edge.pointer,
            )


def _syntax_findings(resource: Resource, strings: ReferenceStrings) -> Iterable[Finding]:
    for pointer, value in strings:
        try:
            parse_reference(value)
        except ReferenceSyntaxError as exc:
            yield Finding(resource.location_of(pointer), "reference.syntax", str(exc), pointer)


def dependency_cycles(
    resources: Sequence[Resource], catalog: KindCatalog, edges: Iterable[Edge] | None = None
) -> Iterable[Finding]:
    """One dependency cycle, if any; `edges` are `iter_edges` when the caller has them."""
    cycle = find_cycle(dependency_map(resources, catalog, edges=edges))
    if cycle is None:
        return
    by_address = {resource.address: resource for resource in resources}
    start = by_address[cycle[0]]
    path = " -> ".join(str(address) for address in cycle)
    yield Finding(
        start.location_of("/metadata/name"),
        "dependency.cycle",
        f"dependency cycle: {path}",
        "/metadata/name",
    )
