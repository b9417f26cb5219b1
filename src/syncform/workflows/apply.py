"""`apply`: plan (or read a saved plan and check it is still true), then send its requests.

Under the state writer lock: journal entries an earlier run left without an outcome are settled
(the fresh read of live state found, and will adopt, whatever they created), the requests run
(see `syncform.apply`), state is recorded request by request, and every changed object is read
again and compared with its manifest through the same normalise pair: what did not converge is
reported by field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from syncform.apply.attempt import Attempt
from syncform.apply.executor import ABORT, Progress, run_plan_requests
from syncform.apply.recording import Recorder
from syncform.apply.result import ApplyResult
from syncform.apply.tasks import plan_tasks
from syncform.checks import ValidationReport
from syncform.core.address import Address
from syncform.core.errors import StalePlanError, UsageError
from syncform.core.files import read_regular_file
from syncform.engine.plan import Plan, ResourceChange
from syncform.manifests.config import Config
from syncform.session import Runtime, Session
from syncform.state import journal
from syncform.workflows.plan import PlanRequest, plan, plan_validated
from syncform.workflows.reading import read_everything
from syncform.workflows.sources import (
    Sources,
    manifests_digest,
    valid_sources,
    warn_unmaskable_secrets,
)

DEFAULT_MAX_PLAN_AGE = 24 * 3600.0
MAX_PLAN_FILE_BYTES = 256 * 1024 * 1024  # read at most this much of a saved plan
Approve = Callable[[Plan], bool]


@dataclass(frozen=True)
class ApplyRequest:
    sources: Sources
    approve: Approve  # shown the plan; True to go on (the CLI asks, or --auto-approve)
    plan_file: Path | None = None
    parallelism: int | None = None
    on_error: str = ABORT
    lock_timeout: float = 30.0
    max_plan_age: float = DEFAULT_MAX_PLAN_AGE
    progress: Callable[[str], None] = lambda line: None  # one line per finished request


def apply(request: ApplyRequest, runtime: Runtime) -> ApplyResult:
    """Plan (or check a saved plan) and apply it, all under the state writer lock: a run that
    waited for another apply plans after that one's changes, never before them."""
    report = valid_sources(request.sources, runtime.environ, command="apply")
    warn_unmaskable_secrets(report, runtime.warn)
    session_on = runtime.session(report.config, report.resources)  # secrets registered first
    with session_on as session, _locked(session, "syncform apply", request):
        made = _plan_to_apply(request, runtime, report, session)
        if not made.has_changes and not _records_to_write(made):
            return ApplyResult(made, approved=True)
        if not request.approve(made):
            return ApplyResult(made, approved=False)
        result = _run_locked(made, session, request)
    return replace(result, unconverged=_unconverged(result, request, runtime, report))


def _plan_to_apply(
    request: ApplyRequest, runtime: Runtime, report: ValidationReport, session: Session
) -> Plan:
    if request.plan_file is not None:
        return _saved_plan(request, report, session)
    planning = PlanRequest(request.sources, parallelism=request.parallelism)
    return plan_validated(report, planning, runtime).plan


def run_approved(
    made: Plan,
    config: Config,
    request: ApplyRequest,
    runtime: Runtime,
    holder: str = "syncform apply",
) -> ApplyResult:
    """Send an approved plan's requests under the state writer lock, then verify what changed
    (`drift --remediate` runs its plan through here too)."""
    with runtime.session(config) as session, _locked(session, holder, request):
        result = _run_locked(made, session, request)
    return replace(result, unconverged=_unconverged(result, request, runtime))


def _locked(session: Session, holder: str, request: ApplyRequest) -> AbstractContextManager[None]:
    return session.state().lock(holder, request.lock_timeout)


def _run_locked(made: Plan, session: Session, request: ApplyRequest) -> ApplyResult:
    """The requests of an approved plan, with the writer lock held by the caller."""
    run_id = uuid.uuid4().hex
    _settle_unfinished(session)
    progress = _run(made, session, request, run_id)
    return _result(made, progress, run_id)


def _run(made: Plan, session: Session, request: ApplyRequest, run_id: str) -> Progress:
    store = session.state()
    recorder = Recorder(store, session.hasher(read_only=False), session.environ)
    with session.clients(read_only=False) as pool:
        attempt = Attempt(pool, store, recorder, run_id, session.environ, session.scrubber)
        attempt.last_seq.update(_last_seqs(made))
        parallelism = request.parallelism or session.config.parallelism
        progress = run_plan_requests(
            made,
            attempt,
            parallelism=parallelism,
            on_error=request.on_error,
            report=request.progress,
        )
    _record_unchanged(made, recorder)
    return progress


