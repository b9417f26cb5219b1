"""Benchmark: `syncform plan` of N resources with SQLite state and with PostgreSQL state.

    python benchmarks/state_backends.py [--resources N] [--repeat R] [--dsn DSN] [--json]

It builds the estate of `plan_at_scale.py` (live objects in the emulator, the state of a past
apply in SQLite), copies that state into a PostgreSQL schema with `copy_state` (what `syncform
state copy` runs), then plans the same manifests in-process R times with each backend, in turns,
and reports the median of each and their ratio (PostgreSQL / SQLite). Both plans must be exact.
Without --dsn it starts a throwaway PostgreSQL server on a loopback port (tests/kit/postgres.py:
initdb and pg_ctl must be on the machine). Compare the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import plan_at_scale as bench

from syncform.state import open_postgres_state, open_state
from syncform.workflows.state_admin import copy_state

REPO = Path(__file__).resolve().parents[1]
SCHEMA = "syncform_bench"
DSN_ENV = "SYNCFORM_STATE_DSN"


@contextlib.contextmanager
def postgres_dsn(given: str | None) -> Iterator[str]:
    if given:
        yield given
        return
    sys.path.insert(0, str(REPO))
    from tests.kit.postgres import server_binaries, throwaway_server  # noqa: PLC0415

    binaries = server_binaries()
    if binaries is None:
        raise SystemExit("no PostgreSQL server binaries (pg_ctl, initdb): give --dsn")
    with throwaway_server(binaries) as server:
        yield server.dsn()


def postgres_config(root: Path) -> Path:
    """The project's syncform.yaml with PostgreSQL state instead of its SQLite file."""
    config = bench.config(None, bench.STATE_PATH)
    config["state"] = {"backend": "postgres", "dsn": "${env:" + DSN_ENV + "}", "schema": SCHEMA}
    path = root / "postgres" / "syncform.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2))
    return path


def measure(root: Path, options: argparse.Namespace, dsn: str) -> dict[str, object]:
    world = bench.build_world(
        root, options.resources, argparse.Namespace(latency_ms=0, no_state=False)
    )
    target = open_postgres_state(dsn, SCHEMA)
    copied = copy_state(open_state(world.project / bench.STATE_PATH), target, 30)
    os.environ[DSN_ENV] = dsn
    config = str(postgres_config(root))
    runs: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    problems: list[str] = []
    with bench.in_process(world.app):
        bench.run_plan_cli("warm-up", world.app, world.project, [])
        for _ in range(options.repeat):
            for backend, args in (("sqlite", []), ("postgres", ["--config", config])):
                run = bench.run_plan_cli(backend, world.app, world.project, args)
                runs[backend].append(run.seconds)
                nonzero = {key: count for key, count in run.summary.items() if count}
                if run.exit_code != 0 or nonzero != world.expected_actions():
                    problems.append(f"{backend}: exit {run.exit_code}, plan {run.summary}")
    sqlite, postgres = (statistics.median(runs[name]) for name in ("sqlite", "postgres"))
    return {
        "resources": options.resources,
        "state_resources_copied": copied.resources,
        "repeat": options.repeat,
        "sqlite_seconds": round(sqlite, 3),
        "postgres_seconds": round(postgres, 3),
        "postgres_over_sqlite": round(postgres / sqlite, 3),
        "problems": problems,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000, help="N (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="plans per backend (median)")
    parser.add_argument("--dsn", default=None, help="an empty PostgreSQL database to use")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--smoke", action="store_true", help="N=100, once each: a few seconds")
    args = parser.parse_args(argv)
    if args.smoke:
        args.resources, args.repeat = 100, 1
    return args


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.update(bench.ENVIRON)
    with (
        tempfile.TemporaryDirectory(prefix="syncform-bench-") as temporary,
        postgres_dsn(args.dsn) as dsn,
    ):
        report = measure(Path(temporary), args, dsn)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"plan of {report['resources']} resources, median of {report['repeat']} each:")
        print(f"  SQLite state      {report['sqlite_seconds']:.3f} s")
        print(f"  PostgreSQL state  {report['postgres_seconds']:.3f} s")
        print(f"  PostgreSQL / SQLite  {report['postgres_over_sqlite']:.2f}x")
        for problem in report["problems"]:  # type: ignore[attr-defined]
            print(f"  problem: {problem}")
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(run())
