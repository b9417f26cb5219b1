"""Running a plan's requests: in plan order where resources are connected, side by side where they
are not, each journaled before it is sent and recorded in state as soon as it succeeds.

On a failure: `abort` starts nothing new; `continue` lets unconnected resources go on. A request
whose prerequisite failed or was skipped is skipped, so the dependents of a failed resource never
run. See `syncform.apply.attempt` for what one request does on each kind of answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from syncform.apply.attempt import Attempt, Outcome
from syncform.apply.tasks import Task, plan_tasks
from syncform.core.errors import SyncformError
from syncform.engine.plan import Plan

ABORT = "abort"
CONTINUE = "continue"


@dataclass
class Progress:
    """What happened to each task and resource so far (guarded by one lock)."""

    done: dict[int, Outcome] = field(default_factory=dict)  # seq -> outcome
    failed: dict[str, str] = field(default_factory=dict)  # address -> scrubbed message
    lock: threading.Lock = field(default_factory=threading.Lock)
    report: Callable[[str], None] = lambda line: None
    total: int = 0

    def blocked(self, task: Task) -> bool:
        """A prerequisite failed, or was skipped: the task must never run."""
        return (
            any(self.done.get(seq) in (Outcome.FAILED, Outcome.SKIPPED) for seq in task.waits_for)
            or task.address in self.failed
        )

    def ready(self, task: Task) -> bool:
        return all(self.done.get(seq) is Outcome.OK for seq in task.waits_for)


def run_plan_requests(
    plan: Plan,
    attempt: Attempt,
    *,
    parallelism: int,
    on_error: str,
    report: Callable[[str], None] = lambda line: None,
) -> Progress:
    """Send every request of the plan (see the module docstring); returns what happened.

    `report` gets one line per finished request (the CLI prints them on stderr)."""
    tasks = plan_tasks(plan)
    progress = Progress(report=report, total=len(tasks))
    pending = list(tasks)
    running: dict[Future[Outcome], Task] = {}
    with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="syncform-apply") as pool:
        while pending or running:
            stop_new = on_error == ABORT and bool(progress.failed)
            pending = _skip_blocked(pending, progress)
            if not stop_new:
                for task in _startable(pending, progress, parallelism - len(running)):
                    pending.remove(task)
                    running[pool.submit(attempt.run, task)] = task
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                _settle(running.pop(future), future, progress)
    return progress


def _skip_blocked(pending: Iterable[Task], progress: Progress) -> list[Task]:
    kept = []
    for task in pending:
        if progress.blocked(task):
            progress.done[task.seq] = Outcome.SKIPPED
        else:
            kept.append(task)
    return kept


def _startable(pending: list[Task], progress: Progress, room: int) -> list[Task]:
    return [task for task in pending if progress.ready(task)][: max(room, 0)]


def _settle(task: Task, future: Future[Outcome], progress: Progress) -> None:
    try:
        outcome = future.result()
    except SyncformError as exc:
        outcome = Outcome.FAILED
        progress.failed[task.address] = exc.message
    except Exception as exc:  # a bug: recorded as this resource's failure, never lost
        outcome = Outcome.FAILED
        progress.failed[task.address] = f"internal error: {type(exc).__name__}: {exc}"
    with progress.lock:
        progress.done[task.seq] = outcome
        finished = sum(1 for seen in progress.done.values() if seen is not Outcome.SKIPPED)
    request = task.request
    progress.report(
        f"[{finished}/{progress.total}] {task.address}: {request.method} {request.path}: "
        + (outcome.value if outcome is Outcome.OK else progress.failed.get(task.address, "failed"))
    )
