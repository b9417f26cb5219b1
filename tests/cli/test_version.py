from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

import syncform
import syncform.cli as cli_package
from syncform.cli import cli

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_spelled_version_is_the_packaged_one() -> None:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    assert syncform.__version__ == declared == version("syncform")


def test_version_option_prints_it() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"syncform, version {syncform.__version__}"


def test_a_command_runs_with_fewer_collections_and_restores_the_thresholds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, ...]] = []

    def run(command: Callable[[], object], debug: bool) -> int:
        seen.append(gc.get_threshold())
        return 0

    before = gc.get_threshold()
    monkeypatch.setattr(cli_package, "run_reporting_errors", run)
    assert cli_package.main(["--version"]) == 0
    assert seen == [cli_package.COLLECTOR_THRESHOLDS]
    assert gc.get_threshold() == before != cli_package.COLLECTOR_THRESHOLDS


def test_plan_loads_neither_the_emulator_nor_deepdiff_nor_other_commands() -> None:
    script = (
        "import sys\n"
        "from syncform.cli import main\n"
        "main(['plan', '--help'])\n"
        "loaded = [name for name in ('syncform.emulator', 'deepdiff', 'syncform.cli.apply_cmd',"
        " 'syncform.workflows.drift') if name in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"
