"""`drift --remediate`: objects changed or deleted outside syncform brought back to their manifests.

The plan is made from the drift run's own read, restricted to those addresses (their manifests,
their state records): updates and creates only. Nothing is ever deleted: a change that needs a
replace (or any delete) is refused and left to a reviewed `apply`. The requests go through the
same executor, journal, state lock and verification as `apply` (`run_approved`).
"""

from __future__ import annotations

from collections.abc import Collection

from syncform.core.address import Address
from syncform.engine.drift import Remediation
from syncform.engine.plan import Plan
from syncform.engine.planner import make_plan
from syncform.manifests.config import Config
from syncform.output.masking import mask_plan
from syncform.providers.registry import DRIVERS
from syncform.schemas.semantics import semantics_for
from syncform.session import Runtime
from syncform.workflows.apply import ApplyRequest, run_approved
from syncform.workflows.reading import LiveRead

ALLOWED = frozenset({"create", "update", "no_op"})
HOLDER = "syncform drift --remediate"


def remediate(
    addresses: Collection[Address],
    read: LiveRead,
    config: Config,
    options: ApplyRequest,
    runtime: Runtime,
) -> Remediation:
    """Apply the manifests of `addresses` (creates and updates only); what happened."""
    made = _plan(set(addresses), read, set())
    refused = {
        change.address: f"needs a {change.summary_key}, which --remediate never does: run apply"
        for change in made.resource_changes
        if change.summary_key not in ALLOWED
    }
    if refused:
        made = _plan(set(addresses), read, {Address.parse(address) for address in refused})
    if not made.has_changes:
        return Remediation(refused=refused)
    masked = mask_plan(made, runtime.scrubber)
    result = run_approved(masked, config, options, runtime, holder=HOLDER)
    return Remediation(
        applied=result.applied,
        failed=dict(result.failed),
        skipped=tuple(sorted({*result.skipped, *result.not_started})),
        refused=refused,
        unconverged=dict(result.unconverged),
    )


def _plan(addresses: set[Address], read: LiveRead, left_out: set[Address]) -> Plan:
    chosen = addresses - left_out
    desired = [result.desired for result in read.report.results if result.address in chosen]
    state = {address: record for address, record in read.state.items() if address in chosen}
    rules = {kind: semantics_for(kind) for kind in DRIVERS}
    return make_plan(desired, read.live, state, rules, DRIVERS)
