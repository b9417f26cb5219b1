"""cProfile of one in-process `syncform plan` of the realistic estate of workload.py.

The emulator serves the estate on loopback in its own process (zero latency), so the profile
holds syncform alone. Prints the top functions by cumulative and by own time.

    python benchmarks/profile_plan.py [--size N] [--top K] [--sort cumulative|tottime]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import plan_at_scale as base
import run as runner

from syncform.cli import main as syncform_main


def profile_plan(project: Path) -> pstats.Stats:
    previous = Path.cwd()
    os.chdir(project)
    profiler = cProfile.Profile()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            profiler.enable()
            code = syncform_main(["plan", "manifests", "--config", "syncform.yaml", "-o", "json"])
            profiler.disable()
    finally:
        os.chdir(previous)
    if code != 0:
        raise RuntimeError(f"in-process plan exited {code}")
    return pstats.Stats(profiler)


def run(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--smoke", action="store_true", help="a tiny estate, a few seconds")
    args = parser.parse_args(argv)
    size = 40 if args.smoke else args.size
    os.environ.update(base.ENVIRON)
    with tempfile.TemporaryDirectory(prefix="syncform-profile-") as temporary:
        root = Path(temporary)
        with runner.served_estate(root, size, dict(os.environ)) as estate:
            stats = profile_plan(estate.project)
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(run())
