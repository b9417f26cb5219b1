from __future__ import annotations

import re

from syncform.engine.plan import Action, FieldChange, Plan, PlannedRequest, ResourceChange
from syncform.output.plan_markdown import MARKER, MAX_CHARS, elide_lines, render_plan_markdown
from tests.kit.plans import full_plan, no_change_plan


def _update(name: str, fields: int, width: int = 40) -> ResourceChange:
    return ResourceChange(
        address=f"TrutoIntegration/{name}",
        kind="TrutoIntegration",
        name=name,
        connection="truto",
        remote_id=name,
        actions=(Action.UPDATE,),
        action_reason="fields_changed",
        changes=tuple(
            FieldChange(f"/config/key{i}", "a" * width, "b" * width) for i in range(fields)
        ),
        requests=(PlannedRequest(1, "PATCH", f"/integration/{name}", {"version": 1}),),
    )


def test_marker_summary_and_destructive_block_come_first() -> None:
    text = render_plan_markdown(full_plan())
    lines = text.splitlines()
    assert lines[0] == MARKER == "<!-- syncform:plan -->"
    assert "**Plan: 1 to create, 1 to update, 2 to replace, 1 to delete.**" in lines
    caution = lines.index("> [!CAUTION]")
    table = lines.index("| | Action | Resource | Reason |")
    assert caution < table
    assert "> **3 destructive change(s):**" in lines
    flagged = [line for line in lines if line.startswith("> - ")]
    assert [re.search(r"`([^`]+)`", line).group(1) for line in flagged] == [  # type: ignore[union-attr]
        "TinesSyncDestination/ops",
        "PolytomicModelSync/accounts",
        "TrutoSyncJob/nightly",
    ]
    assert "(forces replacement: `/team_id`)" in flagged[0]


def test_table_lists_changed_resources_with_reasons() -> None:
    lines = render_plan_markdown(full_plan()).splitlines()
    created = "because no live object exists for it (none in state, none found by its natural key)"
    assert f"| 🟢 | create | `TinesSyncDestination/security-to-dr` | {created} |" in lines
    assert any(
        line.startswith("| 🟡 | update | `TrutoIntegration/hubspot` | because ")
        and "managed field(s) differ from the manifest" in line
        for line in lines
    )
    assert (
        "| 🟠 | replace | `TinesSyncDestination/ops` | because /team_id cannot change in place |"
        in lines
    )
    deleted = "because it is in state but no manifest claims it any more"
    assert f"| 🔴 | delete | `TrutoSyncJob/nightly` | {deleted} |" in lines
    assert not any("PolytomicModelSync/contacts` |" in line for line in lines)


def test_one_details_section_per_changed_resource_with_a_diff_block() -> None:
    text = render_plan_markdown(full_plan())
    assert text.count("<details><summary>") == 5
    assert text.count("```diff") == 5
    assert "_1 resource(s) unchanged._" in text
    assert "<summary>🟠 replace <code>TinesSyncDestination/ops</code></summary>" in text
    lines = text.splitlines()
    assert "- /team_id: 1" in lines
    assert "+ /team_id: 2  # forces replacement" in lines
    assert '- /config/dropped: "x"' in lines
    assert "- /credentials/client_secret: (sensitive value)" in lines
    assert "+ /credentials/client_secret: (sensitive value changed)" in lines
    assert '#   4. DELETE /api/v1/admin/sync_destinations/77 {"keep_stories":false}' in lines
    assert "# Warning: Deleting removes the synced stories from the destination tenant." in lines


def test_no_changes_comment() -> None:
    text = render_plan_markdown(no_change_plan())
    assert "**No changes. Live state matches the manifests.**" in text
    assert "<details>" not in text
    assert "[!CAUTION]" not in text
    assert "encryption_passphrase is write-only" in text


def test_targeted_and_diagnostics() -> None:
    text = render_plan_markdown(full_plan(("TinesSyncDestination/ops",)))
    assert "> **Partial plan** (`--target`): only `TinesSyncDestination/ops`" in text
    assert "- **warning**: rate limited while reading (`TrutoIntegration/hubspot`): retried" in text


def test_one_huge_resource_is_elided_in_the_middle() -> None:
    plan = Plan((_update("small", 3), _update("huge", 5_000)))
    text = render_plan_markdown(plan)
    assert len(text) <= MAX_CHARS
    assert re.search(r"^… \d+ lines elided …$", text, re.MULTILINE)
    assert "+ /config/key0: " in text
    assert "+ /config/key4999: " in text  # the end of the section is kept
    small = text.split("<code>TrutoIntegration/small</code>")[1].split("</details>")[0]
    assert "elided" not in small
    assert text.count("```diff") == 2


def test_very_many_resources_stay_under_the_cap() -> None:
    plan = Plan(tuple(_update(f"r{i:04d}", 20) for i in range(2_000)))
    text = render_plan_markdown(plan)
    assert len(text) <= MAX_CHARS
    assert text.startswith(MARKER)
    assert "**Plan: 0 to create, 2000 to update, 0 to replace, 0 to delete.**" in text
    assert "more resource diffs not shown" in text or "more resources not listed" in text


def test_custom_limit_is_honoured() -> None:
    text = render_plan_markdown(full_plan(), limit=2_500)
    assert len(text) <= 2_500
    assert text.startswith(MARKER)


def test_backticks_in_values_cannot_close_the_fence() -> None:
    change = _update("ticks", 0)
    change = ResourceChange(**{**change.__dict__, "changes": (FieldChange("/x", "```", "````"),)})
    text = render_plan_markdown(Plan((change,)))
    assert "`````diff" in text


def test_elide_lines_keeps_head_and_tail() -> None:
    lines = [f"line {i}" for i in range(100)]
    kept = elide_lines(lines, 100)
    assert kept[0] == "line 0"
    assert kept[-1] == "line 99"
    assert any(line.startswith("… ") and line.endswith(" lines elided …") for line in kept)
    assert elide_lines(lines[:3], 100) == lines[:3]
