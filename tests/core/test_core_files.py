"""The one door to files: atomic writes that never follow or replace a special file, and
bounded reads of regular files only."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from syncform.core.errors import FileRefused, UsageError
from syncform.core.files import open_lock_file, read_regular_file, write_file_atomically

pytestmark = pytest.mark.timeout(10)


def symlink_to_victim(tmp_path: Path, target: Path) -> Path:
    (tmp_path / "victim").write_text("precious\n")
    os.symlink(tmp_path / "victim", target)
    return target


def fifo(tmp_path: Path, target: Path) -> Path:
    os.mkfifo(target)
    return target


def folder(tmp_path: Path, target: Path) -> Path:
    target.mkdir()
    return target


SPECIAL_FILES: dict[str, Callable[[Path, Path], Path]] = {
    "a symbolic link": symlink_to_victim,
    "a FIFO": fifo,
    "a directory": folder,
}


def test_writes_the_data_with_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert write_file_atomically(target, b"one", 0o600)
    assert write_file_atomically(target, b"two", 0o600)
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


def test_without_replace_an_existing_file_wins(tmp_path: Path) -> None:
    target = tmp_path / "state.key"
    assert write_file_atomically(target, b"first", replace=False)
    assert not write_file_atomically(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert [path.name for path in tmp_path.iterdir()] == ["state.key"]


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_a_target_that_is_not_a_regular_file_is_refused_and_kept(tmp_path: Path, kind: str) -> None:
    target = SPECIAL_FILES[kind](tmp_path, tmp_path / "out.json")
    before = os.lstat(target)
    with pytest.raises(FileRefused, match=f"out.json: is {kind}, not a regular file") as caught:
        write_file_atomically(target, b"data")
    assert isinstance(caught.value, UsageError)  # exit 64
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "a symbolic link":
        assert (tmp_path / "victim").read_text() == "precious\n"


def test_a_planted_temporary_link_is_never_written_through(tmp_path: Path) -> None:
    """The temporary file has a random name and is created with O_EXCL | O_NOFOLLOW."""
    (tmp_path / "victim").write_text("precious\n")
    for guess in (".out.json.partial", ".out.json.tmp", "out.json.tmp"):
        os.symlink(tmp_path / "victim", tmp_path / guess)
    write_file_atomically(tmp_path / "out.json", b"data")
    assert (tmp_path / "victim").read_text() == "precious\n"
    assert (tmp_path / "out.json").read_bytes() == b"data"


def test_reads_a_regular_file_and_follows_a_link_to_one(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_bytes(b"a: 1\n")
    os.symlink(tmp_path / "real.yaml", tmp_path / "link.yaml")
    assert read_regular_file(tmp_path / "link.yaml", 5) == b"a: 1\n"


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "a FIFO"),
        (lambda path: os.symlink("/dev/zero", path), "a character device"),
        (lambda path: path.mkdir(), "a directory"),
    ],
)
def test_reading_anything_but_a_regular_file_is_refused_without_blocking(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    path = tmp_path / "m.yaml"
    make(path)
    with pytest.raises(FileRefused, match=f"is {kind}, not a regular file"):
        read_regular_file(path, 1024)


def test_the_read_limit_counts_bytes_read_not_the_size_the_file_claims(tmp_path: Path) -> None:
    proc_file = Path("/proc/self/maps")  # a regular file whose st_size is 0
    if not proc_file.exists():
        pytest.skip("no /proc")
    assert proc_file.stat().st_size == 0
    with pytest.raises(FileRefused, match="over the 16 byte limit"):
        read_regular_file(proc_file, 16)


def test_a_lock_file_is_created_private_and_never_through_a_link(tmp_path: Path) -> None:
    descriptor = open_lock_file(tmp_path / "state.db.lock")
    os.close(descriptor)
    assert (tmp_path / "state.db.lock").stat().st_mode & 0o777 == 0o600
    link = symlink_to_victim(tmp_path, tmp_path / "linked.lock")
    with pytest.raises(FileRefused, match=r"linked\.lock: is a symbolic link"):
        open_lock_file(link)
    os.mkfifo(tmp_path / "fifo.lock")
    with pytest.raises(FileRefused, match=r"fifo\.lock: is a FIFO"):
        open_lock_file(tmp_path / "fifo.lock")
