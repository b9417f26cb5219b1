"""Reading the live objects of addresses that only state knows (their manifests are gone)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from syncform.core.errors import ConfigError
from syncform.core.records import LiveObject, StateRecord
from syncform.providers.driver import KindDriver
from syncform.providers.registry import driver_for
from syncform.reading.reader import ClientSource, fetch_by_id, list_group

Group = tuple[str, str]  # (connection, kind)


def read_state_only(
    records: Sequence[StateRecord], clients: ClientSource, known_connections: set[str]
) -> dict[Any, LiveObject]:
    """Address -> live object for each record whose object still exists (by its state id)."""
    groups: dict[Group, list[StateRecord]] = defaultdict(list)
    for record in records:
        if record.connection not in known_connections:
            raise ConfigError(
                f"state holds {record.address} on connection {record.connection!r}, which "
                "syncform.yaml no longer defines (restore it, or `syncform state rm` the address)"
            )
        groups[(record.connection, record.address.kind)].append(record)
    found: dict[Any, LiveObject] = {}
    for (name, kind), members in sorted(groups.items()):
        driver = driver_for(kind)
        payloads = _payloads_by_id(driver, clients, (name, kind), members)
        for record in members:
            raw = payloads.get(record.remote_id)
            if raw is not None:
                found[record.address] = _live_object(driver, record, raw)
    return found


def _payloads_by_id(
    driver: KindDriver, clients: ClientSource, group: Group, members: Sequence[StateRecord]
) -> Mapping[str, Mapping[str, Any]]:
    if driver.fetch_one is None:
        return {driver.remote_id(item): item for item in list_group(clients, group)}
    payloads: dict[str, Mapping[str, Any]] = {}
    for record in members:
        payload = fetch_by_id(clients, group, record.remote_id)
        if payload is not None:
            payloads[record.remote_id] = payload
    return payloads


def _live_object(driver: KindDriver, record: StateRecord, raw: Mapping[str, Any]) -> LiveObject:
    return LiveObject(
        address=record.address,
        remote_id=driver.remote_id(raw),
        spec=driver.normalise_live(raw),
        found_by="state",
        fingerprint=driver.fingerprint(raw),
        raw=dict(raw),
        version=driver.version(raw),
        health=driver.health(raw),
    )
