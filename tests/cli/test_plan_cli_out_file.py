"""`plan --out` never writes through or replaces a link, a FIFO or any other special file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncform.emulator import EmulatorApp, running_server
from tests.kit.emulator import create_everything, logged_requests, make_app, mutating_requests
from tests.kit.project import ENVIRON, run_plan, write_project
from tests.kit.specs import manifests

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(autouse=True)
def environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def app() -> EmulatorApp:
    app = make_app()
    create_everything(app)  # clears the request log
    return app


def plan_to(
    capsys: pytest.CaptureFixture[str], root: Path, app: EmulatorApp, out_file: Path
) -> tuple[int, str]:
    with running_server(app) as base_url:
        write_project(root, base_url, manifests())
        code, _, err = run_plan(capsys, root, "--out", str(out_file))
    return code, err


def test_out_onto_a_symlink_is_refused_and_the_link_kept(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out_file = tmp_path / "plan.json"
    out_file.symlink_to(victim)
    code, err = plan_to(capsys, tmp_path, app, out_file)
    assert code == 64
    assert f"{out_file}: is a symbolic link, not a regular file" in err
    assert out_file.is_symlink() and victim.read_text() == "precious\n"
    assert mutating_requests(app) == []


def test_out_onto_a_fifo_is_refused_before_any_request(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "plan.json"
    os.mkfifo(out_file)
    code, err = plan_to(capsys, tmp_path, app, out_file)
    assert code == 64
    assert f"{out_file}: is a FIFO, not a regular file" in err
    assert os.path.exists(out_file) and not out_file.is_file()  # still the FIFO
    assert logged_requests(app) == []


def test_a_planted_partial_file_link_is_not_written_through(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out_file = tmp_path / "plan.json"
    (tmp_path / ".plan.json.partial").symlink_to(victim)
    code, err = plan_to(capsys, tmp_path, app, out_file)
    assert code == 0, err
    assert victim.read_text() == "precious\n"
    assert out_file.is_file() and not out_file.is_symlink()
    assert '"live_fingerprints"' in out_file.read_text()
