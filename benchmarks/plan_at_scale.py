"""Benchmark: `syncform plan` on N resources against the emulator, reported as ratios.

    python benchmarks/plan_at_scale.py [--resources N] [--http] [--latency-ms MS] [--json]

It seeds an emulator, creates the live objects through the vendor APIs (so the server quirks
apply), drifts about 10% of them and leaves about 5% missing, writes matching manifests into a
temporary project, then runs `syncform plan` in-process (the CLI's `main`) and reports:

- requests per resource, against the theoretical minimum for the live data;
- the speed-up of `--parallelism 10` over `--parallelism 1`;
- the scaling of plan time from N/10 to N resources (10x is linear);
- time and peak traced memory (tracemalloc) per resource.

It also checks the plan (exact create / update / no-op counts) and the emulator's request log
(GET only, no error status), and exits 1 when either is wrong. Every figure comes from one run
of each configuration: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import math
import os
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncform.cli import main as syncform_main
from syncform.cli import plan_cmd
from syncform.core.address import Address
from syncform.core.records import StateRecord, digest_marker
from syncform.emulator import EmulatorApp, EmulatorRequest, running_server
from syncform.emulator.seed import build_data
from syncform.secrets.digests import STATE_KEY_ENV, SecretHasher
from syncform.session import Transports
from syncform.state import open_state

Obj = dict[str, Any]

EMULATOR = "bench"
TOKENS = {"tines": "bench-tines-token", "truto": "bench-truto-token", "polytomic": "bench-poly"}
DR_KEY = "bench-dr-key"
ENVIRON = {
    "BENCH_TINES_TOKEN": TOKENS["tines"],
    "BENCH_TRUTO_TOKEN": TOKENS["truto"],
    "BENCH_POLYTOMIC_TOKEN": TOKENS["polytomic"],
    "BENCH_DR_KEY": DR_KEY,
    STATE_KEY_ENV: "5e" * 32,  # a fixed state key: digests in state match this run's
}
STATE_PATH = ".syncform/state.db"
MOUNTS = {"tines": "tines/acme", "truto": "truto", "polytomic": "polytomic"}
CONNECTIONS = {"tines": "tines-acme", "truto": "truto", "polytomic": "polytomic"}
POLYTOMIC_VERSION = "2025-09-18"
TRUTO_TEAM = "team-bench"
MODEL = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
SALESFORCE = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
DESTINATION_TEAMS = 25  # Tines destinations per source team
STORIES_PER_TEAM = 4
PAGE_SIZES = {"tines": 500, "truto": 100, "polytomic": 50}  # the largest pages each API serves
PER_FILE = 50  # manifests per file


# -- the shape of the estate ------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How many resources of each kind; which are missing live and which drifted.

    Within each kind, index i is missing when i % 20 == 19 (5%) and drifted when i % 10 == 4
    (10%). A Polytomic sync with i % 10 == 7 runs after sync i - 1 (a reference).
    """

    tines: int
    integrations: int
    jobs: int
    polytomic: int

    @classmethod
    def of(cls, total: int) -> Shape:
        tines, integrations, jobs = round(total * 0.4), round(total * 0.2), round(total * 0.2)
        return cls(tines, integrations, jobs, total - tines - integrations - jobs)

    @property
    def total(self) -> int:
        return self.tines + self.integrations + self.jobs + self.polytomic

    @staticmethod
    def missing(index: int) -> bool:
        return index % 20 == 19

    @staticmethod
    def drifted(index: int) -> bool:
        return index % 10 == 4

    @staticmethod
    def runs_after(index: int) -> bool:
        return index % 10 == 7

    def counts(self) -> list[int]:
        return [self.tines, self.integrations, self.jobs, self.polytomic]

    def expected_actions(self, with_state: bool) -> dict[str, int]:
        """Missing: create. Drifted: update. Without state, every found Tines destination is an
        update too: its API key is write-only, so only a digest in state can tell it is unchanged.
        """
        creates = sum(sum(map(self.missing, range(n))) for n in self.counts())
        updates = sum(
            sum(1 for i in range(n) if self.drifted(i) and not self.missing(i))
            for n in self.counts()
        )
        if not with_state:
            updates += sum(
                1 for i in range(self.tines) if not self.drifted(i) and not self.missing(i)
            )
        return {"create": creates, "update": updates, "no_op": self.total - creates - updates}

    def live(self, count: int) -> int:
        return sum(1 for i in range(count) if not self.missing(i))

    def minimum_requests(self) -> int:
        """One list walk per kind at the largest page size, plus one GET per live Polytomic
        sync (its list items are light)."""

        def pages(items: int, vendor: str) -> int:
            return max(1, math.ceil(items / PAGE_SIZES[vendor]))

        live_polytomic = self.live(self.polytomic)
        return (
            pages(self.live(self.tines), "tines")
            + pages(self.live(self.integrations) + 1, "truto")  # + another team's integration
            + pages(self.live(self.jobs), "truto")
            + pages(live_polytomic, "polytomic")
            + live_polytomic
        )

    def source_teams(self) -> int:
        return max(1, math.ceil(self.tines / DESTINATION_TEAMS))


