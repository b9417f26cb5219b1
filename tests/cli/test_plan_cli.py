"""`syncform plan` end to end against the emulator over real HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from syncform.cli import main
from syncform.core.address import Address
from syncform.core.resources import Lifecycle
from syncform.emulator import EmulatorApp, running_server
from syncform.state import open_state
from tests.kit.emulator import create_everything, make_app, mutating_requests
from tests.kit.project import (
    ENVIRON,
    REPO,
    SECRETS,
    put_state,
    run_plan,
    secret_digest,
    write_project,
)
from tests.kit.seed import DR_KEY
from tests.kit.specs import ACCOUNTS, CONTACTS, INTEGRATION, JOB, TINES, manifests


@pytest.fixture(autouse=True)
def environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def app() -> EmulatorApp:
    return make_app()


def mutating(app: EmulatorApp) -> list[tuple[str, str]]:
    return mutating_requests(app)


def changes_by_address(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["address"]: change for change in document["resource_changes"]}


def requests_of(change: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in change["requests"]]


def test_plan_is_empty_once_live_matches_every_kind(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = create_everything(app)
    put_state(
        tmp_path,
        TINES,
        ids["security-to-dr"],
        {"destination_tenant_api_key": secret_digest(tmp_path, DR_KEY)},
    )
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        code, out, err = run_plan(capsys, tmp_path, "--detailed-exitcode")
        assert code == 0, out + err
        assert "No changes." in out
        _, json_out, _ = run_plan(capsys, tmp_path, "--output", "json")
    summary = json.loads(json_out)["summary"]
    assert summary == {"create": 0, "update": 0, "replace": 0, "delete": 0, "forget": 0, "no_op": 5}
    assert mutating(app) == []


def test_every_action_type_with_its_requests(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = create_everything(app)
    for address in (TINES, INTEGRATION, JOB, CONTACTS, ACCOUNTS):
        put_state(tmp_path, address, ids[address.name])
    specs = manifests()
    specs[TINES]["destination_team_id"] = 43  # immutable: replace
    specs[INTEGRATION]["category"] = "sales"  # PATCH with the live version
    specs[CONTACTS]["active"] = False  # full-replacement PUT
    del specs[JOB]  # in state, no manifest: delete
    new_job = Address("TrutoSyncJob", "crm-contacts-v2")
    specs[new_job] = {**manifests()[JOB], "label": "CRM contacts v2"}  # create
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs)
        code, out, err = run_plan(capsys, tmp_path, "--output", "json", "--detailed-exitcode")
    assert code == 2, err
    changes = changes_by_address(json.loads(out))
    tines = changes[str(TINES)]
    assert tines["actions"] == ["delete", "create"]
    assert tines["replace_paths"] == ["/destination_team_id"]
    assert requests_of(tines) == [
        ("DELETE", f"/api/v1/admin/sync_destinations/{ids['security-to-dr']}"),
        ("POST", "/api/v1/admin/sync_destinations"),
    ]
    assert tines["requests"][0]["body"] == {"keep_stories": False}
    assert tines["requests"][1]["body"]["destination_tenant_api_key"] == "(sensitive value)"
    integration = changes[str(INTEGRATION)]
    assert integration["actions"] == ["update"]
    assert requests_of(integration) == [("PATCH", f"/integration/{ids['acme-crm']}")]
    assert integration["requests"][0]["body"] == {"category": "sales", "version": 1}
    contacts = changes[str(CONTACTS)]
    assert requests_of(contacts) == [("PUT", f"/api/syncs/{ids['contacts-to-salesforce']}")]
    assert contacts["requests"][0]["body"]["active"] is False
    assert contacts["requests"][0]["body"]["name"] == "Contacts to Salesforce"
    job = changes[str(JOB)]
    assert (job["actions"], requests_of(job)) == (
        ["delete"],
        [("DELETE", f"/sync-job/{ids['crm-contacts']}")],
    )
    created = changes[str(new_job)]
    assert (created["actions"], requests_of(created)) == (["create"], [("POST", "/sync-job")])
    assert changes[str(ACCOUNTS)]["actions"] == ["no-op"]
    sequence = sorted((r["seq"], r["method"]) for c in changes.values() for r in c["requests"])
    assert [seq for seq, _ in sequence] == list(range(1, len(sequence) + 1))
    # The plain delete comes first; the replace's DELETE comes right before its own POST.
    assert [method for _, method in sequence[:1]] == ["DELETE"]
    tines_seqs = [request["seq"] for request in tines["requests"]]
    assert tines_seqs == [tines_seqs[0], tines_seqs[0] + 1]
    assert mutating(app) == []


def test_same_input_gives_byte_identical_json(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    create_everything(app)
    specs = manifests()
    specs[CONTACTS]["active"] = False
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs)
        first = run_plan(capsys, tmp_path, "--output", "json")[1]
        second = run_plan(capsys, tmp_path, "--output", "json")[1]
    assert first == second
    assert json.loads(first)["summary"]["update"] >= 1


def test_no_secret_in_any_output_or_saved_plan(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "plan.json"
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        outputs = [
            run_plan(capsys, tmp_path, "--output", fmt) for fmt in ("text", "json", "markdown")
        ]
        outputs.append(run_plan(capsys, tmp_path, "--out", str(out_file)))
    texts = [out + err for _, out, err in outputs] + [out_file.read_text()]
    for secret in SECRETS:
        assert not [text for text in texts if secret in text], secret
    assert "(sensitive value)" in texts[0]


def test_saved_plan_has_fingerprints_digest_and_matches_the_schema(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    create_everything(app)
    out_file = tmp_path / "saved" / "plan.json"
    out_file.parent.mkdir()
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        code, _, err = run_plan(capsys, tmp_path, "--out", str(out_file))
    assert code == 0, err
    saved = json.loads(out_file.read_text())
    schema = json.loads((REPO / "schemas" / "plan.schema.json").read_text())
    jsonschema.validate(saved, schema)
    assert saved["manifests_digest"].startswith("sha256:")
    assert set(saved["live_fingerprints"]) == {str(a) for a in manifests()}
    assert not list(out_file.parent.glob(".*partial"))


def test_protected_resource_that_would_be_replaced_exits_4(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = create_everything(app)
    put_state(tmp_path, TINES, ids["security-to-dr"])
    specs = manifests()
    specs[TINES]["destination_team_id"] = 43
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs, {TINES: {"protect": True}})
        code, _, err = run_plan(capsys, tmp_path)
    assert code == 4
    assert str(TINES) in err


def test_protected_state_only_resource_cannot_be_deleted(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = create_everything(app)
    put_state(tmp_path, JOB, ids["crm-contacts"], lifecycle=Lifecycle(protect=True))
    specs = manifests()
    del specs[JOB]
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs)
        code, _, err = run_plan(capsys, tmp_path)
    assert code == 4
    assert str(JOB) in err


def test_target_limits_the_plan_and_says_so(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        code, out, _ = run_plan(capsys, tmp_path, "--output", "json", "--target", str(ACCOUNTS))
    document = json.loads(out)
    assert code == 0
    assert set(changes_by_address(document)) == {str(ACCOUNTS), str(CONTACTS)}
    assert document["targeted"] == [str(ACCOUNTS)]


def test_bad_target_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, "http://127.0.0.1:9", manifests())
    code, _, err = run_plan(capsys, tmp_path, "--target", "not-an-address")
    assert code == 64
    assert "--target" in err


def test_invalid_manifests_stop_the_plan_before_any_request(
    tmp_path: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = manifests()
    specs[TINES]["story_ids"] = "all of them"
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs)
        code, _, err = run_plan(capsys, tmp_path)
    assert code == 1
    assert "manifests.yaml:" in err and "schema.type" in err
    assert app.request_log() == []


def test_readme_main_command_plans_the_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(REPO / "examples", examples, ignore=shutil.ignore_patterns(".syncform"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_plan(capsys, examples, "--detailed-exitcode")
    assert code == 2, err
    assert out.rstrip().endswith("Plan: 3 to create, 2 to update, 1 to replace, 0 to delete.")
    assert "TinesSyncDestination/security-to-customer must be replaced" in out
    again = run_plan(capsys, examples)[1]
    assert again == out
    assert not (examples / ".syncform" / "state.db").exists()


def test_import_verifies_the_object_then_plan_finds_it_by_state(
    tmp_path: Path,
    app: EmulatorApp,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = create_everything(app)
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        monkeypatch.chdir(tmp_path)
        missing = main(
            [
                "import",
                "--connection",
                "polytomic",
                str(CONTACTS),
                "00000000-0000-4000-8000-00000000dead",
            ]
        )
        assert missing == 1
        assert (
            "no PolytomicModelSync with id '00000000-0000-4000-8000-00000000dead'"
            in capsys.readouterr().err
        )
        assert open_state(tmp_path / ".syncform" / "state.db").get(CONTACTS) is None
        remote_id = ids["contacts-to-salesforce"]
        assert main(["import", "--connection", "polytomic", str(CONTACTS), remote_id]) == 0
        capsys.readouterr()
        code, out, _ = run_plan(capsys, tmp_path, "--output", "json")
    assert code == 0
    change = changes_by_address(json.loads(out))[str(CONTACTS)]
    assert (change["remote_id"], change["actions"]) == (remote_id, ["no-op"])
    assert not any("adopts" in warning for warning in change["warnings"])
    assert mutating(app) == []