def _last_seqs(made: Plan) -> dict[str, int]:
    return {
        change.address: max(request.seq for request in change.requests)
        for change in made.resource_changes
        if change.requests
    }


def _records_to_write(made: Plan) -> list[ResourceChange]:
    """No-op resources whose state must be (re)written: adopted ones, and forgotten ones."""
    return [
        change
        for change in made.resource_changes
        if change.summary_key == "forget" or (change.summary_key == "no_op" and change.warnings)
    ]


def _record_unchanged(made: Plan, recorder: Recorder) -> None:
    """Adopted objects get their state record; objects gone outside syncform are forgotten."""
    for change in made.resource_changes:
        if change.summary_key == "forget":
            recorder.removed(change)
        elif change.summary_key == "no_op" and change.remote_id is not None:
            recorder.applied(change, change.remote_id, {})


def _settle_unfinished(session: Session) -> None:
    """The plan just re-read live state: what a killed run created is found (and adopted) by its
    natural key, so every entry it left without an outcome is settled."""
    store = session.state()
    for entry in journal.unfinished(store):
        journal.record_outcome(
            store,
            entry.entry_id,
            journal.OUTCOME_RESOLVED,
            error="settled by a later run that re-read live state",
        )


def _result(made: Plan, progress: Progress, run_id: str) -> ApplyResult:
    tasks = plan_tasks(made)
    by_address: dict[str, list[str]] = {}
    for task in tasks:
        outcome = progress.done.get(task.seq)
        by_address.setdefault(task.address, []).append(outcome.value if outcome else "not_started")
    applied = tuple(a for a, seen in by_address.items() if set(seen) == {"ok"})
    skipped = tuple(a for a, seen in by_address.items()
                    if a not in progress.failed and "skipped" in seen)  # fmt: skip
    not_started = tuple(a for a, seen in by_address.items()
                        if a not in progress.failed and set(seen) == {"not_started"})  # fmt: skip
    return ApplyResult(
        made, True, applied, dict(progress.failed), skipped, not_started, run_id=run_id
    )


def _unconverged(
    result: ApplyResult,
    request: ApplyRequest,
    runtime: Runtime,
    report: ValidationReport | None = None,
) -> dict[str, tuple[str, ...]]:
    """Changed objects read again: whatever still differs from its manifest, by field. With the
    report apply began with, the manifests it applied are compared, not validated again."""
    if not result.applied:
        return {}
    planning = PlanRequest(request.sources, parallelism=request.parallelism)
    if report is None:
        again = plan(planning, runtime).plan
    else:
        again = plan_validated(report, planning, runtime).plan
    applied = set(result.applied)
    return {
        change.address: tuple(field_change.path for field_change in change.changes)
        for change in again.resource_changes
        if change.address in applied and change.summary_key not in ("no_op", "delete", "forget")
    }


# -- saved plans -------------------------------------------------------------------------------


def _saved_plan(request: ApplyRequest, report: ValidationReport, session: Session) -> Plan:
    assert request.plan_file is not None
    try:
        document = json.loads(read_regular_file(request.plan_file, MAX_PLAN_FILE_BYTES))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the plan file {request.plan_file}: {exc}") from None
    saved = Plan.from_dict(document)
    _check_age(saved, request.max_plan_age)
    _check_manifests(saved, report)
    _check_live(saved, request, report, session)
    return saved


def _check_age(saved: Plan, max_age: float) -> None:
    if saved.created_at is None:
        raise StalePlanError("the saved plan does not say when it was made: plan again")
    made_at = datetime.fromisoformat(saved.created_at)
    age = (datetime.now(UTC) - made_at).total_seconds()
    if age > max_age:
        raise StalePlanError(
            f"the saved plan is {age / 3600:.1f} h old, over --max-plan-age "
            f"({max_age / 3600:.1f} h): plan again"
        )


def _check_manifests(saved: Plan, report: ValidationReport) -> None:
    now = manifests_digest(report.manifests.files, report.config.path)
    if now != saved.manifests_digest:
        raise StalePlanError("the manifests or syncform.yaml changed since the plan: plan again")


def _check_live(
    saved: Plan, request: ApplyRequest, report: ValidationReport, session: Session
) -> None:
    """Only the objects the plan changes are read again; any other live change is not ours."""
    touched = {
        Address.parse(change.address)
        for change in saved.resource_changes
        if change.summary_key != "no_op"
    }
    read = read_everything(session, report.resources, request.parallelism, only=touched)
    changed = sorted(
        str(address)
        for address in touched
        if saved.live_fingerprints.get(str(address))
        != (read.live[address].fingerprint if address in read.live else None)
    )
    if changed:
        raise StalePlanError(
            f"changed since the plan: {', '.join(changed)}: plan again to see what changed"
        )