# -- specs --------------------------------------------------------------------------------------


def source_team(index: int) -> int:
    return 100 + index // DESTINATION_TEAMS


def story_id(team: int, slot: int) -> int:
    return team * 10 + slot


def tines_spec(index: int) -> Obj:
    team = source_team(index)
    return {
        "team_id": team,
        "destination_tenant_url": "https://dr.acme.tines.com",
        "destination_team_id": 500 + index % DESTINATION_TEAMS,
        "destination_tenant_api_key": "${env:BENCH_DR_KEY}",
        "story_ids": [story_id(team, 0), story_id(team, 1), story_id(team, 2 + index % 2)],
        "manual_sync_only": False,
    }


def integration_spec(index: int) -> Obj:
    return {
        "name": f"bench_crm_{index:05d}",
        "category": "crm",
        "is_beta": False,
        "sharing": "deny",
        "config": {
            "label": f"Bench CRM {index}",
            "base_url": f"https://crm{index}.bench.example/api",
            "headers": {"Accept": "application/json"},
            "authorization": {"format": "bearer", "config": {"value": "{{oauth.token.x}}"}},
            "resources": {
                "contacts": {"list": {"method": "get", "path": "/contacts", "response_path": "d"}}
            },
        },
    }


def job_spec(index: int, integration: str) -> Obj:
    return {
        "label": f"Bench job {index:05d}",
        "integration_name": integration,
        "default_runtime_version": 4,
        "args_schema": {
            "integrated_account_id": {
                "type": "string",
                "format": "integrated_account_id",
                "required": True,
            }
        },
        "resources": [
            {"name": "start", "type": "event", "config": {"name": "start"}},
            {
                "name": "contacts",
                "type": "request",
                "resource": "crm/contacts",
                "method": "list",
                "integrated_account_id": "{{args.integrated_account_id}}",
                "depends_on": "start",
            },
        ],
    }


def polytomic_spec(index: int, run_after: str | None) -> Obj:
    spec: Obj = {
        "name": f"Bench sync {index:05d}",
        "mode": "updateOrCreate",
        "active": True,
        "schedule": {"frequency": "daily", "hour": "05", "minute": f"{index % 60:02d}"},
        "identity": {
            "source": {"model_id": MODEL, "field": "email"},
            "target": "Email",
            "function": "Equality",
        },
        "target": {"connection_id": SALESFORCE, "object": "Contact"},
        "fields": [
            {"source": {"model_id": MODEL, "field": "first_name"}, "target": "FirstName"},
            {"source": {"model_id": MODEL, "field": "last_name"}, "target": "LastName"},
            {"source": {"model_id": MODEL, "field": "title"}, "target": "Title"},
        ],
        "filters": [{"field": {"model_id": MODEL, "field": "email"}, "function": "IsNotNull"}],
        "override_fields": [{"target": "LeadSource", "override_value": "Warehouse"}],
    }
    if run_after is not None:
        spec["schedule"] = {"frequency": "runafter", "run_after": {"sync_ids": [run_after]}}
    return spec


