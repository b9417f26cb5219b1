"""The read-only part plan and refresh share: resolve every manifest and read its live object."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from syncform.core.address import Address
from syncform.core.records import LiveObject, StateRecord
from syncform.core.resources import Resource
from syncform.http import RequestCounters
from syncform.reading import ReadReport, read_live
from syncform.reading.early import EarlyReads
from syncform.reading.resolve import Resolver
from syncform.reading.state_only import read_state_only
from syncform.session import ConnectionPool, Session


@dataclass(frozen=True)
class LiveRead:
    report: ReadReport  # one result per manifest resource
    live: dict[Address, LiveObject]  # every live object found, state-only addresses included
    state: dict[Address, StateRecord]
    counters: RequestCounters


@dataclass(frozen=True)
class ReadAhead:
    """A session opened before the manifests were loaded, its read-only clients, and the
    reads it started then (see workflows.read_ahead)."""

    session: Session
    resolver: Resolver
    pool: ConnectionPool
    early: EarlyReads


@contextmanager
def read_only_clients(session: Session) -> Iterator[tuple[Resolver, ConnectionPool]]:
    """A resolver and a pool of read-only clients (mutating requests raise before sending)."""
    hasher = session.hasher(read_only=True)
    resolver = Resolver(
        session.config, environ=session.environ, hasher=hasher, scrubber=session.scrubber
    )
    with session.clients(read_only=True) as pool:
        yield resolver, pool


def read_everything(
    session: Session,
    resources: Sequence[Resource],
    parallelism: int | None,
    only: Collection[Address] | None = None,
    ahead: ReadAhead | None = None,
) -> LiveRead:
    """Read every manifest resource, and every state-only address by its id; GET only.

    With `only`, just those addresses are read (a targeted plan), of manifests and state alike.
    With `ahead` (opened on this session), its clients are used and its early reads taken.
    """
    state = session.state_records()
    if only is not None:
        resources = [resource for resource in resources if resource.address in only]
        state = {address: record for address, record in state.items() if address in only}
    with _clients(session, ahead) as (resolver, pool):
        report = read_live(
            resources,
            resolver=resolver,
            clients=pool,
            state=state,
            parallelism=parallelism or session.config.parallelism,
            early=None if ahead is None else ahead.early,
        )
        claimed = {resource.address for resource in resources}
        orphans = [record for address, record in state.items() if address not in claimed]
        connections = set(session.config.connections)
        live = {**report.live_objects(), **read_state_only(orphans, pool, connections)}
        return LiveRead(report, live, state, pool.counters)


@contextmanager
def _clients(
    session: Session, ahead: ReadAhead | None
) -> Iterator[tuple[Resolver, ConnectionPool]]:
    if ahead is None:
        with read_only_clients(session) as clients:
            yield clients
    else:
        yield ahead.resolver, ahead.pool  # closed by read_ahead
