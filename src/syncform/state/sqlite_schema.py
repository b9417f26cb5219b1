"""The SQLite schema of the state database, and its version check."""

from __future__ import annotations

import sqlite3

from syncform.core.errors import StateError

SCHEMA_VERSION = 3  # 2: resources.depends_on (dependency edges); 3: the apply journal
READABLE_VERSIONS = (1, 2, 3)  # a read-only run reads an older file as it is, never migrating it

_JOURNAL_STATEMENTS = (
    """
    CREATE TABLE IF NOT EXISTS journal (
        entry_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id          TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        address         TEXT NOT NULL,
        connection      TEXT NOT NULL,
        method          TEXT NOT NULL,
        path            TEXT NOT NULL,
        body            TEXT NOT NULL CHECK (json_valid(body)),
        idempotency_key TEXT,
        started_at      TEXT NOT NULL,
        outcome         TEXT,
        status          INTEGER,
        remote_id       TEXT,
        error           TEXT,
        finished_at     TEXT
    )
    """,
)

_CREATE_STATEMENTS = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    """
    CREATE TABLE IF NOT EXISTS resources (
        address      TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        name         TEXT NOT NULL,
        connection   TEXT NOT NULL,
        remote_id    TEXT NOT NULL,
        applied_spec TEXT NOT NULL CHECK (json_valid(applied_spec)),
        lifecycle    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(lifecycle)),
        depends_on   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(depends_on)),
        found_by     TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    )
    """,
    *_JOURNAL_STATEMENTS,
)


_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE resources ADD COLUMN depends_on TEXT NOT NULL DEFAULT '[]' "
        "CHECK (json_valid(depends_on))",
    ),
    2: _JOURNAL_STATEMENTS,
}


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables when missing and migrate older ones; call inside a write transaction.

    Refuses (StateError, before any change) a database that is not a syncform state.
    """
    version = installed_version(connection)
    if version is None:
        for statement in _CREATE_STATEMENTS:
            connection.execute(statement)
        connection.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        return
    check_schema_version(connection)
    for step in range(version, SCHEMA_VERSION):
        for statement in _MIGRATIONS[step]:
            connection.execute(statement)
        connection.execute("INSERT INTO schema_version (version) VALUES (?)", (step + 1,))


def check_schema_version(connection: sqlite3.Connection) -> int | None:
    """The file's schema version (None: no state yet); raises unless this syncform can read it."""
    version = installed_version(connection)
    if version is not None and version not in READABLE_VERSIONS:
        raise StateError(
            f"state database has schema version {version}; this syncform reads versions "
            f"{READABLE_VERSIONS[0]} to {SCHEMA_VERSION} (upgrade syncform, or point --state at "
            "the right file)"
        )
    return version


def installed_version(connection: sqlite3.Connection) -> int | None:
    """The schema version; None for a database with no table at all (a first write that died).

    A database with tables but no `schema_version` is someone else's: StateError.
    """
    tables = _table_names(connection)
    if not tables:
        return None
    if "schema_version" not in tables:
        raise StateError(
            f"not a syncform state database (it has the tables {', '.join(tables)} and no "
            "schema_version table); syncform leaves it untouched: point --state at the right file"
        )
    row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    if row is None or row[0] is None:
        raise StateError("state database has an empty schema_version table")
    return int(row[0])


def _table_names(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]
