"""The SQLite schema of the state database, and its version check."""

from __future__ import annotations

import sqlite3

from syncform.core.errors import StateError

SCHEMA_VERSION = 1

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
        found_by     TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    )
    """,
)


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables when missing; call inside a write transaction."""
    for statement in _CREATE_STATEMENTS:
        connection.execute(statement)
    if read_schema_version(connection, missing_ok=True) is None:
        connection.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
    check_schema_version(connection)


def check_schema_version(connection: sqlite3.Connection) -> None:
    version = read_schema_version(connection, missing_ok=False)
    if version != SCHEMA_VERSION:
        raise StateError(
            f"state database has schema version {version}; this syncform reads version "
            f"{SCHEMA_VERSION} (upgrade syncform, or point --state at the right file)"
        )


def read_schema_version(connection: sqlite3.Connection, *, missing_ok: bool) -> int | None:
    try:
        row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.OperationalError as exc:
        if missing_ok:
            return None
        raise StateError("not a syncform state database (no schema_version table)") from exc
    if row is None or row[0] is None:
        if missing_ok:
            return None
        raise StateError("state database has an empty schema_version table")
    return int(row[0])
