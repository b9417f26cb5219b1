"""Scheduling a plan's requests: prerequisites first, at most `parallelism` at once, in plan order
among the ready ones; the dependents of a failure skipped, however indirectly."""

from __future__ import annotations

import threading
import time
from typing import Any

from syncform.apply.attempt import Outcome
from syncform.apply.executor import ABORT, CONTINUE, Progress, run_plan_requests
from syncform.apply.tasks import Task
from syncform.core.errors import ApplyError
from syncform.engine.plan import Action, Plan, PlannedRequest, ResourceChange

KIND = "TrutoIntegration"


def change(name: str, seqs: tuple[int, ...], depends_on: tuple[str, ...] = ()) -> ResourceChange:
    return ResourceChange(
        f"{KIND}/{name}", KIND, name, "truto", None, (Action.CREATE,), "not_found",
        requests=tuple(PlannedRequest(seq, "POST", f"/x/{seq}") for seq in seqs),
        depends_on=tuple(f"{KIND}/{other}" for other in depends_on),
    )  # fmt: skip


# a (1, 2) <- b (3) <- c (4) <- e (6); d (5) stands alone
CHAIN = Plan(
    (
        change("a", (1, 2)),
        change("b", (3,), ("a",)),
        change("c", (4,), ("b",)),
        change("d", (5,)),
        change("e", (6,), ("c",)),
    )
)


class FakeAttempt:
    """Runs a task by sleeping a moment; fails the named resources; notes what it saw."""

    def __init__(self, failing: tuple[str, ...] = ()) -> None:
        self.failing = {f"{KIND}/{name}" for name in failing}
        self.started: list[int] = []
        self.succeeded: set[int] = set()
        self.early: list[int] = []  # tasks started before a prerequisite succeeded
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def run(self, task: Task) -> Outcome:
        with self.lock:
            if not set(task.waits_for) <= self.succeeded:
                self.early.append(task.seq)
            self.started.append(task.seq)
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(0.002)
        with self.lock:
            self.active -= 1
            if task.address in self.failing:
                raise ApplyError(f"{task.address}: refused")
            self.succeeded.add(task.seq)
        return Outcome.OK

    def shown_path(self, task: Task) -> str:
        return task.request.path


def run(plan: Plan, attempt: FakeAttempt, parallelism: int, on_error: str) -> Progress:
    fake: Any = attempt
    return run_plan_requests(plan, fake, parallelism=parallelism, on_error=on_error)


def test_every_request_runs_after_its_prerequisites() -> None:
    attempt = FakeAttempt()
    progress = run(CHAIN, attempt, 4, ABORT)
    assert progress.done == dict.fromkeys(range(1, 7), Outcome.OK)
    assert attempt.early == [] and progress.finished == 6


def test_a_failure_skips_its_dependents_and_continue_lets_the_rest_go_on() -> None:
    attempt = FakeAttempt(failing=("b",))
    progress = run(CHAIN, attempt, 2, CONTINUE)
    assert progress.done == {1: Outcome.OK, 2: Outcome.OK, 3: Outcome.FAILED,
                             4: Outcome.SKIPPED, 5: Outcome.OK, 6: Outcome.SKIPPED}  # fmt: skip
    assert set(progress.failed) == {f"{KIND}/b"} and progress.finished == 4


def test_abort_starts_nothing_new_after_a_failure() -> None:
    attempt = FakeAttempt(failing=("b",))
    progress = run(CHAIN, attempt, 1, ABORT)
    assert attempt.started == [1, 2, 3]  # plan order among the ready: d (5) comes after b (3)
    assert progress.done == {1: Outcome.OK, 2: Outcome.OK, 3: Outcome.FAILED,
                             4: Outcome.SKIPPED, 6: Outcome.SKIPPED}  # fmt: skip


def test_a_wide_plan_runs_in_plan_order_at_most_parallelism_at_once() -> None:
    wide = Plan(tuple(change(f"r{seq:04d}", (seq,)) for seq in range(1, 301)))
    attempt = FakeAttempt()
    progress = run(wide, attempt, 4, ABORT)
    assert attempt.peak <= 4 and progress.finished == 300
    assert attempt.started[:4] == [1, 2, 3, 4] and sorted(attempt.started) == list(range(1, 301))
