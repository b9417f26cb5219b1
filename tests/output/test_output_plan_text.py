from __future__ import annotations

from syncform.engine.plan import Action, FieldChange, Plan, ResourceChange
from syncform.output.plan_text import render_plan_text
from tests.kit.plans import full_plan, no_change_plan


def _lines(plan: Plan, **options: bool) -> list[str]:
    return render_plan_text(plan, **options).splitlines()


def test_summary_line_counts_every_action() -> None:
    lines = _lines(full_plan())
    assert lines[-1] == "Plan: 1 to create, 1 to update, 2 to replace, 1 to delete."


def test_no_changes_line() -> None:
    text = render_plan_text(no_change_plan())
    last = text.splitlines()[-1]
    assert last.startswith("No changes.")
    assert last == "No changes. Live state matches the manifests."
    assert "will be" not in text
    assert "Warning: PolytomicModelSync/contacts: encryption_passphrase" in text


def test_headers_and_symbols_per_action() -> None:
    lines = _lines(full_plan())
    for expected in (
        "  # TinesSyncDestination/security-to-dr will be created",
        "  + TinesSyncDestination/security-to-dr  (connection tines-prod, id (known after apply))",
        "  # TrutoIntegration/hubspot will be updated in-place",
        "  ~ TrutoIntegration/hubspot  (connection truto, id int-1)",
        "  # TinesSyncDestination/ops must be replaced",
        "-/+ TinesSyncDestination/ops  (connection tines-prod, id 77)",
        "  # PolytomicModelSync/accounts must be replaced",
        "+/- PolytomicModelSync/accounts  (connection polytomic, id ms-9)",
        "  # TrutoSyncJob/nightly will be destroyed",
        "  - TrutoSyncJob/nightly  (connection truto, id job-5)",
    ):
        assert expected in lines
    assert not any("PolytomicModelSync/contacts will" in line for line in lines)


def test_legend_lists_only_symbols_in_use() -> None:
    text = render_plan_text(full_plan())
    assert text.startswith("Resource actions are indicated with the following symbols:\n")
    for meaning in ("create", "update in-place", "destroy", "destroy and then create replacement"):
        assert f" {meaning}\n" in text
    only_create = Plan((full_plan().resource_changes[1],))
    assert "update in-place" not in render_plan_text(only_create)


def test_field_lines_show_before_and_after() -> None:
    lines = _lines(full_plan())
    assert "      + /story_ids: [1,2,3]" in lines
    assert '      ~ /config/label: "old" -> "new"' in lines
    assert '      - /config/dropped: "x" -> null' in lines
    assert "      ~ /team_id: 1 -> 2  # forces replacement" in lines
    assert "      ~ /story_ids: [1] -> [1,2]" in lines
    assert '      ~ /target/object: "Account" -> "Contact"  # forces replacement' in lines


def test_long_values_are_elided_in_the_middle() -> None:
    line = next(x for x in _lines(full_plan()) if "/config/scopes" in x)
    assert " … " in line
    assert line.endswith('"]')
    assert len(line) < 400


def test_sensitive_values_are_placeholders() -> None:
    lines = _lines(full_plan())
    assert "      + /destination_tenant_api_key: (sensitive value)" in lines
    assert "      ~ /credentials/client_secret: (sensitive value changed)" in lines
    assert '"destination_tenant_api_key":"(sensitive value)"' in render_plan_text(full_plan())


def test_reason_warnings_and_numbered_requests() -> None:
    lines = _lines(full_plan())
    assert "  # (because /team_id cannot change in place)" in lines
    assert "  # (because it is in state but no manifest claims it any more)" in lines
    assert "    Warning: Deleting removes the synced stories from the destination tenant." in lines
    assert "      1. POST /api/v1/admin/sync_destinations  (create sync destination)" in lines
    assert "      4. DELETE /api/v1/admin/sync_destinations/77" in lines
    assert '         body: {"keep_stories":false}' in lines
    assert "      8. DELETE /sync-job/job-5" in lines
    assert (
        "         (path) known after apply from ${ref:TinesSyncDestination/security-to-dr.id}"
        in lines
    )
    deferred = "/schedule/run_after/0 known after apply from ${ref:PolytomicModelSync/contacts.id}"
    assert "         " + deferred in lines


def test_diagnostics_are_listed() -> None:
    lines = _lines(full_plan())
    assert "Warning: rate limited while reading (TrutoIntegration/hubspot)" in lines
    assert "  retried" in lines
    assert "Info: 3 resources read" in lines


def test_targeted_plan_says_it_is_partial() -> None:
    text = render_plan_text(full_plan(("TinesSyncDestination/ops",)))
    assert text.startswith("Warning: PARTIAL PLAN. Resource targeting (--target) is in effect.")
    assert "    - TinesSyncDestination/ops\n" in text
    assert "Note: this plan is partial (--target)" in text
    assert "PARTIAL" not in render_plan_text(full_plan())


def test_no_colour_by_default_and_ansi_when_asked() -> None:
    assert "\x1b[" not in render_plan_text(full_plan())
    coloured = render_plan_text(full_plan(), color=True)
    assert "\x1b[32m+\x1b[0m TinesSyncDestination/security-to-dr" in coloured
    assert "\x1b[33m~\x1b[0m TrutoIntegration/hubspot" in coloured
    assert "\x1b[31m-\x1b[0m TrutoSyncJob/nightly" in coloured
    assert "\x1b[31m-\x1b[0m/\x1b[32m+\x1b[0m TinesSyncDestination/ops" in coloured


def test_field_under_a_replace_path_is_marked() -> None:
    change = ResourceChange(
        address="PolytomicModelSync/x",
        kind="PolytomicModelSync",
        name="x",
        connection="polytomic",
        remote_id="1",
        actions=(Action.DELETE, Action.CREATE),
        action_reason="replace_because_immutable",
        replace_paths=("/target",),
        changes=(FieldChange("/target/connection_id", "a", "b"), FieldChange("/targets", 1, 2)),
    )
    lines = _lines(Plan((change,)))
    assert '      ~ /target/connection_id: "a" -> "b"  # forces replacement' in lines
    assert "      ~ /targets: 1 -> 2" in lines
