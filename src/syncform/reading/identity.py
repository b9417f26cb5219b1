"""Which live object is a resource: its state id first, else its natural key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from syncform.config import Connection
from syncform.engine.inputs import DeferredValue, Desired, SecretValue
from syncform.errors import IdentityError
from syncform.providers.registry import KindProvider

FOUND_BY_STATE = "state"
FOUND_BY_NATURAL_KEY = "natural_key"
FOUND_BY_IMPORT = "import"


@dataclass(frozen=True)
class Match:
    """How a resource was searched for, and what was found: an id, and the list item if any."""

    desired: Desired
    searched_by: str
    remote_id: str | None = None
    item: Mapping[str, Any] | None = None


def by_state_id(
    desired: Desired,
    remote_id: str,
    provider: KindProvider,
    listing: Sequence[Any] | None,
    searched_by: str = FOUND_BY_STATE,
) -> Match:
    """A known id (from state, or metadata.importId) is looked up in the listing, or left to a
    fetch when the kind has no listing."""
    if listing is None:
        return Match(desired, searched_by, remote_id)
    item = next((i for i in listing if provider.remote_id(i) == remote_id), None)
    return Match(desired, searched_by, remote_id if item else None, item)


def by_natural_key(
    desired: Desired,
    provider: KindProvider,
    connection: Connection,
    listing: Sequence[Any],
    claimed: Iterable[str],
) -> Match:
    """The one live object with the desired natural key that no state record claims."""
    key = provider.desired_key(provider.normalise_desired(desired.spec))
    if any(isinstance(part, DeferredValue | SecretValue) for part in key):
        return Match(desired, FOUND_BY_NATURAL_KEY)
    taken = set(claimed)
    candidates = [
        item
        for item in listing
        if provider.remote_id(item) not in taken and provider.candidate_key(item, connection) == key
    ]
    if len(candidates) > 1:
        raise _duplicate_error(desired, provider, connection, key, candidates)
    if not candidates:
        return Match(desired, FOUND_BY_NATURAL_KEY)
    item = candidates[0]
    return Match(desired, FOUND_BY_NATURAL_KEY, provider.remote_id(item), item)


def _duplicate_error(
    desired: Desired,
    provider: KindProvider,
    connection: Connection,
    key: tuple[Any, ...],
    candidates: Sequence[Mapping[str, Any]],
) -> IdentityError:
    ids = [provider.remote_id(item) for item in candidates]
    shown = ", ".join(ids[:-1]) + f" and {ids[-1]}"
    return IdentityError(
        f"{desired.resource.location}: {desired.address}: {len(ids)} live {provider.kind} "
        f"objects on connection {connection.name!r} have its natural key {_show_key(key)}: "
        f"ids {shown}. Adopt one with `syncform import {desired.address} ID` "
        "or remove the others."
    )


def _show_key(key: tuple[Any, ...]) -> str:
    return "(" + ", ".join(repr(part) for part in key) + ")"


def check_unique_claims(matches: Iterable[Match]) -> None:
    """Two resources may not be the same live object."""
    owners: dict[tuple[str, str, str], Desired] = {}
    for match in matches:
        if match.remote_id is None:
            continue
        slot = (match.desired.connection, match.desired.address.kind, match.remote_id)
        other = owners.setdefault(slot, match.desired)
        if other is not match.desired:
            raise IdentityError(
                f"{other.address} and {match.desired.address} both match live object "
                f"{match.remote_id} on connection {match.desired.connection!r}"
            )
