"""Bundled schemas with their `$ref`s inlined, for fast validation.

jsonschema resolves a `$ref` on every instance it validates; a field list of 2,000 items whose
item schema refers to three others costs thousands of lookups per document. The bundled schemas
are fixed, so each reference is replaced once by the schema it names (with the keywords beside
it kept in an `allOf`). A recursive reference stays a reference, rewritten to an absolute URI so
it still resolves wherever it now stands. Validation results are the same; only the schema paths
in errors differ, and syncform reports instance pointers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urldefrag, urljoin

from syncform.core.pointer import split_pointer

Lookup = Callable[[str], Mapping[str, Any]]  # absolute URI (no fragment) -> schema document


def inline_refs(schema: Mapping[str, Any], lookup: Lookup) -> dict[str, Any]:
    """`schema` (a document with an `$id`) with every non-recursive `$ref` inlined."""
    base = str(schema.get("$id", ""))
    inlined = _walk(schema, base, lookup, ())
    assert isinstance(inlined, dict)
    return inlined


def _walk(node: Any, base: str, lookup: Lookup, expanding: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_walk(item, base, lookup, expanding) for item in node]
    if not isinstance(node, Mapping):
        return node
    if isinstance(node.get("$ref"), str):
        return _expanded(node, base, lookup, expanding)
    return {key: _walk(value, base, lookup, expanding) for key, value in node.items()}


def _expanded(
    node: Mapping[str, Any], base: str, lookup: Lookup, expanding: tuple[str, ...]
) -> Any:
    target = urljoin(base, node["$ref"])
    siblings = {key: value for key, value in node.items() if key != "$ref"}
    if target in expanding:
        return {"$ref": target, **_walk(siblings, base, lookup, expanding)}
    document_uri, fragment = urldefrag(target)
    resolved = _at(lookup(document_uri), fragment)
    expanded = _walk(resolved, document_uri, lookup, (*expanding, target))
    if not siblings:
        return expanded
    return {"allOf": [expanded, _walk(siblings, base, lookup, expanding)]}


def _at(document: Mapping[str, Any], fragment: str) -> Any:
    node: Any = document
    for part in split_pointer(fragment):
        node = node[part]
    return node
