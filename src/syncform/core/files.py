"""The one door to the files syncform writes, and to the user files it reads.

Writing (`write_file_atomically`): the data goes to a new temporary file with a random name in
the target's folder (`O_CREAT | O_EXCL | O_NOFOLLOW`, so nothing already there, a link least of
all, is ever written through), is flushed to disk, then takes the target's name with one
`os.replace` (or `os.link`, when an existing file must win). A target that exists and is not a
regular file (a symbolic link, a device, a FIFO, a folder) is refused, never replaced.

Reading (`read_regular_file`): links are followed (a manifest or a mounted secret may well be
one), but only a regular file is read: the path is checked before it is opened, opened with
`O_NONBLOCK` (so a FIFO cannot block the open) and checked again on the open descriptor; at most
`limit + 1` bytes are read, so the cap holds whatever `st_size` claims (`/dev/zero`, `/proc`).

Lock files (`open_lock_file`): opened or created with `O_NOFOLLOW`, and refused unless regular.
Appending (`append_to_regular_file`): the same, for a file someone else owns (a CI summary).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from syncform.core.errors import FileRefused

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def write_file_atomically(
    path: Path, data: bytes, mode: int = 0o600, *, replace: bool = True
) -> bool:
    """Give `path` the content `data` all at once; the folder must exist.

    With `replace=False` an existing file wins: returns False and leaves it as it is.
    Raises `FileRefused` for a target that is not a regular file, `OSError` otherwise.
    """
    refuse_unless_writable_target(path)
    temporary = _write_temporary(path, data, mode)
    try:
        _move_into_place(temporary, path, replace=replace)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return True


def append_to_regular_file(path: Path, data: bytes) -> None:
    """Append `data` to `path` (created 0644 when missing), never through a link, only to a
    regular file (a CI summary file, for one). Raises `FileRefused` or `OSError`."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError:
        refuse_unless_writable_target(path)  # a link (ELOOP) or a FIFO: say so
        raise
    with os.fdopen(descriptor, "wb") as handle:
        _refuse_unless_regular(path, os.fstat(descriptor).st_mode)
        handle.write(data)


def refuse_unless_writable_target(path: Path) -> None:
    """Raise `FileRefused` when `path` exists and is not a regular file (links not followed)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode):
        reason = f"is {_describe(status.st_mode)}, not a regular file; syncform never writes to it"
        raise FileRefused(str(path), reason)


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; `FileRefused` for anything else."""
    with open_regular_file(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(str(path), f"is over the {limit} byte limit")
    return data


@contextlib.contextmanager
def open_regular_file(path: Path, *, follow_links: bool = True) -> Iterator[BinaryIO]:
    """A binary reader on `path` once it is known to be a regular file.

    With `follow_links=False` a symbolic link is refused too (syncform's own private files).
    """
    status = os.stat(path) if follow_links else os.lstat(path)
    _refuse_unless_regular(path, status.st_mode)
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_links else _NOFOLLOW)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        _refuse_unless_regular(path, os.fstat(descriptor).st_mode)
        yield handle


def open_lock_file(path: Path, mode: int = 0o600) -> int:
    """A read-write descriptor on the lock file `path`, created when missing; never a link."""
    flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        descriptor = os.open(path, flags, mode)
    except OSError:
        refuse_unless_writable_target(path)  # a link (ELOOP) or a FIFO: say so
        raise
    try:
        _refuse_unless_regular(path, os.fstat(descriptor).st_mode)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _write_temporary(path: Path, data: bytes, mode: int) -> Path:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    descriptor = os.open(temporary, flags, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _move_into_place(temporary: Path, path: Path, *, replace: bool) -> None:
    if replace:
        os.replace(temporary, path)
    else:
        os.link(temporary, path, follow_symlinks=False)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _refuse_unless_regular(path: Path, file_mode: int) -> None:
    if not stat.S_ISREG(file_mode):
        raise FileRefused(str(path), f"is {_describe(file_mode)}, not a regular file")


def _describe(file_mode: int) -> str:
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(file_mode)), "not a regular file")
