from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from syncform.core.address import Address
from syncform.core.errors import StateError
from syncform.core.records import DeferredValue, SecretValue, StateRecord
from syncform.manifests.config import DEFAULT_STATE_PATH
from syncform.secrets.digests import SecretHasher, redact_secrets
from syncform.state import open_state
from syncform.state.clock import Clock
from syncform.state.sqlite_store import SqliteStateStore

TINES = Address("TinesSyncDestination", "prod-to-dr")
TRUTO = Address("TrutoIntegration", "hubspot")
POLY = Address("PolytomicModelSync", "accounts")


def record(address: Address, remote_id: str = "1", **spec: object) -> StateRecord:
    return StateRecord(address=address, connection="conn", remote_id=remote_id, applied_spec=spec)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> SqliteStateStore:
    return open_state(tmp_path / ".syncform" / "state.db", clock=clock)


def test_round_trip(store: SqliteStateStore) -> None:
    stored = store.put(record(TINES, "42", story_ids=[3, 1], manual_sync_only=True))
    assert stored == StateRecord(
        address=TINES,
        connection="conn",
        remote_id="42",
        applied_spec={"story_ids": [3, 1], "manual_sync_only": True},
        created_at="2026-03-01T12:00:00Z",
        updated_at="2026-03-01T12:00:00Z",
    )
    assert store.get(TINES) == stored
    assert store.get(TRUTO) is None
    assert store.found_by(TINES) == "create"


def test_update_keeps_created_at_and_found_by(store: SqliteStateStore) -> None:
    store.put(record(TINES, "42", a=1), found_by="import")
    updated = store.put(record(TINES, "43", a=2), found_by="create")
    assert (updated.remote_id, updated.applied_spec) == ("43", {"a": 2})
    assert updated.created_at == "2026-03-01T12:00:00Z"
    assert updated.updated_at == "2026-03-01T12:01:00Z"
    assert store.found_by(TINES) == "import"


def test_all_is_sorted_by_address(store: SqliteStateStore) -> None:
    for address in (TRUTO, TINES, POLY):
        store.put(record(address))
    assert [r.address for r in store.all()] == [POLY, TINES, TRUTO]


def test_remove(store: SqliteStateStore) -> None:
    store.put(record(TINES, "42"))
    store.put(record(TRUTO, "7"))
    removed = store.remove(TINES)
    assert removed is not None and removed.remote_id == "42"
    assert store.get(TINES) is None
    assert store.remove(TINES) is None
    assert [r.address for r in store.all()] == [TRUTO]


def test_missing_database_reads_as_empty_and_creates_nothing(tmp_path: Path) -> None:
    store = open_state(tmp_path / ".syncform" / "state.db")
    assert store.all() == []
    assert store.get(TINES) is None
    assert store.found_by(TINES) is None
    assert store.remove(TINES) is None
    assert list(tmp_path.iterdir()) == []


def test_reading_an_existing_database_writes_nothing(store: SqliteStateStore) -> None:
    store.put(record(TINES, "42"))
    store.close()  # as a finished apply leaves it (an open writer shares its -shm with readers)
    files_before = {p.name: p.read_bytes() for p in store.state_dir.iterdir()}
    assert store.all()[0].remote_id == "42"
    assert {p.name: p.read_bytes() for p in store.state_dir.iterdir()} == files_before


def test_database_is_private_and_in_wal_mode(store: SqliteStateStore) -> None:
    store.put(record(TINES))
    assert store.path.stat().st_mode & 0o077 == 0
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [(3,)]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(resources)")]
    assert columns[:6] == ["address", "kind", "name", "connection", "remote_id", "applied_spec"]


def test_transaction_rolls_back_every_write_on_error(store: SqliteStateStore) -> None:
    store.put(record(TINES, "1", a=1))
    with pytest.raises(RuntimeError), store.transaction():
        store.put(record(TINES, "2", a=2))
        store.put(record(TRUTO, "3"))
        store.remove(TINES)
        raise RuntimeError("boom")
    assert store.get(TINES) == store.all()[0]
    assert [(r.address, r.remote_id, r.applied_spec) for r in store.all()] == [
        (TINES, "1", {"a": 1})
    ]


