"""The `state:` setting, `state migrate`, `state copy` both ways, SYNCFORM_STATE against the
config, the DSN kept out of every message, and a SQLite run that never imports psycopg."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.manifests.config import load_config
from syncform.state import journal, open_postgres_state, open_state
from tests.kit.postgres import PostgresServer
from tests.kit.project import EXAMPLES, REPO, run_cli
from tests.kit.state_stores import StoreSpec

TINES = Address("TinesSyncDestination", "prod-to-dr")
TRUTO = Address("TrutoIntegration", "hubspot")
DSN_ENV = "SYNCFORM_STATE_DSN"
SECRET_PASSWORD = "pw-0f1e2d3c4b5a6978"


def write_config(root: Path, state: dict[str, object]) -> Path:
    config = {"apiVersion": "syncform/v1", "kind": "Config", "connections": {}, "state": state}
    path = root / "syncform.yaml"
    path.write_text(json.dumps(config))
    return path


def postgres_config(root: Path, schema: str) -> Path:
    return write_config(
        root, {"backend": "postgres", "dsn": "${env:" + DSN_ENV + "}", "schema": schema}
    )


@pytest.fixture
def pg(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[StoreSpec]:
    """A PostgreSQL state named by tmp_path/syncform.yaml; the current folder is tmp_path."""
    spec = StoreSpec("postgres", dsn=postgres_server.dsn(), schema=postgres_server.new_schema())
    monkeypatch.setenv(DSN_ENV, spec.dsn)
    monkeypatch.delenv("SYNCFORM_STATE", raising=False)
    monkeypatch.delenv("SYNCFORM_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    postgres_config(tmp_path, spec.schema)
    yield spec
    spec.drop()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"backend": "postgres"}, "dsn"),
        ({"backend": "postgres", "dsn": "host=db password=literal"}, "${env:NAME}"),
        ({"backend": "sqlite", "dsn": "${env:X}"}, "dsn applies only to the postgres backend"),
        ({"backend": "postgres", "dsn": "${env:X}", "schema": "Bad-Name"}, "plain PostgreSQL"),
        ({"backend": "postgres", "dsn": "${env:X}", "path": "s.db"}, "only to the sqlite"),
    ],
)
def test_the_state_setting_is_checked(tmp_path: Path, state: dict[str, object], message: str):
    result = load_config(write_config(tmp_path, state), tmp_path)
    assert result.findings, state
    assert any(message in finding.message for finding in result.findings), result.findings


def test_a_postgres_state_setting_is_read(tmp_path: Path) -> None:
    config = load_config(postgres_config(tmp_path, "team_a"), tmp_path).config
    assert (config.state_backend, config.state_dsn, config.state_schema) == (
        "postgres", "${env:SYNCFORM_STATE_DSN}", "team_a",
    )  # fmt: skip


def test_migrate_creates_then_reports_the_version(pg: StoreSpec, capsys) -> None:
    code, out, err = run_cli(capsys, "state", "migrate")
    assert code == 0, err
    assert f"Created the state schema, version 1 (PostgreSQL state (schema {pg.schema}))" in out
    code, out, _ = run_cli(capsys, "state", "migrate")
    assert code == 0 and "at version 1 already" in out
    pg.execute("INSERT INTO schema_version (version) VALUES (7)")
    code, _, err = run_cli(capsys, "state", "migrate")
    assert code == 1 and "schema version 7" in err and "untouched" in err
    assert pg.execute("SELECT MAX(version) FROM schema_version") == [(7,)]


def test_copy_sqlite_to_postgres_and_back_keeps_every_row(
    pg: StoreSpec, tmp_path: Path, capsys
) -> None:
    sqlite = open_state(tmp_path / "old" / "state.db")
    sqlite.put(StateRecord(TINES, "tines", "42", {"k": {"$digest": "hmac-sha256:aa"}}))
    sqlite.put(StateRecord(TRUTO, "truto", "7", {}, depends_on=(TINES,)), found_by="import")
    entry = journal.record_intent(sqlite, journal.Intent("r", 1, TINES, "tines", "POST", "/d", {}))
    journal.record_outcome(sqlite, entry, journal.OUTCOME_OK, status=201, remote_id="42")
    journal.record_intent(sqlite, journal.Intent("r", 2, TRUTO, "truto", "PATCH", "/i", {"a": 1}))

    code, out, err = run_cli(
        capsys, "state", "copy", "--from", "sqlite:old/state.db", "--to", "postgres"
    )
    assert code == 0, err
    assert "Copied 2 resources and 2 journal entries from old/state.db to PostgreSQL state" in out
    shared = pg.open()
    assert shared.all() == sqlite.all()
    assert shared.found_by(TRUTO) == "import"
    assert [e.intent for e in journal.entries(shared)] == [
        e.intent for e in journal.entries(sqlite)
    ]
    assert [e.outcome for e in journal.entries(shared)] == ["ok", None]

    code, _, err = run_cli(
        capsys, "state", "copy", "--from", "sqlite:old/state.db", "--to", "postgres"
    )
    assert code == 1 and "already holds state (2 resources, 2 journal entries)" in err

    code, out, err = run_cli(
        capsys, "state", "copy", "--from", "postgres", "--to", "sqlite:back.db"
    )
    assert code == 0, err
    back = open_state(tmp_path / "back.db")
    assert back.all() == sqlite.all()
    assert [e.started_at for e in journal.entries(back)] == [
        e.started_at for e in journal.entries(sqlite)
    ]


def test_state_commands_follow_the_config_unless_syncform_state_names_a_file(
    pg: StoreSpec, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg.open().put(StateRecord(TINES, "tines", "42", {}))
    open_state(tmp_path / "local.db").put(StateRecord(TRUTO, "truto", "7", {}))
    code, out, _ = run_cli(capsys, "state", "list")
    assert code == 0 and str(TINES) in out and str(TRUTO) not in out
    monkeypatch.setenv("SYNCFORM_STATE", str(tmp_path / "local.db"))
    code, out, _ = run_cli(capsys, "state", "list")
    assert code == 0 and str(TRUTO) in out and str(TINES) not in out
    monkeypatch.delenv("SYNCFORM_STATE")
    code, out, _ = run_cli(capsys, "state", "rm", str(TINES))
    assert code == 0 and "Removed TinesSyncDestination/prod-to-dr (remote id 42" in out
    code, out, _ = run_cli(capsys, "state", "list")
    assert f"No resources in state (PostgreSQL state (schema {pg.schema}))." in out


@pytest.mark.parametrize(
    "dsn",
    [
        f"host=127.0.0.1 port=1 user=syncform password={SECRET_PASSWORD} connect_timeout=2",
        f"postgresql://syncform:{SECRET_PASSWORD}@127.0.0.1:1/x?connect_timeout=2",
        f"not a dsn {SECRET_PASSWORD}",
    ],
)
def test_the_dsn_never_shows_in_an_error(
    pg: StoreSpec, dsn: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    code, out, err = run_cli(capsys, "state", "list")
    assert code == 1
    assert err.startswith(f"syncform: error: PostgreSQL state (schema {pg.schema}): "), err
    assert SECRET_PASSWORD not in out + err and dsn not in out + err


def test_a_missing_dsn_variable_is_named_not_shown(pg: StoreSpec, capsys, monkeypatch) -> None:
    monkeypatch.delenv(DSN_ENV)
    code, _, err = run_cli(capsys, "state", "list")
    assert code == 1 and "${env:SYNCFORM_STATE_DSN}: environment variable is not set" in err


def test_a_postgres_store_repr_hides_the_dsn(postgres_server: PostgresServer) -> None:
    dsn = postgres_server.dsn() + f" password={SECRET_PASSWORD}"
    store = open_postgres_state(dsn, "syncform")
    assert SECRET_PASSWORD not in repr(store) + store.location


def test_a_sqlite_plan_never_imports_psycopg(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from syncform.cli import main\n"
        f"code = main(['plan', {str(tmp_path / 'examples')!r}])\n"
        "assert code == 0, code\n"
        "print('psycopg' in sys.modules)\n"
    )
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns(".syncform"))
    found = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                           text=True, timeout=120, check=False)  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().splitlines()[-1] == "False"