def job_integration(shape: Shape, index: int) -> int:
    """Each job names an integration that exists live (found, so its name resolves)."""
    present = present_indices(shape.integrations)
    return present[index % len(present)]


@functools.cache
def present_indices(count: int) -> tuple[int, ...]:
    return tuple(i for i in range(count) if not Shape.missing(i))


KINDS = {  # kind -> (name prefix, connection)
    "TinesSyncDestination": ("dest", "tines-acme"),
    "TrutoIntegration": ("crm", "truto"),
    "TrutoSyncJob": ("job", "truto"),
    "PolytomicModelSync": ("sync", "polytomic"),
}


def name_of(kind: str, index: int) -> str:
    return f"{KINDS[kind][0]}-{index:05d}"


def ref(kind: str, index: int, field_name: str) -> str:
    return f"${{ref:{kind}/{name_of(kind, index)}.{field_name}}}"


def desired_spec(shape: Shape, kind: str, index: int) -> Obj:
    """The manifest's spec: secrets and cross-resource values as references."""
    if kind == "TinesSyncDestination":
        return tines_spec(index)
    if kind == "TrutoIntegration":
        return integration_spec(index)
    if kind == "TrutoSyncJob":
        return job_spec(index, ref("TrutoIntegration", job_integration(shape, index), "name"))
    run_after = ref(kind, index - 1, "id") if shape.runs_after(index) else None
    return polytomic_spec(index, run_after)


# -- the emulator: seed, then live objects through the vendor APIs -----------------------------


def seed(shape: Shape) -> Obj:
    teams = [100 + t for t in range(shape.source_teams())]
    stories = [
        {"id": story_id(t, s), "name": f"Story {t}-{s}", "team_id": t}
        | {"change_control_enabled": True}
        for t in teams
        for s in range(STORIES_PER_TEAM)
    ]
    unlimited = {"requests": 1_000_000, "per_seconds": 1}
    acme = {"url": "https://acme.tines.com", "tokens": [TOKENS["tines"]], "rate_limit": unlimited}
    acme |= {"teams": [{"id": t, "name": f"Team {t}"} for t in teams], "stories": stories}
    dr_teams = [{"id": 500 + d, "name": f"DR {d}"} for d in range(DESTINATION_TEAMS)]
    dr = {"url": "https://dr.acme.tines.com", "tokens": [DR_KEY], "teams": dr_teams}
    shared = {"name": "zendesk", "team_id": "team-other", "sharing": "allow"}
    return {
        "tines": {"tenants": {"acme": acme, "dr": dr}},
        "truto": {
            "tokens": {TOKENS["truto"]: {"environment_id": "env-bench", "team_id": TRUTO_TEAM}},
            "teams": [{"id": TRUTO_TEAM, "name": "Bench"}, {"id": "team-other", "name": "Other"}],
            "rate_limit": unlimited,
            "integrations": [shared | {"config": {"label": "Zendesk"}}],
        },
        "polytomic": {"tokens": [TOKENS["polytomic"]]},
    }


