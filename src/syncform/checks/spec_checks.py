"""Checks driven by the schemas' field semantics: secret fields and ignore_changes pointers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from syncform.core.findings import Finding
from syncform.core.pointer import join_pointer
from syncform.core.resources import Resource
from syncform.schemas.semantics import semantics_for
from syncform.secrets.references import ReferenceSyntaxError, parse_reference


def secrets_are_references(resources: Sequence[Resource]) -> Iterable[Finding]:
    """A field marked secret must hold ${env:...} or ${file:...}; never echo what it holds."""
    for resource in resources:
        rules = semantics_for(resource.kind)
        for path, pointer, value in _leaves(resource.spec, (), "/spec"):
            if value is None or not rules.is_secret(path):
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


def _leaves(
    data: Any, path: tuple[str, ...], pointer: str
) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """(schema path with "*" for list items, JSON Pointer, value) for every scalar leaf."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, str(key)), join_pointer(pointer, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, "*"), f"{pointer}/{index}")
    else:
        yield path, pointer, data


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
