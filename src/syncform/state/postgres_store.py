"""State a team can share: the PostgreSQL state store, with the same contract as SQLite's.

Every table lives in one PostgreSQL schema (`postgres_schema.py`). Reading never creates
anything: a schema with no syncform table yet reads as empty state. The first write (or
`syncform state migrate`) creates or migrates the tables. Every `put`, `remove` and journal write
is one transaction; `transaction()` groups several (nested ones become savepoints). Each use
opens its own connection, so the store is safe to share between threads.

The writer lock is a session-level advisory lock (`pg_try_advisory_lock`, polled until the
timeout) held by a connection of its own: the server releases it when that connection ends,
however the process ends. While it is held, the `lock_holder` row names the holder (holder, pid,
host, since) for the message of a writer that gives up waiting.

The DSN is a secret: it never appears in a message, a `repr` or a log line. psycopg is imported
here and in `postgres_schema.py` only, and only when PostgreSQL state is configured.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import ConfigError, StateError, StateLockTimeout
from syncform.core.records import StateRecord
from syncform.state.clock import Clock, iso_utc, system_clock
from syncform.state.rows import record_from_row, resource_row
from syncform.state.store import RemovedEntry
from syncform.state.writer_lock import holder_fields, holder_phrase, lock_timeout_message

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.rows import TupleRow
except ImportError:  # pragma: no cover - the `postgres` extra is not installed
    raise ConfigError(
        "PostgreSQL state needs the psycopg driver: pip install 'syncform[postgres]'"
    ) from None

from syncform.state.postgres_schema import (
    LOCK_CLASS,
    check_version,
    checked_schema_name,
    lock_key,
    migrate,
    statement,
)

Connection = psycopg.Connection[TupleRow]
_POLL_SECONDS = 0.05
_MASK = "***"

_COLUMNS = (
    "address, kind, name, connection, remote_id, applied_spec::text, lifecycle::text, "
    "depends_on::text, created_at, updated_at"
)
_JOURNAL_SELECT = """
SELECT entry_id, run_id, seq, address, connection, method, path, body::text, idempotency_key,
       started_at, outcome, status, remote_id, error, finished_at
FROM {s}.journal ORDER BY entry_id DESC LIMIT %s
"""
_INSERT = """
INSERT INTO {s}.resources
    (address, kind, name, connection, remote_id, applied_spec, lifecycle, depends_on, found_by,
     created_at, updated_at)
VALUES (%s, %s, %s, %s, %s, %s::json, %s::json, %s::json, %s, %s, %s)
"""
_UPSERT = (
    _INSERT
    + """
ON CONFLICT (address) DO UPDATE SET
    connection = excluded.connection,
    remote_id = excluded.remote_id,
    applied_spec = excluded.applied_spec,
    lifecycle = excluded.lifecycle,
    depends_on = excluded.depends_on,
    updated_at = excluded.updated_at
"""
)
_JOURNAL_INSERT = """
INSERT INTO {s}.journal (run_id, seq, address, connection, method, path, body, idempotency_key,
                         started_at)
VALUES (%s, %s, %s, %s, %s, %s, %s::json, %s, %s)
RETURNING entry_id
"""
_JOURNAL_RESTORE = """
INSERT INTO {s}.journal (run_id, seq, address, connection, method, path, body, idempotency_key,
                         started_at, outcome, status, remote_id, error, finished_at)
