"""Where a plan's memory goes: tracemalloc snapshot when the plan is made, by allocation site.

One in-process `syncform plan` of the realistic estate of workload.py (the emulator serves it
from its own process), with tracemalloc on; when `make_plan` returns, the live allocations are
grouped by the line that made them and the top ones printed, with the peak so far.

    python benchmarks/memory_plan.py [--size N] [--top K] [--smoke]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import plan_at_scale as base
import run as runner

import syncform.workflows.plan as plan_workflow
from syncform.cli import main as syncform_main


def snapshot_at_plan(project: Path) -> tuple[tracemalloc.Snapshot, int]:
    taken: list[tracemalloc.Snapshot] = []
    original = plan_workflow.make_plan

    def make_plan(*args: Any, **kwargs: Any) -> Any:
        made = original(*args, **kwargs)
        taken.append(tracemalloc.take_snapshot())
        return made

    previous = Path.cwd()
    os.chdir(project)
    plan_workflow.make_plan = make_plan
    tracemalloc.start(1)
    try:
        _plan_quietly()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        plan_workflow.make_plan = original
        os.chdir(previous)
    return taken[0], peak


def _plan_quietly(run: Callable[[list[str]], int] = syncform_main) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = run(["plan", "manifests", "--config", "syncform.yaml", "-o", "json"])
    if code != 0:
        raise RuntimeError(f"in-process plan exited {code}")


def report(snapshot: tracemalloc.Snapshot, peak: int, top: int) -> str:
    stats = snapshot.statistics("lineno")
    total = sum(stat.size for stat in stats)
    lines = [f"live at make_plan: {total / 1e6:.1f} MB; peak so far {peak / 1e6:.1f} MB"]
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        lines.append(f"{stat.size / 1e6:8.1f} MB {stat.count:9d} blocks  {where}")
    return "\n".join(lines)


def run(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--smoke", action="store_true", help="a tiny estate, a few seconds")
    args = parser.parse_args(argv)
    size = 40 if args.smoke else args.size
    os.environ.update(base.ENVIRON)
    with tempfile.TemporaryDirectory(prefix="syncform-memory-") as temporary:
        root = Path(temporary)
        with runner.served_estate(root, size, dict(os.environ)) as estate:
            snapshot, peak = snapshot_at_plan(estate.project)
    print(report(snapshot, peak, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(run())
