"""CPU time of each phase of one `syncform plan`, in this process (no profiler).

Each phase is a function of syncform wrapped for the duration of one plan; what is not in a
phase (start-up, config, state, rendering) is `other`. Threads count: CPU is process time.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import syncform.checks as checks
import syncform.workflows.plan as plan_workflow
from syncform.cli import main as syncform_main

PHASES = (  # (label, module, function name)
    ("load + schema", checks, "load_manifests"),
    ("semantic checks", checks, "check_resources"),
    ("read", plan_workflow, "read_everything"),
    ("normalise + diff + plan", plan_workflow, "make_plan"),
    ("mask", plan_workflow, "mask_plan"),
)


@contextlib.contextmanager
def timed_phases(spent: dict[str, float]) -> Iterator[None]:
    originals = [(module, name, getattr(module, name)) for _, module, name in PHASES]
    for (label, module, name), (_, _, original) in zip(PHASES, originals, strict=True):
        setattr(module, name, _timed(label, original, spent))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def _timed(label: str, function: Callable[..., Any], spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started

    return wrapper


def phase_seconds(project: Path) -> dict[str, float]:
    """One plan of `project` (its syncform.yaml, its manifests/): CPU seconds by phase."""
    spent = {label: 0.0 for label, _, _ in PHASES}
    previous = Path.cwd()
    os.chdir(project)
    try:
        started = time.process_time()
        with (
            timed_phases(spent),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            code = syncform_main(["plan", "manifests", "--config", "syncform.yaml", "-o", "json"])
        total = time.process_time() - started
    finally:
        os.chdir(previous)
    if code != 0:
        raise RuntimeError(f"in-process plan exited {code}")
    spent["other"] = max(0.0, total - sum(spent.values()))
    return spent
