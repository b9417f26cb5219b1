"""`syncform apply` end to end over real HTTP: approval, saved plans, staleness, the lock, a lost
answer, a version race, and the journal."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from syncform.emulator import EmulatorApp, EmulatorRequest, EmulatorResponse, running_server
from syncform.state import journal, open_state
from tests.kit.emulator import make_app, mutating_requests, vendor_http
from tests.kit.project import ENVIRON, REPO, run_cli, write_project
from tests.kit.specs import INTEGRATION, TINES, manifests


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def apply_and_plan(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "apply", str(root / "manifests.yaml"), "--config",
                             str(root / "syncform.yaml"), *args)  # fmt: skip
    return code, out + err


def plan_cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    config = str(root / "syncform.yaml")
    return run_cli(capsys, "plan", str(root / "manifests.yaml"), "--config", config, *args)


def test_apply_then_plan_is_empty_and_the_journal_tells_every_request(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        code, out = apply_and_plan(capsys, project, "--auto-approve")
        assert code == 0, out
        assert "Apply complete! Resources: 5 applied, 0 failed" in out
        assert "[1/" in out and f"[{len(manifests()) + 1}/" not in out  # one line per request
        code, out, _ = plan_cli(capsys, project, "--detailed-exitcode")
    assert code == 0 and "No changes." in out
    entries = journal.entries(open_state(project / ".syncform" / "state.db"))
    sent = [(m, p) for m, p in mutating_requests(app)]
    assert len(entries) == len(sent) and all(e.outcome == journal.OUTCOME_OK for e in entries)
    assert all("dr-key" not in json.dumps(e.intent.body) for e in entries)
    code, out, _ = run_cli(capsys, "state", "journal", "--last", "2")
    assert code == 0 and len(out.strip().splitlines()) == 2


def test_without_a_terminal_apply_needs_auto_approve(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        code, out = apply_and_plan(capsys, project)
    assert code == 64
    assert "--auto-approve" in out
    assert mutating_requests(app) == []


def test_a_saved_plan_is_applied_or_refused_when_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        assert apply_and_plan(capsys, project, "--auto-approve")[0] == 0
        specs = manifests()
        specs[TINES]["story_ids"] = [9981, 9982, 9983]
        specs[INTEGRATION]["category"] = "sales"
        write_project(project, base_url, specs)
        saved = project / "plan.json"
        assert plan_cli(capsys, project, "--out", str(saved))[0] == 0
        _touch_integration(app, {"sharing": "allow"})  # a change to an object the plan changes
        code, _, err = run_cli(capsys, "apply", str(saved), "--auto-approve")
        assert code == 5 and "changed since the plan: TrutoIntegration/acme-crm" in err
        assert plan_cli(capsys, project, "--out", str(saved))[0] == 0
        _touch_polytomic_unmanaged(app)  # a change elsewhere: not ours to worry about
        code, out, err = run_cli(capsys, "apply", str(saved), "--auto-approve")
        assert code == 0, out + err
        code, _, err = run_cli(
            capsys, "apply", str(saved), "--auto-approve", "--max-plan-age", "0s"
        )
    assert code == 5 and "--max-plan-age" in err


def _touch_integration(app: EmulatorApp, change: dict[str, object]) -> None:
    with vendor_http(app, "truto") as http:
        item = http.get("/integration", params={"name": "acme_crm"}).json()["result"][0]
        body = {**change, "version": item["version"]}
        assert http.patch(f"/integration/{item['id']}", json=body).status_code == 200


def _touch_polytomic_unmanaged(app: EmulatorApp) -> None:
    with vendor_http(app, "polytomic") as http:
        synced = http.get("/api/syncs").json()["data"][0]
        full = http.get(f"/api/syncs/{synced['id']}").json()["data"]
        body = {key: full[key] for key in ("name", "mode", "fields", "target", "schedule")}
        assert http.put(f"/api/syncs/{synced['id']}", json={**body, "active": False}).is_success


def test_a_second_apply_waits_for_the_lock_then_fails_naming_the_holder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        store = open_state(project / ".syncform" / "state.db")
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.lock("the other apply", 5):
                held.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        held.wait(5)
        try:
            code, out = apply_and_plan(capsys, project, "--auto-approve", "--lock-timeout", "0.3")
        finally:
            release.set()
            holder.join()
    assert code == 1
    assert "the other apply" in out
    assert mutating_requests(app) == []


def test_a_create_whose_answer_is_lost_creates_no_duplicate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    app.add_fault({"match": {"method": "POST", "path": "/truto/integration"},
                   "action": "drop_after_commit"})  # fmt: skip
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        code, out = apply_and_plan(capsys, project, "--auto-approve")
        assert code == 0, out
        assert plan_cli(capsys, project, "--detailed-exitcode")[0] == 0
    with vendor_http(app, "truto") as http:
        named = http.get("/integration", params={"name": "acme_crm"}).json()["result"]
    assert len(named) == 1
    posts = [path for method, path in mutating_requests(app) if path == "/truto/integration"]
    assert len(posts) == 1  # looked up and adopted, never sent again


def test_a_truto_version_race_is_retried_or_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(project, base_url, manifests())
        assert apply_and_plan(capsys, project, "--auto-approve")[0] == 0
        specs = manifests()
        specs[INTEGRATION]["category"] = "sales"
        write_project(project, base_url, specs)
        # Someone bumps the version with a field the manifest does not manage: retried once.
        _race_next_patch(app, {"is_beta": True})
        code, out = apply_and_plan(capsys, project, "--auto-approve")
        assert code == 0, out
        specs[INTEGRATION]["category"] = "support"
        write_project(project, base_url, specs)
        # Someone changes a field the manifest manages: stop, naming it.
        _race_next_patch(app, {"sharing": "allow"})
        code, out = apply_and_plan(capsys, project, "--auto-approve")
    assert code == 1
    assert "changed outside syncform since the plan: /sharing" in out


def _race_next_patch(app: EmulatorApp, change: dict[str, object]) -> None:
    """Someone else changes the integration between apply's plan and its PATCH: the change is
    made through the API just before the emulator handles that PATCH."""
    original = app.handle

    def handle(request: EmulatorRequest) -> EmulatorResponse:
        if request.method == "PATCH" and request.path.startswith("/truto/integration/"):
            app.handle = original  # type: ignore[method-assign]
            _touch_integration(app, change)
        return original(request)

    app.handle = handle  # type: ignore[method-assign]


def test_readme_apply_of_the_examples_shows_each_request_where_it_went(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = project / "examples"
    shutil.copytree(REPO / "examples", examples, ignore=shutil.ignore_patterns(".syncform"))
    planned = run_cli(capsys, "plan", str(examples))[1]
    assert "PATCH /api/v1/admin/sync_destinations/(known after apply)" in planned
    code, _, err = run_cli(capsys, "apply", str(examples), "--auto-approve")
    assert code == 0, err
    progress = [line for line in err.splitlines() if re.match(r"\[\d+/\d+\] ", line)]
    assert len(progress) == 8
    patch_after_create = [line for line in progress if "PATCH" in line and "customer" in line]
    assert patch_after_create and all(
        re.search(r"/sync_destinations/\d+: ok$", line) for line in patch_after_create
    )  # each progress line shows the id the request went to, not the plan's placeholder
    assert run_cli(capsys, "plan", str(examples), "--detailed-exitcode")[0] == 0
