"""`syncform refresh` end to end: over real HTTP to the emulator, and on the examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from reading_kit import (
    ACCOUNTS_SPEC,
    CONTACTS_SPEC,
    INTEGRATION_SPEC,
    JOB_SPEC,
    TINES_SPEC,
    create_everything,
    make_app,
)

from syncform.cli import main
from syncform.emulator import running_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MANIFESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("TinesSyncDestination", "security-to-dr", "tines-acme", TINES_SPEC),
    ("TrutoIntegration", "acme-crm", "truto", INTEGRATION_SPEC),
    ("TrutoSyncJob", "crm-contacts", "truto", JOB_SPEC),
    ("PolytomicModelSync", "contacts-to-salesforce", "polytomic", CONTACTS_SPEC),
    ("PolytomicModelSync", "accounts-to-hubspot", "polytomic", ACCOUNTS_SPEC),
]


def _write_project(root: Path, base_url: str) -> None:
    """syncform.yaml and the manifests, written as JSON (a subset of YAML)."""
    connections = {
        "tines-acme": {"provider": "tines", "url": f"{base_url}/tines/acme"},
        "truto": {"provider": "truto", "url": f"{base_url}/truto", "team_id": "team-acme"},
        "polytomic": {"provider": "polytomic", "url": f"{base_url}/polytomic"},
    }
    connections["tines-acme"]["token"] = "${env:T_TOKEN}"
    connections["truto"]["token"] = "${file:tokens/truto}"
    connections["polytomic"]["token"] = "${env:P_TOKEN}"
    config = {"apiVersion": "syncform/v1", "kind": "Config", "connections": connections}
    (root / "syncform.yaml").write_text(json.dumps(config, indent=2))
    (root / "tokens").mkdir()
    (root / "tokens" / "truto").write_text("truto-token\n")
    documents = [
        {
            "apiVersion": "syncform/v1",
            "kind": kind,
            "metadata": {"name": name, "connection": connection},
            "spec": spec,
        }
        for kind, name, connection, spec in MANIFESTS
    ]
    text = "\n---\n".join(json.dumps(document, indent=2) for document in documents)
    (root / "manifests.yaml").write_text(text + "\n")


def test_refresh_over_real_http_finds_everything_and_shows_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    ids = create_everything(app)
    monkeypatch.setenv("T_TOKEN", "acme-token")
    monkeypatch.setenv("P_TOKEN", "poly-token")
    monkeypatch.setenv("DR_KEY", "dr-key-value")
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
        f"{kind}/{name}": (True, "natural_key", ids[name]) for kind, name, _, _ in MANIFESTS
    }
    tines = document["resources"][0]["spec"]
    assert tines["story_ids"] == [9981, 9982] and "destination_tenant_api_key" not in tines
    assert document["requests"]["by_method"] == {"GET": 6}
    for secret in ("acme-token", "poly-token", "truto-token", "dr-key-value"):
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
    monkeypatch.setenv("T_TOKEN", "acme-token")
    monkeypatch.setenv("P_TOKEN", "poly-token")
    monkeypatch.delenv("DR_KEY", raising=False)
    with running_server(app) as base_url:
        _write_project(tmp_path, base_url)
        code = main(["refresh", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 1
    assert "${env:DR_KEY}: environment variable is not set" in captured.err
    assert "manifests.yaml:" in captured.err
