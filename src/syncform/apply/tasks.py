"""The plan's requests as tasks, each with the tasks it must wait for.

A request waits for the previous request of its own resource, and for the last earlier request
(by plan `seq`) of every resource it is connected to in the dependency graph, either way round:
creates follow what they depend on, deletes follow what depends on them, exactly as the plan
numbered them. Resources that are not connected run side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from syncform.engine.plan import Plan, PlannedRequest, ResourceChange


@dataclass(frozen=True)
class Task:
    change: ResourceChange
    request: PlannedRequest
    waits_for: tuple[int, ...]  # seq of the tasks that must succeed first

    @property
    def seq(self) -> int:
        return self.request.seq

    @property
    def address(self) -> str:
        return self.change.address


def plan_tasks(plan: Plan) -> list[Task]:
    """Every request of the plan as a task, in `seq` order."""
    neighbours = _neighbours(plan.resource_changes)
    by_address: dict[str, list[PlannedRequest]] = {
        change.address: sorted(change.requests, key=lambda request: request.seq)
        for change in plan.resource_changes
    }
    changes = {change.address: change for change in plan.resource_changes}
    tasks = [
        Task(changes[address], request, _waits_for(address, request, by_address, neighbours))
        for address, requests in by_address.items()
        for request in requests
    ]
    return sorted(tasks, key=lambda task: task.seq)


def _neighbours(changes: Sequence[ResourceChange]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        for target in change.depends_on:
            found[change.address].add(target)
            found[target].add(change.address)
    return found


def _waits_for(
    address: str,
    request: PlannedRequest,
    by_address: Mapping[str, list[PlannedRequest]],
    neighbours: Mapping[str, set[str]],
) -> tuple[int, ...]:
    waits = set()
    for other in {address, *neighbours.get(address, ())}:
        earlier = [r.seq for r in by_address.get(other, []) if r.seq < request.seq]
        if earlier:
            waits.add(max(earlier))
    return tuple(sorted(waits))
