"""A run's wiring: what it takes from the world (`Runtime`) and what it holds open (`Session`).

`Runtime` is the environment variables, how connections are reached and the HTTP pacing; the CLI
builds it from the process, tests and benchmarks from their own emulator apps. `Session` is one
run on one configuration: its scrubber (every secret the run touches is registered there before
it could reach a message), the state store, the secret hasher and the clients of each connection.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.core.resources import Resource
from syncform.http import Deadline
from syncform.manifests.config import Config
from syncform.secrets.digests import KEY_FILE_NAME, STATE_KEY_ENV, SecretHasher, load_state_key
from syncform.secrets.scrubber import Scrubber
from syncform.session.pool import ConnectionPool
from syncform.session.registration import register_run_secrets
from syncform.session.settings import HttpSettings
from syncform.session.state_store import SessionState, require_state_key
from syncform.session.transports import TransportFactory, Transports
from syncform.state import StateStore


def warn_on_stderr(message: str) -> None:
    sys.stderr.write(f"syncform: warning: {message}\n")


@dataclass(frozen=True)
class Runtime:
    environ: Mapping[str, str]
    transports: Callable[[Config], TransportFactory] = Transports
    http: HttpSettings = field(default_factory=HttpSettings)
    scrubber: Scrubber = field(default_factory=Scrubber)  # masks every secret the run touched
    warn: Callable[[str], None] = warn_on_stderr  # a warning for the person running syncform

    @contextmanager
    def session(self, config: Config, resources: Sequence[Resource] = ()) -> Iterator[Session]:
        """A session on `config`; its state store and then its transports are closed
        (emulators saved) on exit.

        Before it is handed out, every secret of the connections, of `resources` and the state
        key is registered with the scrubber, so even the first request's error is masked."""
        register_run_secrets(self.scrubber, config, resources, self.environ)
        deadline = run_deadline(config)
        transports = self.transports(config)
        try:
            with closing(SessionState(config, self.environ, self.scrubber)) as state:
                yield Session(
                    config, self.environ, transports, self.http, self.scrubber, deadline, state
                )
        finally:
            transports.close()


@dataclass(frozen=True)
class Session:
    config: Config
    environ: Mapping[str, str]
    transports: TransportFactory
    http: HttpSettings
    scrubber: Scrubber
    run_deadline: Deadline | None = None  # None: the run is not limited in time
    opened_state: SessionState | None = field(default=None, compare=False, repr=False)

    def register_secrets(self, resources: Sequence[Resource]) -> None:
        """Register the secrets of `resources` too, for a session opened before the manifests
        were loaded (reads started early); do it before anything they hold can be reported."""
        register_run_secrets(self.scrubber, self.config, resources, self.environ)

    def clients(self, *, read_only: bool) -> ConnectionPool:
        """A pool of one client per connection; read-only clients raise before any write."""
        return ConnectionPool(
            self.config,
            self.transports,
            environ=self.environ,
            read_only=read_only,
            scrubber=self.scrubber,
            http=self.http,
            run_deadline=self.run_deadline,
        )

    def state(self) -> StateStore:
        """The store of syncform.yaml's `state:` (SQLite by default, or PostgreSQL): the same
        one for the whole session, closed when it ends."""
        if self.opened_state is None:  # a session built by hand: a store of its own
            return SessionState(self.config, self.environ, self.scrubber).store()
        return self.opened_state.store()

    def state_records(self) -> dict[Address, StateRecord]:
        """Every record of the state store (none when it does not exist yet)."""
        return {record.address: record for record in self.state().all()}

    def hasher(self, *, read_only: bool) -> SecretHasher:
        """The state key's hasher. Read-only, with no key yet, a throwaway key is used so that
        reading creates no file (digests are then only comparable within this run). With
        PostgreSQL state the key must come from the environment, read-only or not."""
        require_state_key(self.config, self.environ)
        state_dir = self.config.state_path.parent
        exists = self.environ.get(STATE_KEY_ENV) is not None or (state_dir / KEY_FILE_NAME).exists()
        if read_only and not exists:
            return SecretHasher(secrets.token_bytes(32))
        return SecretHasher(
            load_state_key(state_dir, self.environ, create_if_missing=not read_only)
        )


def run_deadline(config: Config) -> Deadline:
    """The deadline of one run (plan, refresh, apply), starting now; every request of the run's
    clients must be over by it."""
    return Deadline.after(
        config.run_deadline_seconds, "run deadline", "defaults.run_deadline_seconds"
    )