class Vendor:
    """Sends vendor API requests straight to the app's handler (the same code HTTP reaches)
    and remembers what it created: address -> (remote id, body as sent)."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        self.created: dict[str, tuple[str, Obj]] = {}

    def send(self, vendor: str, method: str, path: str, body: Obj) -> Obj:
        headers = {
            "authorization": f"Bearer {TOKENS[vendor]}",
            "content-type": "application/json",
            "x-polytomic-version": POLYTOMIC_VERSION,
        }
        request = EmulatorRequest(
            method, f"/{MOUNTS[vendor]}{path}", headers=headers, body=json.dumps(body).encode()
        )
        response = self.app.handle(request)
        if response.status not in (200, 201):
            raise RuntimeError(f"setup {method} {path}: {response.status} {response.body[:300]!r}")
        payload: Obj = response.json() or {}
        inner: Obj = payload.get("sync_destination") or payload.get("data") or payload
        return inner

    def create(self, kind: str, index: int, vendor: str, path: str, body: Obj) -> str:
        remote_id = str(self.send(vendor, "POST", path, body)["id"])
        self.created[f"{kind}/{name_of(kind, index)}"] = (remote_id, body)
        return remote_id


def create_live(app: EmulatorApp, shape: Shape) -> dict[str, tuple[str, Obj]]:
    """Create every resource that is not missing, as its manifest says, then drift some."""
    vendor = Vendor(app)
    kind = "TinesSyncDestination"
    for i in range(shape.tines):
        if shape.missing(i):
            continue
        body = tines_spec(i) | {"destination_tenant_api_key": DR_KEY}
        remote_id = vendor.create(kind, i, "tines", "/api/v1/admin/sync_destinations", body)
        if shape.drifted(i):  # someone removed a story in the UI
            patch = {"story_ids": body["story_ids"][:2]}
            vendor.send("tines", "PATCH", f"/api/v1/admin/sync_destinations/{remote_id}", patch)
    create_truto(vendor, shape)
    create_polytomic(vendor, shape)
    with app.lock:
        app.clear_request_log_locked()
    return vendor.created


def create_truto(vendor: Vendor, shape: Shape) -> None:
    for i in range(shape.integrations):
        if shape.missing(i):
            continue
        remote_id = vendor.create(
            "TrutoIntegration", i, "truto", "/integration", integration_spec(i)
        )
        if shape.drifted(i):  # relabelled in the UI
            patch = {"config": {"label": f"Renamed {i}"}, "version": 1}
            vendor.send("truto", "PATCH", f"/integration/{remote_id}", patch)
    for i in range(shape.jobs):
        if shape.missing(i):
            continue
        body = job_spec(i, integration_spec(job_integration(shape, i))["name"])
        remote_id = vendor.create("TrutoSyncJob", i, "truto", "/sync-job", body)
        if shape.drifted(i):  # its request node pointed at another resource in the UI
            nodes = [
                node | {"resource": "crm/leads"} if "resource" in node else node
                for node in body["resources"]
            ]
            vendor.send("truto", "PATCH", f"/sync-job/{remote_id}", {"resources": nodes})


def create_polytomic(vendor: Vendor, shape: Shape) -> None:
    kind = "PolytomicModelSync"
    for i in range(shape.polytomic):
        if shape.missing(i):
            continue
        before = f"{kind}/{name_of(kind, i - 1)}"
        run_after = vendor.created[before][0] if shape.runs_after(i) else None
        remote_id = vendor.create(kind, i, "polytomic", "/api/syncs", polytomic_spec(i, run_after))
        if shape.drifted(i):  # paused in the UI
            vendor.send("polytomic", "POST", f"/api/syncs/{remote_id}/activate", {"active": False})


# -- the project: syncform.yaml, manifests and (optionally) the state of a past apply --------


def manifests(shape: Shape) -> dict[str, list[Obj]]:
    """Documents by file stem (kind / part-NNN), PER_FILE per file."""
    files: dict[str, list[Obj]] = {}
    for kind, count in zip(KINDS, shape.counts(), strict=True):
        documents = [document(kind, i, desired_spec(shape, kind, i)) for i in range(count)]
        for start in range(0, count, PER_FILE):
            stem = f"{KINDS[kind][0]}/part-{start // PER_FILE:03d}"
            files[stem] = documents[start : start + PER_FILE]
    return files


def document(kind: str, index: int, spec: Obj) -> Obj:
    metadata = {"name": name_of(kind, index), "connection": KINDS[kind][1]}
    return {"apiVersion": "syncform/v1", "kind": kind, "metadata": metadata, "spec": spec}


def config(base: str | None, state_path: str) -> Obj:
    """syncform.yaml: emulator:// connections (base None) or real URLs under `base`."""
    connections: Obj = {}
    for vendor, name in CONNECTIONS.items():
        url = f"{base}/{MOUNTS[vendor]}" if base else f"emulator://{EMULATOR}/{MOUNTS[vendor]}"
        connections[name] = {"provider": vendor, "url": url}
        if base is not None:
            connections[name]["token"] = f"${{env:BENCH_{vendor.upper()}_TOKEN}}"
    connections["truto"]["team_id"] = TRUTO_TEAM
    connections["polytomic"]["api_version"] = POLYTOMIC_VERSION
    state = {"backend": "sqlite", "path": state_path}
    return {
        "apiVersion": "syncform/v1",
        "kind": "Config",
        "connections": connections,
        "state": state,
    }


