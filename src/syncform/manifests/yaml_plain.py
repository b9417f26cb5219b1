"""The fast way to build a composed YAML document: plain dicts, lists and JSON scalars.

Most manifests use core tags only, with no duplicate key, no merge key and no oversized
integer. Such a document is built here in one walk over its nodes, with none of the location
bookkeeping of the located construction (`yaml_loader`): locations are worked out later, and
only if a finding needs one. Anything else raises `NeedsLocatedBuild`, and the caller builds
the document the located way, which reports the problem. For every document this module
accepts, both ways build equal data (a test compares them on generated documents).

Strings are interned: keys and values such as field names repeat across thousands of
documents, and one copy of each saves about 40% of a large estate's loaded manifests.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any

import yaml

CORE_TAG = "tag:yaml.org,2002:"
MAX_INTEGER_DIGITS = 4300  # Python's default bound on int <-> str conversion
_INTEGER_BOUND = 10**MAX_INTEGER_DIGITS
_STR, _MAP, _SEQ, _INT = (CORE_TAG + name for name in ("str", "map", "seq", "int"))
_MERGE_KEYS = frozenset({CORE_TAG + "merge", CORE_TAG + "value"})
_PLAIN_KEYS = (str, int, float, bool, type(None))

ScalarConstructor = Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], Any]
_SCALARS: dict[str, ScalarConstructor] = {
    CORE_TAG + "int": yaml.SafeLoader.construct_yaml_int,
    CORE_TAG + "float": yaml.SafeLoader.construct_yaml_float,
    CORE_TAG + "bool": yaml.SafeLoader.construct_yaml_bool,
    CORE_TAG + "null": yaml.SafeLoader.construct_yaml_null,
}


def has_too_many_digits(node: yaml.Node) -> bool:
    """An integer written with more digits than Python converts (no field needs one)."""
    return isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_INTEGER_DIGITS


def is_too_large(value: Any) -> bool:
    """An integer past `MAX_INTEGER_DIGITS` digits once converted (`1e5000` as `!!int`...)."""
    return isinstance(value, int) and abs(value) >= _INTEGER_BOUND


class NeedsLocatedBuild(Exception):
    """The document has something to report (or a merge key): build it the located way."""


def build_plain(constructor: yaml.constructor.SafeConstructor, root: yaml.Node) -> Any:
    """`root` as plain data, or NeedsLocatedBuild."""

    def build(node: yaml.Node) -> Any:
        kind, tag = node.__class__, node.tag
        if isinstance(node, yaml.ScalarNode):
            return intern(node.value) if tag == _STR else _scalar(constructor, node)
        if kind is yaml.SequenceNode and tag == _SEQ:
            return [built(child) for child in node.value]
        if kind is not yaml.MappingNode or tag != _MAP:
            raise NeedsLocatedBuild
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # The common key, a plain string, without a call; anything else through _key.
            is_text = key_node.__class__ is yaml.ScalarNode and key_node.tag == _STR
            key = intern(key_node.value) if is_text else _key(build, key_node)
            if key in result:
                raise NeedsLocatedBuild  # a duplicate key, reported by the located build
            result[key] = built(value_node)
        return result

    def built(node: yaml.Node) -> Any:
        """`build`, with a string value taken without a call (most values are strings)."""
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return intern(node.value)
        return build(node)

    return build(root)


def _key(build: Callable[[yaml.Node], Any], node: yaml.Node) -> str:
    if node.tag in _MERGE_KEYS or node.__class__ is not yaml.ScalarNode:
        raise NeedsLocatedBuild
    key = build(node)
    if not isinstance(key, _PLAIN_KEYS):
        raise NeedsLocatedBuild
    return key if isinstance(key, str) else str(key)


def _scalar(constructor: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    construct = _SCALARS.get(node.tag)
    if construct is None or (node.tag == _INT and has_too_many_digits(node)):
        raise NeedsLocatedBuild
    try:
        value = construct(constructor, node)
    except (ValueError, KeyError):
        raise NeedsLocatedBuild from None
    if is_too_large(value):
        raise NeedsLocatedBuild
    return value
