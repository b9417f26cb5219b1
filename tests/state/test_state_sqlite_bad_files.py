"""State database files that are not what they should be: empty, foreign, special, bad rows."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from syncform.core.address import Address
from syncform.core.errors import StateError
from syncform.core.records import StateRecord
from syncform.state import open_state
from syncform.state.sqlite_store import SqliteStateStore
from tests.kit.project import run_cli

pytestmark = pytest.mark.timeout(10)

TINES = Address("TinesSyncDestination", "prod-to-dr")
TRUTO = Address("TrutoIntegration", "hubspot")


def record(address: Address, remote_id: str = "1") -> StateRecord:
    return StateRecord(address=address, connection="conn", remote_id=remote_id, applied_spec={})


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    return open_state(tmp_path / ".syncform" / "state.db")


# ---- an empty state file: a first write that died ----


def test_an_empty_state_file_reads_as_no_state_and_is_initialised_by_a_writer(
    store: SqliteStateStore,
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"")
    assert store.all() == [] and store.get(TINES) is None
    store.put(record(TINES, "42"))
    assert [r.remote_id for r in store.all()] == ["42"]


def test_a_database_with_no_table_reads_as_no_state(store: SqliteStateStore) -> None:
    """What a first write killed after the switch to WAL but before its commit leaves."""
    store.path.parent.mkdir(parents=True)
    with sqlite3.connect(store.path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    assert store.all() == [] and store.found_by(TINES) is None
    store.put(record(TINES))
    assert [r.address for r in store.all()] == [TINES]


def test_state_list_on_an_empty_state_file_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.db"
    state.write_bytes(b"")
    code, out, err = run_cli(capsys, "state", "list", f"--state={state}")
    assert code == 0, err
    assert "No resources in state" in out


# ---- a file that is not a syncform state ----


def foreign_database(path: Path) -> bytes:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO users (name) VALUES ('ada')")
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "command",
    [
        ("state", "rm", "TinesSyncDestination/prod-to-dr"),
        ("state", "list"),
        ("state", "show", "TinesSyncDestination/prod-to-dr"),
        ("import", "--no-verify", "--connection", "c", "TinesSyncDestination/prod-to-dr", "9"),
    ],
)
def test_a_foreign_sqlite_file_is_refused_and_never_modified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    other = tmp_path / "other.db"
    before = foreign_database(other)
    code, _, err = run_cli(capsys, *command, f"--state={other}")
    assert code == 1
    assert f"state database {other}: not a syncform state database" in err
    assert "users" in err
    assert other.read_bytes() == before
    assert {path.name for path in tmp_path.iterdir()} <= {"other.db", "other.db.lock"}  # no WAL


def test_a_file_that_is_not_sqlite_is_refused_and_never_modified(store: SqliteStateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("name,id\nada,1\n")
    for attempt in (store.all, lambda: store.put(record(TINES))):
        with pytest.raises(StateError, match="is not a SQLite file, so not a syncform state"):
            attempt()
    assert store.path.read_text() == "name,id\nada,1\n"


def test_a_state_path_that_is_a_fifo_is_refused(store: SqliteStateStore) -> None:
    store.path.parent.mkdir(parents=True)
    os.mkfifo(store.path)
    for attempt in (store.all, lambda: store.put(record(TINES))):
        with pytest.raises(StateError, match=r"state.db: is a FIFO, not a regular file"):
            attempt()


# ---- one bad row ----

BAD_ROWS = {
    "unknown lifecycle key": ("lifecycle", '{"bogus": true}', "lifecycle has unknown key"),
    "lifecycle not an object": ("lifecycle", "[]", "lifecycle is a JSON list, not an object"),
    "spec not an object": ("applied_spec", '"text"', "applied_spec is a JSON str, not an object"),
    "bad protect": ("lifecycle", '{"protect": "yes"}', 'lifecycle.protect is "yes"'),
    "bad dependency": ("depends_on", '["no-slash"]', "not an address"),
    "dependency not a list": ("depends_on", '{"a": 1}', "depends_on is"),
    "invalid JSON": ("applied_spec", "{not json", "applied_spec is not valid JSON"),
    "bad name": ("name", "other", "do not match its address"),
}


def spoil(store: SqliteStateStore, column: str, value: str) -> None:
    with sqlite3.connect(store.path) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(
            f"UPDATE resources SET {column} = ? WHERE address = ?", (value, str(TINES))
        )
    connection.close()


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_is_a_state_error_naming_it(store: SqliteStateStore, case: str) -> None:
    column, value, problem = BAD_ROWS[case]
    store.put(record(TINES))
    store.put(record(TRUTO))
    spoil(store, column, value)
    for attempt in (store.all, lambda: store.get(TINES)):
        with pytest.raises(StateError) as caught:
            attempt()
        message = caught.value.message
        assert f"state row '{TINES}' is not valid" in message and problem in message
        assert f"syncform state rm {TINES}" in message
    assert store.get(TRUTO) is not None


@pytest.mark.parametrize("case", ["unknown lifecycle key", "invalid JSON", "bad name"])
def test_state_rm_removes_a_bad_row(
    store: SqliteStateStore, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    column, value, _ = BAD_ROWS[case]
    store.put(record(TINES, "42"))
    store.put(record(TRUTO))
    spoil(store, column, value)
    code, out, err = run_cli(capsys, "state", "rm", f"--state={store.path}", str(TINES))
    assert code == 0, err
    assert f"Removed {TINES} (remote id 42 on conn) from state." in out
    assert [r.address for r in store.all()] == [TRUTO]