def write_project(root: Path, shape: Shape) -> Path:
    """syncform.yaml and manifests/ (JSON, a subset of YAML); returns the project dir.

    The manifests sit in their own folder so that `--config` can name another syncform.yaml
    (the loopback one) without the project's own being read as a manifest."""
    project = root / "project"
    for stem, documents in manifests(shape).items():
        path = project / "manifests" / f"{stem}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n---\n".join(json.dumps(d, indent=2) for d in documents) + "\n")
    (project / "syncform.yaml").write_text(json.dumps(config(None, STATE_PATH), indent=2))
    return project


def write_state(project: Path, created: dict[str, tuple[str, Obj]]) -> None:
    """State as an apply of the manifests would have left it: every live object by id, with
    the API key's keyed digest in the applied spec."""
    hasher = SecretHasher(bytes.fromhex(ENVIRON[STATE_KEY_ENV]))
    store = open_state(project / STATE_PATH)
    with store.transaction():
        for text, (remote_id, body) in created.items():
            address = Address.parse(text)
            applied = dict(body)
            if "destination_tenant_api_key" in applied:
                applied["destination_tenant_api_key"] = digest_marker(hasher.digest(DR_KEY))
            record = StateRecord(address, KINDS[address.kind][1], remote_id, applied)
            store.put(record, found_by="create")


def write_http_config(root: Path, project: Path, base_url: str) -> Path:
    path = root / "http" / "syncform.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    state = str((project / STATE_PATH).resolve())
    path.write_text(json.dumps(config(base_url, state), indent=2))
    return path


# -- running plan -----------------------------------------------------------------------------


@dataclass
class PlanRun:
    label: str
    seconds: float
    exit_code: int
    summary: dict[str, int]
    requests: int
    methods: dict[str, int]
    error_statuses: int
    peak_bytes: int | None = None
    stderr: str = ""


@contextlib.contextmanager
def in_process(app: EmulatorApp) -> Iterator[None]:
    """Serve emulator://bench from `app` while planning: the CLI's Runtime is given, for the
    duration, a transport factory that serves the app (as tests pass theirs)."""
    original = plan_cmd.Runtime

    def transports(config: Any) -> Transports:
        return Transports(config, emulator_apps={EMULATOR: app})

    plan_cmd.Runtime = functools.partial(original, transports=transports)  # type: ignore[misc]
    try:
        yield
    finally:
        plan_cmd.Runtime = original  # type: ignore[misc]


