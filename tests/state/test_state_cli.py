from __future__ import annotations

import json
from pathlib import Path

import pytest

from syncform.cli import main
from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.secrets.digests import SecretHasher, redact_secrets
from syncform.state import open_state

TINES = "TinesSyncDestination/prod-to-dr"


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / ".syncform" / "state.db"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_list_show_rm_end_to_end(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = f"--state={state_path}"
    code, out, _ = run(
        capsys, "import", "--no-verify", state, "--connection", "tines-prod", TINES, "1234"
    )
    assert code == 0
    assert "Imported TinesSyncDestination/prod-to-dr (remote id 1234 on tines-prod)" in out
    run(
        capsys,
        "import",
        "--no-verify",
        state,
        "--connection",
        "truto",
        "TrutoIntegration/hubspot",
        "ti-9",
    )

    code, out, _ = run(capsys, "state", "list", state)
    assert code == 0
    assert out.splitlines() == [
        "ADDRESS                          CONNECTION  REMOTE ID",
        "TinesSyncDestination/prod-to-dr  tines-prod  1234",
        "TrutoIntegration/hubspot         truto       ti-9",
    ]

    code, out, _ = run(capsys, "state", "list", state, "--output", "json")
    rows = json.loads(out)["resources"]
    assert [(r["address"], r["connection"], r["remote_id"]) for r in rows] == [
        (TINES, "tines-prod", "1234"),
        ("TrutoIntegration/hubspot", "truto", "ti-9"),
    ]

    code, out, _ = run(capsys, "state", "show", state, TINES)
    shown = json.loads(out)
    assert code == 0
    assert shown["found_by"] == "import"
    assert shown["applied_spec"] == {}
    assert (shown["kind"], shown["name"], shown["remote_id"]) == (
        "TinesSyncDestination",
        "prod-to-dr",
        "1234",
    )

    code, out, _ = run(capsys, "state", "rm", state, TINES)
    assert code == 0
    assert "Removed TinesSyncDestination/prod-to-dr (remote id 1234 on tines-prod)" in out
    assert "No API request was sent" in out
    assert [str(r.address) for r in open_state(state_path).all()] == ["TrutoIntegration/hubspot"]


def test_empty_state_lists_nothing_and_creates_no_file(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "state", "list", f"--state={state_path}")
    assert code == 0
    assert out.startswith("No resources in state")
    code, out, _ = run(capsys, "state", "list", f"--state={state_path}", "--output=json")
    assert json.loads(out) == {"resources": []}
    assert not state_path.parent.exists()


def test_state_path_from_environment(
    state_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCFORM_STATE", str(state_path))
    assert (
        run(capsys, "import", "--no-verify", "--connection", "poly", "PolytomicModelSync/a", "m-1")[
            0
        ]
        == 0
    )
    assert open_state(state_path).get(Address("PolytomicModelSync", "a")) is not None


def test_show_prints_only_digests_of_secrets(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hasher = SecretHasher(b"key")
    spec = redact_secrets(
        {"destination_tenant_api_key": "plain-secret-value", "team_id": 3},
        ["/destination_tenant_api_key"],
        hasher,
    )
    open_state(state_path).put(StateRecord(Address.parse(TINES), "tines", "77", spec))
    code, out, _ = run(capsys, "state", "show", f"--state={state_path}", TINES)
    assert code == 0
    assert "plain-secret-value" not in out
    assert json.loads(out)["applied_spec"]["destination_tenant_api_key"] == {
        "$digest": hasher.digest("plain-secret-value")
    }


def test_missing_addresses_are_errors(state_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "state", "show", f"--state={state_path}", TINES)
    assert code == 1
    assert f"{TINES} is not in state" in err
    code, _, err = run(capsys, "state", "rm", f"--state={state_path}", TINES)
    assert code == 1
    assert f"{TINES} is not in state" in err


def test_import_refuses_an_address_already_in_state(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("import", "--no-verify", f"--state={state_path}", "--connection", "tines-prod", TINES)
    assert run(capsys, *args, "1")[0] == 0
    code, _, err = run(capsys, *args, "2")
    assert code == 1
    assert "already in state with remote id 1" in err
    assert open_state(state_path).all()[0].remote_id == "1"


@pytest.mark.parametrize(
    "arguments",
    [
        ("state", "show", "no-slash"),
        ("state", "rm", "/name"),
        ("import", "--connection", "c", "NoSuchKind/x", "1"),
        ("import", TINES, "1"),  # --connection is required
    ],
)
def test_bad_command_lines_are_usage_errors(
    arguments: tuple[str, ...], state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, *arguments, f"--state={state_path}")
    assert code == 64
    assert not state_path.parent.exists()


def test_writers_give_up_when_the_lock_is_held(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_state(state_path)
    store.put(StateRecord(Address.parse(TINES), "tines", "1", {}))
    with store.lock("syncform apply", timeout=1):
        code, _, err = run(
            capsys, "state", "rm", f"--state={state_path}", "--lock-timeout=0", TINES
        )
        assert code == 1
        assert "state is locked by syncform apply (pid" in err
        code, _, err = run(
            capsys, "import", "--no-verify", f"--state={state_path}", "--lock-timeout=0",
            "--connection=c", "TrutoSyncJob/x", "5",
        )  # fmt: skip
        assert code == 1
        assert "state is locked by syncform apply" in err
    assert [r.remote_id for r in store.all()] == ["1"]
