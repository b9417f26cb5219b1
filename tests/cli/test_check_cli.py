"""`syncform check` end to end, on git repositories the tests build."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syncform.cli import main
from syncform.core.address import Address
from syncform.output.plan_markdown import MAX_CHARS
from tests.kit.gitrepo import (
    TINES_DESTINATION,
    commit_all,
    init_repo,
    line_of,
    manifest,
    write_manifests,
)

DR = Address("TinesSyncDestination", "security-to-dr")
OPS = Address("TinesSyncDestination", "ops-to-dr")
OPS_SPEC = {**TINES_DESTINATION, "destination_team_id": 43, "story_ids": [1]}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository whose main branch holds two Tines destinations; the test edits the tree."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("SYNCFORM_CONFIG", raising=False)
    init_repo(tmp_path)
    write_manifests(
        tmp_path / "manifests" / "tines.yaml",
        manifest(DR, TINES_DESTINATION),
        manifest(OPS, OPS_SPEC),
    )
    commit_all(tmp_path, "base")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--base", "main", "manifests", *args])
    return code, capsys.readouterr().out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out = _check(capsys, "--output", "json", *args)
    return code, json.loads(out)


def _rewrite(repo: Path, *documents: dict[str, Any]) -> Path:
    path = repo / "manifests" / "tines.yaml"
    write_manifests(path, *documents)
    return path


def _changes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["address"]: c for c in document["resource_changes"] if c["action"] != "no-op"}


def test_adding_a_story_is_one_in_place_change_and_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    added = {**TINES_DESTINATION, "story_ids": [9981, 9982, 9983]}
    _rewrite(repo, manifest(DR, added), manifest(OPS, OPS_SPEC))
    code, document = _json(capsys)
    assert code == 0 and document["outcome"] == "passed"
    changes = _changes(document)
    assert list(changes) == [str(DR)]
    assert changes[str(DR)]["action"] == "update"
    assert [c["path"] for c in changes[str(DR)]["changes"]] == ["/story_ids"]
    assert document["summary"] == {
        "create": 0, "update": 1, "replace": 0, "delete": 0, "no_op": 1,
        "destructive": 0, "blocked": 0,
    }  # fmt: skip


def test_changing_destination_team_is_a_replace_annotated_at_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _rewrite(
        repo,
        manifest(DR, {**TINES_DESTINATION, "destination_team_id": 99}),
        manifest(OPS, OPS_SPEC),
    )
    code, out = _check(capsys, "--output", "github")
    assert code == 4
    line = line_of(path, "destination_team_id: 99")
    errors = [row for row in out.splitlines() if row.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"::error file=manifests/tines.yaml,line={line},col=")
    assert "must be replaced: /destination_team_id cannot change in place" in errors[0]
    assert "also deletes its synced stories" in errors[0]

    code, document = _json(capsys, "--allow-destructive")
    assert code == 0 and document["outcome"] == "passed"
    change = _changes(document)[str(DR)]
    assert change["action"] == "replace" and change["replace_paths"] == ["/destination_team_id"]
    assert change["cause"]["line"] == line


def test_removing_the_api_key_is_a_replace_by_the_driver_trigger(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same_tenant = {k: v for k, v in TINES_DESTINATION.items() if k != "destination_tenant_api_key"}
    _rewrite(repo, manifest(DR, same_tenant), manifest(OPS, OPS_SPEC))
    code, document = _json(capsys)
    assert code == 4
    assert _changes(document)[str(DR)]["replace_paths"] == ["/destination_tenant_api_key"]


def test_removing_a_manifest_is_a_delete(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name_line = line_of(repo / "manifests" / "tines.yaml", '"ops-to-dr"')
    _rewrite(repo, manifest(DR, TINES_DESTINATION))
    code, document = _json(capsys)
    assert code == 4 and document["outcome"] == "refused"
    change = _changes(document)[str(OPS)]
    assert change["action"] == "delete" and change["destructive"] is True
    assert change["renamed_to"] is None
    assert change["cause"] == {"file": "manifests/tines.yaml", "line": name_line, "column": 3}
    assert _check(capsys, "--allow-destructive")[0] == 0


def test_a_rename_is_linked_and_stays_a_delete_plus_create(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = Address("TinesSyncDestination", "ops-to-dr-renamed")
    _rewrite(repo, manifest(DR, TINES_DESTINATION), manifest(renamed, OPS_SPEC))
    code, document = _json(capsys)
    assert code == 4
    changes = _changes(document)
    assert changes[str(OPS)]["action"] == "delete"
    assert changes[str(OPS)]["renamed_to"] == str(renamed)
    assert changes[str(renamed)]["action"] == "create"
    assert changes[str(renamed)]["renamed_from"] == str(OPS)
    assert "syncform state rm TinesSyncDestination/ops-to-dr" in changes[str(OPS)]["warnings"][0]


def test_removing_protect_and_deleting_together_cannot_be_allowed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite(repo, manifest(DR, TINES_DESTINATION), manifest(OPS, OPS_SPEC, {"protect": True}))
    commit_all(repo, "protect ops")
    _rewrite(repo, manifest(DR, TINES_DESTINATION))
    code, document = _json(capsys, "--allow-destructive")
    assert code == 4 and document["summary"]["blocked"] == 1
    assert "lifecycle.protect" in _changes(document)[str(OPS)]["blocked"]


def test_a_protect_change_is_called_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rewrite(repo, manifest(DR, TINES_DESTINATION, {"protect": True}), manifest(OPS, OPS_SPEC))
    code, out = _check(capsys, "--output", "markdown")
    assert code == 0
    assert "> **lifecycle.protect changes:**" in out
    assert "`TinesSyncDestination/security-to-dr`: protect False → True" in out


def test_invalid_manifests_fail_with_their_findings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite(repo, manifest(DR, {**TINES_DESTINATION, "team_id": "seven"}))
    code, out = _check(capsys)
    assert code == 1
    assert "manifests/tines.yaml:" in out and "error [schema." in out
    code, document = _json(capsys)
    assert code == 1 and document["outcome"] == "invalid"
    errors = [f for f in document["findings"] if f["severity"] == "error"]
    assert [(f["pointer"], f["rule"]) for f in errors] == [("/spec/team_id", "schema.type")]
    assert document["resource_changes"] == []


@pytest.mark.parametrize("ref", ["no-such-branch", "--upload-pack=evil"])
def test_an_unknown_base_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    assert main(["check", "--base", ref, "manifests"]) == 64
    assert "git ref" in capsys.readouterr().err


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write_manifests(tmp_path / "m.yaml", manifest(DR, TINES_DESTINATION))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--base", "main", "."]) == 64
    assert "not a git repository" in capsys.readouterr().err


def test_markdown_goes_to_the_step_summary_too(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = repo.parent / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _rewrite(repo, manifest(DR, TINES_DESTINATION))
    code, _ = _check(capsys, "--output", "github")
    assert code == 4
    text = summary.read_text()
    assert text.startswith("earlier step\n<!-- syncform:check -->")
    assert "> [!CAUTION]" in text and "🔴 **delete** `TinesSyncDestination/ops-to-dr`" in text


def test_markdown_stays_under_the_limit_for_2000_changed_resources(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def spec(index: int, stories: list[int]) -> dict[str, Any]:
        return {**TINES_DESTINATION, "destination_team_id": 1000 + index, "story_ids": stories}

    addresses = [Address("TinesSyncDestination", f"dest-{i:04d}") for i in range(2000)]
    many = repo / "manifests" / "many.yaml"
    write_manifests(many, *(manifest(a, spec(i, [1])) for i, a in enumerate(addresses)))
    commit_all(repo, "many")
    changed = [manifest(a, spec(i, [1, 2, 3])) for i, a in enumerate(addresses[:1990])]
    write_manifests(many, *changed)  # 1990 updates and 10 deletes
    code, out = _check(capsys, "--output", "markdown", "--allow-destructive")
    assert code == 0
    assert len(out) <= MAX_CHARS
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert table[0] == "| | Action | Resource | Reason |"
    assert all(line.endswith("|") for line in table)
    assert table[2].startswith("| 🔴 | delete |")  # destructive first
    assert "more resources not listed" in table[-1]


def _refuse_every_connect(self: socket.socket, address: Any) -> None:
    raise AssertionError(f"a connection was opened to {address!r}")


def test_validate_and_check_need_no_environment_and_no_network(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Secrets in the environment change nothing; with none at all and every socket connect
    refused (loopback too), both commands give the same results."""
    _rewrite(repo, manifest(DR, {**TINES_DESTINATION, "destination_team_id": 99}))
    monkeypatch.setenv("DR_KEY", "a-secret-value-that-must-not-show")
    commands = (
        ["validate", "manifests", "--output", "json"],
        ["check", "--base", "main", "manifests", "--output", "json"],
    )
    normal = [(main(list(c)), capsys.readouterr().out) for c in commands]
    monkeypatch.setattr(os, "environ", {})
    monkeypatch.setattr(socket.socket, "connect", _refuse_every_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse_every_connect)
    bare = [(main(list(c)), capsys.readouterr().out) for c in commands]
    assert bare == normal
    assert [code for code, _ in normal] == [0, 4]
    assert all("a-secret-value" not in out for _, out in normal)
