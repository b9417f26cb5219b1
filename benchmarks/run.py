"""syncform plan on realistic estates, against the network floor and a naive baseline.

For each size, the runner builds the estate of workload.py, starts `syncform emulator serve`
on loopback (a subprocess) with the data, and then, in the same run:

- `syncform plan ... -o json` as a user runs it (a subprocess), with LATENCY ms per request;
- the baseline (baseline.py, a subprocess): one GET per resource by id, 10 in parallel;
- one in-process plan at zero latency with the CPU time of each phase.

It prints a table of ratios: wall / floor, syncform / baseline, requests / minimal, CPU per
phase and max RSS. No figure is asserted; it exits 1 only if a plan is not all no-op or a
request failed. `--smoke` runs one tiny size in a few seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import plan_at_scale as base
import workload as wl
from phases import phase_seconds

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
PARALLELISM = 10  # syncform's default, and the baseline's
SMOKE_SIZES = (40,)
DEFAULT_SIZES = (100, 1000)


@dataclass
class Measured:
    wall: float
    cpu: float
    max_rss_mb: float
    stdout: str
    stderr: str
    code: int


@dataclass
class Row:
    size: int
    latency_ms: int
    floor: float
    minimum: int
    plan: Measured
    plan_requests: int
    baseline: Measured
    baseline_requests: int
    phases: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def timed_child(command: Sequence[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run a child to completion: wall time, its own CPU time and max RSS (wait4, so no other
    child counts), its output."""
    out, err = cwd / "child.out", cwd / "child.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    return Measured(wall, cpu, rss_mb, out.read_text(), err.read_text(), child.returncode)


