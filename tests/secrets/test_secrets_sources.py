"""`${file:PATH}` reads only a regular file, bounded, and never blocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncform.core.errors import ReferenceError_
from syncform.secrets.references import parse_reference
from syncform.secrets.sources import read_reference_text

pytestmark = pytest.mark.timeout(10)


def read_file_reference(base_dir: Path, target: str) -> str:
    reference = parse_reference(f"${{file:{target}}}")
    assert reference is not None
    return read_reference_text(reference, base_dir, {}, "m.yaml:3:5")


def test_a_regular_file_and_a_link_to_one_are_read(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cret\n")
    (tmp_path / "mounted").symlink_to(tmp_path / "token")  # as a mounted secret is
    assert read_file_reference(tmp_path, "token") == "s3cret"
    assert read_file_reference(tmp_path, "mounted") == "s3cret"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "token")
    with pytest.raises(ReferenceError_, match=r"m.yaml:3:5: \$\{file:token\}: .*token: is a FIFO"):
        read_file_reference(tmp_path, "token")


def test_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "token").symlink_to("/dev/zero")
    with pytest.raises(ReferenceError_, match="token: is a character device, not a regular"):
        read_file_reference(tmp_path, "token")


def test_a_file_over_64_kib_is_refused(tmp_path: Path) -> None:
    (tmp_path / "token").write_bytes(b"x" * (64 * 1024 + 1))
    with pytest.raises(ReferenceError_, match="token: is over the 65536 byte limit"):
        read_file_reference(tmp_path, "token")
