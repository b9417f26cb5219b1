"""Checks specific to one kind: Tines story ids, Truto V4 graphs, Polytomic identity."""

from __future__ import annotations

import graphlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from syncform.findings import Finding
from syncform.manifests.resource import Resource
from syncform.references import iter_strings

_ARGS_PLACEHOLDER = re.compile(r"\{\{\s*args\.([A-Za-z_][A-Za-z0-9_]*)")
IDENTITY_MODES = ("update", "updateOrCreate", "remove")


def all_kind_checks(resources: Sequence[Resource]) -> Iterable[Finding]:
    for resource in resources:
        if resource.kind == "TinesSyncDestination":
            yield from tines_story_duplicates(resource)
        elif resource.kind == "TrutoSyncJob" and resource.spec.get("default_runtime_version") == 4:
            yield from truto_v4_graph(resource)
        elif resource.kind == "PolytomicModelSync":
            yield from polytomic_identity(resource)


def tines_story_duplicates(resource: Resource) -> Iterable[Finding]:
    story_ids = resource.spec.get("story_ids")
    if not isinstance(story_ids, list):
        return
    seen: dict[Any, int] = {}
    for index, story_id in enumerate(story_ids):
        if story_id in seen:
            pointer = f"/spec/story_ids/{index}"
            message = f"story {story_id} is listed twice (also at index {seen[story_id]})"
            yield Finding(resource.location_of(pointer), "tines.duplicate-story", message, pointer)
        else:
            seen[story_id] = index


def polytomic_identity(resource: Resource) -> Iterable[Finding]:
    mode = resource.spec.get("mode")
    if mode in IDENTITY_MODES and not resource.spec.get("identity"):
        message = f"mode {mode!r} needs an identity (source, target, function) to match records"
        yield Finding(
            resource.location_of("/spec/mode"), "polytomic.identity-required", message, "/spec/mode"
        )


def truto_v4_graph(resource: Resource) -> Iterable[Finding]:
    nodes = resource.spec.get("resources")
    if not isinstance(nodes, list):
        return
    named = [
        (i, n)
        for i, n in enumerate(nodes)
        if isinstance(n, dict) and isinstance(n.get("name"), str)
    ]
    yield from _duplicate_nodes(resource, named)
    names = {node["name"] for _, node in named}
    yield from _node_dependencies(resource, named, names)
    yield from _request_accounts(resource, named)
    yield from _undeclared_args(resource, nodes)


def _duplicate_nodes(
    resource: Resource, named: list[tuple[int, dict[str, Any]]]
) -> Iterable[Finding]:
    seen: dict[str, int] = {}
    for index, node in named:
        pointer = f"/spec/resources/{index}/name"
        if node["name"] in seen:
            message = f"node name {node['name']!r} is used twice (also node {seen[node['name']]})"
            yield Finding(
                resource.location_of(pointer), "truto.v4-duplicate-node", message, pointer
            )
        seen.setdefault(node["name"], index)


def _node_dependencies(
    resource: Resource, named: list[tuple[int, dict[str, Any]]], names: set[str]
) -> Iterable[Finding]:
    graph: dict[str, list[str]] = {}
    for index, node in named:
        parent = node.get("depends_on")
        if parent is None:
            graph.setdefault(node["name"], [])
            continue
        if parent not in names:
            pointer = f"/spec/resources/{index}/depends_on"
            message = (
                f"node {node['name']!r} depends on {parent!r}, which is not a node of this job"
            )
            yield Finding(
                resource.location_of(pointer), "truto.v4-unknown-dependency", message, pointer
            )
            continue
        graph.setdefault(node["name"], []).append(parent)
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle = " -> ".join(reversed(exc.args[1]))
        pointer = "/spec/resources"
        yield Finding(
            resource.location_of(pointer), "truto.v4-cycle", f"node cycle: {cycle}", pointer
        )


def _request_accounts(
    resource: Resource, named: list[tuple[int, dict[str, Any]]]
) -> Iterable[Finding]:
    for index, node in named:
        if node.get("type") == "request" and not node.get("integrated_account_id"):
            pointer = f"/spec/resources/{index}"
            message = (
                f"request node {node['name']!r} needs integrated_account_id "
                "(usually {{args.integrated_account_id}})"
            )
            yield Finding(
                resource.location_of(pointer), "truto.v4-missing-account", message, pointer
            )


def _undeclared_args(resource: Resource, nodes: list[Any]) -> Iterable[Finding]:
    declared = _declared_args(resource.spec.get("args_schema"))
    for pointer, text in iter_strings(nodes, "/spec/resources"):
        for name in _ARGS_PLACEHOLDER.findall(text):
            if name not in declared:
                message = f"placeholder args.{name} is not declared in args_schema"
                yield Finding(
                    resource.location_of(pointer), "truto.v4-undeclared-arg", message, pointer
                )


def _declared_args(args_schema: Any) -> set[str]:
    if not isinstance(args_schema, Mapping):
        return set()
    properties = args_schema.get("properties")
    if args_schema.get("type") == "object" and isinstance(properties, Mapping):
        return set(properties)
    return set(args_schema)
