"""Drift classes: live state compared three ways, with the manifests and with what was last applied.

Pure: no I/O, clock or environment. The desired and last applied specs go through the driver's
`normalise_desired`, the live spec arrives normalised by reading (the same pair as `plan`), and a
value the API never shows is taken to be what syncform last applied (`fill_unreadable`).

Classes (`DRIFT_CLASSES`):
- `changed_outside`: a managed field differs from what syncform last applied (someone changed it
  in the vendor's UI or API). `before` is the last applied value, `after` the live one. Secrets
  are not compared: a write-only secret cannot be read back, so a rotated one is not seen;
- `pending`: the manifest differs from what was last applied (merged, not applied yet), or is
  not applied at all (not in state), or was removed while its object is still in state.
  `before` is the last applied value, `after` the manifest's;
- `deleted_outside`: in state, gone from the live side;
- `unmanaged`: a live object on a connection syncform manages that neither a manifest nor state
  claims (only objects the connection may adopt: another team's Truto integration is not ours);
- `unhealthy`: the vendor reports a problem with the object (a failed Tines subscription, or
  one stuck syncing past the threshold), whatever its configuration.

`changed_outside`, `deleted_outside` and `pending` are always drift; `unmanaged` and
`unhealthy` are drift only when asked for (`--fail-on`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from syncform.core.address import Address
from syncform.core.records import Desired, LiveObject, StateRecord, is_digest_marker
from syncform.core.resources import Lifecycle
from syncform.engine.diff import diff_spec
from syncform.engine.driver import PlanningDriver
from syncform.engine.plan import FieldChange
from syncform.engine.rules import FieldRules
from syncform.engine.values import fill_unreadable
from syncform.http import RequestCounters

CHANGED_OUTSIDE = "changed_outside"
PENDING = "pending"
DELETED_OUTSIDE = "deleted_outside"
UNMANAGED = "unmanaged"
UNHEALTHY = "unhealthy"
DRIFT_CLASSES = (CHANGED_OUTSIDE, PENDING, DELETED_OUTSIDE, UNMANAGED, UNHEALTHY)
ALWAYS_DRIFT = frozenset({CHANGED_OUTSIDE, DELETED_OUTSIDE, PENDING})
REMEDIABLE = frozenset({CHANGED_OUTSIDE, DELETED_OUTSIDE})

DEFAULT_STUCK_AFTER_SECONDS = 3600.0


@dataclass(frozen=True)
class HealthStatus:
    """What the vendor says of a live object, beyond its configuration.

    `failing`: problems now (a failed Tines subscription, with its error message);
    `settling`: work in progress, a problem only when it lasts (a subscription that has not
    synced yet while syncs are automatic)."""

    failing: tuple[str, ...] = ()
    settling: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subject:
    """Everything known of one address: its manifest, its state record, its live object."""

    address: Address
    desired: Desired | None
    state: StateRecord | None
    live: LiveObject | None
    health: HealthStatus = field(default_factory=HealthStatus)
    since_applied: float | None = None  # seconds since syncform last applied it, if known

    @property
    def connection(self) -> str:
        if self.desired is not None:
            return self.desired.connection
        assert self.state is not None, "a subject is in the manifests or in state"
        return self.state.connection

    @property
    def lifecycle(self) -> Lifecycle:
        if self.desired is not None:
            return self.desired.resource.lifecycle
        return self.state.lifecycle if self.state is not None else Lifecycle()


@dataclass(frozen=True)
class Unclaimed:
    """A live object no manifest and no state record claims."""

    kind: str
    connection: str
    remote_id: str
    label: str  # its natural key, as people know it


@dataclass(frozen=True)
class DriftFinding:
    drift_class: str
    kind: str
    connection: str
    address: str | None  # None for an unmanaged object
    remote_id: str | None
    changes: tuple[FieldChange, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriftReport:
    findings: tuple[DriftFinding, ...]
    connections: tuple[str, ...]  # the connections checked
    resources_checked: int

    def counts(self) -> dict[str, int]:
        found = Counter(finding.drift_class for finding in self.findings)
        return {name: found[name] for name in DRIFT_CLASSES}

    def counts_by_connection(self) -> dict[str, dict[str, int]]:
        table = {name: dict.fromkeys(DRIFT_CLASSES, 0) for name in self.connections}
        for finding in self.findings:
            table.setdefault(finding.connection, dict.fromkeys(DRIFT_CLASSES, 0))
            table[finding.connection][finding.drift_class] += 1
        return dict(sorted(table.items()))

    def has_drift(self, fail_on: Iterable[str] = ()) -> bool:
        counted = ALWAYS_DRIFT | set(fail_on)
        return any(finding.drift_class in counted for finding in self.findings)

    def remediable(self) -> tuple[Address, ...]:
        """Addresses whose manifest can bring them back: changed or deleted outside syncform."""
        return tuple(
            sorted(
                {
                    Address.parse(finding.address)
                    for finding in self.findings
                    if finding.drift_class in REMEDIABLE and finding.address is not None
                }
            )
        )


@dataclass(frozen=True)
class Remediation:
    """What `--remediate` did: the apply of a plan restricted to remediable addresses."""

    applied: tuple[str, ...] = ()
    failed: Mapping[str, str] = field(default_factory=dict)  # address -> scrubbed message
    skipped: tuple[str, ...] = ()  # not sent: what they depend on failed, or abort stopped them
    refused: Mapping[str, str] = field(default_factory=dict)  # address -> why not (a replace)
    unconverged: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return not self.failed and not self.unconverged and not self.skipped


@dataclass(frozen=True)
class DriftResult:
    """A drift run: the report, the options that judge it, what it cost, and what followed."""

    report: DriftReport
    counters: RequestCounters
    checked_at: str  # ISO 8601 UTC
    fail_on: tuple[str, ...] = ()  # unmanaged / unhealthy also count as drift
    remediation: Remediation | None = None  # --remediate
    delivery_error: str | None = None  # --notify failed (scrubbed)

    @property
    def has_drift(self) -> bool:
        return self.report.has_drift(self.fail_on)


def classify(
    subject: Subject, rules: FieldRules, driver: PlanningDriver, stuck_after: float
) -> tuple[DriftFinding, ...]:
    """Every finding of one address, in class order."""
    found = [*_configuration(subject, rules, driver), *_health(subject, stuck_after)]
    return tuple(sorted(found, key=lambda finding: DRIFT_CLASSES.index(finding.drift_class)))


def unmanaged(objects: Iterable[Unclaimed]) -> tuple[DriftFinding, ...]:
    return tuple(
        DriftFinding(UNMANAGED, item.kind, item.connection, None, item.remote_id,
                     notes=(f"not managed by syncform: {item.label}",))
        for item in sorted(objects, key=lambda o: (o.connection, o.kind, o.label, o.remote_id))
    )  # fmt: skip


def make_report(
    subjects: Sequence[Subject],
    unclaimed: Iterable[Unclaimed],
    rules: Mapping[str, FieldRules],
    drivers: Mapping[str, PlanningDriver],
    *,
    connections: Sequence[str],
    stuck_after: float = DEFAULT_STUCK_AFTER_SECONDS,
) -> DriftReport:
    findings: list[DriftFinding] = []
    for subject in sorted(subjects, key=lambda s: s.address):
        kind = subject.address.kind
        findings.extend(classify(subject, rules[kind], drivers[kind], stuck_after))
    findings.extend(unmanaged(unclaimed))
    return DriftReport(tuple(findings), tuple(sorted(connections)), len(subjects))


# -- configuration: changed_outside, pending, deleted_outside -----------------------------------


def _configuration(
    subject: Subject, rules: FieldRules, driver: PlanningDriver
) -> list[DriftFinding]:
    desired, state, live = subject.desired, subject.state, subject.live
    if state is None:
        assert desired is not None
        return [_not_applied(subject, desired, live, rules, driver)]
    if live is None:
        note = f"in state as remote id {state.remote_id}, gone from the live side"
        if desired is None:
            note += "; its manifest was removed too: apply forgets it"
        return [_finding(subject, DELETED_OUTSIDE, notes=(note,))]
    found: list[DriftFinding] = []
    outside = _changed_outside(subject, state, live, rules, driver)
    if outside:
        found.append(_finding(subject, CHANGED_OUTSIDE, outside))
    if desired is None:
        found.append(
            _finding(subject, PENDING, notes=("its manifest was removed: apply deletes it",))
        )
    else:
        pending = _pending(subject, rules, driver)
        if pending:
            found.append(_finding(subject, PENDING, pending))
    return found


def _not_applied(
    subject: Subject,
    desired: Desired,
    live: LiveObject | None,
    rules: FieldRules,
    driver: PlanningDriver,
) -> DriftFinding:
    if live is None:
        return _finding(subject, PENDING, notes=("not created yet: apply creates it",))
    changes = diff_spec(driver.normalise_desired(desired.spec), live.spec, None, rules,
                        subject.lifecycle.ignore_changes)  # fmt: skip
    note = f"not in state yet: apply adopts remote id {live.remote_id}"
    return _finding(subject, PENDING, _swapped(changes), notes=(note,))


def _changed_outside(
    subject: Subject, state: StateRecord, live: LiveObject, rules: FieldRules,
    driver: PlanningDriver,
) -> tuple[FieldChange, ...]:  # fmt: skip
    """What differs between the last applied spec and live, secrets aside (they cannot be read)."""
    last = driver.normalise_desired(state.applied_spec)
    found = fill_unreadable(live.spec, last)
    visible = _without_secrets(last)
    changes = diff_spec(visible, found, None, rules, subject.lifecycle.ignore_changes)
    return _swapped(changes)


def _pending(
    subject: Subject, rules: FieldRules, driver: PlanningDriver
) -> tuple[FieldChange, ...]:
    """What the manifest changes since the last apply (what apply would do, when nothing was
    applied yet: an imported object)."""
    desired, state, live = subject.desired, subject.state, subject.live
    assert desired is not None and state is not None and live is not None
    wanted = driver.normalise_desired(desired.spec)
    ignore = subject.lifecycle.ignore_changes
    if not state.applied_spec:
        found = fill_unreadable(live.spec, None)
        return tuple(diff_spec(wanted, found, None, rules, ignore))
    last = driver.normalise_desired(state.applied_spec)
    return tuple(diff_spec(wanted, last, last, rules, ignore))


def _swapped(changes: Iterable[FieldChange]) -> tuple[FieldChange, ...]:
    """diff_spec's (live before, wanted after) the other way round: the reference value first."""
    return tuple(FieldChange(c.path, c.after, c.before, c.sensitive) for c in changes)


def _without_secrets(value: Any) -> Any:
    """A last applied spec without its secret digests (nothing to compare them with)."""
    if isinstance(value, dict):
        return {
            key: _without_secrets(item) for key, item in value.items() if not is_digest_marker(item)
        }
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value


# -- health ---------------------------------------------------------------------------------------


def _health(subject: Subject, stuck_after: float) -> list[DriftFinding]:
    if subject.live is None:
        return []
    notes = list(subject.health.failing)
    age = subject.since_applied
    if subject.health.settling and age is not None and age >= stuck_after:
        minutes = age / 60
        notes.extend(f"{note} for {minutes:.0f} min since the last apply (stuck)"
                     for note in subject.health.settling)  # fmt: skip
    return [_finding(subject, UNHEALTHY, notes=tuple(notes))] if notes else []


def _finding(
    subject: Subject,
    drift_class: str,
    changes: Sequence[FieldChange] = (),
    notes: tuple[str, ...] = (),
) -> DriftFinding:
    live, state = subject.live, subject.state
    remote_id = live.remote_id if live else (state.remote_id if state else None)
    return DriftFinding(drift_class, subject.address.kind, subject.connection,
                        str(subject.address), remote_id, tuple(changes), notes)  # fmt: skip
