"""Reference and dependency checks: one reference scan per spec, shared by the checks and the
edges, finds what scanning every string finds, in the same order."""

from __future__ import annotations

import random
from typing import Any

import pytest

from syncform.checks import graph_checks
from syncform.core.address import Address, SourceLocation
from syncform.core.findings import Finding
from syncform.core.pointer import iter_strings
from syncform.core.resources import Resource
from syncform.manifests.dependencies import dependency_map, iter_edges
from syncform.providers.registry import CATALOG
from syncform.secrets.references import ReferenceSyntaxError, parse_reference, reference_strings

pytestmark = pytest.mark.timeout(60)

KINDS = ("TinesSyncDestination", "TrutoIntegration", "TrutoSyncJob", "PolytomicModelSync")
TEXTS = [
    "plain", "${ref:TrutoIntegration/n1.name}", "${ref:PolytomicModelSync/n9.id}",
    "${ref:Nope/x.id}", "${ref:bad}", "${env:X}", "${env:1BAD}", "x${y", "$${lit}", "pre-${env:X}",
]  # fmt: skip


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.35:
        return rng.choice([*TEXTS, None, 1, True])
    if roll < 0.7:
        return {rng.choice(["a", "b/c", "~d", "name"]): random_value(rng, depth - 1) for _ in "xyz"}
    return [random_value(rng, depth - 1) for _ in range(rng.randrange(12))]


def random_resources(seed: int) -> list[Resource]:
    rng = random.Random(seed)
    resources = []
    for i in range(120):
        kind, name = rng.choice(KINDS), f"n{rng.randrange(12)}"  # some addresses repeat
        spec: dict[str, Any] = {"name": f"n{i % 5}", "integration_name": f"n{rng.randrange(6)}"}
        spec["fields"] = [random_value(rng, 3) for _ in range(rng.randrange(10))]
        depends = tuple(Address(rng.choice(KINDS), f"n{rng.randrange(14)}") for _ in "ab")
        resources.append(
            Resource(
                Address(kind, name),
                None,
                spec,
                depends_on=depends[: rng.randrange(3)],
                location=SourceLocation(f"m{i}.yaml", 1, 1),
                locations={"/spec": SourceLocation(f"m{i}.yaml", 2, 3)},
            )
        )
    return resources


def expected_references(resources: list[Resource]) -> list[Finding]:
    """The check as every string scanned, and the first manifest of an address its source."""
    found = []
    for resource in resources:
        for pointer, text in iter_strings(resource.spec, "/spec"):
            try:
                parse_reference(text)
            except ReferenceSyntaxError as exc:
                where = resource.location_of(pointer)
                found.append(Finding(where, "reference.syntax", str(exc), pointer))
    known = {resource.address for resource in resources}
    for edge in iter_edges(resources, CATALOG):
        if edge.target in known or edge.origin == "implicit":
            continue
        source = next(r for r in resources if r.address == edge.source)
        rule, what = {
            "dependsOn": ("dependency.unknown", "dependsOn names"),
            "ref": ("reference.unknown-target", "${ref:} names"),
        }[edge.origin]
        message = f"{what} {edge.target}, which no manifest defines"
        found.append(Finding(source.location_of(edge.pointer), rule, message, edge.pointer))
    return found


@pytest.mark.parametrize("seed", range(5))
def test_references_find_what_scanning_every_string_finds(seed: int) -> None:
    resources = random_resources(seed)
    expected = expected_references(resources)
    assert {f.rule for f in expected} >= {"reference.syntax", "reference.unknown-target"}
    assert list(graph_checks.references(resources, CATALOG)) == expected
    scanned = [reference_strings(resource.spec, "/spec") for resource in resources]
    edges = list(iter_edges(resources, CATALOG, scanned))
    assert edges == list(iter_edges(resources, CATALOG))
    assert list(graph_checks.references(resources, CATALOG, scanned, edges)) == expected
    assert dependency_map(resources, CATALOG, edges=edges) == dependency_map(resources, CATALOG)
    cycles = list(graph_checks.dependency_cycles(resources, CATALOG))
    assert list(graph_checks.dependency_cycles(resources, CATALOG, edges)) == cycles


def test_ref_edges_come_from_the_spec_strings() -> None:
    spec = {"a": ["plain", {"b/c": "${ref:TrutoIntegration/crm.name}"}], "d": "$${ref:x}"}
    resource = Resource(Address("TrutoSyncJob", "job"), None, spec)
    edges = list(iter_edges([resource], CATALOG))
    assert [(e.target, e.origin, e.pointer) for e in edges] == [
        (Address("TrutoIntegration", "crm"), "ref", "/spec/a/1/b~1c")
    ]


def test_scanned_strings_must_match_the_resources() -> None:
    resource = Resource(Address("TrutoSyncJob", "job"), None, {})
    with pytest.raises(ValueError):
        list(iter_edges([resource], CATALOG, []))
