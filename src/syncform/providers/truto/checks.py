"""Offline checks of a Truto sync job manifest: the V4 node graph and its args placeholders."""

from __future__ import annotations

import graphlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from syncform.core.findings import Finding
from syncform.core.pointer import iter_strings_containing
from syncform.core.resources import Resource

_ARGS_PLACEHOLDER = re.compile(r"\{\{\s*args\.([A-Za-z_][A-Za-z0-9_]*)")


def sync_job_checks(resource: Resource) -> Iterable[Finding]:
    """The V4 graph checks; V1-V3 jobs have an ordered list of resources and nothing to check."""
    if resource.spec.get("default_runtime_version") == 4:
        yield from v4_graph(resource)


def v4_graph(resource: Resource) -> Iterable[Finding]:
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
        if not isinstance(parent, str):  # absent, or of a type the schema reports
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
    # only a string holding "args." can hold a placeholder: pointers for those alone
    for pointer, text in iter_strings_containing(nodes, "args.", "/spec/resources"):
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
