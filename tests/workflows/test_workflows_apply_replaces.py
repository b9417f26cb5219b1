"""Every replace path, applied: the next plan is empty, whichever order the replace runs in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import make_app, vendor_http
from tests.kit.project import ENVIRON, write_project

DESTINATION = Address("TinesSyncDestination", "d")
REMOTE: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": "${env:DR_KEY}",
    "story_ids": [9981],
}
SAME_TENANT: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://acme.tines.com",
    "destination_team_id": 8,
    "story_ids": [9981],
}
CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "team_id": (REMOTE, {**REMOTE, "team_id": 8, "story_ids": [9990]}, "/team_id"),
    "destination_team_id": (SAME_TENANT, {**SAME_TENANT, "destination_team_id": 9},
                            "/destination_team_id"),
    "remote to same tenant": (REMOTE, SAME_TENANT, "/destination_tenant_url"),
    "same tenant to remote": (SAME_TENANT, REMOTE, "/destination_tenant_url"),
}  # fmt: skip


def destinations(app: Any) -> list[dict[str, Any]]:
    with vendor_http(app, "tines") as http:
        found: list[dict[str, Any]] = http.get("/api/v1/admin/sync_destinations").json()[
            "sync_destinations"
        ]
    return found


@pytest.mark.parametrize("create_first", [False, True], ids=["delete-first", "create-first"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_replace_applied_then_plans_empty(
    tmp_path: Path, change: str, create_first: bool
) -> None:
    old, new, replace_path = CHANGES[change]
    lifecycle = {DESTINATION: {"create_before_destroy": create_first}}
    app = make_app()
    project = Project(tmp_path, emulator_runtime(app, ENVIRON))
    write_project(tmp_path, "emulator://test", {DESTINATION: old}, lifecycle)
    project.apply()
    before = project.state_ids()[DESTINATION]
    write_project(tmp_path, "emulator://test", {DESTINATION: new}, lifecycle)
    [replaced] = project.plan().plan.resource_changes
    assert replaced.summary_key == "replace" and replace_path in replaced.replace_paths
    project.apply()
    assert not project.plan().plan.has_changes
    after = project.state_ids()[DESTINATION]
    assert [str(item["id"]) for item in destinations(app)] == [after]
    assert after != before or not create_first  # create-first cannot reuse the old id
