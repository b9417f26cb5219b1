"""Live objects nobody claims: on a connection syncform manages, in no manifest and not in state.

Only objects the connection could adopt count (the driver's `candidate_key`): a Truto
integration of another team is listed by the API but is not ours, so it is never reported.
Listings already walked by the read are reused; the others are walked once each, GET only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from syncform.engine.drift import Unclaimed
from syncform.providers.registry import DRIVERS, driver_for
from syncform.reading.reader import ClientSource, Group, Payload


def kinds_of(provider: str) -> tuple[str, ...]:
    """Every kind a connection of `provider` holds."""
    return tuple(kind for kind, driver in DRIVERS.items() if driver.traits.provider == provider)


def find_unclaimed(
    clients: ClientSource,
    groups: Iterable[Group],
    claimed: Mapping[Group, Collection[str]],
    listings: Mapping[Group, list[Payload]],
) -> list[Unclaimed]:
    """Each adoptable live object of `groups` whose id is not in `claimed`."""
    found: list[Unclaimed] = []
    for group in sorted(set(groups)):
        name, kind = group
        driver = driver_for(kind)
        connection = clients.connection(name)
        listing = listings[group] if group in listings else driver.list_live(
            clients.client(name), connection
        )  # fmt: skip
        taken = claimed.get(group, ())
        for item in listing:
            remote_id = driver.remote_id(item)
            key = None if remote_id in taken else driver.candidate_key(item, connection)
            if key is not None:
                found.append(Unclaimed(kind, name, remote_id, _label(key)))
    return found


def _label(key: tuple[Any, ...]) -> str:
    return ", ".join(str(part) for part in key)
