"""Live objects turned into the manifests that describe them (pure): what `export` writes.

- The spec is the driver's normalised live spec, so the first plan compares equal field by field;
  a literal string holding `${` is escaped as `$${`; a null in an object is left out (a missing
  key compares equal to null, and schemas rarely allow null).
- Secrets, which the APIs never return, become `${env:NAME}` placeholders: the write-only
  secrets the driver says an object needs (`KindDriver.export_secrets`: a remote Tines
  destination's API key, the passphrase of a Polytomic sync with encrypted fields), and each
  redacted value (UNREADABLE) at a path the kind's schema marks secret (Truto credentials whose
  key looks secret). Variables are named after the provider, the manifest and the field; the
  same name is never given to two different secrets.
- A redacted value the schema does not mark secret (a Truto credential such as a client id) is
  left out, with a note: it is not managed until someone writes it into the manifest. A list
  holding a redacted value is left out whole (lists are compared whole, so it would always
  differ).
- The applied spec recorded in state is the spec without the placeholders (and unescaped), so
  the first plan shows each secret as an in-place update of a write-only value.
- Objects the driver would never adopt on the connection (`candidate_key` is None: Truto
  integrations of other teams) are not exported.
- Names are slugs of the natural key (else the remote id), unique per kind (`-2`, `-3`...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from syncform.core.address import Address
from syncform.core.pointer import pointer_of, split_pointer
from syncform.core.records import Unreadable
from syncform.providers.driver import SecretHint
from syncform.reading.listing import Listed
from syncform.schemas.semantics import semantics_for
from syncform.secrets.references import env_name, escape

MAX_NAME = 63
_SUFFIX_ROOM = 4
_LEFT_OUT: Any = object()


@dataclass(frozen=True)
class Variable:
    """An environment variable an exported manifest reads a secret from."""

    name: str
    about: str

    @property
    def placeholder(self) -> str:
        return f"${{env:{self.name}}}"


@dataclass(frozen=True)
class ExportedObject:
    address: Address
    connection: str
    remote_id: str
    spec: dict[str, Any]  # as the manifest writes it: placeholders, literal `${` escaped
    applied_spec: dict[str, Any]  # the live values without the placeholders: state's record
    secrets: tuple[tuple[str, Variable], ...] = ()  # (pointer, variable)
    left_out: tuple[str, ...] = ()  # what the manifest does not manage, and why


@dataclass(frozen=True)
class Export:
    objects: tuple[ExportedObject, ...]
    not_adoptable: tuple[Listed, ...]  # never adopted on their connection: not exported


def export_objects(listed: Sequence[Listed]) -> Export:
    """The manifests of `listed`, named uniquely per kind."""
    adoptable = [item for item in listed if _adoptable(item)]
    names = unique_names(adoptable)
    variables = _Variables()
    objects = tuple(
        _export_one(item, name, variables) for item, name in zip(adoptable, names, strict=True)
    )
    skipped = tuple(item for item in listed if not _adoptable(item))
    return Export(objects, skipped)


def _adoptable(item: Listed) -> bool:
    return item.driver.candidate_key(item.raw, item.connection) is not None


def unique_names(listed: Sequence[Listed]) -> list[str]:
    """A manifest name per object: the slug of its natural key, suffixed where a kind repeats it."""
    taken: set[tuple[str, str]] = set()
    names = []
    for item in listed:
        base = slug(_natural_parts(item))[: MAX_NAME - _SUFFIX_ROOM].strip("-") or "object"
        name, number = base, 1
        while (item.kind, name) in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add((item.kind, name))
        names.append(name)
    return names


def _natural_parts(item: Listed) -> tuple[Any, ...]:
    key = item.driver.traits.natural_key
    parts = key(item.driver.normalise_live(item.raw)) if key is not None else ()
    return parts if any(part not in (None, "") for part in parts) else (item.remote_id,)


def slug(parts: Iterable[Any]) -> str:
    """`(7, "https://DR.acme.tines.com", 42)` -> `7-dr-acme-tines-com-42`."""
    text = "-".join(str(part) for part in parts if part not in (None, "")).lower()
    text = re.sub(r"[a-z][a-z0-9+.-]*://", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _export_one(item: Listed, name: str, variables: _Variables) -> ExportedObject:
    address = Address(item.kind, name)
    walk = _Walk(item, name, variables)
    applied = walk.object(item.driver.normalise_live(item.raw), ())
    for hint in item.driver.export_secrets(item.raw, item.connection):
        walk.add_secret(hint)
    spec = _escaped(applied)
    for pointer, variable in walk.secrets:
        _put(spec, pointer, variable.placeholder)
    return ExportedObject(
        address,
        item.connection.name,
        item.remote_id,
        spec,
        applied,
        tuple(walk.secrets),
        tuple(walk.notes),
    )


class _Variables:
    """Variable names handed out in one export: a name names one secret (its `about`)."""

    def __init__(self) -> None:
        self.about: dict[str, str] = {}

    def claim(self, wanted: str, about: str) -> Variable:
        name, number = wanted, 1
        while self.about.setdefault(name, about) != about:
            number += 1
            name = f"{wanted}_{number}"
        return Variable(name, about)


class _Walk:
    """One object's live spec with its redacted values taken out (as secrets or as notes)."""

    def __init__(self, item: Listed, name: str, variables: _Variables) -> None:
        self.item, self.name, self.variables = item, name, variables
        self.rules = semantics_for(item.kind)
        self.spec = item.driver.normalise_live(item.raw)
        self.secrets: list[tuple[str, Variable]] = []
        self.notes: list[str] = []

    def object(self, value: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
        kept = {}
        for key, item in value.items():
            found = _LEFT_OUT if item is None else self.value(item, (*path, key))
            if found is not _LEFT_OUT:
                kept[key] = found
        return kept

    def value(self, value: Any, path: tuple[str, ...]) -> Any:
        if isinstance(value, Unreadable):
            return self.unreadable(path)
        if isinstance(value, dict):
            return self.object(value, path)
        if isinstance(value, list) and _holds_unreadable(value):
            self.notes.append(
                f"{pointer_of(path)} is left out: a list holding values the API redacts "
                "(lists are compared whole); write it here to manage it"
            )
            return _LEFT_OUT
        return value

    def unreadable(self, path: tuple[str, ...]) -> Any:
        pointer = pointer_of(path)
        if self.rules.is_secret(path, self.spec):
            variable_parts = dict.fromkeys(path[-2:])  # `api_key/api_key` -> `api_key`
            about = f"the {path[-1]} of {self.item.kind} {self.name} ({pointer}, redacted on read)"
            wanted = env_name(self.item.driver.traits.provider, self.name, *variable_parts)
            self.secrets.append((pointer, self.variables.claim(wanted, about)))
        else:
            self.notes.append(
                f"{pointer} is left out: the API redacts it and the schema does not mark it "
                "secret; write it here (as ${env:...} if it is sensitive) to manage it"
            )
        return _LEFT_OUT

    def add_secret(self, hint: SecretHint) -> None:
        self.secrets.append((hint.pointer, self.variables.claim(hint.variable, hint.about)))


def _holds_unreadable(value: Any) -> bool:
    if isinstance(value, Unreadable):
        return True
    if isinstance(value, dict):
        return any(_holds_unreadable(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_unreadable(item) for item in value)
    return False


def _escaped(value: Any) -> Any:
    """A deep copy with every string escaped as a manifest writes a literal."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def _put(spec: dict[str, Any], pointer: str, value: Any) -> None:
    *parents, last = split_pointer(pointer)
    target = spec
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = value
