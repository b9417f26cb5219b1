"""An address in state whose object was deleted outside syncform and whose manifest was removed:
`forget` (nothing sent, counted apart from deletes), said so in the text plan."""

from __future__ import annotations

from pathlib import Path

from syncform.core.address import Address
from syncform.engine.plan import Action, Plan, ResourceChange
from syncform.output.plan_text import render_plan_text
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import clear_request_log, make_app, mutating_requests, vendor_http
from tests.kit.project import ENVIRON, write_project
from tests.kit.specs import INTEGRATION, INTEGRATION_SPEC, TINES, TINES_SPEC


def change_of(plan: Plan, address: Address) -> ResourceChange:
    (change,) = [c for c in plan.resource_changes if c.address == str(address)]
    return change


def test_an_object_deleted_outside_syncform_is_forgotten_not_deleted(tmp_path: Path) -> None:
    app = make_app()
    write_project(tmp_path, "emulator://test", {INTEGRATION: INTEGRATION_SPEC, TINES: TINES_SPEC})
    project = Project(tmp_path, emulator_runtime(app, ENVIRON))
    ids = project.apply(project.plan().plan)
    with vendor_http(app, "truto") as http:
        assert http.delete(f"/integration/{ids[INTEGRATION]}").status_code == 200
    write_project(tmp_path, "emulator://test", {})
    made = project.plan().plan
    gone = change_of(made, INTEGRATION)
    assert gone.actions == (Action.FORGET,)
    assert gone.action_reason == "deleted_outside"
    assert gone.requests == ()
    assert gone.remote_id == ids[INTEGRATION]
    assert change_of(made, TINES).actions == (Action.DELETE,)  # still live: a plain delete
    counts = made.summary()
    assert (counts["forget"], counts["delete"]) == (1, 1)
    assert made.to_dict(tool_version="0")["summary"]["forget"] == 1
    text = render_plan_text(made)
    assert f"  x {INTEGRATION}  (connection truto, id {ids[INTEGRATION]})" in text
    assert f"- {INTEGRATION}" not in text
    block = text[text.index(f"# {INTEGRATION}") :]
    assert "deleted outside syncform" in block.splitlines()[1]
    summary_line = text.rstrip().splitlines()[-1]
    assert "1 to delete" in summary_line and "1 deleted outside syncform" in summary_line
    clear_request_log(app)
    project.apply(made)
    assert [method for method, _ in mutating_requests(app)] == ["DELETE"]
    assert all("/truto/" not in path for _, path in mutating_requests(app))


def test_a_rename_through_import_id_moves_the_object_and_deletes_nothing(tmp_path: Path) -> None:
    app = make_app()
    write_project(tmp_path, "emulator://test", {INTEGRATION: INTEGRATION_SPEC})
    project = Project(tmp_path, emulator_runtime(app, ENVIRON))
    old_id = project.apply()[INTEGRATION]
    renamed = Address(INTEGRATION.kind, "crm-renamed")
    write_project(tmp_path, "emulator://test", {renamed: INTEGRATION_SPEC},
                  metadata={renamed: {"importId": old_id}})  # fmt: skip
    made = project.plan().plan
    old, new = change_of(made, INTEGRATION), change_of(made, renamed)
    assert (old.actions, old.action_reason, old.requests) == ((Action.FORGET,), "moved", ())
    assert new.actions == (Action.NO_OP,) and new.remote_id == old_id
    clear_request_log(app)
    assert project.apply() == {renamed: old_id}
    assert mutating_requests(app) == []
    assert not project.plan().plan.has_changes
