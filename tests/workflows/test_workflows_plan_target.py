"""`plan --target` reads only what it plans: the targets and what they depend on.

Two resources of each kind exist live and in state (one Polytomic sync only in state, its
manifest removed); the emulator's request log shows which vendors a targeted plan read.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.emulator import EmulatorApp
from syncform.engine.plan import Plan
from syncform.state import open_state
from syncform.workflows.plan import PlanRequest, plan
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import clear_request_log, logged_requests, make_app
from tests.kit.project import ENVIRON, write_project
from tests.kit.seed import CUSTOMER_KEY
from tests.kit.specs import ACCOUNTS, CONTACTS, INTEGRATION, JOB, TINES, TINES_SPEC, manifests

Spec = dict[str, Any]
TARGET_ENV = {**ENVIRON, "CUSTOMER_KEY": CUSTOMER_KEY}
CUSTOMER = Address("TinesSyncDestination", "customer")
ERP = Address("TrutoIntegration", "erp")
ERP_JOB = Address("TrutoSyncJob", "erp-orders")
VENDORS = ("tines", "truto", "polytomic")


def everything() -> dict[Address, Spec]:
    specs = manifests()
    customer = copy.deepcopy(TINES_SPEC)
    customer.update(
        destination_tenant_url="https://customer.example.tines.com",
        destination_tenant_api_key="${env:CUSTOMER_KEY}",
        destination_team_id=15,
    )
    specs[CUSTOMER] = customer
    specs[ERP] = {"name": "acme_erp", "category": "erp", "config": {"label": "Acme ERP"}}
    job = copy.deepcopy(specs[JOB])
    job.update(label="ERP orders", integration_name=f"${{ref:{ERP}.name}}")
    specs[ERP_JOB] = job
    return specs


@pytest.fixture
def world(tmp_path: Path) -> tuple[Project, EmulatorApp]:
    """Everything applied; then ACCOUNTS' manifest removed (it stays in state); log cleared."""
    app = make_app()
    specs = everything()
    write_project(tmp_path, "emulator://test", specs)
    project = Project(tmp_path, emulator_runtime(app, TARGET_ENV))
    project.apply(project.plan().plan)
    del specs[ACCOUNTS]
    write_project(tmp_path, "emulator://test", specs)
    clear_request_log(app)
    return project, app


def targeted_plan(project: Project, *targets: Address) -> Plan:
    return plan(PlanRequest(project.sources, targets=targets), project.runtime).plan


def vendors_read(app: EmulatorApp) -> set[str]:
    paths = [path for _, path in logged_requests(app)]
    return {vendor for vendor in VENDORS if any(p.startswith(f"/{vendor}/") for p in paths)}


def planned(made: Plan) -> list[str]:
    return [change.address for change in made.resource_changes]


def test_the_whole_plan_reads_every_vendor(world: tuple[Project, EmulatorApp]) -> None:
    project, app = world
    made = project.plan().plan
    assert vendors_read(app) == set(VENDORS)
    assert made.summary()["delete"] == 1  # ACCOUNTS, only in state, is read by its id
    state_only_id = project_state_id(project, ACCOUNTS)
    assert any(state_only_id in path for _, path in logged_requests(app))


def test_a_tines_target_reads_only_tines(world: tuple[Project, EmulatorApp]) -> None:
    project, app = world
    made = targeted_plan(project, TINES)
    assert planned(made) == [str(TINES)]
    assert made.targeted == (str(TINES),)
    assert vendors_read(app) == {"tines"}
    assert all(method == "GET" for method, _ in logged_requests(app))


def test_a_job_target_reads_its_integration_too(world: tuple[Project, EmulatorApp]) -> None:
    project, app = world
    made = targeted_plan(project, JOB)
    assert planned(made) == [str(INTEGRATION), str(JOB)]
    assert vendors_read(app) == {"truto"}
    paths = {path for _, path in logged_requests(app)}
    assert {"/truto/integration", "/truto/sync-job"} <= paths
    assert all(change.summary_key == "no_op" for change in made.resource_changes)


def test_a_polytomic_target_does_not_read_the_state_only_sync(
    world: tuple[Project, EmulatorApp],
) -> None:
    project, app = world
    made = targeted_plan(project, CONTACTS)
    assert planned(made) == [str(CONTACTS)]
    assert vendors_read(app) == {"polytomic"}
    state_only_id = project_state_id(project, ACCOUNTS)
    assert not any(state_only_id in path for _, path in logged_requests(app))


def project_state_id(project: Project, address: Address) -> str:
    record = open_state(project.root / ".syncform" / "state.db").get(address)
    assert record is not None
    return record.remote_id
