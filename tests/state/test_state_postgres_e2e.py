"""Shared PostgreSQL state end to end: two `syncform apply` processes against one state and one
emulator (over real HTTP), then `plan` from a fresh copy of the manifests with only the DSN."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from syncform.emulator import EmulatorApp, EmulatorRequest, EmulatorResponse, running_server
from syncform.state import journal, open_postgres_state
from tests.kit.emulator import make_app, mutating_requests
from tests.kit.postgres import PostgresServer
from tests.kit.project import ENVIRON, write_project
from tests.kit.specs import manifests
from tests.kit.state_stores import StoreSpec

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DSN_ENV = "SYNCFORM_STATE_DSN"


def use_postgres_state(root: Path, schema: str) -> None:
    config = json.loads((root / "syncform.yaml").read_text())
    config["state"] = {"backend": "postgres", "dsn": "${env:SYNCFORM_STATE_DSN}", "schema": schema}
    (root / "syncform.yaml").write_text(json.dumps(config, indent=2))


def syncform(root: Path, environ: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "syncform", *args, str(root / "manifests.yaml"),
               "--config", str(root / "syncform.yaml")]  # fmt: skip
    return subprocess.Popen(command, cwd=root, env=environ, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def second_apply_at_first_write(
    app: EmulatorApp, root: Path, environ: dict[str, str], outcome: list[tuple[int, str]]
) -> None:
    """At the first mutating request (the first apply holds the lock by then), run a second
    apply to its end before that request is answered."""
    original, once = app.handle, threading.Lock()

    def handle(request: EmulatorRequest) -> EmulatorResponse:
        if request.method in MUTATING and once.acquire(blocking=False):
            second = syncform(root, environ, "apply", "--auto-approve", "--lock-timeout", "1")
            out, err = second.communicate(timeout=120)
            outcome.append((second.returncode, out + err))
        return original(request)

    app.handle = handle  # type: ignore[method-assign]


def test_two_applies_on_one_shared_state_then_a_fresh_checkout_plans_no_changes(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    spec = StoreSpec("postgres", dsn=postgres_server.dsn(), schema=postgres_server.new_schema())
    environ = {**os.environ, **ENVIRON, DSN_ENV: spec.dsn}
    root, fresh = tmp_path / "runner-1", tmp_path / "runner-2"
    root.mkdir()
    app = make_app()
    try:
        with running_server(app) as base_url:
            write_project(root, base_url, manifests())
            use_postgres_state(root, spec.schema)
            second: list[tuple[int, str]] = []
            second_apply_at_first_write(app, root, environ, second)
            first = syncform(root, environ, "apply", "--auto-approve")
            out, err = first.communicate(timeout=180)
            del app.handle  # the class's own handler again
            assert first.returncode == 0, out + err
            assert "Apply complete! Resources: 5 applied, 0 failed" in out

            [(code, message)] = second
            assert code == 1, message
            assert f"state is locked by syncform apply (pid {first.pid} on host " in message
            assert "PostgreSQL state (schema " in message and "--lock-timeout" in message
            assert spec.dsn not in message

            fresh.mkdir()
            for name in ("manifests.yaml", "syncform.yaml"):
                shutil.copy(root / name, fresh / name)
            shutil.copytree(root / "tokens", fresh / "tokens")
            plan = syncform(fresh, environ, "plan", "--detailed-exitcode")
            out, err = plan.communicate(timeout=120)
        assert plan.returncode == 0, out + err
        assert "No changes." in out
        assert not (fresh / ".syncform").exists() and not (root / ".syncform").exists()
        store = open_postgres_state(spec.dsn, spec.schema)
        assert len(store.all()) == 5
        entries = journal.entries(store)
        assert len(entries) == len(mutating_requests(app))
        assert all(entry.outcome == journal.OUTCOME_OK for entry in entries)
    finally:
        spec.drop()


def test_postgres_state_needs_the_state_key_in_the_environment(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    spec = StoreSpec("postgres", dsn=postgres_server.dsn(), schema=postgres_server.new_schema())
    environ = {**os.environ, **ENVIRON, DSN_ENV: spec.dsn}
    del environ["SYNCFORM_STATE_KEY"]
    app = make_app()
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, manifests())
        use_postgres_state(tmp_path, spec.schema)
        plan = syncform(tmp_path, environ, "plan")
        out, err = plan.communicate(timeout=120)
    assert plan.returncode == 1, out + err
    assert "PostgreSQL state needs the state key in SYNCFORM_STATE_KEY" in err
    assert not (tmp_path / ".syncform").exists()
