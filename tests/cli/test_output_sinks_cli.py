"""Outputs that cannot be written are clean errors with the documented exit codes: a closed
stdout pipe exits 1 quietly, a full stdout exits 1 with one line, a `--out` file in a folder that
does not exist is a usage error (64) before anything is read."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syncform.cli import main
from tests.kit.project import EXAMPLES, run_cli

DEV_FULL = Path("/dev/full")


def syncform_script() -> str:
    script = shutil.which("syncform", path=str(Path(sys.executable).parent))
    assert script is not None, "the syncform console script is not installed next to python"
    return script


def test_closed_stdout_pipe_exits_1_quietly() -> None:
    """`syncform validate | head -0`: the reader is gone before syncform writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [syncform_script(), "validate", str(EXAMPLES)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.skipif(not DEV_FULL.exists(), reason="needs /dev/full")
def test_full_stdout_exits_1_with_one_line() -> None:
    with DEV_FULL.open("w") as full:
        done = subprocess.run(
            [syncform_script(), "validate", str(EXAMPLES)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "syncform: error: cannot write the output: No space left on device\n"


class FailingStdout:
    """A stdout whose every write fails with `error`."""

    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("error", "expected_err"),
    [
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), ""),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "syncform: error: cannot write the output: No space left on device\n",
        ),
    ],
    ids=["broken-pipe", "no-space"],
)
def test_stdout_write_errors_map_to_exit_1(
    error: OSError,
    expected_err: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", FailingStdout(error))
    code = main(["validate", str(EXAMPLES)])
    assert (code, capsys.readouterr().err) == (1, expected_err)


def test_out_into_a_missing_folder_is_a_usage_error_before_any_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No project at all: a check made after reading would fail on the missing config first.
    out = tmp_path / "missing" / "plan.json"
    code, stdout, stderr = run_cli(capsys, "plan", str(tmp_path), "--out", str(out))
    assert code == 64 and stdout == ""
    assert f"cannot write {out}: no folder {out.parent}" in stderr
    assert not out.parent.exists()


def test_out_under_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "plan.json"
    code, _, stderr = run_cli(capsys, "plan", str(tmp_path), "--out", str(out))
    assert code == 64
    assert f"{out.parent} is not a folder" in stderr
