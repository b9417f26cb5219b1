"""Choosing a state store by hand, migrating its schema, and copying state between backends.

The `state` commands and `import` find their store thus: `--state FILE` (or `SYNCFORM_STATE`)
is a SQLite file and wins; else syncform.yaml's `state:` (found as for every command: `--config`,
`SYNCFORM_CONFIG`, or `syncform.yaml` in the current folder), SQLite or PostgreSQL; else
`.syncform/state.db`.

`copy_state` moves a whole state (every record with its timestamps and how it was found, and
the whole journal) into an empty store of either backend, under both writer locks, and checks
at the end that the target holds as many resources and journal entries as the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from syncform.core.errors import ConfigError, StateError, UsageError
from syncform.manifests.config import (
    DEFAULT_STATE_PATH,
    POSTGRES_BACKEND,
    Config,
    find_config_path,
    load_config,
)
from syncform.session.state_store import open_configured_state
from syncform.state import StateStore, open_state

SQLITE_PREFIX = "sqlite:"


def open_command_state(
    state_path: Path | None, config_path: Path | None, environ: Mapping[str, str]
) -> StateStore:
    """`--state FILE` (SQLite), else syncform.yaml's `state:`, else `.syncform/state.db`."""
    if state_path is not None:
        return open_state(state_path)
    config = _config(config_path, environ, required=False)
    if config is None:
        return open_state(DEFAULT_STATE_PATH)
    return open_configured_state(config, environ)


def open_named_state(name: str, config_path: Path | None, environ: Mapping[str, str]) -> StateStore:
    """`sqlite:PATH`, or `postgres`: the PostgreSQL state syncform.yaml's `state:` names."""
    if name.startswith(SQLITE_PREFIX) and len(name) > len(SQLITE_PREFIX):
        return open_state(Path(name[len(SQLITE_PREFIX) :]))
    if name != POSTGRES_BACKEND:
        raise UsageError(f"unknown state {name!r}: give sqlite:PATH or postgres")
    config = _config(config_path, environ, required=True)
    assert config is not None
    if config.state_backend != POSTGRES_BACKEND:
        raise ConfigError(
            f"{config.path}: state.backend is not postgres: `postgres` names the PostgreSQL "
            "state of syncform.yaml (give --config)"
        )
    return open_configured_state(config, environ)


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    resources: int
    journal_entries: int


def copy_state(source: StateStore, target: StateStore, lock_timeout: float) -> CopyResult:
    """Copy every record and journal entry of `source` into the empty `target`."""
    if source.location == target.location:
        raise UsageError(f"--from and --to are the same state ({source.location})")
    with ExitStack() as locks:
        locks.enter_context(source.lock("syncform state copy", lock_timeout))
        locks.enter_context(target.lock("syncform state copy", lock_timeout))
        records = source.all()
        journal = source.journal_rows()
        if not records and not journal:
            raise StateError(f"nothing to copy: {source.location} holds no state")
        _refuse_unless_empty(target)
        found = [(record, source.found_by(record.address) or "create") for record in records]
        target.restore(found, journal)
        _check_counts(target, len(records), len(journal))
    return CopyResult(source.location, target.location, len(records), len(journal))


def _refuse_unless_empty(target: StateStore) -> None:
    resources, entries = len(target.all()), len(target.journal_rows())
    if resources or entries:
        raise StateError(
            f"{target.location} already holds state ({resources} resources, {entries} journal "
            "entries); syncform copies only into an empty state and changed nothing"
        )


def _check_counts(target: StateStore, resources: int, entries: int) -> None:
    found = (len(target.all()), len(target.journal_rows()))
    if found != (resources, entries):
        raise StateError(
            f"copy check failed: {target.location} holds {found[0]} resources and {found[1]} "
            f"journal entries, the source {resources} and {entries}"
        )


def _config(
    config_path: Path | None, environ: Mapping[str, str], *, required: bool
) -> Config | None:
    found = find_config_path([Path(".")], config_path, environ)
    if found is None:
        if required:
            raise ConfigError("the PostgreSQL state is named in syncform.yaml: give --config")
        return None
    result = load_config(found, found.parent)
    if result.findings:
        raise ConfigError(f"{found} is not valid: run `syncform validate`")
    return result.config