VALUES (%s, %s, %s, %s, %s, %s, %s::json, %s, %s, %s, %s, %s, %s, %s)
"""
_JOURNAL_FINISH = """
UPDATE {s}.journal SET outcome = %s, status = %s, remote_id = %s, error = %s, finished_at = %s
WHERE entry_id = %s
"""
_HOLDER_WRITE = """
INSERT INTO {s}.lock_holder (id, holder, pid, host, since) VALUES (1, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid,
    host = excluded.host, since = excluded.since
"""


class PostgresStateStore:
    """State in one schema of a PostgreSQL database."""

    def __init__(
        self,
        dsn: str,
        schema: str = "syncform",
        *,
        clock: Clock = system_clock,
        connect_timeout: int = 10,
    ) -> None:
        self.schema = checked_schema_name(schema)
        self._dsn = dsn
        self._secrets = _dsn_secrets(dsn)
        self._clock = clock
        self._connect_timeout = connect_timeout
        self._local = threading.local()
        self._ready = False  # the schema is known to be at this syncform's version
        self._readable = False  # the schema is known to exist and be readable by this syncform

    def __repr__(self) -> str:
        return f"PostgresStateStore(schema={self.schema!r})"  # never the DSN

    @property
    def location(self) -> str:
        return f"PostgreSQL state (schema {self.schema})"

    # -- reading -------------------------------------------------------------------------------

    def get(self, address: Address) -> StateRecord | None:
        with self._reading() as connection:
            if connection is None:
                return None
            row = connection.execute(
                self._sql(f"SELECT {_COLUMNS} FROM {{s}}.resources WHERE address = %s"),
                (str(address),),
            ).fetchone()
        return None if row is None else record_from_row(row)

    def all(self) -> list[StateRecord]:
        with self._reading() as connection:
            if connection is None:
                return []
            rows = connection.execute(self._sql(f"SELECT {_COLUMNS} FROM {{s}}.resources"))
            records = [record_from_row(row) for row in rows.fetchall()]
        return sorted(records, key=lambda record: record.address)

    def found_by(self, address: Address) -> str | None:
        with self._reading() as connection:
            if connection is None:
                return None
            row = connection.execute(
                self._sql("SELECT found_by FROM {s}.resources WHERE address = %s"),
                (str(address),),
            ).fetchone()
        return None if row is None else str(row[0])

    def journal_rows(self, last: int | None = None) -> list[tuple[Any, ...]]:
        with self._reading() as connection:
            if connection is None:
                return []
            rows = connection.execute(self._sql(_JOURNAL_SELECT), (last,)).fetchall()
        return list(reversed(rows))

    def now(self) -> str:
        return iso_utc(self._clock())

    # -- writing -------------------------------------------------------------------------------

    def put(self, record: StateRecord, *, found_by: str = "create") -> StateRecord:
        """Insert or update one address; `found_by` is kept from its first `put`."""
        now = self.now()
        with self.transaction():
            self._current().execute(self._sql(_UPSERT), resource_row(record, found_by, now, now))
            stored = self.get(record.address)
        assert stored is not None
        return stored

    def remove(self, address: Address) -> RemovedEntry | None:
        """Forget one address, even one whose row is not valid; None when it was not in state."""
        with self._reading() as connection:
            if connection is None:
                return None
        with self.transaction():
            row = (
                self._current()
                .execute(
                    self._sql(
                        "DELETE FROM {s}.resources WHERE address = %s "
                        "RETURNING connection, remote_id"
                    ),
                    (str(address),),
                )
                .fetchone()
            )
        return None if row is None else RemovedEntry(address, str(row[0]), str(row[1]))

    def journal_insert(self, row: tuple[Any, ...]) -> int:
        with self.transaction():
            found = self._current().execute(self._sql(_JOURNAL_INSERT), row).fetchone()
        assert found is not None
        return int(found[0])

    def journal_finish(self, entry_id: int, outcome: tuple[Any, ...]) -> None:
        with self.transaction():
            self._current().execute(self._sql(_JOURNAL_FINISH), (*outcome, entry_id))

    def restore(
        self, resources: Sequence[tuple[StateRecord, str]], journal: Sequence[tuple[Any, ...]]
    ) -> None:
        with self.transaction():
            cursor = self._current().cursor()
            rows = [resource_row(r, how, r.created_at, r.updated_at) for r, how in resources]
            cursor.executemany(self._sql(_INSERT), rows)
            cursor.executemany(self._sql(_JOURNAL_RESTORE), [row[1:] for row in journal])

    def migrate(self) -> tuple[int | None, int]:
        with self._connection() as connection:
            before, after = migrate(connection, self.schema)
        self._ready = True
        return before, after

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them land, or (on any exception) none. Nests as savepoints."""
        current: Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            with self._errors(), current.transaction():
                yield
            return
        with self._connection() as connection:
            self._prepare(connection)
            self._local.connection = connection
            try:
                with self._errors(), connection.transaction():
                    yield
            finally:
                self._local.connection = None

    def close(self) -> None:
        """Nothing to close: each use opens (and closes) its own connection."""

    # -- the writer lock -----------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, holder: str, timeout: float) -> Iterator[None]:
        """The writer lock; waits up to `timeout` s, then raises `StateLockTimeout`."""
        with self._connection() as connection:
            self._prepare(connection)
            self._acquire(connection, timeout)
            try:
                with self._errors():
                    info = holder_fields(holder, self._clock)
                    values = (info["holder"], info["pid"], info["host"], info["since"])
                    connection.execute(self._sql(_HOLDER_WRITE), values)
                yield
            finally:
                self._release(connection)

    def _acquire(self, connection: Connection, timeout: float) -> None:
        deadline = time.monotonic() + max(timeout, 0.0)
        key = (LOCK_CLASS, lock_key(self.schema))
        while True:
            with self._errors():
                row = connection.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()
            if row is not None and row[0] is True:
                return
            if time.monotonic() >= deadline:
                holder = self._describe_holder(connection)
                raise StateLockTimeout(lock_timeout_message(holder, timeout, self.location))
            time.sleep(_POLL_SECONDS)

    def _describe_holder(self, connection: Connection) -> str:
        with self._errors():
            row = connection.execute(
                self._sql("SELECT holder, pid, host, since FROM {s}.lock_holder WHERE id = 1")
            ).fetchone()
        if row is None:
            return "another process (it has not named itself yet)"
        return holder_phrase(dict(zip(("holder", "pid", "host", "since"), row, strict=True)))

    def _release(self, connection: Connection) -> None:
        """Clear the holder row and unlock; a lost connection has released both already."""
        with contextlib.suppress(psycopg.Error):
            connection.execute(self._sql("DELETE FROM {s}.lock_holder WHERE id = 1"))
            connection.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, lock_key(self.schema))
            )

    # -- connections ---------------------------------------------------------------------------

    def _sql(self, text: str) -> psycopg.sql.Composed:
        return statement(text, self.schema)

    def _current(self) -> Connection:
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            raise StateError("internal: state write outside a transaction")
        return connection

    def _prepare(self, connection: Connection) -> None:
        """Create or migrate the schema on first use (once per store)."""
        if not self._ready:
            with self._errors():
                migrate(connection, self.schema)
            self._ready = True

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection | None]:
        """A connection (the transaction's, within one); None when there is no state yet."""
        current: Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            yield current
            return
        with self._connection() as connection:
            if not (self._ready or self._readable):
                with self._errors():
                    version = check_version(connection, self.schema)
                if version is None:
                    yield None
                    return
                self._readable = True
            with self._errors():
                yield connection

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._errors():
            try:
                connection = psycopg.connect(
                    self._dsn,
                    autocommit=True,
                    connect_timeout=self._connect_timeout,
                    application_name="syncform",
                )
            except psycopg.ProgrammingError:
                raise StateError(
                    f"{self.location}: the DSN is not a valid PostgreSQL connection string "
                    "(its value is not shown)"
                ) from None
        try:
            yield connection
        finally:
            connection.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """psycopg's errors as StateError, with the DSN and its password masked."""
        try:
            yield
        except psycopg.Error as exc:
            message = self._masked(str(exc).strip() or type(exc).__name__)
            raise StateError(f"{self.location}: {message}") from None

    def _masked(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return text


def _dsn_secrets(dsn: str) -> list[str]:
    """What must never show: the DSN and its password, longest first."""
    found = [dsn]
    with contextlib.suppress(psycopg.Error):
        password = conninfo_to_dict(dsn).get("password")
        if password:
            found.append(str(password))
    return sorted({secret for secret in found if secret}, key=len, reverse=True)
