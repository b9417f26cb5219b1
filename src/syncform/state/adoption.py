"""Recording an adoption: `syncform import ADDRESS REMOTE_ID` puts an existing object in state."""

from __future__ import annotations

from collections.abc import Callable

from syncform.engine.inputs import StateRecord
from syncform.errors import StateError
from syncform.model import Address
from syncform.state.sqlite_store import SqliteStateStore

ImportVerifier = Callable[[Address, str], None]
"""Checks that the remote object exists (and fits the address); raises a SyncformError if not."""


def record_import(
    store: SqliteStateStore,
    address: Address,
    remote_id: str,
    *,
    connection: str,
    lock_timeout: float,
    verify: ImportVerifier | None = None,
    holder: str = "syncform import",
) -> StateRecord:
    """Adopt `remote_id` as `address`, under the writer lock; the applied spec starts empty.

    `verify` is called before anything is written (the provider layer passes one that reads the
    object from its API); with None the id is recorded unchecked.
    """
    if not remote_id.strip():
        raise StateError("the remote id to import is empty")
    with store.lock(holder, lock_timeout):
        existing = store.get(address)
        if existing is not None:
            raise StateError(
                f"{address} is already in state with remote id {existing.remote_id}; "
                "run `syncform state rm` first to adopt another object"
            )
        if verify is not None:
            verify(address, remote_id)
        record = StateRecord(
            address=address, connection=connection, remote_id=remote_id, applied_spec={}
        )
        return store.put(record, found_by="import")
