"""Request order in plans made end to end (manifests, the emulator, state).

Deletes of addresses no manifest claims go dependents first, by the edges state recorded at the
last apply or by a remote-id link in the applied spec; a delete-then-create replace sends its
DELETE right before its own POST, after the plain deletes. The names are chosen so that the
tie-break by address alone would give the wrong order.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.emulator import EmulatorApp
from syncform.engine.plan import Plan, ResourceChange
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import clear_request_log, make_app, mutating_requests, vendor_post
from tests.kit.project import ENVIRON, put_state, write_project
from tests.kit.seed import CUSTOMER_KEY
from tests.kit.specs import ACCOUNTS_SPEC, CONTACTS_SPEC, INTEGRATION_SPEC, JOB_SPEC, TINES_SPEC

Spec = dict[str, Any]
ORDERING_ENV = {**ENVIRON, "CUSTOMER_KEY": CUSTOMER_KEY}

# "TrutoIntegration/..." sorts before "TrutoSyncJob/...": by address alone it would go first.
INTEGRATION = Address("TrutoIntegration", "crm")
JOB = Address("TrutoSyncJob", "contacts")
# A runs first, B runs after A; "a-first" sorts before "b-after".
SYNC_A = Address("PolytomicModelSync", "a-first")
SYNC_B = Address("PolytomicModelSync", "b-after")
DESTINATION = Address("TinesSyncDestination", "customer")


def project_with(root: Path, app: EmulatorApp, specs: dict[Address, Spec]) -> Project:
    write_project(root, "emulator://test", specs)
    return Project(root, emulator_runtime(app, ORDERING_ENV))


def change_of(plan: Plan, address: Address) -> ResourceChange:
    found = [change for change in plan.resource_changes if change.address == str(address)]
    assert len(found) == 1, [change.address for change in plan.resource_changes]
    return found[0]


def seqs(plan: Plan, address: Address, method: str) -> list[int]:
    return [r.seq for r in change_of(plan, address).requests if r.method == method]


def delete_seq(plan: Plan, address: Address) -> int:
    change = change_of(plan, address)
    assert change.summary_key == "delete", change
    (seq,) = seqs(plan, address, "DELETE")
    return seq


def job_spec(integration_name: str) -> Spec:
    spec = copy.deepcopy(JOB_SPEC)
    spec["integration_name"] = integration_name
    return spec


def after_a_spec(sync_ids: list[str]) -> Spec:
    spec = copy.deepcopy(ACCOUNTS_SPEC)
    spec["schedule"]["run_after"]["sync_ids"] = sync_ids
    return spec


def create_then_remove(root: Path, app: EmulatorApp, specs: dict[Address, Spec]) -> Project:
    """Plan and apply `specs`, then remove every manifest."""
    project = project_with(root, app, specs)
    created = project.plan().plan
    assert created.summary()["create"] == len(specs)
    project.apply(created)
    write_project(root, "emulator://test", {})
    return project


@pytest.mark.parametrize(
    "integration_name", ["acme_crm", "${ref:TrutoIntegration/crm.name}"], ids=["literal", "ref"]
)
def test_a_removed_job_is_deleted_before_its_removed_integration(
    tmp_path: Path, integration_name: str
) -> None:
    app = make_app()
    specs = {INTEGRATION: INTEGRATION_SPEC, JOB: job_spec(integration_name)}
    project = create_then_remove(tmp_path, app, specs)
    removed = project.plan().plan
    assert removed.summary()["delete"] == 2
    assert change_of(removed, JOB).depends_on == (str(INTEGRATION),)
    assert delete_seq(removed, JOB) < delete_seq(removed, INTEGRATION)


def test_removed_polytomic_syncs_are_deleted_downstream_first_and_accepted(
    tmp_path: Path,
) -> None:
    app = make_app()
    after_a = after_a_spec([f"${{ref:{SYNC_A}.id}}"])
    project = create_then_remove(tmp_path, app, {SYNC_A: CONTACTS_SPEC, SYNC_B: after_a})
    removed = project.plan().plan
    assert delete_seq(removed, SYNC_B) < delete_seq(removed, SYNC_A)
    clear_request_log(app)
    project.apply(removed)  # the emulator answers 409 to deleting a sync others run after
    sent = [method for method, _ in mutating_requests(app)]
    assert sent == ["DELETE", "DELETE"]


def test_a_remote_id_link_orders_deletes_when_state_recorded_no_edges(tmp_path: Path) -> None:
    app = make_app()
    first = vendor_post(app, "polytomic", "/api/syncs", CONTACTS_SPEC)
    after = after_a_spec([str(first["id"])])
    second = vendor_post(app, "polytomic", "/api/syncs", after)
    project = project_with(tmp_path, app, {})
    put_state(tmp_path, SYNC_A, str(first["id"]), copy.deepcopy(CONTACTS_SPEC))
    put_state(tmp_path, SYNC_B, str(second["id"]), after)  # no depends_on recorded
    removed = project.plan().plan
    assert change_of(removed, SYNC_B).depends_on == (str(SYNC_A),)
    assert delete_seq(removed, SYNC_B) < delete_seq(removed, SYNC_A)
    clear_request_log(app)
    project.apply(removed)
    assert [method for method, _ in mutating_requests(app)] == ["DELETE", "DELETE"]


def customer_destination(team_id: int) -> Spec:
    spec = copy.deepcopy(TINES_SPEC)
    spec.update(
        destination_tenant_url="https://customer.example.tines.com",
        destination_tenant_api_key="${env:CUSTOMER_KEY}",
        destination_team_id=team_id,
    )
    return spec


def test_a_replace_sends_its_delete_right_before_its_post_after_plain_deletes(
    tmp_path: Path,
) -> None:
    """Tines sorts after Polytomic (the create) and before Truto (the plain delete): a replace
    DELETE numbered with the plain deletes would come before the Truto DELETE and be separated
    from its POST by the Polytomic POST."""
    app = make_app()
    project = project_with(
        tmp_path, app, {DESTINATION: customer_destination(15), INTEGRATION: INTEGRATION_SPEC}
    )
    project.apply(project.plan().plan)
    project = project_with(
        tmp_path, app, {DESTINATION: customer_destination(16), SYNC_A: CONTACTS_SPEC}
    )
    made = project.plan().plan
    replaced = change_of(made, DESTINATION)
    assert replaced.summary_key == "replace"
    assert replaced.replace_paths == ("/destination_team_id",)
    assert [r.method for r in replaced.requests] == ["DELETE", "POST"]
    (replace_delete,) = seqs(made, DESTINATION, "DELETE")
    assert seqs(made, DESTINATION, "POST") == [replace_delete + 1]
    assert delete_seq(made, INTEGRATION) < replace_delete
    assert change_of(made, SYNC_A).summary_key == "create"
    all_seqs = sorted(r.seq for c in made.resource_changes for r in c.requests)
    assert all_seqs == list(range(1, 5))
