"""A real `syncform apply` process killed with SIGKILL at every request of a 20-request apply.

The emulator, serving over real HTTP in this process, kills the apply process the moment it has
committed the Nth mutating request (so the answer never arrives and nothing after it runs). The
next apply must settle what the killed one left: state never lies, every journal entry gets an
outcome, the plan afterwards is empty and no object exists twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from syncform.emulator import EmulatorApp, EmulatorRequest, EmulatorResponse, running_server
from syncform.state import journal, open_state
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import make_app
from tests.kit.project import ENVIRON, write_project
from tests.workflows.test_workflows_apply_faults import (
    REQUESTS_IN_THE_CHANGE,
    after,
    before,
    expected_counts,
    live_counts,
    state_never_lies,
)

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def kill_after_commit(app: EmulatorApp, index: int, process: list[subprocess.Popen[bytes]]) -> None:
    """The `index`-th mutating request is processed, then its sender is killed."""
    original = app.handle
    seen = [0]

    def handle(request: EmulatorRequest) -> EmulatorResponse:
        response = original(request)
        if request.method in MUTATING:
            if seen[0] == index and process:
                os.kill(process[0].pid, signal.SIGKILL)
            seen[0] += 1
        return response

    app.handle = handle  # type: ignore[method-assign]


def apply_process(root: Path) -> subprocess.Popen[bytes]:
    manifests, config = str(root / "manifests.yaml"), str(root / "syncform.yaml")
    command = [sys.executable, "-m", "syncform", "apply", manifests, "--config", config,
               "--auto-approve", "--parallelism", "1"]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=root,
        env={**os.environ, **ENVIRON},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("index", range(REQUESTS_IN_THE_CHANGE))
def test_an_apply_killed_at_any_request_is_settled_by_the_next(tmp_path: Path, index: int) -> None:
    app = make_app()
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, before())
        Project(tmp_path, emulator_runtime(app, ENVIRON)).apply()  # the estate, over HTTP too
        write_project(tmp_path, base_url, after())
        process: list[subprocess.Popen[bytes]] = []
        kill_after_commit(app, index, process)
        process.append(apply_process(tmp_path))
        process[0].communicate(timeout=60)
        assert process[0].returncode == -signal.SIGKILL
        store = open_state(tmp_path / ".syncform" / "state.db")
        assert any(entry.outcome is None for entry in journal.entries(store))
        del app.handle  # the class's own handler again
        rerun = apply_process(tmp_path)
        out, err = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, (out + err).decode()
        state_never_lies(tmp_path, app)
        made = Project(tmp_path, emulator_runtime(app, ENVIRON)).plan().plan
    assert not made.has_changes
    assert live_counts(app) == expected_counts(after())
