"""What apply writes to state, request by request (each write its own transaction).

- A created object's id is recorded as soon as its POST succeeds, before anything else happens.
- When all of a resource's requests succeeded, its record gets the applied spec (the planned
  desired spec with each secret as its keyed digest and each known-after-apply id filled), its
  lifecycle and its dependency edges.
- A successful DELETE, or a `forget`, removes the address.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncform.apply.requests import base_dir
from syncform.core.address import Address
from syncform.core.kinds import REMOTE_ID
from syncform.core.records import StateRecord, digest_marker
from syncform.core.resources import Lifecycle
from syncform.engine.plan import ResourceChange
from syncform.secrets.digests import SecretHasher
from syncform.secrets.references import ReferenceSyntaxError, parse_reference
from syncform.secrets.sources import read_reference_text
from syncform.state.store import StateStore


class Recorder:
    def __init__(self, store: StateStore, hasher: SecretHasher, environ: Mapping[str, str]) -> None:
        self.store = store
        self.hasher = hasher
        self.environ = environ

    def created(self, change: ResourceChange, remote_id: str) -> None:
        """The id first: a run killed right after the POST still knows what it created."""
        address = Address.parse(change.address)
        existing = self.store.get(address)
        applied = existing.applied_spec if existing is not None else {}
        record = StateRecord(address, change.connection, remote_id, applied)
        self.store.put(record, found_by="create")

    def applied(self, change: ResourceChange, remote_id: str, ids: Mapping[Address, str]) -> None:
        """The whole record once every request of the change succeeded."""
        address = Address.parse(change.address)
        spec = self.applied_spec(change, ids)
        record = StateRecord(
            address,
            change.connection,
            remote_id,
            spec,
            lifecycle=change.lifecycle or Lifecycle(),
            depends_on=tuple(Address.parse(text) for text in change.depends_on),
        )
        self.store.put(
            record, found_by="natural_key" if change.summary_key == "no_op" else "create"
        )

    def removed(self, change: ResourceChange) -> None:
        self.store.remove(Address.parse(change.address))

    def applied_spec(self, change: ResourceChange, ids: Mapping[Address, str]) -> dict[str, Any]:
        base = base_dir(change)
        filled = _filled(change.desired_spec or {}, base, self, ids)
        assert isinstance(filled, dict)
        return filled

    def secret_digest(self, text: str, base: Path) -> dict[str, str] | None:
        try:
            reference = parse_reference(text)
        except ReferenceSyntaxError:
            return None
        if reference is None or not reference.is_secret_source:
            return None
        value = read_reference_text(reference, base, self.environ, text)
        return digest_marker(self.hasher.digest(value))


def _filled(value: Any, base: Path, recorder: Recorder, ids: Mapping[Address, str]) -> Any:
    if isinstance(value, dict):
        return {key: _filled(item, base, recorder, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, base, recorder, ids) for item in value]
    if isinstance(value, str) and value.startswith("${"):
        digest = recorder.secret_digest(value, base)
        if digest is not None:
            return digest
        return _known_id(value, ids)
    return value


def _known_id(text: str, ids: Mapping[Address, str]) -> Any:
    try:
        reference = parse_reference(text)
    except ReferenceSyntaxError:
        return text
    if reference is not None and reference.scheme == "ref" and reference.field == REMOTE_ID:
        return ids.get(reference.address, text)
    return text
