"""The order resources are resolved in: a resource after every resource its `${ref:}`s name."""

from __future__ import annotations

from collections.abc import Sequence

from syncform.core.address import Address
from syncform.core.resources import Resource
from syncform.secrets.references import ReferenceSyntaxError, parse_reference, reference_strings


def referenced_addresses(resource: Resource) -> set[Address]:
    found = set()
    for _, text in reference_strings(resource.spec):  # the strings that may be references
        try:
            reference = parse_reference(text)
        except ReferenceSyntaxError:
            continue
        if reference is not None and reference.scheme == "ref":
            found.add(reference.address)
    return found


def reference_waves(resources: Sequence[Resource]) -> list[list[Resource]]:
    """Resources grouped by reference depth: wave 0 names no other resource, wave n only
    resources of earlier waves. A cycle (rejected by validation) is cut where it closes."""
    by_address = {resource.address: resource for resource in resources}
    depth: dict[Address, int] = {}

    def depth_of(address: Address, visiting: frozenset[Address]) -> int:
        if address in depth:
            return depth[address]
        targets = referenced_addresses(by_address[address]) & by_address.keys()
        deeper = [depth_of(t, visiting | {address}) + 1 for t in targets if t not in visiting]
        depth[address] = max(deeper, default=0)
        return depth[address]

    waves: list[list[Resource]] = []
    for resource in resources:
        level = depth_of(resource.address, frozenset())
        while len(waves) <= level:
            waves.append([])
        waves[level].append(resource)
    return waves