def test_transaction_commits_grouped_writes(store: SqliteStateStore) -> None:
    with store.transaction():
        store.put(record(TINES, "1"))
        store.put(record(TRUTO, "2"))
        assert len(store.all()) == 2  # own writes visible inside
    assert len(store.all()) == 2


def test_nested_transaction_failure_undoes_only_its_own_writes(store: SqliteStateStore) -> None:
    with store.transaction():
        store.put(record(TINES, "1"))
        with pytest.raises(RuntimeError), store.transaction():
            store.put(record(TRUTO, "2"))
            raise RuntimeError("inner")
        store.put(record(POLY, "3"))
    assert [r.address for r in store.all()] == [POLY, TINES]


def test_secret_values_are_stored_as_digests(store: SqliteStateStore) -> None:
    secret = SecretValue(ref="${env:KEY}", digest="hmac-sha256:abc")
    stored = store.put(record(TINES, api_key=secret))
    assert stored.applied_spec == {"api_key": {"$digest": "hmac-sha256:abc"}}


def test_unknown_values_are_refused(store: SqliteStateStore) -> None:
    with pytest.raises(StateError, match="DeferredValue"):
        store.put(record(TINES, team=DeferredValue("${ref:TrutoIntegration/x.id}")))
    assert store.get(TINES) is None


def test_plain_secret_never_reaches_the_database_files(store: SqliteStateStore) -> None:
    plain = "sup3r-s3cret-tenant-key"
    hasher = SecretHasher(b"state key")
    spec = redact_secrets(
        {"destination_tenant_api_key": plain, "team_id": 1},
        ["/destination_tenant_api_key"],
        hasher,
    )
    with store.transaction():
        store.put(StateRecord(TINES, "tines", "42", spec))
        for name in store.state_dir.iterdir():  # WAL files included, before checkpoint
            assert plain.encode() not in name.read_bytes()
    assert store.get(TINES) is not None
    assert hasher.digest(plain) in str(store.get(TINES))
    for path in store.state_dir.iterdir():
        assert plain.encode() not in path.read_bytes()


def test_newer_schema_version_is_refused(store: SqliteStateStore) -> None:
    store.put(record(TINES))
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StateError, match="schema version 99"):
        store.all()
    with pytest.raises(StateError, match="schema version 99"):
        store.put(record(TRUTO))


def test_a_file_that_is_not_a_database_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_text("hello, this is not sqlite at all" * 10)
    with pytest.raises(StateError, match=str(path)):
        open_state(path).all()


def test_default_path() -> None:
    assert Path(".syncform/state.db") == DEFAULT_STATE_PATH


def _version_1_database(path: Path) -> None:
    """A state file as syncform wrote it before dependency edges were kept."""
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        connection.execute("INSERT INTO schema_version VALUES (1)")
        connection.execute(
            "CREATE TABLE resources (address TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT "
            "NOT NULL, connection TEXT NOT NULL, remote_id TEXT NOT NULL, applied_spec TEXT NOT "
            "NULL, lifecycle TEXT NOT NULL DEFAULT '{}', found_by TEXT NOT NULL, created_at TEXT "
            "NOT NULL, updated_at TEXT NOT NULL)"
        )
        connection.execute(
            "INSERT INTO resources VALUES ('TinesSyncDestination/a', 'TinesSyncDestination', "
            "'a', 'conn', '7', '{}', '{}', 'create', 't0', 't0')"
        )


def test_version_1_file_is_read_as_it_is_and_migrated_on_write(store: SqliteStateStore) -> None:
    _version_1_database(store.path)
    before = store.path.read_bytes()
    [old] = store.all()
    assert (old.remote_id, old.depends_on) == ("7", ())
    assert store.path.read_bytes() == before  # reading never migrates
    upstream = Address("TrutoIntegration", "crm")
    store.put(StateRecord(TINES, "conn", "8", {}, depends_on=(upstream,)))
    stored = store.get(TINES)
    assert stored is not None and stored.depends_on == (upstream,)
    with sqlite3.connect(store.path) as connection:
        versions = connection.execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(1,), (2,), (3,)]


def test_a_newer_schema_version_is_refused(store: SqliteStateStore) -> None:
    store.put(record(TINES))
    with sqlite3.connect(store.path) as connection:
        connection.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(StateError, match="schema version 99"):
        store.all()
