"""One vocabulary for actions, action reasons and summary keys: the engine, the plan schema and
docs/plan-format.md name the same sets, and every reason has a sentence in text output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from syncform.engine.actions import ACTION_REASONS
from syncform.engine.plan import Action, Plan, ResourceChange
from syncform.output.values import reason_sentence

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
RESOURCE_CHANGE = SCHEMA["$defs"]["resource_change"]["properties"]


def doc_table(heading: str) -> list[list[str]]:
    """The cells of the first table under `### heading` (header and separator rows dropped)."""
    lines = DOC.split(f"### {heading}\n", 1)[1].splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    rows: list[str] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def ticked(cell: str) -> list[str]:
    """The `code` spans of a table cell."""
    return re.findall(r"`([^`]+)`", cell)


def test_action_reasons_are_one_set() -> None:
    documented = {ticked(row[0])[0] for row in doc_table("Action reasons")}
    in_schema = set(RESOURCE_CHANGE["action_reason"]["enum"])
    assert len(set(ACTION_REASONS)) == len(ACTION_REASONS)
    assert set(ACTION_REASONS) == in_schema == documented


def test_actions_are_one_set() -> None:
    documented = [json.loads(ticked(row[0])[0]) for row in doc_table("Actions")]
    in_schema: list[Any] = RESOURCE_CHANGE["actions"]["enum"]
    assert sorted(map(tuple, documented)) == sorted(map(tuple, in_schema))
    used = {action for actions in in_schema for action in actions}
    assert used == {action.value for action in Action}


def test_summary_keys_are_one_set() -> None:
    documented = {ticked(row[1])[0] for row in doc_table("Actions")}
    in_schema = SCHEMA["properties"]["summary"]
    assert set(in_schema["required"]) == set(in_schema["properties"])
    assert set(Plan(()).summary()) == set(in_schema["required"]) == documented


@pytest.mark.parametrize(("actions", "key"), [
    ((Action.NO_OP,), "no_op"), ((Action.CREATE,), "create"), ((Action.UPDATE,), "update"),
    ((Action.DELETE,), "delete"), ((Action.FORGET,), "forget"),
    ((Action.DELETE, Action.CREATE), "replace"), ((Action.CREATE, Action.DELETE), "replace"),
])  # fmt: skip
def test_each_documented_action_counts_under_its_documented_key(
    actions: tuple[Action, ...], key: str
) -> None:
    rows = {tuple(json.loads(ticked(row[0])[0])): ticked(row[1])[0] for row in doc_table("Actions")}
    change = _change("no_changes", actions)
    assert rows[tuple(actions)] == key == change.summary_key
    assert Plan((change,)).summary()[key] == 1


def _change(reason: str, actions: tuple[Action, ...] = (Action.UPDATE,)) -> ResourceChange:
    return ResourceChange(
        address="TinesSyncDestination/ops",
        kind="TinesSyncDestination",
        name="ops",
        connection="tines-prod",
        remote_id="77",
        actions=actions,
        action_reason=reason,
        replace_paths=("/team_id",),
    )


@pytest.mark.parametrize("reason", ACTION_REASONS)
def test_every_reason_has_a_sentence(reason: str) -> None:
    sentence = reason_sentence(_change(reason))
    assert sentence.startswith("because ")
    assert reason not in sentence
    assert len(sentence.split()) >= 4


def test_an_unknown_reason_is_shown_as_it_is() -> None:
    assert reason_sentence(_change("some_future_code")) == "some_future_code"
