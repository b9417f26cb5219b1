"""Running a plan's requests: in plan order where resources are connected, side by side where they
are not, each journaled before it is sent and recorded in state as soon as it succeeds.

On a failure: `abort` starts nothing new; `continue` lets unconnected resources go on. A request
whose prerequisite failed or was skipped is skipped, so the dependents of a failed resource never
run. See `syncform.apply.attempt` for what one request does on each kind of answer.
"""

from __future__ import annotations

import heapq
import threading
from collections import defaultdict
from collections.abc import Callable
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
    finished: int = 0  # tasks that ran to an outcome (skipped ones never ran)


class _Waiting:
    """The tasks not started yet, and which of them are ready: every prerequisite succeeded.

    Kept up to date as each task settles, so that finding the next task to start costs the
    same with 10 tasks as with 10,000 (a scan of every waiting task per finished request would
    grow with the square of the plan)."""

    def __init__(self, tasks: list[Task]) -> None:
        self.unmet = {task.seq: len(task.waits_for) for task in tasks}  # prerequisites not OK
        self.dependents: dict[int, list[Task]] = defaultdict(list)
        self.by_address: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            self.by_address[task.address].append(task)
            for seq in task.waits_for:
                self.dependents[seq].append(task)
        self.ready = [(task.seq, task) for task in tasks if not task.waits_for]
        heapq.heapify(self.ready)  # the lowest seq first: plan order among the ready

    def take(self, room: int) -> list[Task]:
        taken: list[Task] = []
        while self.ready and len(taken) < room:
            taken.append(heapq.heappop(self.ready)[1])
        return taken

    def settled(self, task: Task, outcome: Outcome, progress: Progress) -> None:
        """A success may make dependents ready; a failure skips every task that waits for it,
        however indirectly, and the rest of the failed resource's requests."""
        if outcome is Outcome.OK:
            for dependent in self.dependents[task.seq]:
                self.unmet[dependent.seq] -= 1
                if self.unmet[dependent.seq] == 0 and dependent.seq not in progress.done:
                    heapq.heappush(self.ready, (dependent.seq, dependent))
            return
        blocked = [*self.dependents[task.seq], *self.by_address[task.address]]
        while blocked:
            dependent = blocked.pop()
            if dependent.seq in progress.done:
                continue
            progress.done[dependent.seq] = Outcome.SKIPPED
            blocked.extend(self.dependents[dependent.seq])


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
    waiting = _Waiting(tasks)
    running: dict[Future[Outcome], Task] = {}
    with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="syncform-apply") as pool:
        while True:
            if not (on_error == ABORT and progress.failed):
                for task in waiting.take(parallelism - len(running)):
                    running[pool.submit(attempt.run, task)] = task
            if not running:
                break  # what is left waits for a task that failed, or --on-error abort stopped
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                waiting.settled(task, _settle(task, future, progress, attempt), progress)
    return progress


def _settle(task: Task, future: Future[Outcome], progress: Progress, attempt: Attempt) -> Outcome:
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
        progress.finished += 1
        finished = progress.finished
    path = attempt.shown_path(task)
    progress.report(
        f"[{finished}/{progress.total}] {task.address}: {task.request.method} {path}: "
        + (outcome.value if outcome is Outcome.OK else progress.failed.get(task.address, "failed"))
    )
    return outcome
