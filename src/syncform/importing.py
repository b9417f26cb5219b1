"""Checking, read-only, that an object exists in its vendor API before `import` records it."""

from __future__ import annotations

from collections.abc import Mapping

from syncform.config import Config
from syncform.connections import ConnectionPool
from syncform.engine.inputs import StateRecord
from syncform.errors import ConfigError, NotFoundError
from syncform.model import PROVIDER_OF_KIND, Address
from syncform.reading.state_only import read_state_only


def verify_remote_object(
    config: Config, environ: Mapping[str, str], address: Address, connection: str, remote_id: str
) -> None:
    """Raise unless `remote_id` is a live object of `address.kind` on `connection`."""
    chosen = config.connections.get(connection)
    if chosen is None:
        raise ConfigError(f"unknown connection {connection!r} in {config.path}")
    if chosen.provider != PROVIDER_OF_KIND[address.kind]:
        raise ConfigError(f"connection {connection!r} is {chosen.provider}, not for {address.kind}")
    probe = StateRecord(address, connection, remote_id, {})
    with ConnectionPool(config, environ=environ, read_only=True) as pool:
        found = read_state_only([probe], pool, set(config.connections))
    if address not in found:
        raise NotFoundError(f"no {address.kind} with id {remote_id!r} on connection {connection!r}")
