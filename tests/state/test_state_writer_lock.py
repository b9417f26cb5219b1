from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncform.core.errors import StateLockTimeout
from syncform.state import open_state
from syncform.state.sqlite_store import SqliteStateStore

HOLDER_SCRIPT = """
import sys
from pathlib import Path
from syncform.state import open_state

store = open_state(Path(sys.argv[1]))
with store.lock("syncform apply", timeout=10):
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    return open_state(tmp_path / ".syncform" / "state.db")


@pytest.fixture
def other_process_holding_lock(store: SqliteStateStore) -> Iterator[subprocess.Popen[str]]:
    """A separate process that holds the writer lock until a line arrives on its stdin."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield holder
        finally:
            if holder.poll() is None:
                holder.stdin.close()
                holder.wait(timeout=10)


def test_threads_exclude_each_other(store: SqliteStateStore) -> None:
    errors: list[BaseException] = []

    def try_lock() -> None:
        try:
            with store.lock("second thread", timeout=0):
                pass
        except StateLockTimeout as exc:
            errors.append(exc)

    with store.lock("first thread", timeout=0):
        thread = threading.Thread(target=try_lock)
        thread.start()
        thread.join()
    assert len(errors) == 1
    assert f"first thread (pid {os.getpid()}" in str(errors[0])


def test_lock_file_names_the_holder_while_held_and_is_cleared_after(
    store: SqliteStateStore,
) -> None:
    with store.lock("syncform apply", timeout=1):
        info = json.loads(store.lock_path.read_text())
        assert info["holder"] == "syncform apply"
        assert info["pid"] == os.getpid()
        assert store.lock_path.stat().st_mode & 0o077 == 0
    assert store.lock_path.read_text() == ""
    with store.lock("next", timeout=0):  # free again at once
        pass


def test_lock_is_released_when_the_body_raises(store: SqliteStateStore) -> None:
    with pytest.raises(RuntimeError), store.lock("syncform apply", timeout=1):
        raise RuntimeError("boom")
    with store.lock("next", timeout=0):
        pass


def test_lock_released_when_holder_process_dies(
    store: SqliteStateStore, other_process_holding_lock: subprocess.Popen[str]
) -> None:
    other_process_holding_lock.kill()
    other_process_holding_lock.wait(timeout=10)
    with store.lock("syncform apply", timeout=5):
        assert json.loads(store.lock_path.read_text())["pid"] == os.getpid()
