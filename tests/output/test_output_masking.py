"""Masking results value by value, before renderers shorten or print anything."""

from __future__ import annotations

from pathlib import Path

from syncform.core.address import Address
from syncform.core.records import Desired, LiveObject, SecretValue
from syncform.engine.plan import (
    SENSITIVE,
    Action,
    FieldChange,
    Plan,
    PlannedRequest,
    ResourceChange,
)
from syncform.http import RequestCounters
from syncform.output import PLAN_RENDERERS
from syncform.output.masking import mask_plan, mask_read_report
from syncform.reading import ReadReport, ReadResult
from syncform.secrets.scrubber import Scrubber
from tests.kit.emulator import resource

LONG = "L" * 40 + "-long-secret-from-env-" + "M" * 200


def _change(before: object, body: object) -> ResourceChange:
    request = PlannedRequest(1, "PATCH", "/integration/1", body)
    return ResourceChange("TrutoIntegration/crm", "TrutoIntegration", "crm", "truto", "1",
                          (Action.UPDATE,), "fields_changed",
                          changes=(FieldChange("/config/label", before, "x"),),
                          requests=(request,), warnings=(f"vendor said {LONG}",))  # fmt: skip


def test_a_long_secret_never_shows_even_where_text_is_shortened() -> None:
    plan = Plan((_change(LONG, {"config": {"label": f"prefix {LONG}"}}),))
    masked = mask_plan(plan, Scrubber((LONG,)))
    for render in PLAN_RENDERERS.values():
        output = render(masked, tool_version="1")
        assert LONG[:16] not in output and LONG[-16:] not in output
    assert masked.resource_changes[0].changes[0].sensitive


def test_a_body_value_equal_to_a_secret_becomes_a_secret_reference() -> None:
    scrubber = Scrubber()
    scrubber.add("1", "${env:SHORT}")
    plan = Plan((_change("a", {"label": "1", "version": 1, "name": "x1"}),))
    request = mask_plan(plan, scrubber).resource_changes[0].requests[0]
    assert request.body == {"label": SENSITIVE, "version": 1, "name": "x1"}
    assert request.secret_refs == {"/label": "${env:SHORT}"}


def test_refresh_hides_live_values_where_the_manifest_has_a_secret(tmp_path: Path) -> None:
    """Even a value syncform no longer knows (the secret was rotated since it was applied)."""
    spec = {"name": "crm", "config": {"label": "${env:L}"}}
    desired_spec = {"name": "crm", "config": {"label": SecretValue("${env:L}", "d")}}
    desired = Desired(resource("TrutoIntegration", "crm", spec, tmp_path), "truto", desired_spec)
    live_spec = {"name": "crm", "config": {"label": "an old secret value"}}
    live = LiveObject(Address("TrutoIntegration", "crm"), "1", live_spec, "state", "")
    report = ReadReport((ReadResult(desired, "state", live),), RequestCounters())
    shown = mask_read_report(report, Scrubber()).results[0].live
    assert shown is not None and shown.spec == {"name": "crm", "config": {"label": SENSITIVE}}
