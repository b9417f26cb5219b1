"""Syncform's state: per address the connection, remote id and last applied spec.

Secrets never enter state: applied specs hold `{"$digest": "hmac-sha256:..."}` in their place.
Two backends keep the same contract (`StateStore`): SQLite, the default, and PostgreSQL, for
teams sharing state. The PostgreSQL store (and its driver, psycopg) is imported only when opened.
"""

from __future__ import annotations

from pathlib import Path

from syncform.state.clock import Clock, system_clock
from syncform.state.sqlite_store import SqliteStateStore
from syncform.state.store import StateStore

__all__ = [
    "SqliteStateStore",
    "StateStore",
    "open_postgres_state",
    "open_state",
]


def open_state(path: Path, *, clock: Clock = system_clock) -> SqliteStateStore:
    """The state store at `path` (the sqlite backend's file). Opening touches no file."""
    return SqliteStateStore(path, clock=clock)


def open_postgres_state(dsn: str, schema: str, *, clock: Clock = system_clock) -> StateStore:
    """The PostgreSQL state store in `schema` of the database at `dsn`. Opening connects to
    nothing; it imports psycopg (ConfigError naming the `postgres` extra when it is missing)."""
    from syncform.state.postgres_store import PostgresStateStore  # noqa: PLC0415

    return PostgresStateStore(dsn, schema, clock=clock)
