"""`syncform export` over real HTTP: it names what it wrote and the variables to set, the plan
after it shows only the secrets, and a second export adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncform.emulator import running_server
from tests.kit.emulator import mutating_requests
from tests.kit.project import ENVIRON, run_cli, write_project
from tests.kit.tenant import SECRETS, seeded_app


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in {**ENVIRON, **SECRETS}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_then_plan_over_http(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = seeded_app()
    with running_server(app) as base_url:
        write_project(project, base_url, {})
        (project / "manifests.yaml").unlink()
        code, out, err = run_cli(capsys, "export", "--config", "syncform.yaml")
        assert code == 0, err
        assert "50 exported and recorded in state, 0 already managed, 1 left out." in out
        assert "Left out TrutoIntegration" in out
        assert "  TINES_DR_ACME_API_KEY: an API key of the destination tenant" in out
        assert mutating_requests(app) == []
        code, out, err = run_cli(
            capsys, "plan", "exported", "--config", "syncform.yaml", "--detailed-exitcode"
        )
        assert code == 2, err
        # 6 Tines keys, 10 Truto credentials and 1 Polytomic passphrase: nothing else
        assert "Plan: 0 to create, 17 to update, 0 to replace, 0 to delete." in out
        code, out, _ = run_cli(capsys, "export", "--config", "syncform.yaml")
    assert code == 0
    assert "0 exported and recorded in state, 50 already managed" in out
    assert mutating_requests(app) == []


def test_an_unknown_kind_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(project, "emulator://test", {})
    code, _, err = run_cli(capsys, "export", "--config", "syncform.yaml", "--kind", "Nope")
    assert code == 64 and "Nope" in err
