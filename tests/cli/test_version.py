from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

import syncform
from syncform.cli import cli

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_spelled_version_is_the_packaged_one() -> None:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    assert syncform.__version__ == declared == version("syncform")


def test_version_option_prints_it() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"syncform, version {syncform.__version__}"
