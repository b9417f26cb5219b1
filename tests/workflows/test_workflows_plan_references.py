"""`${ref:Kind/name.field}` in plans made end to end.

A field the referenced manifest declares (a Truto integration's `name`) is known at plan time,
even while that resource is being created or renamed: the manifest's value, never the live one.
A server-assigned field (a Polytomic sync's `id`) of a resource being created is known after
apply, with a `deferred` entry saying where apply fills it in.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.emulator import EmulatorApp
from syncform.engine.plan import KNOWN_AFTER_APPLY, Plan, PlannedRequest
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import make_app
from tests.kit.project import ENVIRON, write_project
from tests.kit.specs import (
    ACCOUNTS,
    ACCOUNTS_SPEC,
    CONTACTS,
    CONTACTS_SPEC,
    INTEGRATION,
    INTEGRATION_SPEC,
    JOB,
    JOB_SPEC,
)

Spec = dict[str, Any]
RENAMED = "acme_crm_v2"


def project_with(root: Path, app: EmulatorApp, specs: dict[Address, Spec]) -> Project:
    write_project(root, "emulator://test", specs)
    return Project(root, emulator_runtime(app, ENVIRON))


def only_request(plan: Plan, address: Address) -> PlannedRequest:
    (change,) = [c for c in plan.resource_changes if c.address == str(address)]
    (request,) = change.requests
    return request


def renamed_integration() -> Spec:
    spec = copy.deepcopy(INTEGRATION_SPEC)
    spec["name"] = RENAMED
    return spec


def test_a_declared_field_of_a_resource_created_in_the_same_plan_is_known(
    tmp_path: Path,
) -> None:
    assert JOB_SPEC["integration_name"] == "${ref:TrutoIntegration/acme-crm.name}"
    project = project_with(tmp_path, make_app(), {INTEGRATION: INTEGRATION_SPEC, JOB: JOB_SPEC})
    made = project.plan().plan
    assert made.summary()["create"] == 2
    post = only_request(made, JOB)
    assert post.method == "POST"
    assert post.body["integration_name"] == INTEGRATION_SPEC["name"] == "acme_crm"
    assert post.deferred == {}
    assert only_request(made, INTEGRATION).seq < post.seq


def test_the_id_of_a_resource_created_in_the_same_plan_is_known_after_apply(
    tmp_path: Path,
) -> None:
    project = project_with(tmp_path, make_app(), {CONTACTS: CONTACTS_SPEC, ACCOUNTS: ACCOUNTS_SPEC})
    made = project.plan().plan
    post = only_request(made, ACCOUNTS)
    assert post.body["schedule"]["run_after"]["sync_ids"] == [KNOWN_AFTER_APPLY]
    reference = "${ref:PolytomicModelSync/contacts-to-salesforce.id}"
    assert post.deferred == {"/schedule/run_after/sync_ids/0": reference}
    assert only_request(made, CONTACTS).seq < post.seq


def test_a_new_job_gets_the_declared_name_of_an_integration_being_renamed(
    tmp_path: Path,
) -> None:
    app = make_app()
    project = project_with(tmp_path, app, {INTEGRATION: INTEGRATION_SPEC})
    project.apply(project.plan().plan)
    project = project_with(tmp_path, app, {INTEGRATION: renamed_integration(), JOB: JOB_SPEC})
    made = project.plan().plan
    rename = only_request(made, INTEGRATION)
    assert (rename.method, rename.body["name"]) == ("PATCH", RENAMED)
    post = only_request(made, JOB)
    assert (post.method, post.body["integration_name"], post.deferred) == ("POST", RENAMED, {})
    project.apply(made)  # the emulator refuses a job naming an integration that does not exist
    assert not project.plan().plan.has_changes


def test_an_existing_job_follows_its_integration_being_renamed(tmp_path: Path) -> None:
    app = make_app()
    project = project_with(tmp_path, app, {INTEGRATION: INTEGRATION_SPEC, JOB: JOB_SPEC})
    project.apply(project.plan().plan)
    project = project_with(tmp_path, app, {INTEGRATION: renamed_integration(), JOB: JOB_SPEC})
    made = project.plan().plan
    (job,) = [c for c in made.resource_changes if c.address == str(JOB)]
    assert job.summary_key == "update"
    assert [(f.path, f.before, f.after) for f in job.changes] == [
        ("/integration_name", "acme_crm", RENAMED)
    ]
    patch = only_request(made, JOB)
    assert patch.body["integration_name"] == RENAMED
    assert only_request(made, INTEGRATION).seq < patch.seq
