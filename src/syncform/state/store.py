"""The state-store contract every backend keeps (SQLite, the default; PostgreSQL for teams).

Reading never creates anything: state that does not exist yet reads as empty. Every `put`,
`remove` and journal write is its own transaction; `transaction()` groups several (nested ones
become savepoints), and all of them land or none. Timestamps are the store's, from its clock.
`lock` is the writer lock: one writer at a time across processes and hosts sharing the state;
a writer that waits too long fails naming the holder. `close()` closes what a store keeps open
between uses; whoever opens a store closes it (a session closes its store when it ends).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from syncform.core.address import Address
from syncform.core.records import StateRecord


@dataclass(frozen=True)
class RemovedEntry:
    """What `remove` took out of state, read from the row's text even when the row is bad."""

    address: Address
    connection: str
    remote_id: str


class StateStore(Protocol):
    """Per address the connection, remote id, applied spec, lifecycle and dependency edges;
    the apply journal; and the writer lock."""

    @property
    def location(self) -> str:
        """Where the state is, for messages (never a secret: no DSN, no password)."""
        ...

    def get(self, address: Address) -> StateRecord | None: ...

    def all(self) -> list[StateRecord]:
        """Every record, sorted by address."""
        ...

    def found_by(self, address: Address) -> str | None:
        """How the address entered state: `create`, `natural_key` or `import`."""
        ...

    def put(self, record: StateRecord, *, found_by: str = "create") -> StateRecord:
        """Insert or update one address; returns the record as stored (with timestamps)."""
        ...

    def remove(self, address: Address) -> RemovedEntry | None: ...

    def lock(self, holder: str, timeout: float) -> contextlib.AbstractContextManager[None]:
        """The writer lock; waits up to `timeout` s, then raises `StateLockTimeout`."""
        ...

    def close(self) -> None:
        """Close what the store keeps open between uses (SQLite: its writing connection). A
        closed store may be used again: it opens what it needs."""
        ...

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group writes: all of them land, or (on any exception) none."""
        ...

    def now(self) -> str:
        """The store clock's current time, as stored."""
        ...

    def journal_insert(self, row: tuple[Any, ...]) -> int:
        """Append one intent (run_id .. started_at) in its own transaction; its entry id."""
        ...

    def journal_finish(self, entry_id: int, outcome: tuple[Any, ...]) -> None:
        """Record (outcome, status, remote_id, error, finished_at) of one entry."""
        ...

    def journal_rows(self, last: int | None = None) -> list[tuple[Any, ...]]:
        """Journal rows (`rows.JOURNAL_COLUMNS`, body as JSON text), oldest first."""
        ...

    def restore(
        self, resources: Sequence[tuple[StateRecord, str]], journal: Sequence[tuple[Any, ...]]
    ) -> None:
        """Write records as they are (timestamps, `found_by`) and journal rows, in one
        transaction: what `syncform state copy` writes into an empty state."""
        ...

    def migrate(self) -> tuple[int | None, int]:
        """Create or migrate the schema now: (the version before, None when there was no
        state; the version now). A state written by a newer syncform is refused untouched."""
        ...
