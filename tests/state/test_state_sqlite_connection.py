"""The SQLite store keeps one writing connection from its first write until `close()`."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.core.errors import StateError
from syncform.core.records import StateRecord
from syncform.manifests.config import Config
from syncform.session.runtime import Runtime
from syncform.state import open_state
from syncform.state.sqlite_store import SqliteStateStore
from tests.kit.state_stores import StoreSpec, store_process

pytestmark = pytest.mark.timeout(30)


def record(name: str, remote_id: str = "1") -> StateRecord:
    address = Address("TinesSyncDestination", name)
    return StateRecord(address=address, connection="conn", remote_id=remote_id, applied_spec={})


class Connects:
    """`sqlite3.connect`, counting the connections it opens and keeping them."""

    def __init__(self, connect: Callable[..., sqlite3.Connection]) -> None:
        self._connect = connect
        self.opened: list[sqlite3.Connection] = []

    def __call__(self, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = self._connect(*args, **kwargs)
        self.opened.append(connection)
        return connection


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> Connects:
    counting = Connects(sqlite3.connect)
    monkeypatch.setattr(sqlite3, "connect", counting)
    return counting


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    return open_state(tmp_path / ".syncform" / "state.db")


def is_open(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return False
    return True


def names(store: SqliteStateStore) -> list[str]:
    return [r.address.name for r in store.all()]


def test_every_write_uses_the_one_connection_of_the_first(
    store: SqliteStateStore, connects: Connects
) -> None:
    for n in range(20):
        store.put(record(f"d{n}"))
        store.journal_insert(("run", n, f"a{n}", "conn", "POST", "/x", "{}", None, "t0"))
    with store.transaction():
        store.put(record("grouped"))
        store.remove(Address("TinesSyncDestination", "d0"))
    assert len(connects.opened) == 1
    assert is_open(connects.opened[0])


def test_close_closes_the_connection_and_a_later_write_opens_a_new_one(
    store: SqliteStateStore, connects: Connects
) -> None:
    store.put(record("a"))
    [first] = connects.opened
    store.close()
    assert not is_open(first)
    store.close()  # closing twice is harmless
    store.put(record("b"))
    assert len(connects.opened) == 2 and is_open(connects.opened[1])
    assert names(open_state(store.path)) == ["a", "b"]


def test_close_checkpoints_the_wal_into_the_file(store: SqliteStateStore, tmp_path: Path) -> None:
    for n in range(10):
        store.put(record(f"d{n}"))
    assert store.path.with_name("state.db-wal").exists()  # written, not yet checkpointed
    store.close()
    assert not store.path.with_name("state.db-wal").exists()
    copy = tmp_path / "copy" / "state.db"
    copy.parent.mkdir()
    shutil.copyfile(store.path, copy)  # the file alone
    assert names(open_state(copy)) == [f"d{n}" for n in range(10)]


def test_a_new_store_and_a_new_process_see_every_write_of_an_open_one(
    store: SqliteStateStore,
) -> None:
    for n in range(5):
        store.put(record(f"d{n}", remote_id=str(n)))
    assert names(open_state(store.path)) == [f"d{n}" for n in range(5)]
    script = "print(','.join(r.remote_id for r in store.all()))"
    process = store_process(StoreSpec("sqlite", path=str(store.path)), script)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out.strip() == "0,1,2,3,4"


def test_a_failed_transaction_leaves_the_connection_usable(
    store: SqliteStateStore, connects: Connects
) -> None:
    store.put(record("kept"))
    with pytest.raises(RuntimeError), store.transaction():
        store.put(record("undone"))
        raise RuntimeError("boom")
    store.put(record("after"))
    assert len(connects.opened) == 1
    assert names(store) == ["after", "kept"]


def test_writes_from_many_threads_share_the_connection(
    store: SqliteStateStore, connects: Connects
) -> None:
    def write(thread: int) -> None:
        for n in range(10):
            store.put(record(f"t{thread}-{n}"))

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(connects.opened) == 1
    assert len(store.all()) == 40


def test_a_state_file_removed_under_an_open_store_is_created_again(
    store: SqliteStateStore,
) -> None:
    store.put(record("gone"))
    store.path.unlink()
    store.put(record("new"))
    assert store.path.stat().st_mode & 0o077 == 0
    assert names(open_state(store.path)) == ["new"]


def test_a_state_file_replaced_under_an_open_store_is_checked_again(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    store.put(record("a"))
    store.path.rename(tmp_path / "moved.db")
    store.path.write_text("name,id\nada,1\n")
    with pytest.raises(StateError, match="is not a SQLite file, so not a syncform state"):
        store.put(record("b"))
    assert store.path.read_text() == "name,id\nada,1\n"


def test_close_inside_a_transaction_is_refused(store: SqliteStateStore) -> None:
    with store.transaction():
        store.put(record("a"))
        with pytest.raises(StateError, match="inside one of its own transactions"):
            store.close()
    assert names(store) == ["a"]


def test_a_session_shares_one_store_and_closes_it_when_it_ends(
    tmp_path: Path, connects: Connects
) -> None:
    config = Config(path=None, root=tmp_path, state_path=tmp_path / ".syncform" / "state.db")
    with Runtime({}).session(config) as session:
        store = session.state()
        assert session.state() is store
        store.put(record("a"))
        [writer] = connects.opened
        assert is_open(writer)
    assert not is_open(writer)
    assert not config.state_path.with_name("state.db-wal").exists()
    assert names(open_state(config.state_path)) == ["a"]
