"""Which live object is a resource: its state id first, else its natural key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from syncform.core.errors import IdentityError
from syncform.core.records import DeferredValue, Desired, SecretValue
from syncform.manifests.config import Connection
from syncform.providers.driver import KindDriver

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


@dataclass(frozen=True)
class ListingIndex:
    """One connection's listing of one kind, indexed once: by remote id, and by natural key
    (only items that no state record claims and that may be adopted)."""

    by_id: Mapping[str, Mapping[str, Any]]
    by_key: Mapping[tuple[Any, ...], Sequence[Mapping[str, Any]]]


def index_listing(
    driver: KindDriver, connection: Connection, listing: Sequence[Any], claimed: Iterable[str]
) -> ListingIndex:
    taken = set(claimed)
    by_key: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for item in listing:
        key = None if driver.remote_id(item) in taken else driver.candidate_key(item, connection)
        if key is not None:
            by_key.setdefault(key, []).append(item)
    return ListingIndex({driver.remote_id(item): item for item in listing}, by_key)


def by_state_id(
    desired: Desired,
    remote_id: str,
    index: ListingIndex | None,
    searched_by: str = FOUND_BY_STATE,
) -> Match:
    """A known id (from state, or metadata.importId) is looked up in the listing, or left to a
    fetch when the kind has no listing."""
    if index is None:
        return Match(desired, searched_by, remote_id)
    item = index.by_id.get(remote_id)
    return Match(desired, searched_by, remote_id if item else None, item)


def by_natural_key(
    desired: Desired,
    driver: KindDriver,
    connection: Connection,
    index: ListingIndex,
) -> Match:
    """The one live object with the desired natural key that no state record claims."""
    key = driver.desired_key(driver.normalise_desired(desired.spec))
    if any(isinstance(part, DeferredValue | SecretValue) for part in key):
        return Match(desired, FOUND_BY_NATURAL_KEY)
    candidates = index.by_key.get(key, ())
    if len(candidates) > 1:
        raise _duplicate_error(desired, driver, connection, key, candidates)
    if not candidates:
        return Match(desired, FOUND_BY_NATURAL_KEY)
    item = candidates[0]
    return Match(desired, FOUND_BY_NATURAL_KEY, driver.remote_id(item), item)


def _duplicate_error(
    desired: Desired,
    driver: KindDriver,
    connection: Connection,
    key: tuple[Any, ...],
    candidates: Sequence[Mapping[str, Any]],
) -> IdentityError:
    ids = [driver.remote_id(item) for item in candidates]
    shown = ", ".join(ids[:-1]) + f" and {ids[-1]}"
    return IdentityError(
        f"{desired.resource.location}: {desired.address}: {len(ids)} live {driver.kind} "
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
