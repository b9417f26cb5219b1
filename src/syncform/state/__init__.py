"""Syncform's state: per address the connection, remote id and last applied spec.

Secrets never enter state: applied specs hold `{"$digest": "hmac-sha256:..."}` in their place.
"""

from __future__ import annotations

from pathlib import Path

from syncform.state.adoption import ImportVerifier, record_import
from syncform.state.clock import Clock, system_clock
from syncform.state.secret_hash import SecretHasher, load_state_key, redact_secrets
from syncform.state.sqlite_store import SqliteStateStore

DEFAULT_STATE_PATH = Path(".syncform") / "state.db"

__all__ = [
    "DEFAULT_STATE_PATH",
    "ImportVerifier",
    "SecretHasher",
    "SqliteStateStore",
    "load_state_key",
    "open_state",
    "record_import",
    "redact_secrets",
]


def open_state(path: Path, *, clock: Clock = system_clock) -> SqliteStateStore:
    """The state store at `path` (the sqlite backend's file). Opening touches no file."""
    return SqliteStateStore(path, clock=clock)
