"""Opening the state store that syncform.yaml's `state:` names, SQLite or PostgreSQL.

The PostgreSQL DSN is a secret reference like any token: it is read here from the environment
or a file, registered with the run's scrubber, and handed to the store, which never shows it.
With PostgreSQL state the state key must come from `SYNCFORM_STATE_KEY`: there is no folder
shared by every runner to keep a key file in.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from syncform.core.errors import ConfigError, StateError
from syncform.manifests.config import POSTGRES_BACKEND, Config
from syncform.secrets.digests import STATE_KEY_ENV
from syncform.secrets.references import ReferenceSyntaxError, parse_reference
from syncform.secrets.scrubber import Scrubber
from syncform.secrets.sources import read_reference_text
from syncform.state import StateStore, open_postgres_state, open_state


def open_configured_state(
    config: Config, environ: Mapping[str, str], scrubber: Scrubber | None = None
) -> StateStore:
    """The store of `config`'s `state:` setting (opening it connects to nothing)."""
    if config.state_backend != POSTGRES_BACKEND:
        return open_state(config.state_path)
    return open_postgres_state(state_dsn(config, environ, scrubber), config.state_schema)


class SessionState:
    """A session's one state store: opened on first use, shared by the whole session (and its
    threads), closed by `close()` when the session ends. Used again after that, it opens anew."""

    def __init__(
        self, config: Config, environ: Mapping[str, str], scrubber: Scrubber | None = None
    ) -> None:
        self._config, self._environ, self._scrubber = config, environ, scrubber
        self._store: StateStore | None = None
        self._opening = threading.Lock()

    def store(self) -> StateStore:
        with self._opening:
            if self._store is None:
                self._store = open_configured_state(self._config, self._environ, self._scrubber)
            return self._store

    def close(self) -> None:
        with self._opening:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def state_dsn(config: Config, environ: Mapping[str, str], scrubber: Scrubber | None) -> str:
    """The DSN's value, registered with `scrubber`; errors name the reference, never a value."""
    where = f"{config.path or config.root}: state.dsn"
    text = config.state_dsn
    try:
        reference = parse_reference(text) if text else None
    except ReferenceSyntaxError:
        reference = None
    if reference is None or not reference.is_secret_source:
        raise ConfigError(f"{where}: PostgreSQL state needs a DSN given as ${{env:NAME}}")
    value = read_reference_text(reference, config.root, environ, where)
    if scrubber is not None:
        scrubber.add(value, reference.anywhere(config.root))
    return value


def require_state_key(config: Config, environ: Mapping[str, str]) -> None:
    """With PostgreSQL state, StateError unless the key comes from `SYNCFORM_STATE_KEY`."""
    if config.state_backend == POSTGRES_BACKEND and not environ.get(STATE_KEY_ENV, "").strip():
        raise StateError(
            f"PostgreSQL state needs the state key in {STATE_KEY_ENV} (a key file is used only "
            "with SQLite state): set it to the same 64 hex digits on every machine sharing this "
            "state, for example from a CI secret (the content of a SQLite state's "
            ".syncform/state.key will do); see docs/state.md"
        )
