"""`export`: write manifests for the live objects of a connection and record them in state.

An existing tenant comes under syncform in one step: the next `plan` shows no create, replace or
delete, only in-place updates of the secrets the APIs never return (see `reading.exported`).

- Reading is GET only, through read-only clients: nothing is ever sent to change an object.
- Every kind the connection's provider serves is exported, or only `kind`; with no connection
  named, every connection of syncform.yaml (that serves `kind`).
- Objects already in state (same connection, kind and remote id) are managed already: they are
  skipped, so a second export adds only what appeared since (and nothing when nothing did).
- Under the writer lock: an exported address already in state with another remote id is refused
  (naming it); so is an existing manifest file unless `force`. Every file is written (atomically,
  never through a link) before state records anything, so state never holds an object without
  its manifest (the next plan would delete it). Then all records are written in one
  transaction: the spec without its secret placeholders as applied spec, the default lifecycle
  and the dependency edges between the exported manifests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from syncform.core.address import Address
from syncform.core.errors import ConfigError, FileRefused, StateError, SyncformError
from syncform.core.files import refuse_unless_writable_target, write_file_atomically
from syncform.core.records import StateRecord
from syncform.core.resources import Resource
from syncform.http import RequestCounters
from syncform.manifests.config import Config
from syncform.manifests.dependencies import dependency_map
from syncform.output.manifests_yaml import manifest_path, render_manifest
from syncform.providers.registry import CATALOG, DRIVERS
from syncform.reading.exported import Export, ExportedObject, export_objects
from syncform.reading.listing import Listed, list_everything
from syncform.reading.reader import Group
from syncform.session import Runtime
from syncform.state.store import StateStore
from syncform.workflows.sources import config_only

FOUND_BY_EXPORT = "export"


@dataclass(frozen=True)
class ExportRequest:
    config_path: Path | None = None
    connection: str | None = None  # None: every connection
    kind: str | None = None  # None: every kind the connection serves
    out: Path = Path("exported")
    force: bool = False  # overwrite existing manifest files
    lock_timeout: float = 30.0


@dataclass(frozen=True)
class ExportResult:
    exported: tuple[ExportedObject, ...]
    files: tuple[Path, ...]  # one per exported object, in the same order
    already_managed: tuple[Address, ...]  # live objects state holds already: skipped
    not_adoptable: tuple[Listed, ...]  # never adopted on their connection: left out
    counters: RequestCounters


def export(request: ExportRequest, runtime: Runtime) -> ExportResult:
    config = config_only(request.config_path, runtime.environ)
    if config is None:
        raise ConfigError("export reads through the connections of syncform.yaml: give --config")
    groups = _groups(config, request)
    with runtime.session(config) as session:
        with session.clients(read_only=True) as pool:
            listed = list_everything(groups, pool)
            counters = pool.counters
        store = session.state()
        with store.lock("syncform export", request.lock_timeout):
            records = store.all()
            fresh, managed = _split_managed(listed, records)
            found = export_objects(fresh)
            _refuse_taken_addresses(found.objects, records)
            files = _write_manifests(found, request.out, force=request.force)
            _record(store, found.objects)
    return ExportResult(found.objects, files, managed, found.not_adoptable, counters)


def _groups(config: Config, request: ExportRequest) -> list[Group]:
    """(connection, kind) pairs to list, in the config's and the registry's order."""
    if request.kind is not None and request.kind not in DRIVERS:
        raise ConfigError(f"unknown kind {request.kind!r}; expected one of {', '.join(DRIVERS)}")
    if request.connection is not None and request.connection not in config.connections:
        raise ConfigError(f"unknown connection {request.connection!r} in {config.path}")
    names = [request.connection] if request.connection else list(config.connections)
    groups = [
        (name, kind)
        for name in names
        for kind, driver in DRIVERS.items()
        if driver.traits.provider == config.connections[name].provider
        and request.kind in (None, kind)
    ]
    if not groups:
        where = f"connection {request.connection!r}" if request.connection else "no connection"
        raise ConfigError(f"{where} serves {request.kind or 'any kind'}: nothing to export")
    return groups


def _split_managed(
    listed: Sequence[Listed], records: Iterable[StateRecord]
) -> tuple[list[Listed], tuple[Address, ...]]:
    """(objects state does not hold yet, addresses of the ones it holds)."""
    owners = {(r.connection, r.address.kind, r.remote_id): r.address for r in records}
    fresh, managed = [], []
    for item in listed:
        owner = owners.get((item.connection.name, item.kind, item.remote_id))
        if owner is None:
            fresh.append(item)
        else:
            managed.append(owner)
    return fresh, tuple(managed)


def _refuse_taken_addresses(
    objects: Sequence[ExportedObject], records: Iterable[StateRecord]
) -> None:
    in_state = {record.address: record for record in records}
    taken = [
        f"{item.address} (state: remote id {in_state[item.address].remote_id} on "
        f"{in_state[item.address].connection}; live: {item.remote_id} on {item.connection})"
        for item in objects
        if item.address in in_state
    ]
    if taken:
        raise StateError(
            "export would record addresses that state holds for other objects: "
            + "; ".join(taken)
            + ". Rename or `syncform state rm` those first; nothing was written"
        )


def _write_manifests(found: Export, out: Path, *, force: bool) -> tuple[Path, ...]:
    """Each object's manifest file under `out`; all targets are checked before any is written."""
    files = [(out / manifest_path(item), render_manifest(item)) for item in found.objects]
    existing = [str(path) for path, _ in files if path.is_symlink() or path.exists()]
    if existing and not force:
        raise SyncformError(
            f"{', '.join(existing)}: already exist; nothing was written (--force overwrites them)"
        )
    for path, _ in files:
        refuse_unless_writable_target(path)  # never through a link, even with --force
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not write_file_atomically(path, text.encode(), 0o644, replace=force):
            raise FileRefused(str(path), "appeared while exporting; --force overwrites")
    return tuple(path for path, _ in files)


def _record(store: StateStore, objects: Sequence[ExportedObject]) -> None:
    """One state record per exported object, all in one transaction."""
    resources = [Resource(item.address, item.connection, item.spec) for item in objects]
    edges = dependency_map(resources, CATALOG)
    with store.transaction():
        for item in objects:
            record = StateRecord(
                item.address,
                item.connection,
                item.remote_id,
                item.applied_spec,
                depends_on=tuple(sorted(edges.get(item.address, ()))),
            )
            store.put(record, found_by=FOUND_BY_EXPORT)
