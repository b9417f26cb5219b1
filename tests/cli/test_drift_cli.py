"""`syncform drift` end to end over real HTTP, after a clean apply: quiet when nothing changed,
precise when something did (each change made through the vendor API lands in its class with its
field), read-only, `--notify` to a local webhook (and a dead one: exit 6), `--remediate`."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from syncform.emulator import EmulatorApp, running_server
from tests.kit.emulator import clear_request_log, make_app, mutating_requests, vendor_http
from tests.kit.project import ENVIRON, run_cli, write_project
from tests.kit.specs import CONTACTS, INTEGRATION, manifests

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "drift.schema.json").read_text(encoding="utf-8"))
DESTINATIONS = "/api/v1/admin/sync_destinations"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path


Capsys = pytest.CaptureFixture[str]


def cli(capsys: Capsys, root: Path, command: str, *args: str) -> tuple[int, str, str]:
    config = str(root / "syncform.yaml")
    return run_cli(capsys, command, str(root / "manifests.yaml"), "--config", config, *args)


def applied(capsys: pytest.CaptureFixture[str], root: Path, app: EmulatorApp, base: str) -> None:
    """The kit's five resources applied cleanly; the request log cleared."""
    write_project(root, base, manifests())
    code, out, err = cli(capsys, root, "apply", "--auto-approve")
    assert code == 0, out + err
    clear_request_log(app)


