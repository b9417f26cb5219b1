"""`plan`: validate, read live state read-only, and plan; nothing is sent but GET."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from syncform.checks import ValidationReport
from syncform.core.address import Address
from syncform.core.resources import Resource
from syncform.engine.ordering import closure
from syncform.engine.plan import Plan
from syncform.engine.planner import make_plan
from syncform.http import RequestCounters
from syncform.manifests.dependencies import dependency_map
from syncform.output.masking import mask_plan
from syncform.providers.registry import CATALOG, DRIVERS
from syncform.schemas.semantics import semantics_for
from syncform.session import Runtime, Session
from syncform.workflows.read_ahead import validated_session
from syncform.workflows.reading import LiveRead, ReadAhead, read_everything
from syncform.workflows.sources import Sources, manifests_digest


@dataclass(frozen=True)
class PlanRequest:
    sources: Sources
    targets: tuple[Address, ...] = ()
    parallelism: int | None = None


@dataclass(frozen=True)
class PlanResult:
    plan: Plan  # with the manifests digest and the fingerprint of every live object read
    counters: RequestCounters


def plan(request: PlanRequest, runtime: Runtime) -> PlanResult:
    # A targeted plan reads only some addresses, so it starts no read early.
    with validated_session(
        request.sources,
        runtime,
        request.parallelism,
        command="plan",
        read_early=not request.targets,
    ) as (report, session, ahead):
        read = _read(request, report, session, ahead)
    return _planned(request, report, read, runtime)


def plan_validated(report: ValidationReport, request: PlanRequest, runtime: Runtime) -> PlanResult:
    """`plan` of manifests already validated (`request.sources` is not read again): `apply`
    plans, and verifies what it changed, from the one validation it began with."""
    with runtime.session(report.config, report.resources) as session:
        read = _read(request, report, session, None)
    return _planned(request, report, read, runtime)


def _planned(
    request: PlanRequest, report: ValidationReport, read: LiveRead, runtime: Runtime
) -> PlanResult:
    desired = [result.desired for result in read.report.results]
    rules = {kind: semantics_for(kind) for kind in DRIVERS}
    made = make_plan(desired, read.live, read.state, rules, DRIVERS, targets=request.targets)
    fingerprints = {str(address): obj.fingerprint for address, obj in sorted(read.live.items())}
    digest = manifests_digest(report.manifests.files, report.config.path)
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    stamped = replace(
        made, manifests_digest=digest, live_fingerprints=fingerprints, created_at=created_at
    )
    # Masked value by value before any renderer shortens or prints it (see output.masking).
    return PlanResult(mask_plan(stamped, runtime.scrubber), read.counters)


def _read(
    request: PlanRequest, report: ValidationReport, session: Session, ahead: ReadAhead | None
) -> LiveRead:
    only = _targeted(request.targets, report.resources) if request.targets else None
    return read_everything(session, report.resources, request.parallelism, only, ahead=ahead)


def _targeted(targets: Sequence[Address], resources: Sequence[Resource]) -> set[Address]:
    """The targets and every manifest resource they depend on, transitively."""
    edges = dependency_map(resources, CATALOG)
    selected = closure(targets, {address: frozenset(found) for address, found in edges.items()})
    return selected | set(targets)  # a target only in state is read too
