"""`plan` starts the reads that state names while it validates the manifests (read_ahead).

They are sent once, taken by the reader instead of being sent again, started before
validation ends, sent again the usual way when they failed, and dropped when the config
changed meanwhile; an invalid estate still fails as before, with nothing but GETs sent.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import syncform.workflows.drift as drift_workflow
import syncform.workflows.plan as plan_workflow
import syncform.workflows.read_ahead as read_ahead_module
from syncform.checks import ValidationReport
from syncform.core.errors import ValidationFailed
from syncform.emulator import EmulatorApp
from syncform.workflows.sources import valid_sources
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import clear_request_log, logged_requests, make_app, mutating_requests
from tests.kit.project import ENVIRON, write_project
from tests.kit.specs import CONTACTS, manifests


@pytest.fixture
def world(tmp_path: Path) -> tuple[Project, EmulatorApp]:
    """Every kit manifest applied and in state; the request log cleared."""
    app = make_app()
    write_project(tmp_path, "emulator://test", manifests())
    project = Project(tmp_path, emulator_runtime(app, ENVIRON))
    project.apply(project.plan().plan)
    clear_request_log(app)
    return project, app


@contextmanager
def without_read_ahead(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    @contextmanager
    def nothing_early(*_: Any, **__: Any) -> Iterator[None]:
        yield None

    with monkeypatch.context() as patched:
        patched.setattr(read_ahead_module, "read_ahead", nothing_early)
        yield


def validating_with(monkeypatch: pytest.MonkeyPatch, before: Callable[[], object]) -> None:
    """Run `before` when plan or drift starts validating."""

    def validate(*args: Any, **kwargs: Any) -> ValidationReport:
        before()
        return valid_sources(*args, **kwargs)

    monkeypatch.setattr(read_ahead_module, "valid_sources", validate)


def test_each_read_is_sent_once_as_without_read_ahead(
    world: tuple[Project, EmulatorApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, app = world
    with without_read_ahead(monkeypatch):
        usual = project.plan().plan
    usual_reads = Counter(logged_requests(app))
    clear_request_log(app)
    early = project.plan().plan
    assert Counter(logged_requests(app)) == usual_reads
    assert early.summary() == usual.summary() == {**early.summary(), "no_op": len(manifests())}
    assert mutating_requests(app) == []


def test_the_reads_are_sent_while_the_manifests_are_validated(
    world: tuple[Project, EmulatorApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, app = world
    with without_read_ahead(monkeypatch):
        project.plan()
    expected = len(logged_requests(app))
    clear_request_log(app)
    seen_while_validating: list[int] = []

    def wait_for_the_reads() -> None:
        deadline = time.monotonic() + 10
        while len(logged_requests(app)) < expected and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_while_validating.append(len(logged_requests(app)))

    validating_with(monkeypatch, wait_for_the_reads)
    project.plan()
    assert seen_while_validating == [expected]
    assert len(logged_requests(app)) == expected


def test_a_failed_early_read_is_sent_again_by_the_reader(
    world: tuple[Project, EmulatorApp],
) -> None:
    project, app = world
    remote_id = project.state_ids()[CONTACTS]
    path = f"/polytomic/api/syncs/{remote_id}"
    app.add_fault({"match": {"method": "GET", "path": path}, "action": "status", "status": 400})
    made = project.plan().plan
    assert made.summary()["no_op"] == len(manifests())
    assert logged_requests(app).count(("GET", path)) == 2


def test_a_config_changed_while_validating_drops_the_early_reads(
    world: tuple[Project, EmulatorApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, app = world
    config = project.root / "syncform.yaml"
    edited = {**json.loads(config.read_text()), "defaults": {"parallelism": 3}}
    validating_with(monkeypatch, lambda: config.write_text(json.dumps(edited)))
    made = project.plan().plan
    assert made.summary()["no_op"] == len(manifests())
    assert mutating_requests(app) == []


def test_an_invalid_estate_still_fails_with_nothing_but_reads_sent(
    world: tuple[Project, EmulatorApp],
) -> None:
    project, app = world
    broken = project.root / "manifests.yaml"
    broken.write_text(broken.read_text() + "\n---\napiVersion: syncform/v1\nkind: Nothing\n")
    with pytest.raises(ValidationFailed):
        plan_workflow.plan(plan_workflow.PlanRequest(project.sources), project.runtime)
    assert mutating_requests(app) == []


def test_drift_reads_early_too_and_sends_each_read_once(
    world: tuple[Project, EmulatorApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, app = world
    request = drift_workflow.DriftRequest(project.sources)
    with without_read_ahead(monkeypatch):
        usual = drift_workflow.drift(request, project.runtime)
    usual_reads = Counter(logged_requests(app))
    clear_request_log(app)
    seen_while_validating: list[int] = []

    def wait_for_a_read() -> None:
        deadline = time.monotonic() + 10
        while not logged_requests(app) and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_while_validating.append(len(logged_requests(app)))

    validating_with(monkeypatch, wait_for_a_read)
    early = drift_workflow.drift(request, project.runtime)
    assert seen_while_validating[0] > 0  # reads were sent before validation ended
    assert Counter(logged_requests(app)) == usual_reads
    assert early.report.counts() == usual.report.counts()
    assert early.report.resources_checked == usual.report.resources_checked == len(manifests())
    assert mutating_requests(app) == []
