"""Projects on disk planned and applied through syncform's own workflows, against an emulator
app served in-process (the `emulator://test/...` connections of `tests.kit.project`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.apply.result import ApplyResult
from syncform.core.address import Address
from syncform.core.errors import ValidationFailed
from syncform.emulator import EmulatorApp
from syncform.engine.plan import Plan
from syncform.session import Runtime, Transports
from syncform.state import open_state
from syncform.workflows.apply import ApplyRequest, apply
from syncform.workflows.plan import PlanRequest, PlanResult, plan
from syncform.workflows.sources import Sources

EMULATOR_NAME = "test"


def emulator_runtime(app: EmulatorApp, environ: Mapping[str, str]) -> Runtime:
    """A runtime whose `emulator://test/...` connections are served by `app` in-process."""
    return Runtime(environ, transports=lambda config: Transports(config, {EMULATOR_NAME: app}))


def approve_everything(_: Plan) -> bool:
    return True


@dataclass(frozen=True)
class Project:
    root: Path
    runtime: Runtime

    @property
    def sources(self) -> Sources:
        return Sources((self.root / "manifests.yaml",), self.root / "syncform.yaml")

    def plan(self) -> PlanResult:
        try:
            return plan(PlanRequest(self.sources), self.runtime)
        except ValidationFailed as exc:
            found = "; ".join(f"{f.location}: {f.rule}: {f.message}" for f in exc.findings)
            raise AssertionError(f"the manifests do not validate: {found}") from None

    def apply(self, expected: Plan | None = None) -> dict[Address, str]:
        """`syncform apply --auto-approve` on the project, which must succeed; `expected` is the
        plan the caller saw (apply plans again and must come to the same requests). Returns
        the remote id of every address in state afterwards."""
        result = self.apply_result()
        if expected is not None:
            assert _requests(result.plan) == _requests(expected), "the plan changed under apply"
        assert result.succeeded, f"apply failed: {result.failed or result.unconverged}"
        return self.state_ids()

    def apply_result(self, **options: Any) -> ApplyResult:
        request = ApplyRequest(self.sources, approve=approve_everything, **options)
        return apply(request, self.runtime)

    def state_ids(self) -> dict[Address, str]:
        records = open_state(self.root / ".syncform" / "state.db").all()
        return {record.address: record.remote_id for record in records}


def _requests(made: Plan) -> list[tuple[int, str, str]]:
    return sorted(
        (request.seq, request.method, change.address)
        for change in made.resource_changes
        for request in change.requests
    )
