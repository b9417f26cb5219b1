"""The SQLite schema of the state database, and its version check."""

from __future__ import annotations

import sqlite3

from syncform.core.errors import StateError

SCHEMA_VERSION = 2  # 2: resources.depends_on (the dependency edges, for ordered deletes)
READABLE_VERSIONS = (1, 2)  # a read-only run reads an older file as it is, never migrating it

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
)


_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE resources ADD COLUMN depends_on TEXT NOT NULL DEFAULT '[]' "
        "CHECK (json_valid(depends_on))",
    ),
}


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables when missing and migrate older ones; call inside a write transaction."""
    version = read_schema_version(connection, missing_ok=True)
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


def check_schema_version(connection: sqlite3.Connection) -> int:
    """The file's schema version; raises unless this syncform can read it."""
    version = read_schema_version(connection, missing_ok=False)
    if version not in READABLE_VERSIONS:
        raise StateError(
            f"state database has schema version {version}; this syncform reads versions "
            f"{READABLE_VERSIONS[0]} to {SCHEMA_VERSION} (upgrade syncform, or point --state at "
            "the right file)"
        )
    assert version is not None
    return version


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
