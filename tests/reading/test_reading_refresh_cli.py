"""`syncform refresh` end to end: over real HTTP to the emulator, and on the examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syncform.cli import main
from syncform.emulator import running_server
from tests.kit.emulator import create_everything, make_app
from tests.kit.project import EXAMPLES, write_project
from tests.kit.seed import DR_KEY, SEED_SECRETS, TOKENS
from tests.kit.specs import TINES, manifests


def _write_project(root: Path, base_url: str) -> None:
    write_project(root, base_url, manifests())


def test_refresh_over_real_http_finds_everything_and_shows_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    ids = create_everything(app)
    monkeypatch.setenv("T_TOKEN", TOKENS["tines"])
    monkeypatch.setenv("P_TOKEN", TOKENS["polytomic"])
    monkeypatch.setenv("DR_KEY", DR_KEY)
    with running_server(app) as base_url:
        _write_project(tmp_path, base_url)
        code = main(["refresh", str(tmp_path), "--output", "json", "--parallelism", "3"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    found = {
        r["address"]: (r["found"], r["found_by"], r["remote_id"]) for r in document["resources"]
    }
    assert found == {
        str(address): (True, "natural_key", ids[address.name]) for address in manifests()
    }
    tines = next(r for r in document["resources"] if r["address"] == str(TINES))["spec"]
    assert tines["story_ids"] == [9981, 9982] and "destination_tenant_api_key" not in tines
    assert document["requests"]["by_method"] == {"GET": 6}
    for secret in SEED_SECRETS:
        assert secret not in captured.out + captured.err
    assert {entry.method for entry in app.request_log()} == {"GET"}
    assert not (tmp_path / ".syncform").exists()


def test_refresh_on_the_examples_reads_the_embedded_emulator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns(".syncform"))
    code = main(["refresh", str(project)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "TinesSyncDestination/security-to-dr (tines-acme): found by natural key" in captured.out
    assert "TrutoIntegration/acme-crm (truto): not found" in captured.out
    assert "dr-demo-key-3f9a1c" not in captured.out
    assert not (project / ".syncform" / "emulator").exists()  # nothing changed, nothing saved


def test_refresh_reports_an_unresolvable_reference_as_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    monkeypatch.setenv("T_TOKEN", TOKENS["tines"])
    monkeypatch.setenv("P_TOKEN", TOKENS["polytomic"])
    monkeypatch.delenv("DR_KEY", raising=False)
    with running_server(app) as base_url:
        _write_project(tmp_path, base_url)
        code = main(["refresh", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 1
    assert "${env:DR_KEY}: environment variable is not set" in captured.err
    assert "manifests.yaml:" in captured.err
