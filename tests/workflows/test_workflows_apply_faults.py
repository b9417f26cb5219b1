"""Apply under faults: a failure, or a lost answer, at every request of a 20-request apply.

Each run starts from an applied estate of all four kinds, then applies a change with creates,
updates, a replace and deletes (20 requests). The Nth request fails (or is processed and its
answer lost). Afterwards state never lies (every recorded id is live), the journal has an
outcome for every request, and a second apply converges: the next plan is empty and every
manifest has exactly one live object, never a duplicate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.emulator import EmulatorApp
from syncform.state import journal, open_state
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import make_app, vendor_http
from tests.kit.faults import DROP, FAIL, FaultAt, faulty_runtime
from tests.kit.project import ENVIRON, write_project
from tests.kit.seed import HUBSPOT, MODEL, SALESFORCE

Spec = dict[str, Any]
TINES, INTEGRATION, JOB, SYNC = (
    "TinesSyncDestination",
    "TrutoIntegration",
    "TrutoSyncJob",
    "PolytomicModelSync",
)


def destination(team: int, stories: list[int], **extra: Any) -> Spec:
    return {
        "team_id": 7,
        "destination_tenant_url": "https://acme.tines.com",
        "destination_team_id": team,
        "story_ids": stories,
        **extra,
    }


def integration(name: str, category: str) -> Spec:
    return {"name": name, "category": category, "config": {"label": name.title()}}


def job(label: str, integration_name: str, tables: list[str]) -> Spec:
    resources = [{"resource": f"crm/{table}", "method": "list"} for table in tables]
    return {
        "label": label,
        "integration_name": integration_name,
        "default_runtime_version": 3,
        "resources": resources,
    }


def sync(name: str, active: bool = True, after: str | None = None) -> Spec:
    schedule: Spec = {"frequency": "daily", "hour": "05", "minute": "30"}
    if after is not None:
        schedule = {"frequency": "runafter", "run_after": {"sync_ids": [after]}}
    return {
        "name": name,
        "mode": "create",
        "active": active,
        "schedule": schedule,
        "target": {"connection_id": HUBSPOT if after else SALESFORCE, "object": "Contact"},
        "fields": [{"source": {"model_id": MODEL, "field": "email"}, "target": "Email"}],
    }


def before() -> dict[Address, Spec]:
    return {
        Address(TINES, "t1"): destination(8, [9981]),
        Address(TINES, "t2"): destination(9, [9982]),
        Address(INTEGRATION, "i1"): integration("crm_one", "crm"),
        Address(INTEGRATION, "i2"): integration("crm_two", "crm"),
        Address(JOB, "j1"): job("Job one", "${ref:TrutoIntegration/i1.name}", ["contacts"]),
        Address(JOB, "j2"): job("Job two", "${ref:TrutoIntegration/i2.name}", ["accounts"]),
        Address(SYNC, "p1"): sync("Sync one"),
        Address(SYNC, "p2"): sync("Sync two"),
        Address(SYNC, "p3"): sync("Sync three", after="${ref:PolytomicModelSync/p2.id}"),
    }


def after() -> dict[Address, Spec]:
    """Updates t1, i1, j1, p1; replaces t2 (its source team cannot change in place); deletes
    i2, j2, p2, p3; creates t3, i3, i4, i5, j3, p4, p5, p6."""
    specs = before()
    specs[Address(TINES, "t1")] = destination(8, [9981, 9983])
    specs[Address(TINES, "t2")] = {**destination(9, [9990], manual_sync_only=True), "team_id": 8}
    specs[Address(INTEGRATION, "i1")]["category"] = "sales"
    specs[Address(JOB, "j1")]["resources"].append({"resource": "crm/leads", "method": "list"})
    specs[Address(SYNC, "p1")]["active"] = False
    for gone in ("i2", "j2"):
        del specs[Address(INTEGRATION if gone == "i2" else JOB, gone)]
    del specs[Address(SYNC, "p2")], specs[Address(SYNC, "p3")]
    specs[Address(TINES, "t3")] = {
        **destination(42, [9984], manual_sync_only=True),
        "destination_tenant_url": "https://dr.acme.tines.com",
        "destination_tenant_api_key": "${env:DR_KEY}",
    }
    specs[Address(INTEGRATION, "i3")] = integration("crm_three", "crm")
    specs[Address(INTEGRATION, "i4")] = integration("crm_four", "helpdesk")
    specs[Address(INTEGRATION, "i5")] = integration("crm_five", "crm")
    specs[Address(JOB, "j3")] = job("Job three", "${ref:TrutoIntegration/i3.name}", ["deals"])
    specs[Address(SYNC, "p4")] = sync("Sync four", after="${ref:PolytomicModelSync/p1.id}")
    specs[Address(SYNC, "p5")] = sync("Sync five")
    specs[Address(SYNC, "p6")] = sync("Sync six", active=False)
    return specs


def applied_estate(root: Path) -> tuple[EmulatorApp, Project]:
    app = make_app()
    write_project(root, "emulator://test", before())
    project = Project(root, emulator_runtime(app, ENVIRON))
    project.apply()
    write_project(root, "emulator://test", after())
    return app, project


def live_counts(app: EmulatorApp) -> dict[str, int]:
    with vendor_http(app, "tines") as http:
        tines = http.get("/api/v1/admin/sync_destinations", params={"per_page": 500}).json()
    with vendor_http(app, "truto") as http:
        integrations = http.get("/integration", params={"team_id": "team-acme"}).json()
        jobs = http.get("/sync-job").json()
    with vendor_http(app, "polytomic") as http:
        syncs = http.get("/api/syncs").json()
    return {
        TINES: len(tines["sync_destinations"]),
        INTEGRATION: len(integrations["result"]),
        JOB: len(jobs["result"]),
        SYNC: len(syncs["data"]),
    }


def expected_counts(specs: dict[Address, Spec]) -> dict[str, int]:
    return {
        kind: sum(1 for a in specs if a.kind == kind) for kind in (TINES, INTEGRATION, JOB, SYNC)
    }


def state_never_lies(root: Path, app: EmulatorApp) -> None:
    """Every id in state is live; every journal entry has an outcome."""
    store = open_state(root / ".syncform" / "state.db")
    live = _live_ids(app)
    for record in store.all():
        assert record.remote_id in live[record.address.kind], f"{record.address} lies"
    unsettled = [e for e in journal.entries(store) if e.outcome is None]
    assert unsettled == []


def _live_ids(app: EmulatorApp) -> dict[str, set[str]]:
    with vendor_http(app, "tines") as http:
        tines = http.get("/api/v1/admin/sync_destinations", params={"per_page": 500}).json()
    with vendor_http(app, "truto") as http:
        integrations = http.get("/integration").json()["result"]
        jobs = http.get("/sync-job").json()["result"]
    with vendor_http(app, "polytomic") as http:
        syncs = http.get("/api/syncs").json()["data"]
    return {
        TINES: {str(item["id"]) for item in tines["sync_destinations"]},
        INTEGRATION: {str(item["id"]) for item in integrations},
        JOB: {str(item["id"]) for item in jobs},
        SYNC: {str(item["id"]) for item in syncs},
    }


REQUESTS_IN_THE_CHANGE = 20


def test_the_change_is_a_twenty_request_apply_of_every_action(tmp_path: Path) -> None:
    _, project = applied_estate(tmp_path)
    made = project.plan().plan
    counts = made.summary()
    assert (counts["create"], counts["update"], counts["replace"], counts["delete"]) == (8, 4, 1, 4)
    assert sum(len(change.requests) for change in made.resource_changes) == REQUESTS_IN_THE_CHANGE


@pytest.mark.parametrize("mode", [FAIL, DROP])
@pytest.mark.parametrize("index", range(REQUESTS_IN_THE_CHANGE))
def test_a_fault_at_any_request_leaves_state_true_and_a_rerun_converges(
    tmp_path: Path, index: int, mode: str
) -> None:
    app, project = applied_estate(tmp_path)
    fault = FaultAt(index, mode)
    faulty = Project(tmp_path, faulty_runtime(app, ENVIRON, fault))
    first = faulty.apply_result(parallelism=1)
    assert fault.hit is not None, "the fault was never reached"
    if mode == FAIL:
        assert first.failed, "an injected failure must fail its resource"
    elif fault.hit[0] == "POST" and "/polytomic/" not in fault.hit[1]:
        # A lost answer to a create with no idempotency key: settled by looking the object up,
        # never blindly resent. (Polytomic's keyed POST is replayed by the client itself.)
        outcomes = [
            e.outcome for e in journal.entries(open_state(tmp_path / ".syncform" / "state.db"))
        ]
        assert journal.OUTCOME_UNKNOWN in outcomes or journal.OUTCOME_RESOLVED in outcomes
    state_never_lies(tmp_path, app)
    project.apply()
    assert not project.plan().plan.has_changes
    assert live_counts(app) == expected_counts(after())
    state_never_lies(tmp_path, app)


@pytest.mark.parametrize("on_error", ["abort", "continue"])
def test_on_error_decides_whether_independent_resources_go_on(
    tmp_path: Path, on_error: str
) -> None:
    """The first request fails: `abort` starts nothing else, `continue` lets every resource not
    connected to the failed one go on; what is connected to it is skipped either way."""
    app, _ = applied_estate(tmp_path)
    faulty = Project(tmp_path, faulty_runtime(app, ENVIRON, FaultAt(0, FAIL)))
    result = faulty.apply_result(parallelism=1, on_error=on_error)
    assert len(result.failed) == 1
    if on_error == "abort":
        assert result.applied == () and result.not_started
    else:
        assert result.applied and not result.not_started
        assert len(result.applied) + len(result.failed) + len(result.skipped) == len(
            [c for c in result.plan.resource_changes if c.requests]
        )
