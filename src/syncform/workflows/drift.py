"""`drift`: read live state read-only and classify how it differs from the manifests and from what
syncform last applied (see `syncform.engine.drift`); optionally post the report to a webhook and
bring objects changed or deleted outside syncform back to their manifests (`--remediate`).

Without `remediate` nothing is sent but GET (read-only clients raise before any other method).
`connections` limits a run to some connections, so that a large estate can be split into jobs
that share one state: only their manifests and state records are read, only they are searched
for unmanaged objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from syncform import __version__
from syncform.checks import ValidationReport
from syncform.core.address import Address
from syncform.core.errors import ProviderError, UsageError
from syncform.core.resources import Resource
from syncform.engine.drift import (
    DEFAULT_STUCK_AFTER_SECONDS,
    DRIFT_CLASSES,
    DriftReport,
    DriftResult,
    HealthStatus,
    Subject,
    Unclaimed,
    make_report,
)
from syncform.http import RequestCounters
from syncform.http.webhook import post_webhook, split_webhook_url
from syncform.output.drift_json import drift_document
from syncform.output.drift_masking import mask_drift_report, mask_remediation
from syncform.providers.registry import DRIVERS
from syncform.reading.resolve import Resolver
from syncform.reading.unmanaged import find_unclaimed, kinds_of
from syncform.schemas.semantics import semantics_for
from syncform.session import Runtime, Session
from syncform.workflows.apply import ApplyRequest
from syncform.workflows.drift_remediation import remediate
from syncform.workflows.read_ahead import validated_session
from syncform.workflows.reading import LiveRead, read_everything
from syncform.workflows.sources import Sources

Group = tuple[str, str]  # (connection, kind)


@dataclass(frozen=True)
class DriftRequest:
    sources: Sources
    connections: tuple[str, ...] = ()  # empty: every connection
    fail_on: tuple[str, ...] = ()  # unmanaged / unhealthy count as drift too
    notify: str | None = None  # webhook URL (a secret: never shown)
    remediate: bool = False
    parallelism: int | None = None
    stuck_after: float = DEFAULT_STUCK_AFTER_SECONDS  # a sync not done after this is unhealthy
    lock_timeout: float = 30.0  # --remediate takes the state writer lock, as apply does
    notify_timeout: float = 10.0


@dataclass(frozen=True)
class _Scope:
    connections: tuple[str, ...]
    resources: tuple[Resource, ...]
    addresses: frozenset[Address]


def drift(request: DriftRequest, runtime: Runtime) -> DriftResult:
    _check_fail_on(request.fail_on)
    if request.notify is not None:
        split_webhook_url(request.notify, runtime.scrubber)  # refused, or masked from now on
    # Checking some connections only reads some addresses, so it starts no read early.
    with validated_session(
        request.sources,
        runtime,
        request.parallelism,
        command="drift",
        read_early=not request.connections,
    ) as (report, session, ahead):
        scope = _scope(session, report, request.connections)
        read = read_everything(
            session, scope.resources, request.parallelism, scope.addresses, ahead=ahead
        )
        unclaimed, listed = _unclaimed(session, scope, read)
    found = _report(scope, read, unclaimed, request.stuck_after)
    result = DriftResult(
        mask_drift_report(found, runtime.scrubber),
        read.counters + listed,
        datetime.now(UTC).isoformat(timespec="seconds"),
        fail_on=tuple(sorted(set(request.fail_on))),
    )
    if request.remediate:
        options = ApplyRequest(
            request.sources,
            approve=lambda _: True,
            parallelism=request.parallelism,
            lock_timeout=request.lock_timeout,
        )
        done = remediate(found.remediable(), read, report.config, options, runtime)
        result = replace(result, remediation=mask_remediation(done, runtime.scrubber))
    if request.notify is not None:
        result = replace(result, delivery_error=_notify(result, request, runtime))
    return result


def _check_fail_on(fail_on: Sequence[str]) -> None:
    unknown = sorted(set(fail_on) - set(DRIFT_CLASSES))
    if unknown:
        raise UsageError(
            f"--fail-on: unknown class {', '.join(unknown)}; expected {', '.join(DRIFT_CLASSES)}"
        )


# -- what to read --------------------------------------------------------------------------------


def _scope(session: Session, report: ValidationReport, wanted: Sequence[str]) -> _Scope:
    """The connections checked (those a manifest or state record uses, or those asked for), and
    the manifests and state addresses on them."""
    config = session.config
    unknown = sorted(set(wanted) - set(config.connections))
    if unknown:
        raise UsageError(f"--connection: {', '.join(unknown)} not in {config.path}")
    resolver = Resolver(config, environ=session.environ, hasher=session.hasher(read_only=True),
                        scrubber=session.scrubber)  # fmt: skip
    on = {resource.address: resolver.connection_name(resource) for resource in report.resources}
    state = session.state_records()
    used = set(on.values()) | {record.connection for record in state.values()}
    chosen = set(wanted) if wanted else used
    resources = tuple(r for r in report.resources if on[r.address] in chosen)
    addresses = {r.address for r in resources}
    addresses |= {a for a, record in state.items() if record.connection in chosen}
    return _Scope(tuple(sorted(chosen)), resources, frozenset(addresses))


def _unclaimed(
    session: Session, scope: _Scope, read: LiveRead
) -> tuple[list[Unclaimed], RequestCounters]:
    """Live objects on the scope's connections that no manifest or state record claims."""
    claimed: dict[Group, set[str]] = defaultdict(set)
    for address, record in read.state.items():
        claimed[(record.connection, address.kind)].add(record.remote_id)
    for result in read.report.results:
        if result.live is not None:
            claimed[(result.desired.connection, result.address.kind)].add(result.live.remote_id)
    groups = [
        (name, kind)
        for name in scope.connections
        for kind in kinds_of(session.config.connections[name].provider)
    ]
    with session.clients(read_only=True) as pool:
        found = find_unclaimed(pool, groups, claimed, read.report.listings)
        return found, pool.counters


# -- classification ------------------------------------------------------------------------------


def _report(
    scope: _Scope, read: LiveRead, unclaimed: list[Unclaimed], stuck_after: float
) -> DriftReport:
    now = datetime.now(UTC)
    desired = {result.address: result.desired for result in read.report.results}
    subjects = []
    for address in sorted(scope.addresses):
        state, live = read.state.get(address), read.live.get(address)
        health = DRIVERS[address.kind].health_status(live.raw) if live else HealthStatus()
        since = _age(state.updated_at, now) if state else None
        subjects.append(Subject(address, desired.get(address), state, live, health, since))
    rules = {kind: semantics_for(kind) for kind in DRIVERS}
    return make_report(subjects, unclaimed, rules, DRIVERS, connections=scope.connections,
                       stuck_after=stuck_after)  # fmt: skip


def _age(stamp: str, now: datetime) -> float | None:
    """Seconds since a state timestamp (`2026-01-02T03:04:05Z`); None when it cannot be read."""
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max((now - then).total_seconds(), 0.0)


# -- delivery ------------------------------------------------------------------------------------


def _notify(result: DriftResult, request: DriftRequest, runtime: Runtime) -> str | None:
    """Post the JSON report; the scrubbed reason when it could not be delivered."""
    assert request.notify is not None
    document = drift_document(result, tool_version=__version__)
    try:
        post_webhook(request.notify, document, scrubber=runtime.scrubber,
                     timeout=request.notify_timeout)  # fmt: skip
    except ProviderError as exc:
        return runtime.scrubber.scrub(exc.message)
    return None
