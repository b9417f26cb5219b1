"""The state writer lock: an advisory `flock` on a sidecar file `<db>.lock`.

Whoever holds the lock writes a line of JSON into the file naming itself (holder, pid, host,
since), so a writer that waits too long can say who is in the way. The kernel releases an
`flock` when its process ends, however it ends, so a crashed apply never leaves a stale lock
behind. The file itself is never deleted (deleting it would let two writers lock two different
files). Advisory locks on network file systems are unreliable: keep state on a local disk.

The lock is not re-entrant: a thread holding it that asks for it again waits like anyone else.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from syncform.core.errors import FileRefused, StateError, StateLockTimeout
from syncform.core.files import open_lock_file, read_regular_file
from syncform.state.clock import Clock, iso_utc

_POLL_SECONDS = 0.05
_MAX_HOLDER_BYTES = 64 * 1024


@contextlib.contextmanager
def hold_writer_lock(lock_path: Path, holder: str, timeout: float, clock: Clock) -> Iterator[None]:
    """Hold the lock for the body of the `with`; wait up to `timeout` seconds for it."""
    descriptor = _open_lock_file(lock_path)
    try:
        _acquire(descriptor, lock_path, timeout)
        try:
            _write_holder(descriptor, holder, clock)
            yield
        finally:
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _open_lock_file(lock_path: Path) -> int:
    """Open (or create) the lock file; a link or anything but a regular file is refused."""
    try:
        lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return open_lock_file(lock_path, 0o600)
    except FileRefused as exc:
        raise StateError(f"state lock file {exc.message}") from exc
    except OSError as exc:
        raise StateError(f"cannot open state lock file {lock_path}: {exc.strerror}") from exc


def _acquire(descriptor: int, lock_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StateLockTimeout(_timeout_message(lock_path, timeout)) from None
            time.sleep(_POLL_SECONDS)


def holder_fields(holder: str, clock: Clock) -> dict[str, object]:
    """What a lock holder says of itself: holder, pid, host, since (every backend's lock)."""
    return {
        "holder": holder,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": iso_utc(clock()),
    }


def _write_holder(descriptor: int, holder: str, clock: Clock) -> None:
    info = holder_fields(holder, clock)
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, (json.dumps(info) + "\n").encode("utf-8"), 0)


def describe_holder(lock_path: Path) -> str:
    """Who holds the lock, as a phrase: `syncform apply (pid 1234 on host x) since ...`."""
    try:
        info = json.loads(read_regular_file(lock_path, _MAX_HOLDER_BYTES).decode("utf-8"))
    except (OSError, ValueError, FileRefused):
        return "another process (it has not named itself yet)"
    if not isinstance(info, dict):
        return "another process (unreadable lock file)"
    return holder_phrase(info)


def holder_phrase(info: dict[str, object]) -> str:
    """`syncform apply (pid 1234 on host x) since ...`, from `holder_fields`."""
    return (
        f"{info.get('holder', 'unknown')} (pid {info.get('pid', '?')} on host "
        f"{info.get('host', '?')}) since {info.get('since', '?')}"
    )


def _timeout_message(lock_path: Path, timeout: float) -> str:
    return lock_timeout_message(describe_holder(lock_path), timeout, str(lock_path))


def lock_timeout_message(holder: str, timeout: float, where: str) -> str:
    """The one wording of a writer that gave up waiting, for every backend."""
    return (
        f"state is locked by {holder}; gave up after waiting "
        f"{timeout:g}s for {where} (wait for it to finish, or raise --lock-timeout)"
    )
