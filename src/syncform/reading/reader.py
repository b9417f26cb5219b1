"""The concurrent read of every resource across connections.

Requests are the fewest the APIs allow: one list walk per (connection, kind), since Tines and
Truto lists return whole objects; Polytomic lists are light, so its list is walked only when a
resource must be found by name, and each matched sync is then read by id, concurrently. All
requests run on one thread pool bounded by `parallelism`, and each client's rate limiter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from syncform.core.address import Address
from syncform.core.errors import NotFoundError, UsageError
from syncform.core.records import Desired, LiveObject, StateRecord
from syncform.core.resources import Resource
from syncform.http import ApiClient, RequestCounters
from syncform.manifests.config import Connection
from syncform.providers.driver import KindDriver
from syncform.providers.registry import driver_for
from syncform.reading.identity import (
    FOUND_BY_IMPORT,
    ListingIndex,
    Match,
    by_natural_key,
    by_state_id,
    check_unique_claims,
    index_listing,
)
from syncform.reading.resolve import DeclaredLookup, LiveLookup
from syncform.reading.waves import reference_waves

if TYPE_CHECKING:
    from syncform.reading.early import EarlyReads

Payload = dict[str, Any]
Group = tuple[str, str]  # (connection name, kind)


class ClientSource(Protocol):
    """Where clients come from (a `ConnectionPool`)."""

    def client(self, name: str) -> ApiClient: ...

    def connection(self, name: str) -> Connection: ...

    @property
    def counters(self) -> RequestCounters: ...


class DesiredResolver(Protocol):
    """Turns a resource into its `Desired` (a `Resolver`)."""

    def connection_name(self, resource: Resource) -> str: ...

    def resolve(
        self, resource: Resource, lookup: LiveLookup, declared: DeclaredLookup
    ) -> Desired: ...


@dataclass(frozen=True)
class ReadResult:
    desired: Desired
    searched_by: str  # "state" | "natural_key"
    live: LiveObject | None

    @property
    def address(self) -> Address:
        return self.desired.address


@dataclass(frozen=True)
class ReadReport:
    results: tuple[ReadResult, ...]
    counters: RequestCounters
    listings: Mapping[Group, list[Payload]] = field(default_factory=dict)  # what was walked

    def live_objects(self) -> dict[Address, LiveObject]:
        return {r.address: r.live for r in self.results if r.live is not None}


def read_live(
    resources: Sequence[Resource],
    *,
    resolver: DesiredResolver,
    clients: ClientSource,
    state: Mapping[Address, StateRecord],
    parallelism: int = 10,
    early: EarlyReads | None = None,
) -> ReadReport:
    """Resolve and find every resource; results keep the order of `resources`.

    With `early`, the reads it started are taken instead of being sent again, and its
    thread pool is the one the reads run on."""
    if parallelism < 1:
        raise UsageError(f"parallelism must be at least 1, got {parallelism}")
    connections = {r.address: resolver.connection_name(r) for r in resources}
    with _read_pool(parallelism, early) as pool:
        session = _Session(resolver, clients, pool, connections, state, early=early)
        session.start_listings(resources)
        for wave in reference_waves(resources):
            session.read_wave(wave)
    check_unique_claims(session.matches)
    results = tuple(session.results[r.address] for r in resources)
    listings = {group: future.result() for group, future in session.listings.items()}
    return ReadReport(results, clients.counters, listings)


def list_group(clients: ClientSource, group: Group) -> list[Payload]:
    """The list walk of one (connection, kind)."""
    name, kind = group
    return driver_for(kind).list_live(clients.client(name), clients.connection(name))


def fetch_by_id(clients: ClientSource, group: Group, remote_id: str) -> Payload | None:
    """One object of a kind whose lists are light, by id; None when it is gone."""
    name, kind = group
    fetch_one = driver_for(kind).fetch_one
    assert fetch_one is not None
    try:
        return fetch_one(clients.client(name), remote_id)
    except NotFoundError:
        return None


def _read_pool(
    parallelism: int, early: EarlyReads | None
) -> AbstractContextManager[ThreadPoolExecutor]:
    if early is not None:
        return nullcontext(early.pool)  # its owner shuts it down
    return ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="syncform-read")


class _Session:
    def __init__(
        self,
        resolver: DesiredResolver,
        clients: ClientSource,
        pool: ThreadPoolExecutor,
        connections: Mapping[Address, str],
        state: Mapping[Address, StateRecord],
        *,
        early: EarlyReads | None = None,
    ) -> None:
        self.resolver = resolver
        self.clients = clients
        self.pool = pool
        self.early = early
        self.connections = connections
        self.state_ids = {
            address: record.remote_id
            for address, record in state.items()
            if connections.get(address) == record.connection
        }
        self.claimed: dict[Group, set[str]] = defaultdict(set)
        for record in state.values():
            self.claimed[(record.connection, record.address.kind)].add(record.remote_id)
        self.listings: dict[Group, Future[list[Payload]]] = {}
        self.indexes: dict[Group, ListingIndex] = {}
        self.results: dict[Address, ReadResult] = {}
        self.matches: list[Match] = []

    # -- phase 1: one list walk per (connection, kind), all at once ---------------------------

    def start_listings(self, resources: Sequence[Resource]) -> None:
        groups: dict[Group, list[Address]] = defaultdict(list)
        for resource in resources:
            groups[(self.connections[resource.address], resource.kind)].append(resource.address)
        for (name, kind), addresses in groups.items():
            driver = driver_for(kind)
            by_name = any(address not in self.state_ids for address in addresses)
            if driver.fetch_one is None or by_name:
                self.listings[(name, kind)] = self.pool.submit(self.walk, (name, kind))

    def walk(self, group: Group) -> list[Payload]:
        """The group's list walk: the early one when it was started and succeeded."""
        early = None if self.early is None else self.early.listing(group)
        return early if early is not None else list_group(self.clients, group)

    def index(self, group: Group) -> ListingIndex | None:
        """The group's listing indexed once (None when the kind was not listed)."""
        if group not in self.indexes:
            listing = self.listing(group)
            if listing is None:
                return None
            name, kind = group
            connection = self.clients.connection(name)
            self.indexes[group] = index_listing(
                driver_for(kind), connection, listing, self.claimed[group]
            )
        return self.indexes[group]

    def listing(self, group: Group) -> list[Payload] | None:
        future = self.listings.get(group)
        return None if future is None else future.result()

    # -- phase 2: resolve and match, wave by wave ---------------------------------------------

    def lookup(self, address: Address) -> LiveObject | None:
        result = self.results.get(address)
        return None if result is None else result.live

    def declared(self, address: Address) -> dict[str, Any] | None:
        result = self.results.get(address)
        return None if result is None else result.desired.spec

    def read_wave(self, wave: Sequence[Resource]) -> None:
        matches = [self.match(self.resolver.resolve(r, self.lookup, self.declared)) for r in wave]
        fetches = {
            index: self.pool.submit(self.fetch, match)
            for index, match in enumerate(matches)
            if match.remote_id is not None and driver_for(match.desired.address.kind).fetch_one
        }
        for index, match in enumerate(matches):
            raw = fetches[index].result() if index in fetches else match.item
            live = None if raw is None else self.live_object(match, raw)
            self.matches.append(match if live else Match(match.desired, match.searched_by))
            self.results[match.desired.address] = ReadResult(match.desired, match.searched_by, live)

    def match(self, desired: Desired) -> Match:
        kind = desired.address.kind
        driver = driver_for(kind)
        group = (desired.connection, kind)
        remote_id = self.state_ids.get(desired.address)
        if remote_id is not None:
            return by_state_id(desired, remote_id, self.index(group))
        import_id = desired.resource.import_id
        if import_id is not None:
            return by_state_id(desired, import_id, self.index(group), FOUND_BY_IMPORT)
        connection = self.clients.connection(desired.connection)
        index = self.index(group) or index_listing(driver, connection, [], ())
        return by_natural_key(desired, driver, connection, index)

    def fetch(self, match: Match) -> Payload | None:
        assert match.remote_id is not None
        group = (match.desired.connection, match.desired.address.kind)
        if self.early is not None:
            taken, payload = self.early.fetched(group, match.remote_id)
            if taken:
                return payload
        return fetch_by_id(self.clients, group, match.remote_id)

    @staticmethod
    def live_object(match: Match, raw: Mapping[str, Any]) -> LiveObject:
        driver: KindDriver = driver_for(match.desired.address.kind)
        return LiveObject(
            address=match.desired.address,
            remote_id=driver.remote_id(raw),
            spec=driver.normalise_live(raw),
            found_by=match.searched_by,
            fingerprint=driver.fingerprint(raw),
            raw=dict(raw),
            version=driver.version(raw),
            health=driver.health(raw),
        )