def run_plan_cli(
    label: str, app: EmulatorApp, project: Path, args: Sequence[str], *, trace: bool = False
) -> PlanRun:
    """`syncform plan` on the project's manifests in this process: one timed run, output
    captured. `args` may name another --config (the project's own is the default)."""
    command = ["plan", str(project / "manifests"), "--config", str(project / "syncform.yaml")]
    with app.lock:
        app.clear_request_log_locked()
    out, err = io.StringIO(), io.StringIO()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = syncform_main([*command, *args, "--output", "json"])
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    log = app.request_log()
    summary = json.loads(out.getvalue())["summary"] if code == 0 else {}
    methods = dict(Counter(entry.method for entry in log))
    errors = sum(1 for entry in log if entry.status >= 400)
    return PlanRun(label, seconds, code, summary, len(log), methods, errors, peak, err.getvalue())


@dataclass
class World:
    shape: Shape
    app: EmulatorApp
    project: Path
    with_state: bool

    def expected_actions(self) -> dict[str, int]:
        return self.shape.expected_actions(self.with_state)


def build_world(root: Path, total: int, options: argparse.Namespace) -> World:
    shape = Shape.of(total)
    app = EmulatorApp(build_data(seed(shape)))
    created = create_live(app, shape)
    if options.latency_ms:
        app.add_fault({"match": {"path": "*"}, "action": "latency", "ms": options.latency_ms})
    project = write_project(root, shape)
    if not options.no_state:
        write_state(project, created)
    return World(shape, app, project, not options.no_state)