def drift_json(capsys: Capsys, root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = cli(capsys, root, "drift", "-o", "json", "--detailed-exitcode", *args)
    assert code in (0, 2), err
    document: dict[str, Any] = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    return code, document


def by_class(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """class -> {address or remote id: [changed paths] + notes}."""
    found: dict[str, dict[str, Any]] = {}
    for item in document["findings"]:
        key = item["address"] or f"{item['kind']} {item['remote_id']}"
        paths = [change["path"] for change in item["changes"]]
        found.setdefault(item["class"], {})[key] = paths + item["notes"]
    return found


# -- quiet when nothing changed ---------------------------------------------------------------


@pytest.mark.parametrize("tines_sync_delay", [0.0, 3600.0])
def test_after_a_clean_apply_drift_reports_nothing_and_sends_only_gets(
    project: Path, capsys: pytest.CaptureFixture[str], tines_sync_delay: float
) -> None:
    app = make_app()
    app.tines_sync_delay = tines_sync_delay  # Tines still syncing: health, not drift
    with running_server(app) as base:
        applied(capsys, project, app, base)
        code, document = drift_json(capsys, project)
        text_code, text, _ = cli(capsys, project, "drift", "--detailed-exitcode")
    assert code == 0 and text_code == 0, document["findings"]
    assert document["findings"] == [] and document["drift"] is False
    assert document["connections"] == ["polytomic", "tines-acme", "truto"]
    assert document["resources_checked"] == 5
    assert document["requests"]["by_method"] == {"GET": document["requests"]["sent"]}
    assert "No drift." in text
    assert mutating_requests(app) == []


# -- precise when something changed -----------------------------------------------------------


def test_each_change_made_through_the_vendor_apis_is_reported_in_its_class(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        ids = _change_everything_outside(app)
        specs = manifests()
        specs[CONTACTS]["active"] = False  # merged, not applied
        write_project(project, base, specs)
        clear_request_log(app)
        code, document = drift_json(capsys, project)
        _, markdown, _ = cli(capsys, project, "drift", "-o", "markdown")
    found = by_class(document)
    assert code == 2 and document["drift"] is True
    assert found["changed_outside"] == {
        "TinesSyncDestination/security-to-dr": ["/story_ids"],
        "TrutoIntegration/acme-crm": ["/category"],
    }
    assert found["pending"] == {"PolytomicModelSync/contacts-to-salesforce": ["/active"]}
    assert list(found["deleted_outside"]) == ["PolytomicModelSync/accounts-to-hubspot"]
    assert set(found["unmanaged"]) == {
        f"PolytomicModelSync {ids['leads']}",
        f"TrutoIntegration {ids['billing']}",
    }  # the other team's integrations are not ours
    assert "unhealthy" not in found
    change = _change(document, "TrutoIntegration/acme-crm")
    assert (change["before"], change["after"]) == ("crm", "sales")
    stories = _change(document, "TinesSyncDestination/security-to-dr")
    assert (stories["before"], stories["after"]) == ([9981, 9982], [9981])
    assert document["summary"] == {"changed_outside": 2, "pending": 1, "deleted_outside": 1,
                                   "unmanaged": 2, "unhealthy": 0}  # fmt: skip
    assert document["by_connection"]["truto"]["unmanaged"] == 1
    assert "2 changed outside" in document["text"]
    assert markdown.startswith("<!-- syncform:drift -->") and "`/category`" in markdown
    assert mutating_requests(app) == []


def _change_everything_outside(app: EmulatorApp) -> dict[str, str]:
    with vendor_http(app, "truto") as http:
        item = http.get("/integration", params={"name": "acme_crm"}).json()["result"][0]
        patch = {"category": "sales", "version": item["version"]}
        assert http.patch(f"/integration/{item['id']}", json=patch).is_success
        billing = {"name": "billing", "config": {"label": "Billing"}}
        billing_id = http.post("/integration", json=billing).json()["id"]
    with vendor_http(app, "tines") as http:
        destination = http.get(DESTINATIONS).json()["sync_destinations"][0]
        assert http.patch(
            f"{DESTINATIONS}/{destination['id']}", json={"story_ids": [9981]}
        ).is_success
    with vendor_http(app, "polytomic") as http:
        syncs = {s["name"]: s["id"] for s in http.get("/api/syncs").json()["data"]}
        assert http.delete(f"/api/syncs/{syncs['Accounts to HubSpot']}").is_success
        full = http.get(f"/api/syncs/{syncs['Contacts to Salesforce']}").json()["data"]
        leads = {key: full[key] for key in ("mode", "fields", "target", "schedule", "identity")}
        leads_id = http.post("/api/syncs", json={**leads, "name": "Leads"}).json()["data"]["id"]
    return {"billing": str(billing_id), "leads": str(leads_id)}


def _change(document: dict[str, Any], address: str) -> dict[str, Any]:
    finding = next(f for f in document["findings"] if f["address"] == address)
    change: dict[str, Any] = finding["changes"][0]
    return change


def test_a_failing_tines_subscription_is_unhealthy_and_counts_only_with_fail_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        with vendor_http(app, "tines") as http:  # a key rotated in the UI, to a wrong one
            destination = http.get(DESTINATIONS).json()["sync_destinations"][0]
            body = {"destination_tenant_api_key": "not-the-dr-key"}
            assert http.patch(f"{DESTINATIONS}/{destination['id']}", json=body).is_success
        code, document = drift_json(capsys, project)
        failing_code, _ = drift_json(capsys, project, "--fail-on", "unhealthy")
    found = by_class(document)
    assert list(found) == ["unhealthy"]  # the key is write-only: not seen, not reported
    notes = found["unhealthy"]["TinesSyncDestination/security-to-dr"]
    assert len(notes) == 2 and all("failed" in n and "rejected the API key" in n for n in notes)
    assert all("not-the-dr-key" not in n for n in notes)
    assert (code, failing_code) == (0, 2)
    assert mutating_requests(app) == [("PATCH", f"/tines/acme{DESTINATIONS}/{destination['id']}")]


def test_a_tines_sync_stuck_past_the_threshold_is_unhealthy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    app.tines_sync_delay = 3600.0
    with running_server(app) as base:
        applied(capsys, project, app, base)
        _, patient = drift_json(capsys, project)
        _, impatient = drift_json(capsys, project, "--stuck-after", "0s")
    assert patient["findings"] == []
    notes = by_class(impatient)["unhealthy"]["TinesSyncDestination/security-to-dr"]
    assert notes and all("requires_sync" in note and "stuck" in note for note in notes)


def test_connection_limits_what_is_read_and_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        _change_everything_outside(app)
        clear_request_log(app)
        _, document = drift_json(capsys, project, "--connection", "truto")
    assert document["connections"] == ["truto"]
    assert {f["connection"] for f in document["findings"]} == {"truto"}
    assert all(path.startswith("/truto/") for _, path in _logged(app))


def _logged(app: EmulatorApp) -> list[tuple[str, str]]:
    return [(entry.method, entry.path) for entry in app.request_log()]


# -- --notify ----------------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []
    handler = type("Handler", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/T000-secret-path", received
    finally:
        server.shutdown()
        server.server_close()


def test_notify_posts_the_report_with_a_slack_text_and_never_shows_the_url(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base, webhook_receiver() as (url, received):
        applied(capsys, project, app, base)
        _change_everything_outside(app)
        code, out, err = cli(capsys, project, "drift", "--notify", url, "--detailed-exitcode")
    assert code == 2, err
    assert len(received) == 1
    jsonschema.validate(received[0], SCHEMA)
    assert received[0]["text"].startswith("syncform drift: 2 changed outside")
    assert received[0]["summary"]["deleted_outside"] == 1
    assert "secret-path" not in out + err


def test_a_dead_webhook_exits_6_and_the_drift_is_still_printed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hooks/T000-secret-path?token=another-secret"
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        code, out, err = cli(capsys, project, "drift", "--notify", url, "--detailed-exitcode")
    assert code == 6
    assert "No drift." in out
    assert "not delivered" in err
    assert "secret-path" not in out + err and "another-secret" not in out + err


# -- --remediate -------------------------------------------------------------------------------


def test_remediate_restores_what_changed_outside_and_never_deletes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        ids = _change_everything_outside(app)
        clear_request_log(app)
        code, out, err = cli(capsys, project, "drift", "--remediate")
        sent = mutating_requests(app)
        _, after = drift_json(capsys, project)
    assert code == 0, out + err
    assert "Remediation: 3 applied, 0 failed, 0 refused." in out
    assert not any(method == "DELETE" for method, _ in sent)
    assert {method for method, _ in sent} == {"PATCH", "POST"}
    found = by_class(after)
    assert list(found) == ["unmanaged"]  # reported, never touched
    assert set(found["unmanaged"]) == {
        f"PolytomicModelSync {ids['leads']}",
        f"TrutoIntegration {ids['billing']}",
    }


def test_remediate_leaves_pending_manifest_changes_to_apply(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    with running_server(app) as base:
        applied(capsys, project, app, base)
        specs = manifests()
        specs[INTEGRATION]["sharing"] = "allow"
        write_project(project, base, specs)
        code, out, err = cli(capsys, project, "drift", "--remediate", "--detailed-exitcode")
    assert code == 2, out + err
    assert "Remediation" not in out or "0 applied" in out
    assert mutating_requests(app) == []
