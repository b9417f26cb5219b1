"""`plan` as a library call: validate, read live state read-only, resolve, and plan."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from syncform.config import Config
from syncform.emulator import EmulatorApp
from syncform.engine.plan import Plan
from syncform.engine.planner import make_plan
from syncform.http import RequestCounters, RetryPolicy, Scrubber
from syncform.manifests.resource import Resource
from syncform.model import KINDS, Address
from syncform.reading.reader import read_live
from syncform.reading.refresh import read_only_session, state_records
from syncform.reading.state_only import read_state_only
from syncform.schemas.semantics import semantics_for


@dataclass(frozen=True)
class PlanRun:
    plan: Plan
    live_fingerprints: dict[str, str]
    manifests_digest: str
    counters: RequestCounters


def run_plan(
    config: Config,
    resources: Sequence[Resource],
    files: Sequence[Path],
    *,
    environ: Mapping[str, str],
    targets: Sequence[Address] = (),
    parallelism: int | None = None,
    scrubber: Scrubber | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    emulator_apps: Mapping[str, EmulatorApp] | None = None,
) -> PlanRun:
    """Plan with read-only clients: nothing is sent but GET, and nothing is written."""
    state = state_records(config)
    with read_only_session(
        config,
        environ=environ,
        scrubber=scrubber if scrubber is not None else Scrubber(),
        retry=retry,
        sleep=sleep,
        emulator_apps=emulator_apps,
    ) as (resolver, pool):
        report = read_live(
            resources,
            resolver=resolver,
            clients=pool,
            state=state,
            parallelism=parallelism or config.parallelism,
        )
        claimed = {resource.address for resource in resources}
        orphans = [record for address, record in state.items() if address not in claimed]
        live = {**report.live_objects(), **read_state_only(orphans, pool, set(config.connections))}
        counters = pool.counters
    desired = [result.desired for result in report.results]
    rules = {kind: semantics_for(kind) for kind in KINDS}
    plan = make_plan(desired, live, state, rules, targets=targets)
    fingerprints = {str(address): obj.fingerprint for address, obj in sorted(live.items())}
    return PlanRun(plan, fingerprints, manifests_digest(files, config.path), counters)


def manifests_digest(files: Sequence[Path], config_path: Path | None) -> str:
    """sha256 over every manifest file (and the config), by name and content, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted({*files, *([config_path] if config_path else [])}):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()}"
