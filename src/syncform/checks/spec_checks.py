"""Checks driven by the schemas' field semantics: secret fields and ignore_changes pointers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from syncform.core.findings import Finding
from syncform.core.pointer import join_pointer
from syncform.core.resources import Resource
from syncform.schemas.semantics import ANY_DEPTH, KindSemantics, path_matches, semantics_for
from syncform.secrets.references import ReferenceSyntaxError, parse_reference


def secrets_are_references(resources: Sequence[Resource]) -> Iterable[Finding]:
    """A field marked secret must hold ${env:...} or ${file:...}; never echo what it holds."""
    walks: dict[str, _SecretLeaves] = {}
    for resource in resources:
        rules = semantics_for(resource.kind)
        walk = walks.get(resource.kind)
        if walk is None or walk.rules is not rules:
            walk = walks[resource.kind] = _SecretLeaves(rules)
        for pointer, value in walk.of(resource.spec):
            if value is None:
                continue
            if not _is_secret_reference(value):
                message = (
                    f"{pointer[len('/spec/') :]} is secret: write it as ${{env:NAME}} or "
                    "${file:PATH}, never as a literal value"
                )
                yield Finding(resource.location_of(pointer), "secret.literal", message, pointer)


def _is_secret_reference(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        reference = parse_reference(value)
    except ReferenceSyntaxError:
        return False
    return reference is not None and reference.is_secret_source


# What a schema path (dict keys as text, "*" for a list item) is to the secret rules of a kind.
_NOTHING_BELOW = 0  # neither it nor anything below it is secret
_MAYBE_BELOW = 1  # it is not secret, but something below it may be
_SECRET = 2  # it is secret (it or an ancestor carries x-secret), and so is everything below


class _SecretLeaves:
    """The scalar leaves (dicts and lists are walked; anything else, a tuple too, is a leaf) of
    a spec that `rules.is_secret` marks secret, as (JSON Pointer, value), in document order.

    It is `rules.is_secret(path)` asked of every leaf, but a subtree that no secret rule can
    reach is skipped, and each schema path is worked out once per kind: the heavy lists
    (mappings, stories) carry no secret and are never walked."""

    def __init__(self, rules: KindSemantics) -> None:
        self.rules = rules
        self._patterns = rules.secret_paths()
        # schema path -> {key of a child ("*" for a list item) -> (its path, its status)}
        self._children: dict[tuple[str, ...], dict[str, tuple[tuple[str, ...], int]]] = {}

    def of(self, spec: Any) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        if not self._patterns:
            return found
        status = self._status_of(())
        if status == _SECRET:
            _all_leaves(spec, "/spec", found)
        elif status == _MAYBE_BELOW:
            self._visit(spec, (), "/spec", found)
        return found

    def _status_of(self, path: tuple[str, ...]) -> int:
        if self.rules.is_secret(path):
            return _SECRET
        if any(_may_match_below(pattern, path) for pattern in self._patterns):
            return _MAYBE_BELOW
        return _NOTHING_BELOW

    def _child(self, path: tuple[str, ...], key: str) -> tuple[tuple[str, ...], int]:
        children = self._children.get(path)
        if children is None:
            children = self._children[path] = {}
        found = children.get(key)
        if found is None:
            child = (*path, key)
            found = children[key] = (child, self._status_of(child))
        return found

    def _visit(
        self, data: Any, path: tuple[str, ...], pointer: str, into: list[tuple[str, Any]]
    ) -> None:
        """The secret leaves below `data`, at `path`, which is not secret but may hold some."""
        if isinstance(data, dict):
            for key, value in data.items():
                segment = str(key)
                child, status = self._child(path, segment)
                if status == _SECRET:
                    _all_leaves(value, join_pointer(pointer, segment), into)
                elif status == _MAYBE_BELOW and isinstance(value, dict | list):
                    self._visit(value, child, join_pointer(pointer, segment), into)
        elif isinstance(data, list):
            child, status = self._child(path, "*")
            if status == _SECRET:
                for index, value in enumerate(data):
                    _all_leaves(value, f"{pointer}/{index}", into)
            elif status == _MAYBE_BELOW:
                for index, value in enumerate(data):
                    if isinstance(value, dict | list):
                        self._visit(value, child, f"{pointer}/{index}", into)


def _all_leaves(data: Any, pointer: str, into: list[tuple[str, Any]]) -> None:
    """Every leaf below `data` (itself when it is one), walked as `_SecretLeaves` walks."""
    if isinstance(data, dict):
        for key, value in data.items():
            _all_leaves(value, join_pointer(pointer, str(key)), into)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _all_leaves(value, f"{pointer}/{index}", into)
    else:
        into.append((pointer, data))


def _may_match_below(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Whether a rule path may match a path that extends `path` by one segment or more.
    False only when it cannot; True when unsure (a `**`, or a pattern longer than `path`)."""
    for index, head in enumerate(pattern):
        if head == ANY_DEPTH or index == len(path):
            return True
        if not path_matches((head,), (path[index],)):
            return False
    return False  # no longer than `path`: it matches `path` or an ancestor, or nothing below


def ignore_changes_pointers(resources: Sequence[Resource]) -> Iterable[Finding]:
    for resource in resources:
        rules = semantics_for(resource.kind)
        for index, pointer in enumerate(resource.lifecycle.ignore_changes):
            where = f"/lifecycle/ignore_changes/{index}"
            if not pointer.startswith("/") or not rules.pointer_can_match(pointer):
                message = (
                    f"ignore_changes pointer {pointer!r} cannot match any field of "
                    f"{resource.kind}.spec"
                )
                yield Finding(
                    resource.location_of(where), "lifecycle.ignore-changes", message, where
                )
