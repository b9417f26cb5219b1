from __future__ import annotations

import dataclasses
import inspect

import pytest

from syncform.engine.plan import SENSITIVE, Plan
from syncform.output import PLAN_RENDERERS
from syncform.output.plan_json import render_plan_json
from tests.kit.plans import FAKE_SECRET, full_plan


@pytest.mark.parametrize("name", ["text", "json", "markdown"])
@pytest.mark.parametrize("color", [False, True])
def test_no_secret_in_any_format(name: str, color: bool) -> None:
    output = PLAN_RENDERERS[name](full_plan(), color=color, tool_version="1.0")
    assert FAKE_SECRET not in output
    assert "(sensitive value" in output


def test_no_secret_in_the_saved_plan_with_references() -> None:
    stamped = dataclasses.replace(full_plan(), manifests_digest="sha256:x")
    saved = render_plan_json(stamped, tool_version="1", saved=True)
    assert FAKE_SECRET not in saved
    assert "${env:DR_TINES_KEY}" in saved


def test_credential_headers_are_masked_in_json() -> None:
    change = full_plan().resource_changes[1]
    request = dataclasses.replace(
        change.requests[0], headers={"Authorization": f"Bearer {FAKE_SECRET}", "X-Trace": "t"}
    )
    plan = Plan((dataclasses.replace(change, requests=(request,)),))
    document = plan.to_dict(tool_version="1")
    headers = document["resource_changes"][0]["requests"][0]["headers"]
    assert headers == {"Authorization": SENSITIVE, "X-Trace": "t"}


def test_registry_has_the_three_formats_with_one_signature() -> None:
    assert sorted(PLAN_RENDERERS) == ["json", "markdown", "text"]
    for render in PLAN_RENDERERS.values():
        parameters = inspect.signature(render).parameters
        assert list(parameters) == ["plan", "color", "tool_version"]
    assert '"version": "7.7.7"' in PLAN_RENDERERS["json"](full_plan(), tool_version="7.7.7")
    assert "\x1b[" in PLAN_RENDERERS["text"](full_plan(), color=True)
    assert "\x1b[" not in PLAN_RENDERERS["markdown"](full_plan(), color=True)
