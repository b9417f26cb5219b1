"""syncform apply of a whole estate into an empty tenant, against its network floor.

For each size, the runner builds the realistic estate's manifests (workload.py) and an empty
live tenant: the seed only (Tines teams and stories, the Truto teams and another team's
integration, the Polytomic token), no destination, integration, job or sync, and no state. It
starts `syncform emulator serve` on loopback (a subprocess), then, in the same run:

1. `syncform plan -o json` (not timed, no latency): every resource must be a create; the plan's
   requests and dependency edges give the floor;
2. `syncform apply --auto-approve -o json` as a user runs it (a subprocess), with LATENCY ms
   per vendor request: wall time, CPU time and max RSS of that child (`os.wait4`), and the
   requests it sent, by method, from the emulator's request log;
3. `syncform plan -o json` again (no latency): it must be all no-op (no perpetual diff).

The floor is what the network alone costs at parallelism P (syncform's default, 10) and
latency L, when nothing else takes any time:

    floor = L x (1 + sum over waves w of ceil(requests in w / P) + R)

- 1: the first plan's reads. With no state and nothing live, each kind is one list page, and the
  four pages go side by side: one round of 4 requests.
- Waves: apply sends a resource's requests one after another, and a resource's first request
  only once every resource it depends on (the plan's `depends_on`) is done. So a resource's
  first request is in wave 1 + the wave of the last request of every resource it depends on
  (1 when none), and each further request of it one wave later. The waves go one after
  another, P requests at a time. Here wave 1 holds the POSTs of the Tines destinations, Truto
  integrations and Polytomic syncs, and wave 2 the Truto jobs' POSTs (each job names its
  integration) and the Tines PATCHes of `manual_sync_only` (the create body has no such field,
  so each destination is a POST and then a PATCH).
- R: apply reads every changed object again, to report what did not converge. The least that
  costs is a no-op plan of the estate: workload.py's floor in rounds (the longest list walk at
  the largest page, plus one GET per Polytomic sync, P at a time).

The client-side rate limits are checked too (Tines 5000 per 60 s, Truto 500 per 10 s; apply's
client of each connection starts with a full bucket): when one would hold a vendor's writes
longer than the network floor, that wait is the floor instead. It never binds at 1,000.

Minimal requests = 4 (the first plan's pages) + every request of the plan + workload.py's
minimal requests (the reads after). At 1,000: 4 + 1,250 + 257.

It prints wall / floor, requests / minimal, the requests by method, CPU, max RSS, when the first
and the last write left (seconds after the apply started, from the emulator's log) and the
second plan's summary. No figure is asserted; it exits 1 when the first plan is not all
creates, the apply does not apply and converge everything, a request gets an error status, or
the second plan is not all no-op. `--smoke` runs one tiny size in a few seconds. `--profile`
runs one apply in this process instead, under cProfile, and prints the wall time of each of its
phases and the top functions.

    python benchmarks/apply_at_scale.py [--sizes N ...] [--latency-ms MS] [--smoke] [--json]
    python benchmarks/apply_at_scale.py --profile [--sizes N] [--top K] [--sort tottime]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import math
import os
import pstats
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import plan_at_scale as base
import run as runner
import workload as wl

import syncform.workflows.apply as apply_workflow
from syncform.apply.attempt import Attempt
from syncform.cli import main as syncform_main
from syncform.emulator.seed import build_data

PARALLELISM = runner.PARALLELISM
SMOKE_SIZES = (40,)
DEFAULT_SIZES = (100, 1000)
STORY_SYNC_DELAY = 86_400  # seconds: no Tines story copy during a run (see EmptyTenant)
READS_BEFORE = 4  # one list page per kind on an empty tenant
READ_ROUNDS_BEFORE = 1  # side by side
RATE_LIMITS = {"tines": (5000, 60.0), "truto": (500, 10.0)}  # (burst, per seconds) as the client
VENDOR_OF = {
    "TinesSyncDestination": "tines",
    "TrutoIntegration": "truto",
    "TrutoSyncJob": "truto",
    "PolytomicModelSync": "polytomic",
}


@dataclass
class Floor:
    waves: list[int]  # requests per wave, in order
    latency_ms: int
    parallelism: int
    reads_after_seconds: float
    reads_after_requests: int
    rate_seconds: float = 0.0  # the longest client-side rate-limit wait, if any

    @property
    def rounds(self) -> int:
        return sum(math.ceil(count / self.parallelism) for count in self.waves)

    @property
    def network_seconds(self) -> float:
        latency = self.latency_ms / 1000
        return (READ_ROUNDS_BEFORE + self.rounds) * latency + self.reads_after_seconds

    @property
    def seconds(self) -> float:
        return max(self.network_seconds, self.rate_seconds)

    @property
    def minimum_requests(self) -> int:
        return READS_BEFORE + sum(self.waves) + self.reads_after_requests


@dataclass
class Row:
    size: int
    latency_ms: int
    floor: Floor
    apply: runner.Measured
    methods: dict[str, int]
    statuses: dict[str, int]
    first_write: float | None  # seconds after the apply started
    last_write: float | None
    second_plan: runner.Measured
    second_summary: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.methods.values())


# -- the estate: manifests, and a tenant with the seed only ------------------------------------


def prepare_empty(root: Path, size: int) -> tuple[wl.Workload, Path]:
    """The estate's seed file (JSON, which is YAML), with no live resource, and the Tines
    story sync deferred by a day (see EmptyTenant)."""
    workload = wl.Workload.of(size)
    seed = wl.seed(workload)
    seed["tines"]["sync_delay_seconds"] = STORY_SYNC_DELAY
    build_data(seed)  # the emulator would refuse a bad seed: fail here, with a traceback
    seed_file = root / "seed.json"
    seed_file.write_text(json.dumps(seed))
    return workload, seed_file


class EmptyTenant(runner.Emulator):
    """`syncform emulator serve --seed` (not `--data`): with a data file, the server writes all
    its data back to it, under its lock, every half second (and after each new connection) once
    anything changed, which an apply's writes would trigger all along. A seed is served from
    memory.

    The Tines story sync is deferred by STORY_SYNC_DELAY. syncform creates a destination with a
    POST and then PATCHes `manual_sync_only` (the create body has no such field), so each POST
    starts a sync of its 100 stories, and the emulator makes the 100 copies in the destination
    tenant within the request, under its one lock: at 1,000 resources, 25,000 copies, which
    made the write window about 1.8x longer in one pair of runs. That is the emulator's work,
    not syncform's. Deferred, no copy is made during the run, and the subscriptions show
    `requires_sync` (health, not configuration). The live estates of workload.py (run.py) start
    no sync either: they are created with `manual_sync_only` in the POST body."""

    def __init__(self, seed_file: Path, env: dict[str, str]) -> None:
        super().__init__(seed_file, env, source="--seed")


def plan_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "syncform", "plan", "manifests", "--config", "syncform.yaml",
            "-o", "json", *extra]  # fmt: skip


def apply_command() -> list[str]:
    return [sys.executable, "-m", "syncform", "apply", "manifests", "--config", "syncform.yaml",
            "--auto-approve", "-o", "json"]  # fmt: skip


# -- the floor ---------------------------------------------------------------------------------


def request_waves(plan: Mapping[str, Any]) -> list[int]:
    """Requests per dependency wave. A resource's first request comes one wave after the last
    request of every created resource it depends on (wave 1 when none); each further request of
    the same resource (a Tines create's PATCH of `manual_sync_only`) one wave after the one
    before."""
    changes = {c["address"]: c for c in plan["resource_changes"] if c["requests"]}
    last: dict[str, int] = {}

    def last_wave(address: str, seen: frozenset[str] = frozenset()) -> int:
        if address not in last:
            deps = [d for d in changes[address]["depends_on"] if d in changes and d not in seen]
            first = 1 + max((last_wave(d, seen | {address}) for d in deps), default=0)
            last[address] = first + len(changes[address]["requests"]) - 1
        return last[address]

    counts: Counter[int] = Counter()
    for address, change in changes.items():
        first = last_wave(address) - len(change["requests"]) + 1
        counts.update(range(first, first + len(change["requests"])))
    return [counts[w] for w in range(1, max(counts, default=0) + 1)]


def rate_seconds(plan: Mapping[str, Any]) -> float:
    """The longest a client-side bucket would hold one vendor's writes: the writes beyond its
    burst, at its steady rate."""
    writes = Counter(VENDOR_OF[c["kind"]] for c in plan["resource_changes"] for _ in c["requests"])
    return max(
        max(0.0, (writes[vendor] - burst) * per / burst)
        for vendor, (burst, per) in RATE_LIMITS.items()
    )


def floor_of(plan: Mapping[str, Any], workload: wl.Workload, latency_ms: int) -> Floor:
    return Floor(
        request_waves(plan),
        latency_ms,
        PARALLELISM,
        workload.floor_seconds(latency_ms, PARALLELISM),
        workload.minimum_requests(),
        rate_seconds(plan),
    )


# -- one size ----------------------------------------------------------------------------------


def measure_size(root: Path, size: int, latency_ms: int, env: dict[str, str]) -> Row:
    workload, seed_file = prepare_empty(root, size)
    emulator = EmptyTenant(seed_file, env)
    try:
        project = wl.write_project(root, workload, emulator.base_url)
        return _runs(workload, project, emulator, latency_ms, env)
    finally:
        emulator.close()


def _runs(
    workload: wl.Workload,
    project: Path,
    emulator: runner.Emulator,
    latency_ms: int,
    env: dict[str, str],
) -> Row:
    problems: list[str] = []
    emulator.set_latency(0)
    first = runner.timed_child(plan_command(), env, project)
    plan = _plan_document(first, "first plan", problems)
    if plan is not None:
        summary = plan["summary"]
        if summary.get("create") != workload.total or sum(summary.values()) != workload.total:
            problems.append(f"first plan {summary}, expected {workload.total} create")
    floor = floor_of(plan or {"resource_changes": []}, workload, latency_ms)

    emulator.set_latency(latency_ms)
    emulator.clear_requests()
    started = time.time()
    applied = runner.timed_child(apply_command(), env, project)
    log = emulator.requests()
    problems += _apply_problems(applied, workload)

    emulator.set_latency(0)
    second = runner.timed_child(plan_command(), env, project)
    again = _plan_document(second, "second plan", problems)
    second_summary = again["summary"] if again is not None else {}
    if again is not None and (
        second_summary.get("no_op") != workload.total
        or sum(second_summary.values()) != workload.total
    ):
        problems.append(f"second plan {second_summary}, expected {workload.total} no-op")

    writes = [_seconds_after(entry["time"], started) for entry in log if entry["method"] != "GET"]
    statuses = Counter(str(entry["status"]) for entry in log)
    errors = sum(n for status, n in statuses.items() if int(status) >= 400)
    if errors:
        problems.append(f"{errors} request(s) got an error status: {dict(statuses)}")
    return Row(
        workload.total,
        latency_ms,
        floor,
        applied,
        dict(Counter(entry["method"] for entry in log)),
        dict(statuses),
        min(writes) if writes else None,
        max(writes) if writes else None,
        second,
        second_summary,
        problems,
    )


def _plan_document(
    measured: runner.Measured, label: str, problems: list[str]
) -> dict[str, Any] | None:
    if measured.code != 0:
        problems.append(f"{label} exit {measured.code}: {measured.stderr.strip()[:300]}")
        return None
    document: dict[str, Any] = json.loads(measured.stdout)
    return document


def _apply_problems(applied: runner.Measured, workload: wl.Workload) -> list[str]:
    if applied.code != 0:
        return [f"apply exit {applied.code}: {applied.stdout[:300]} {applied.stderr[-300:]}"]
    result = json.loads(applied.stdout)
    found = []
    if len(result["applied"]) != workload.total:
        found.append(f"apply applied {len(result['applied'])}, expected {workload.total}")
    for key in ("failed", "skipped", "not_started", "unconverged"):
        if result.get(key):
            found.append(f"apply {key}: {json.dumps(result[key])[:300]}")
    return found


def _seconds_after(stamp: str, started: float) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() - started


# -- --profile: one apply in this process ------------------------------------------------------

APPLY_PHASES = (  # (label, function of syncform.workflows.apply wrapped for one apply)
    ("validate", "valid_sources"),
    ("plan", "_plan_to_apply"),
    ("requests", "run_plan_requests"),
    ("verify", "_unconverged"),
)


def profile_apply(size: int, latency_ms: int, top: int, sort: str) -> int:
    """One apply of an empty tenant in this process, the emulator in its own: the wall time of
    each phase, then cProfile's top functions (the main thread and every request thread,
    merged: request threads overlap, so their times add up to more than the wall)."""
    os.environ.update(base.ENVIRON)
    with tempfile.TemporaryDirectory(prefix="syncform-apply-profile-") as temporary:
        root = Path(temporary)
        workload, seed_file = prepare_empty(root, size)
        emulator = EmptyTenant(seed_file, dict(os.environ))
        try:
            project = wl.write_project(root, workload, emulator.base_url)
            emulator.set_latency(latency_ms)
            phases, stats, code = _profiled_apply(project)
        finally:
            emulator.close()
    total = phases.pop("total")
    print(f"apply of {workload.total} creates, {latency_ms} ms per request, in-process: "
          f"{total:.2f} s wall (exit {code})")  # fmt: skip
    for label, seconds in phases.items():
        print(f"  {label:<10} {seconds:7.2f} s  {seconds / total:4.0%}")
    print(f"  {'other':<10} {total - sum(phases.values()):7.2f} s")
    stats.sort_stats(sort).print_stats(top)
    return code


def _profiled_apply(project: Path) -> tuple[dict[str, float], pstats.Stats, int]:
    spent: dict[str, float] = {}
    threads: list[cProfile.Profile] = []
    lock = threading.Lock()
    originals = {name: getattr(apply_workflow, name) for _, name in APPLY_PHASES}
    original_run = Attempt.run

    def timed(label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        return wrapper

    def profiled_run(self: Attempt, task: Any) -> Any:
        profiler = cProfile.Profile()
        try:
            return profiler.runcall(original_run, self, task)
        finally:
            with lock:
                threads.append(profiler)

    command = ["apply", "manifests", "--config", "syncform.yaml", "--auto-approve", "-o", "json"]
    previous = Path.cwd()
    main = cProfile.Profile()
    os.chdir(project)
    try:
        for label, name in APPLY_PHASES:
            setattr(apply_workflow, name, timed(label, originals[name]))
        Attempt.run = profiled_run  # type: ignore[method-assign]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            started = time.perf_counter()
            main.enable()
            code = syncform_main(command)
            main.disable()
            spent["total"] = time.perf_counter() - started
    finally:
        os.chdir(previous)
        for name, function in originals.items():
            setattr(apply_workflow, name, function)
        Attempt.run = original_run  # type: ignore[method-assign]
    stats = pstats.Stats(main)
    for profiler in threads:
        stats.add(profiler)
    return spent, stats, code


# -- reporting ----------------------------------------------------------------------------------

COLUMNS = (
    "resources",
    "apply wall",
    "floor",
    "wall / floor",
    "requests / minimal",
    "by method",
    "apply CPU",
    "max RSS",
    "first / last write",
    "second plan",
)


def table(rows: Sequence[Row]) -> str:
    return runner.markdown_table(COLUMNS, [_cells(row) for row in rows])


def _cells(row: Row) -> tuple[str, ...]:
    floor = row.floor
    writes = (
        f"{row.first_write:.2f} s / {row.last_write:.2f} s"
        if row.first_write is not None and row.last_write is not None
        else "-"
    )
    return (
        f"{row.size:,}",
        f"{row.apply.wall:.2f} s",
        f"{floor.seconds:.2f} s",
        f"{row.apply.wall / floor.seconds:.1f}x" if floor.seconds else "-",
        f"{row.requests / floor.minimum_requests:.2f}x ({row.requests})",
        ", ".join(f"{n} {method}" for method, n in sorted(row.methods.items())),
        f"{row.apply.cpu:.2f} s",
        f"{row.apply.max_rss_mb:.0f} MB",
        writes,
        _actions(row.second_summary),
    )


def floor_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    for row in rows:
        floor = row.floor
        latency = floor.latency_ms / 1000
        waves = " + ".join(f"ceil({count}/{floor.parallelism})" for count in floor.waves)
        line = (
            f"floor at {row.size:,}: 1 round of reads ({latency:.2f} s) + writes {waves} = "
            f"{floor.rounds} rounds ({floor.rounds * latency:.2f} s) + reads after "
            f"({floor.reads_after_seconds:.2f} s, {floor.reads_after_requests} requests) = "
            f"{floor.network_seconds:.2f} s"
        )
        if floor.rate_seconds > floor.network_seconds:
            line += f"; the client-side rate limit sets it: {floor.rate_seconds:.2f} s"
        lines.append(line)
    return lines


def _actions(summary: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {action}" for action, n in summary.items() if n) or "-"


def report(rows: Sequence[Row], latency_ms: int) -> str:
    parts = [
        f"syncform apply into an empty tenant, {latency_ms} ms per request, parallelism "
        f"{PARALLELISM}; floor = (1 round of reads + sum over dependency waves of "
        "ceil(requests / parallelism) + the no-op plan's rounds of reads) x latency",
        table(rows),
        "",
        *floor_lines(rows),
    ]
    for row in rows:
        parts += [f"PROBLEM at {row.size}: {p}" for p in row.problems]
    return "\n".join(parts)


def _as_json(row: Row) -> dict[str, Any]:
    floor = row.floor
    return {
        "resources": row.size,
        "latency_ms": row.latency_ms,
        "apply_wall": row.apply.wall,
        "apply_cpu": row.apply.cpu,
        "apply_max_rss_mb": row.apply.max_rss_mb,
        "floor": floor.seconds,
        "floor_waves": floor.waves,
        "floor_rounds": floor.rounds,
        "floor_reads_after": floor.reads_after_seconds,
        "floor_rate_limit": floor.rate_seconds,
        "requests": row.requests,
        "minimum_requests": floor.minimum_requests,
        "methods": row.methods,
        "statuses": row.statuses,
        "first_write": row.first_write,
        "last_write": row.last_write,
        "second_plan_wall": row.second_plan.wall,
        "second_plan": row.second_summary,
        "problems": row.problems,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--latency-ms", type=int, default=20, help="per vendor request")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, a few seconds")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one in-process apply (the first size)"
    )
    parser.add_argument("--top", type=int, default=40, help="with --profile: functions shown")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = list(SMOKE_SIZES)
    return args


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.profile:
        return profile_apply(args.sizes[0], args.latency_ms, args.top, args.sort)
    rows = runner.measure_sizes(args.sizes, args.latency_ms, measure_size)
    if args.json:
        print(json.dumps([_as_json(row) for row in rows], indent=2))
    else:
        print(report(rows, args.latency_ms))
    return 1 if any(row.problems for row in rows) else 0


if __name__ == "__main__":
    sys.exit(run())
