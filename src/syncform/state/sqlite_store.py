"""The embedded SQLite state store: one row per managed address.

Reading never creates anything: a missing database file reads as empty state, and an existing
one is opened without create and in `query_only` mode. (It is not opened `mode=ro`: a read-only
connection to a WAL database leaves `-wal` and `-shm` files behind, which a read-write one, as
the last to close, removes.) Writing creates the folder (0700) and the file (0600) on first use.
Every `put` and `remove` is a transaction; `transaction()` groups several (nested ones become
savepoints). The database runs in WAL mode. Timestamps are the store's, from its clock: a
record's `created_at` and `updated_at` passed to `put` are ignored.

Writes share one connection, opened by the first write (with every check: a private regular
file, no symlink, a SQLite file, the schema created once, WAL) and kept until `close()` (or until
the store is garbage collected): opening one per transaction cost ten times the transaction.
Each COMMIT is still durable when it returns (the default `synchronous=FULL` syncs the WAL).
Before each transaction the connection is checked to still be on the file at `path` (else it is
reopened, with every check), and when another connection changed the database since, the schema
is checked again inside the transaction. Closing the last connection checkpoints the WAL into
the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import FileRefused, StateError
from syncform.core.files import open_lock_file, open_regular_file
from syncform.core.records import StateRecord
from syncform.state.clock import Clock, iso_utc, system_clock
from syncform.state.rows import JOURNAL_COLUMNS, RESOURCE_COLUMNS, record_from_row, resource_row
from syncform.state.sqlite_schema import (
    SCHEMA_VERSION,
    check_schema_version,
    create_schema,
    installed_version,
)
from syncform.state.store import RemovedEntry
from syncform.state.writer_lock import hold_writer_lock

_COLUMNS = RESOURCE_COLUMNS
_COLUMNS_V1 = _COLUMNS.replace("depends_on", "'[]'")  # a version 1 file, read as it is
JOURNAL_VERSION = 3  # the first schema version with the journal table


def _columns(version: int) -> str:
    return _COLUMNS if version >= 2 else _COLUMNS_V1


_SQLITE_HEADER = b"SQLite format 3\x00"

_UPSERT = """
INSERT INTO resources
    (address, kind, name, connection, remote_id, applied_spec, lifecycle, depends_on, found_by,
     created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (address) DO UPDATE SET
    connection = excluded.connection,
    remote_id = excluded.remote_id,
    applied_spec = excluded.applied_spec,
    lifecycle = excluded.lifecycle,
    depends_on = excluded.depends_on,
    updated_at = excluded.updated_at
"""


_JOURNAL_INSERT = """
INSERT INTO journal (run_id, seq, address, connection, method, path, body, idempotency_key,
                     started_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_JOURNAL_FINISH = """
UPDATE journal SET outcome = ?, status = ?, remote_id = ?, error = ?, finished_at = ?
WHERE entry_id = ?
"""
_JOURNAL_SELECT = f"SELECT {JOURNAL_COLUMNS} FROM journal ORDER BY entry_id DESC LIMIT ?"
_JOURNAL_RESTORE = """
INSERT INTO journal (run_id, seq, address, connection, method, path, body, idempotency_key,
                     started_at, outcome, status, remote_id, error, finished_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_RESTORE = _UPSERT.split("ON CONFLICT", maxsplit=1)[0]


@dataclass
class _Writer:
    """The store's writing connection, the file it was opened on, and the database's
    `data_version` as it last saw it (it changes when another connection commits)."""

    connection: sqlite3.Connection
    file_id: tuple[int, int] | None
    data_version: int
    close: Callable[[], object]  # closes the connection once: by close(), or when the store goes


class SqliteStateStore:
    """State in one SQLite file; safe to share between threads (one writing connection, used
    under a lock; each read outside a transaction opens its own)."""

    def __init__(self, path: Path, *, clock: Clock = system_clock, busy_timeout: float = 30.0):
        self.path = path
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._writing = threading.Lock()  # one writer at a time within this process
        self._writer: _Writer | None = None  # guarded by _writing

    def __repr__(self) -> str:
        return f"SqliteStateStore({str(self.path)!r})"

    @property
    def location(self) -> str:
        """Where the state is, for messages: the file's path."""
        return str(self.path)

    @property
    def state_dir(self) -> Path:
        """The folder holding the database, its lock file and (by default) the state key."""
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def lock(self, holder: str, timeout: float) -> contextlib.AbstractContextManager[None]:
        """The writer lock; waits up to `timeout` s, then raises `StateLockTimeout`."""
        return hold_writer_lock(self.lock_path, holder, timeout, self._clock)

    def close(self) -> None:
        """Close the writing connection, which checkpoints the WAL into the file when it is the
        last one open. A later write opens a new connection."""
        if getattr(self._local, "connection", None) is not None:
            raise StateError("internal: state store closed inside one of its own transactions")
        with self._writing:
            self._close_writer()

    def get(self, address: Address) -> StateRecord | None:
        with self._reading() as reader:
            if reader is None:
                return None
            connection, columns = reader[0], _columns(reader[1])
            row = connection.execute(
                f"SELECT {columns} FROM resources WHERE address = ?", (str(address),)
            ).fetchone()
        return None if row is None else record_from_row(row)

    def all(self) -> list[StateRecord]:
        with self._reading() as reader:
            if reader is None:
                return []
            connection, columns = reader[0], _columns(reader[1])
            rows = connection.execute(f"SELECT {columns} FROM resources").fetchall()
        return sorted((record_from_row(row) for row in rows), key=lambda record: record.address)

    def found_by(self, address: Address) -> str | None:
        """How the address entered state: `create`, `natural_key` or `import`."""
        with self._reading() as reader:
            if reader is None:
                return None
            row = (
                reader[0]
                .execute("SELECT found_by FROM resources WHERE address = ?", (str(address),))
                .fetchone()
            )
        return None if row is None else str(row[0])

    def put(self, record: StateRecord, *, found_by: str = "create") -> StateRecord:
        """Insert or update one address; returns the record as stored (with timestamps).

        `found_by` is kept from the first `put` of an address until it is removed.
        """
        now = iso_utc(self._clock())
        row = resource_row(record, found_by, now, now)
        with self.transaction():
            self._current_connection().execute(_UPSERT, row)
            stored = self.get(record.address)
        assert stored is not None
        return stored

    def restore(
        self, resources: Sequence[tuple[StateRecord, str]], journal: Sequence[tuple[Any, ...]]
    ) -> None:
        """Write records (with their own timestamps and `found_by`) and journal rows (as
        `journal_rows` gives them; new entry ids, same order) in one transaction."""
        with self.transaction():
            connection = self._current_connection()
            for record, found_by in resources:
                row = resource_row(record, found_by, record.created_at, record.updated_at)
                connection.execute(_RESTORE, row)
            connection.executemany(_JOURNAL_RESTORE, [row[1:] for row in journal])

    def migrate(self) -> tuple[int | None, int]:
        """Create or migrate the schema now; (the version before, the version now)."""
        before: int | None = None
        if self.path.exists():
            with self._reading() as reader:
                before = None if reader is None else reader[1]
        with self.transaction():
            after = installed_version(self._current_connection())
        assert after is not None
        return before, after

    def now(self) -> str:
        """The store clock's current time, as stored."""
        return iso_utc(self._clock())

    # -- the journal (rows; see syncform.state.journal for its records) ----------------------

    def journal_insert(self, row: tuple[Any, ...]) -> int:
        """Append one intent in its own transaction; returns its entry id."""
        with self.transaction():
            cursor = self._current_connection().execute(_JOURNAL_INSERT, row)
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def journal_finish(self, entry_id: int, outcome: tuple[Any, ...]) -> None:
        with self.transaction():
            self._current_connection().execute(_JOURNAL_FINISH, (*outcome, entry_id))

    def journal_rows(self, last: int | None = None) -> list[tuple[Any, ...]]:
        """Journal rows oldest first; none when the file has no journal yet (version < 3)."""
        with self._reading() as reader:
            if reader is None or reader[1] < JOURNAL_VERSION:
                return []
            rows = reader[0].execute(_JOURNAL_SELECT, (last if last is not None else -1,))
            return list(reversed(rows.fetchall()))

    def remove(self, address: Address) -> RemovedEntry | None:
        """Forget one address, even one whose row is not valid; None when it was not in state."""
        if not self.path.exists():
            return None
        with self.transaction():
            connection = self._current_connection()
            row = connection.execute(
                "SELECT connection, remote_id FROM resources WHERE address = ?", (str(address),)
            ).fetchone()
            connection.execute("DELETE FROM resources WHERE address = ?", (str(address),))
        return None if row is None else RemovedEntry(address, str(row[0]), str(row[1]))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them land, or (on any exception) none. Nests as savepoints."""
        outer = getattr(self._local, "connection", None)
        if outer is not None:
            with _savepoint(outer, depth=self._next_depth()):
                yield
            return
        with self._writing:
            yield from self._outer_transaction()

    def _outer_transaction(self) -> Iterator[None]:
        writer = self._open_writer()
        connection = writer.connection
        try:
            with _translate_errors(self.path):
                connection.execute("BEGIN IMMEDIATE")
                self._recheck_schema(writer)
            self._local.connection, self._local.depth = connection, 0
            try:
                with _translate_errors(self.path):
                    yield
            finally:
                self._local.connection = None
            with _translate_errors(self.path):
                connection.execute("COMMIT")
        except BaseException:
            self._abandon(writer)
            raise

    def _open_writer(self) -> _Writer:
        """The writing connection; opened (with every check) unless one is open on the file
        that is at `path` now. Called with `_writing` held."""
        writer = self._writer
        if writer is not None and writer.file_id == _file_id(self.path):
            return writer
        self._close_writer()
        connection, version = self._connect_for_writing()
        close = weakref.finalize(self, _close_quietly, connection)
        self._writer = _Writer(connection, _file_id(self.path), version, close)
        return self._writer

    def _close_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def _abandon(self, writer: _Writer) -> None:
        """After a failed transaction: roll back what is left of it, or drop the connection."""
        try:
            if writer.connection.in_transaction:
                writer.connection.execute("ROLLBACK")
        except sqlite3.Error:
            self._close_writer()

    @staticmethod
    def _recheck_schema(writer: _Writer) -> None:
        """Inside a write transaction: when another connection changed the database since this
        one last looked, check (create, migrate or refuse) the schema again."""
        version = _data_version(writer.connection)
        if version != writer.data_version:
            create_schema(writer.connection)
            writer.data_version = version

    def _next_depth(self) -> int:
        self._local.depth += 1
        return int(self._local.depth)

    def _current_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            raise StateError("internal: state write outside a transaction")
        return connection

    @contextlib.contextmanager
    def _reading(self) -> Iterator[tuple[sqlite3.Connection, int] | None]:
        """A connection and the file's schema version (None: no state file yet)."""
        current: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            yield current, SCHEMA_VERSION
            return
        if not self.path.exists():
            yield None
            return
        with _translate_errors(self.path):
            _refuse_unless_sqlite(self.path)
            connection = sqlite3.connect(
                self.path.absolute().as_uri() + "?mode=rw", uri=True, timeout=self._busy_timeout
            )
        try:
            with _translate_errors(self.path):
                connection.execute("PRAGMA query_only = ON")
                version = check_schema_version(connection)
            if version is None:  # no table at all: a first write that never finished
                yield None
                return
            with _translate_errors(self.path):
                yield connection, version
        finally:
            connection.close()

    def _connect_for_writing(self) -> tuple[sqlite3.Connection, int]:
        """A new writing connection, and the database's `data_version` once it is ready."""
        with _translate_errors(self.path):
            _create_private_file(self.path)
            _refuse_unless_sqlite(self.path)
            connection = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,  # used under the store's `_writing` lock
            )
        try:
            with _translate_errors(self.path):
                _create_schema_once(connection)
                connection.execute("PRAGMA journal_mode=WAL")  # only once the file is known ours
                version = _data_version(connection)
        except BaseException:
            connection.close()
            raise
        return connection, version


def _create_schema_once(connection: sqlite3.Connection) -> None:
    """One transaction: a reader sees either no table at all or the whole schema."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        create_schema(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _data_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA data_version").fetchone()
    return int(row[0])


def _file_id(path: Path) -> tuple[int, int] | None:
    """The file at `path` itself (not a symlink's target); None when there is none."""
    try:
        found = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _close_quietly(connection: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        connection.close()


def _refuse_unless_sqlite(path: Path) -> None:
    """StateError unless `path` is a regular file, empty or starting like a SQLite file."""
    try:
        with open_regular_file(path) as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except FileRefused as exc:
        raise StateError(f"state database {exc.message}") from None
    if header and header != _SQLITE_HEADER:
        raise StateError(
            f"state database {path} is not a SQLite file, so not a syncform state; syncform "
            "leaves it untouched (point --state at the right file)"
        )


@contextlib.contextmanager
def _savepoint(connection: sqlite3.Connection, depth: int) -> Iterator[None]:
    name = f"syncform_{depth}"
    connection.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        connection.execute(f"ROLLBACK TO {name}")
        connection.execute(f"RELEASE {name}")
        raise
    connection.execute(f"RELEASE {name}")


@contextlib.contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StateError(f"state database {path}: {exc}") from exc
    except StateError as exc:
        if str(path) in exc.message:
            raise
        raise StateError(f"state database {path}: {exc.message}") from exc
    except OSError as exc:
        raise StateError(f"state database {path}: {exc.strerror or exc}") from exc


def _create_private_file(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(open_lock_file(path, 0o600))  # O_NOFOLLOW, and a regular file only
    except FileRefused as exc:
        raise StateError(f"state database {exc.message}") from None
