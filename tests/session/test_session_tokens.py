"""A token an HTTP header cannot carry is a config error when the pool builds the connection's
client, before any request: the message names the connection, never the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncform.emulator import running_server
from tests.kit.emulator import logged_requests, make_app
from tests.kit.project import ENVIRON, run_plan, write_project
from tests.kit.specs import manifests

NON_ASCII_TOKEN = "tökén-4f9a2c81d3e6"


@pytest.fixture(autouse=True)
def environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)


def put_token_in_env(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("T_TOKEN", NON_ASCII_TOKEN)
    return "tines-acme"


def put_token_in_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (root / "tokens" / "truto").write_text(NON_ASCII_TOKEN + "\n", encoding="utf-8")
    return "truto"


@pytest.mark.parametrize("put_token", [put_token_in_env, put_token_in_file], ids=["env", "file"])
def test_non_ascii_token_is_a_config_error_naming_the_connection(
    put_token, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        connection = put_token(tmp_path, monkeypatch)
        code, out, err = run_plan(capsys, tmp_path)
    assert code == 1, out + err
    assert f"connection {connection!r} token contains non-ASCII characters" in err
    assert "internal error" not in err and "UnicodeEncodeError" not in err
    assert NON_ASCII_TOKEN not in out + err
    vendor = "tines" if connection == "tines-acme" else "truto"
    assert not [path for _, path in logged_requests(app) if path.startswith(f"/{vendor}")]