class Emulator:
    """`syncform emulator serve` on loopback with the estate's data; latency set over the
    control API."""

    def __init__(self, data_file: Path, env: dict[str, str], source: str = "--data") -> None:
        """Served from `data_file`: a data file (`--data`) or a seed (`--seed`)."""
        command = [sys.executable, "-m", "syncform", "emulator", "serve", source, str(data_file)]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        self.control = httpx.Client(base_url=f"{self.base_url}/_emulator", timeout=60)

    def set_latency(self, ms: int) -> None:
        self.control.delete("/faults").raise_for_status()
        if ms:
            rule = {"match": {"path": "*"}, "action": "latency", "ms": ms}
            self.control.post("/faults", json=rule).raise_for_status()

    def clear_requests(self) -> None:
        self.control.delete("/requests").raise_for_status()

    def requests(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.control.get("/requests").json()["requests"]
        return [entry for entry in entries if entry.get("vendor") in base.MOUNTS]

    def close(self) -> None:
        self.control.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def baseline_targets(base_url: str, created: dict[str, tuple[str, Any]]) -> list[dict[str, Any]]:
    paths = {
        "TinesSyncDestination": ("tines", "/api/v1/admin/sync_destinations/"),
        "TrutoIntegration": ("truto", "/integration/"),
        "TrutoSyncJob": ("truto", "/sync-job/"),
        "PolytomicModelSync": ("polytomic", "/api/syncs/"),
    }
    targets = []
    for address, (remote_id, _) in created.items():
        vendor, path = paths[address.split("/")[0]]
        headers = {"Authorization": f"Bearer {base.TOKENS[vendor]}"}
        if vendor == "polytomic":
            headers["X-Polytomic-Version"] = base.POLYTOMIC_VERSION
        targets.append(
            {"url": f"{base_url}/{base.MOUNTS[vendor]}{path}{remote_id}", "headers": headers}
        )
    return targets


def prepare(root: Path, size: int) -> tuple[wl.Workload, Path, dict[str, tuple[str, Any]]]:
    """The estate's emulator data file and the state of a past apply."""
    workload = wl.Workload.of(size)
    app, created = wl.build_app(workload)
    data_file = root / "emulator.json"
    data_file.write_text(json.dumps(app.snapshot()))
    return workload, data_file, created


@dataclass
class ServedEstate:
    workload: wl.Workload
    created: dict[str, tuple[str, Any]]
    emulator: Emulator
    project: Path  # its manifests/, syncform.yaml and the state of a past apply


@contextlib.contextmanager
def served_estate(root: Path, size: int, env: dict[str, str]) -> Iterator[ServedEstate]:
    """The estate of `size` served by `syncform emulator serve`, and its project under `root`."""
    workload, data_file, created = prepare(root, size)
    emulator = Emulator(data_file, env)
    try:
        project = wl.write_project(root, workload, emulator.base_url)
        base.write_state(project, created)
        yield ServedEstate(workload, created, emulator, project)
    finally:
        emulator.close()


def measure_size(root: Path, size: int, latency_ms: int, env: dict[str, str]) -> Row:
    with served_estate(root, size, env) as estate:
        targets = root / "targets.json"
        targets.write_text(json.dumps(baseline_targets(estate.emulator.base_url, estate.created)))
        return _runs(
            root, estate.workload, estate.project, targets, estate.emulator, latency_ms, env
        )


def _runs(
    root: Path,
    workload: wl.Workload,
    project: Path,
    targets: Path,
    emulator: Emulator,
    latency_ms: int,
    env: dict[str, str],
) -> Row:
    emulator.set_latency(0)
    phases = phase_seconds(project)  # in-process, zero latency: CPU by phase
    emulator.set_latency(latency_ms)
    plan_command = [
        sys.executable,
        "-m",
        "syncform",
        "plan",
        "manifests",
        "--config",
        "syncform.yaml",
        "-o",
        "json",
    ]
    emulator.clear_requests()
    plan = timed_child(plan_command, env, project)
    plan_requests = len(emulator.requests())
    emulator.clear_requests()
    baseline = timed_child([sys.executable, str(HERE / "baseline.py"), str(targets)], env, root)
    baseline_requests = len(emulator.requests())
    floor = workload.floor_seconds(latency_ms, PARALLELISM)
    row = Row(
        workload.total,
        latency_ms,
        floor,
        workload.minimum_requests(),
        plan,
        plan_requests,
        baseline,
        baseline_requests,
        phases,
    )
    row.problems = problems(row, workload)
    return row


def problems(row: Row, workload: wl.Workload) -> list[str]:
    found = []
    if row.plan.code != 0:
        found.append(f"plan exit {row.plan.code}: {row.plan.stderr.strip()[:300]}")
    else:
        summary = json.loads(row.plan.stdout)["summary"]
        if summary.get("no_op") != workload.total or sum(summary.values()) != workload.total:
            found.append(f"plan {summary}, expected {workload.total} no-op")
    result = json.loads(row.baseline.stdout or "{}")
    if row.baseline.code != 0 or result.get("errors"):
        found.append(f"baseline exit {row.baseline.code}, {result}: {row.baseline.stderr[:300]}")
    return found


# -- reporting ----------------------------------------------------------------------------------

COLUMNS = (
    "resources",
    "plan wall",
    "wall / floor",
    "syncform / baseline",
    "requests / minimal",
    "plan CPU",
    "max RSS",
    "baseline wall",
    "baseline requests",
)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table: the header, its rule, one line per row of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def table(rows: Sequence[Row]) -> str:
    return markdown_table(COLUMNS, [_cells(row) for row in rows])


def _cells(row: Row) -> tuple[str, ...]:
    return (
        f"{row.size:,}",
        f"{row.plan.wall:.2f} s",
        f"{row.plan.wall / row.floor:.1f}x" if row.floor else "-",
        f"{row.plan.wall / row.baseline.wall:.2f}x",
        f"{row.plan_requests / row.minimum:.2f}x ({row.plan_requests})",
        f"{row.plan.cpu:.2f} s",
        f"{row.plan.max_rss_mb:.0f} MB",
        f"{row.baseline.wall:.2f} s",
        str(row.baseline_requests),
    )


def phase_table(rows: Sequence[Row]) -> str:
    names = list(rows[0].phases) if rows else []
    header = ["resources", *names, "CPU / 1,000 resources"]
    return markdown_table(header, [_phase_cells(row, names) for row in rows])


def _phase_cells(row: Row, names: Sequence[str]) -> list[str]:
    total = sum(row.phases.values())
    spent = [f"{row.phases[n]:.2f} s ({row.phases[n] / total:.0%})" for n in names]
    return [f"{row.size:,}", *spent, f"{total * 1000 / row.size:.2f} s"]


def targets(rows: Sequence[Row]) -> list[str]:
    """One line per target: met or not, with the measured ratio."""
    by_size = {row.size: row for row in rows}
    lines = []
    for row in rows:
        cpu = sum(row.phases.values()) * 1000 / row.size
        lines += [
            _verdict(f"{row.size:,}: at least 2x faster than the baseline",
                     row.plan.wall / row.baseline.wall <= 0.5,
                     f"{row.plan.wall / row.baseline.wall:.2f}x its time"),
            _verdict(f"{row.size:,}: within 3x of the network floor",
                     row.plan.wall <= 3 * row.floor, f"{row.plan.wall / row.floor:.1f}x"),
            _verdict(f"{row.size:,}: the minimal requests", row.plan_requests <= row.minimum,
                     f"{row.plan_requests / row.minimum:.2f}x"),
            _verdict(f"{row.size:,}: CPU at most 1 s per 1,000 resources", cpu <= 1.0,
                     f"{cpu:.2f} s in-process"),
        ]  # fmt: skip
    small, large = by_size.get(1000), by_size.get(10000)
    if small and large:
        ratio = large.plan.wall / small.plan.wall
        lines.append(_verdict("10,000 within 11x of 1,000", ratio <= 11, f"{ratio:.1f}x"))
    if large:
        rss = large.plan.max_rss_mb
        lines.append(_verdict("10,000 under 300 MB", rss < 300, f"{rss:.0f} MB max RSS"))
    return lines


def _verdict(target: str, met: bool, measured: str) -> str:
    return f"- {target}: {'met' if met else 'NOT MET'} ({measured})"


def report(rows: Sequence[Row], latency_ms: int) -> str:
    parts = [
        f"syncform plan, {latency_ms} ms per request, parallelism {PARALLELISM}; "
        "floor = (longest page chain + by-id GETs / parallelism) x latency",
        table(rows),
        "",
        "CPU by phase (in-process, zero latency; the emulator runs in its own process):",
        phase_table(rows),
        "",
        "Issue 12's targets (each from this run; a target needs the sizes it names):",
        *targets(rows),
    ]
    for row in rows:
        parts += [f"PROBLEM at {row.size}: {p}" for p in row.problems]
    return "\n".join(parts)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--latency-ms", type=int, default=20, help="per vendor request")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, a few seconds")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = list(SMOKE_SIZES)
    return args


