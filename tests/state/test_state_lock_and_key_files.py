"""The state lock and key files: never a link, never anything but a regular file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncform.core.errors import StateError
from syncform.secrets.digests import load_state_key
from syncform.state import open_state
from syncform.state.sqlite_store import SqliteStateStore

pytestmark = pytest.mark.timeout(10)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    return open_state(tmp_path / ".syncform" / "state.db")


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    store.lock_path.parent.mkdir(parents=True)
    store.lock_path.symlink_to(victim)
    refused = pytest.raises(StateError, match=r"state lock file .*state\.db\.lock: is a symbolic")
    with refused, store.lock("syncform test", timeout=1):
        pass
    assert victim.read_text() == "precious\n"
    assert store.lock_path.is_symlink()


def test_a_lock_file_that_is_a_fifo_is_refused(store: SqliteStateStore) -> None:
    store.lock_path.parent.mkdir(parents=True)
    os.mkfifo(store.lock_path)
    refused = pytest.raises(StateError, match=r"state\.db\.lock: is a FIFO, not a regular file")
    with refused, store.lock("syncform test", timeout=1):
        pass


def test_a_state_key_file_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "state.key")
    with pytest.raises(StateError, match=r"state key file .*state.key: is a FIFO"):
        load_state_key(tmp_path, {})


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlinked_state_key_file_is_refused(tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "elsewhere.key"
    if not dangling:
        target.write_text("ab" * 32 + "\n")
        target.chmod(0o600)
    (tmp_path / "state.key").symlink_to(target)
    with pytest.raises(StateError, match=r"state.key: is a symbolic link"):
        load_state_key(tmp_path, {})
    assert target.exists() != dangling  # nothing written through the link
