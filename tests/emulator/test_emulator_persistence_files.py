"""The emulator's data file is written through syncform's one atomic writer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncform.core.errors import UsageError
from syncform.emulator.persistence import write_atomically

pytestmark = pytest.mark.timeout(10)


def test_the_data_file_is_replaced_atomically_and_kept_private(tmp_path: Path) -> None:
    data_file = tmp_path / "emulator" / "examples.json"
    write_atomically(data_file, '{"a": 1}')
    write_atomically(data_file, '{"a": 2}')
    assert data_file.read_text() == '{"a": 2}'
    assert data_file.stat().st_mode & 0o077 == 0
    assert os.listdir(data_file.parent) == ["examples.json"]


def test_a_symlinked_data_file_is_refused_and_kept(tmp_path: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text("precious")
    data_file = tmp_path / "examples.json"
    data_file.symlink_to(victim)
    with pytest.raises(UsageError, match=r"examples\.json: is a symbolic link"):
        write_atomically(data_file, '{"a": 1}')
    assert data_file.is_symlink() and victim.read_text() == "precious"
