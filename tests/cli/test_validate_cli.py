"""`syncform validate` end to end: the examples, exit codes, bug reporting, a real subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import syncform.cli.validate_cmd as validate_cmd
from syncform.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def test_examples_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(EXAMPLES), "--output", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert code == 0 and report["valid"] is True
    assert report["summary"]["resources"] == 6


def test_installed_console_script_validates_examples() -> None:
    script = shutil.which("syncform", path=str(Path(sys.executable).parent))
    assert script is not None, "the syncform console script is not installed next to python"
    done = subprocess.run(
        [script, "validate", str(EXAMPLES)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Valid: 6 resource(s)")


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "syncform", "validate", "--bogus-flag"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 64
    assert "--bogus-flag" in done.stderr


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 64
    assert "no such file or directory" in capsys.readouterr().err


def test_missing_config_is_a_warning_not_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest = EXAMPLES / "truto" / "crm.yaml"
    (tmp_path / "crm.yaml").write_text(manifest.read_text())
    code = main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "warning [config.missing]" in out


def test_unexpected_exception_is_one_line_naming_a_bug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_cmd, "validate", explode)
    assert main(["validate", str(EXAMPLES)]) == 1
    err = capsys.readouterr().err
    assert "internal error (a bug" in err and "RuntimeError: boom" in err
    assert "Traceback" not in err
    assert main(["--debug", "validate", str(EXAMPLES)]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_config_is_not_read_as_a_manifest_and_seed_is_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["validate", str(EXAMPLES), "--output", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["files"] == len(list(EXAMPLES.rglob("*.yaml"))) - 2


def test_root_syncform_yaml_is_not_a_manifest_even_with_another_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns("emulator-seed.yaml"))
    other = tmp_path / "other.yaml"
    other.write_text((EXAMPLES / "syncform.yaml").read_text())
    code = main(["validate", str(project), "--config", str(other), "--output", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == []
    assert code == 0
