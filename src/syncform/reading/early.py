"""Reads started before the manifests are loaded, so that the network waits while we compute.

Loading and validating a large estate takes CPU time, and the reads of a plan take network
time; done one after the other, each waits for the other. What a plan will read can be told
from the state alone: one list walk per (connection, kind) of a kind whose lists carry whole
objects, and one GET by id per object of a kind whose lists are light. `EarlyReads` starts
those on the read pool while the caller validates. The reader then takes what is ready
instead of sending the same request again.

An early read only ever saves a request. Its failure is dropped and the reader sends the
request again the usual way, after the manifests' secrets are registered, so an error is
reported (and masked) exactly as before. A read the reader does not want is never used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from syncform.core.records import StateRecord
from syncform.providers.registry import driver_for
from syncform.reading.reader import ClientSource, fetch_by_id, list_group

Payload = dict[str, Any]
Group = tuple[str, str]  # (connection name, kind)
FetchKey = tuple[str, str, str]  # (connection name, kind, remote id)


class EarlyReads:
    """The list walks and GETs by id that the state says a plan will send, started now."""

    def __init__(self, pool: ThreadPoolExecutor, clients: ClientSource) -> None:
        self.pool, self._clients = pool, clients
        self._listings: dict[Group, Future[list[Payload]]] = {}
        self._fetches: dict[FetchKey, Future[Payload | None]] = {}

    def start(self, records: Iterable[StateRecord], connections: Iterable[str]) -> None:
        known = set(connections)
        groups: dict[Group, list[str]] = defaultdict(list)
        for record in records:
            if record.connection in known:
                groups[(record.connection, record.address.kind)].append(record.remote_id)
        for group, remote_ids in sorted(groups.items()):
            if driver_for(group[1]).fetch_one is None:
                self._listings[group] = self.pool.submit(list_group, self._clients, group)
                continue
            for remote_id in remote_ids:
                fetch = self.pool.submit(fetch_by_id, self._clients, group, remote_id)
                self._fetches[(*group, remote_id)] = fetch

    def listing(self, group: Group) -> list[Payload] | None:
        """The group's walk, if it was started and succeeded (waits for it)."""
        return _outcome(self._listings.get(group))

    def fetched(self, group: Group, remote_id: str) -> tuple[bool, Payload | None]:
        """(True, payload or None when gone) if this GET was started and succeeded."""
        future = self._fetches.get((*group, remote_id))
        if future is None or _failed(future):
            return False, None
        return True, future.result()

    def cancel(self) -> None:
        for listing in self._listings.values():
            listing.cancel()
        for fetch in self._fetches.values():
            fetch.cancel()


def _failed(future: Future[Any]) -> bool:
    return future.cancelled() or future.exception() is not None


def _outcome(future: Future[list[Payload]] | None) -> list[Payload] | None:
    return None if future is None or _failed(future) else future.result()
