"""The apply journal: every mutating request, its intent before it is sent, then its outcome.

Append-only: an entry is written (intent) before the request leaves, and its outcome (status,
remote id, scrubbed error) is written once known. An entry with no outcome after a run means the
run was killed, or the request's answer was lost: the next apply resolves it by re-reading
(never by blindly resending). Bodies hold secrets as references only, never values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from syncform.core.address import Address
from syncform.state.store import StateStore

OUTCOME_OK = "ok"
OUTCOME_FAILED = "failed"
OUTCOME_UNKNOWN = "unknown"  # sent, but no answer: a timeout or a dropped connection
OUTCOME_RESOLVED = "resolved"  # an unknown outcome settled by a later run's re-read


@dataclass(frozen=True)
class Intent:
    run_id: str
    seq: int
    address: Address
    connection: str
    method: str
    path: str
    body: Any  # with SENSITIVE placeholders; `secret_refs` say where the references go
    idempotency_key: str | None = None


@dataclass(frozen=True)
class JournalEntry:
    entry_id: int
    intent: Intent
    started_at: str
    outcome: str | None = None  # None: no outcome recorded yet
    status: int | None = None
    remote_id: str | None = None
    error: str | None = None
    finished_at: str | None = None


def record_intent(store: StateStore, intent: Intent) -> int:
    """Append the intent in its own transaction; returns the entry id."""
    now = store.now()
    row = (
        intent.run_id,
        intent.seq,
        str(intent.address),
        intent.connection,
        intent.method,
        intent.path,
        json.dumps(intent.body, sort_keys=True),
        intent.idempotency_key,
        now,
    )
    return store.journal_insert(row)


def record_outcome(
    store: StateStore,
    entry_id: int,
    outcome: str,
    *,
    status: int | None = None,
    remote_id: str | None = None,
    error: str | None = None,
) -> None:
    now = store.now()
    store.journal_finish(entry_id, (outcome, status, remote_id, error, now))


def entries(store: StateStore, *, last: int | None = None) -> list[JournalEntry]:
    """The journal, oldest first (only the `last` N when given)."""
    return [_entry(row) for row in store.journal_rows(last)]


def unfinished(store: StateStore) -> list[JournalEntry]:
    """Entries whose outcome was never recorded, or is unknown: a later run must settle them."""
    return [
        entry
        for entry in entries(store)
        if entry.outcome is None or entry.outcome == OUTCOME_UNKNOWN
    ]


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    (entry_id, run_id, seq, address, connection, method, path, body, key, started_at) = row[:10]
    outcome, status, remote_id, error, finished_at = row[10:]
    intent = Intent(
        run_id, int(seq), Address.parse(address), connection, method, path, json.loads(body), key
    )
    return JournalEntry(
        int(entry_id), intent, started_at, outcome, status, remote_id, error, finished_at
    )
