"""`import`: adopt an existing remote object, recording it in state under an address.

The object is first read (GET only) through its connection, unless the request says not to;
the state record then starts with an empty applied spec, so the next plan compares it with its
manifest. Nothing is ever sent to change it.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from syncform.core.address import Address
from syncform.core.errors import ConfigError, NotFoundError, StateError
from syncform.core.records import StateRecord
from syncform.manifests.config import DEFAULT_STATE_PATH, Config
from syncform.providers.registry import provider_of
from syncform.reading.state_only import read_state_only
from syncform.session import Runtime
from syncform.session.state_store import open_configured_state
from syncform.state import StateStore, open_state
from syncform.workflows.sources import config_only


@dataclass(frozen=True)
class ImportRequest:
    address: Address
    remote_id: str
    connection: str
    state_path: Path | None = None  # None: the config's state path
    config_path: Path | None = None
    lock_timeout: float = 30.0
    verify: bool = True  # read the object first through the connection


def import_resource(request: ImportRequest, runtime: Runtime) -> StateRecord:
    config = _config(request, runtime)
    store = (
        open_configured_state(config, runtime.environ, runtime.scrubber)
        if config is not None and request.state_path is None
        else open_state(request.state_path or DEFAULT_STATE_PATH)
    )
    with closing(store), store.lock("syncform import", request.lock_timeout):
        _refuse_existing(store, request.address)
        if request.verify:
            assert config is not None
            _verify(config, request, runtime)
        record = StateRecord(request.address, request.connection, request.remote_id, {})
        return store.put(record, found_by="import")


def _config(request: ImportRequest, runtime: Runtime) -> Config | None:
    if not request.remote_id.strip():
        raise StateError("the remote id to import is empty")
    config = config_only(request.config_path, runtime.environ)
    if config is None and request.verify:
        raise ConfigError("import verifies through syncform.yaml: give --config (or --no-verify)")
    return config


def _refuse_existing(store: StateStore, address: Address) -> None:
    existing = store.get(address)
    if existing is not None:
        raise StateError(
            f"{address} is already in state with remote id {existing.remote_id}; "
            "run `syncform state rm` first to adopt another object"
        )


def _verify(config: Config, request: ImportRequest, runtime: Runtime) -> None:
    """Raise unless the remote id is a live object of the address's kind on the connection."""
    address, connection = request.address, request.connection
    chosen = config.connections.get(connection)
    if chosen is None:
        raise ConfigError(f"unknown connection {connection!r} in {config.path}")
    if chosen.provider != provider_of(address.kind):
        raise ConfigError(f"connection {connection!r} is {chosen.provider}, not for {address.kind}")
    probe = StateRecord(address, connection, request.remote_id, {})
    with runtime.session(config) as session, session.clients(read_only=True) as pool:
        found = read_state_only([probe], pool, set(config.connections))
    if address not in found:
        raise NotFoundError(
            f"no {address.kind} with id {request.remote_id!r} on connection {connection!r}"
        )
