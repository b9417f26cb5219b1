"""Syncform's state: per address the connection, remote id and last applied spec.

Secrets never enter state: applied specs hold `{"$digest": "hmac-sha256:..."}` in their place.
"""

from __future__ import annotations

from pathlib import Path

from syncform.state.clock import Clock, system_clock
from syncform.state.sqlite_store import SqliteStateStore

__all__ = [
    "SqliteStateStore",
    "open_state",
]


def open_state(path: Path, *, clock: Clock = system_clock) -> SqliteStateStore:
    """The state store at `path` (the sqlite backend's file). Opening touches no file."""
    return SqliteStateStore(path, clock=clock)