Measure = Callable[[Path, int, int, dict[str, str]], T]


def measure_sizes(sizes: Sequence[int], latency_ms: int, measure: Measure[T]) -> list[T]:
    """`measure(folder, size, latency_ms, environment)` for each size, each in a fresh
    temporary folder, with the bench's environment (its secrets) set."""
    os.environ.update(base.ENVIRON)
    env = dict(os.environ)
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="syncform-bench-") as temporary:
            rows.append(measure(Path(temporary), size, latency_ms, env))
    return rows


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rows = measure_sizes(args.sizes, args.latency_ms, measure_size)
    if args.json:
        print(json.dumps([_as_json(row) for row in rows], indent=2))
    else:
        print(report(rows, args.latency_ms))
    return 1 if any(row.problems for row in rows) else 0


def _as_json(row: Row) -> dict[str, Any]:
    plan, baseline = row.plan, row.baseline
    return {
        "resources": row.size,
        "latency_ms": row.latency_ms,
        "plan_wall": plan.wall,
        "plan_cpu": plan.cpu,
        "plan_max_rss_mb": plan.max_rss_mb,
        "floor": row.floor,
        "requests": row.plan_requests,
        "minimum_requests": row.minimum,
        "baseline_wall": baseline.wall,
        "baseline_requests": row.baseline_requests,
        "phases": row.phases,
        "problems": row.problems,
    }


if __name__ == "__main__":
    sys.exit(run())