@dataclass
class Results:
    world: World
    small: World
    setup_seconds: float
    runs: dict[str, PlanRun] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def measure(root: Path, options: argparse.Namespace) -> Results:
    """Every configuration planned once (after one warm-up plan of the small world)."""
    started = time.perf_counter()
    small = build_world(root / "small", options.resources // 10, options)
    world = build_world(root / "large", options.resources, options)
    results = Results(world, small, time.perf_counter() - started)
    runs, app, project = results.runs, world.app, world.project
    with in_process(small.app):
        run_plan_cli("warm-up", small.app, small.project, [])  # imports, schema caches
        runs["small"] = run_plan_cli("small", small.app, small.project, [])
    with in_process(app):
        runs["p10"] = run_plan_cli("p10", app, project, ["--parallelism", "10"])
        runs["p1"] = run_plan_cli("p1", app, project, ["--parallelism", "1"])
        runs["traced"] = run_plan_cli("traced", app, project, [], trace=True)
    if options.http:
        with running_server(app) as base_url:
            config_file = str(write_http_config(root, project, base_url))
            for label, parallelism in (("http_p10", "10"), ("http_p1", "1")):
                args = ["--config", config_file, "--parallelism", parallelism]
                runs[label] = run_plan_cli(label, app, project, args)
    check(results)
    return results


def check(results: Results) -> None:
    """The plans must be exact, and the request logs read-only and error-free."""
    for label, run in results.runs.items():
        world = results.small if label == "small" else results.world
        if run.exit_code != 0:
            first = (run.stderr.strip().splitlines() or [""])[0]
            results.problems.append(f"{label}: exit code {run.exit_code}: {first}")
            continue
        expected = world.expected_actions()
        got = {key: run.summary.get(key, 0) for key in expected}
        others = {k: v for k, v in run.summary.items() if k not in got and v}
        if got != expected or others:
            results.problems.append(f"{label}: plan {run.summary}, expected {expected}")
        mutating = {m: n for m, n in run.methods.items() if m != "GET"}
        if mutating:
            results.problems.append(f"{label}: mutating requests sent: {mutating}")
        if run.error_statuses:
            results.problems.append(f"{label}: {run.error_statuses} request(s) got an error status")


# -- reporting ----------------------------------------------------------------------------------


def figures(results: Results) -> Obj:
    shape, runs = results.world.shape, results.runs
    n, minimum = shape.total, shape.minimum_requests()
    p10, p1, small, traced = runs["p10"], runs["p1"], runs["small"], runs["traced"]
    report: Obj = {
        "resources": n,
        "by_kind": dict(zip(KINDS, shape.counts(), strict=True)),
        "with_state": results.world.with_state,
        "expected_actions": results.world.expected_actions(),
        "plan_summary": p10.summary,
        "requests": p10.requests,
        "minimum_requests": minimum,
        "requests_per_resource": round(p10.requests / n, 3),
        "requests_over_minimum": round(p10.requests / minimum, 3),
        "mutating_requests": sum(v for k, v in p10.methods.items() if k != "GET"),
        "seconds_p10": round(p10.seconds, 3),
        "seconds_p1": round(p1.seconds, 3),
        "speedup_p10_over_p1": round(p1.seconds / p10.seconds, 2),
        "small_resources": results.small.shape.total,
        "seconds_small": round(small.seconds, 3),
        "scaling_n_over_n10": round(p10.seconds / small.seconds, 2),
        "ms_per_resource": round(p10.seconds * 1000 / n, 3),
        "traced_peak_kib_per_resource": round((traced.peak_bytes or 0) / 1024 / n, 1),
        "setup_seconds": round(results.setup_seconds, 2),
        "run_seconds": {label: round(run.seconds, 3) for label, run in runs.items()},
        "problems": results.problems,
    }
    if "http_p10" in runs:
        h10, h1 = runs["http_p10"], runs["http_p1"]
        report |= {
            "http_requests": h10.requests,
            "http_seconds_p10": round(h10.seconds, 3),
            "http_seconds_p1": round(h1.seconds, 3),
            "http_speedup_p10_over_p1": round(h1.seconds / h10.seconds, 2),
            "http_over_in_process": round(h10.seconds / p10.seconds, 2),
        }
    return report


def table(report: Obj, latency_ms: int) -> str:
    n, small = report["resources"], report["small_resources"]
    state = "state of a past apply" if report["with_state"] else "no state (first plan)"
    rows = [
        ("resources", f"{n} {report['by_kind']}, {state}"),
        ("plan", _actions(report["plan_summary"])),
        ("expected", _actions(report["expected_actions"])),
        ("requests / resource", f"{report['requests_per_resource']} ({report['requests']} GETs)"),
        (
            "requests / minimum",
            f"{report['requests_over_minimum']}x ({report['minimum_requests']})",
        ),
        ("mutating requests", str(report["mutating_requests"])),
        ("speed-up p10 / p1", f"{report['speedup_p10_over_p1']}x"),
        (
            f"scaling {small} -> {n}",
            f"{report['scaling_n_over_n10']}x the time for 10x the resources",
        ),
        ("time / resource", f"{report['ms_per_resource']} ms (p10, in-process)"),
        ("peak memory / resource", f"{report['traced_peak_kib_per_resource']} KiB (tracemalloc)"),
    ]
    if "http_seconds_p10" in report:
        rows += [
            ("http speed-up p10 / p1", f"{report['http_speedup_p10_over_p1']}x"),
            ("http / in-process time", f"{report['http_over_in_process']}x"),
        ]
    rows.append(("injected latency", f"{latency_ms} ms per request"))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [f"PROBLEM: {problem}" for problem in report["problems"]]
    return "\n".join(lines)


def _actions(summary: dict[str, int]) -> str:
    return ", ".join(f"{count} {action}" for action, count in summary.items() if count)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000, help="N (default 1000)")
    parser.add_argument("--http", action="store_true", help="also plan over a loopback server")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every vendor request")
    parser.add_argument(
        "--no-state", action="store_true", help="plan with no state: adopt by natural key"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--smoke", action="store_true", help="N=100: a run of a few seconds")
    args = parser.parse_args(argv)
    if args.smoke:
        args.resources = 100
    if args.resources < 100:
        parser.error("--resources must be at least 100 (N/10 is planned too)")
    return args


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.update(ENVIRON)
    with tempfile.TemporaryDirectory(prefix="syncform-bench-") as temporary:
        results = measure(Path(temporary), args)
    report = figures(results)
    print(json.dumps(report, indent=2) if args.json else table(report, args.latency_ms))
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(run())
