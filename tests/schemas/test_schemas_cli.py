"""`syncform schema`: print one schema, list the names, refuse unknown names."""

from __future__ import annotations

import json

import pytest

from syncform.cli import main
from syncform.core.errors import ExitCode
from syncform.providers.registry import KINDS


def test_prints_a_kind_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "TinesSyncDestination"]) == 0
    out = capsys.readouterr().out
    schema = json.loads(out)
    assert schema["$id"] == "https://syncform.dev/schemas/spec/TinesSyncDestination.schema.json"
    assert out.startswith('{\n  "$id"')  # pretty, keys sorted


@pytest.mark.parametrize("name", ["manifest", "config"])
def test_prints_manifest_and_config(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith(f"/{name}.schema.json")


@pytest.mark.parametrize("args", [["schema"], ["schema", "--list"]])
def test_lists_names(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    assert capsys.readouterr().out.split() == [*sorted(KINDS), "config", "manifest"]


def test_unknown_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "TinesStory"]) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "TinesStory" in captured.err
    for name in (*KINDS, "manifest", "config"):
        assert name in captured.err
