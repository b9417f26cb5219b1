"""A realistic estate for `run.py`: the four kinds in equal parts, with the bodies users write.

Polytomic syncs map about 50 fields (one in every HEAVY_EVERY maps 2,000); Truto integrations
carry a sizable `config` (RESOURCES_PER_CONFIG resources, each with list and get); Tines
destinations subscribe to about STORIES_PER_DESTINATION stories. The live objects are created
through the vendor APIs (so the server quirks apply) and match the manifests; the state is the
one an apply would have left, so the expected plan is all no-op.

The generators and the project writer of plan_at_scale.py are reused; only the specs differ.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plan_at_scale as base

from syncform.emulator import EmulatorApp
from syncform.emulator.seed import build_data

Obj = dict[str, Any]
FIELDS_PER_SYNC = 50
HEAVY_FIELDS = 2000
HEAVY_EVERY = 200  # one Polytomic sync in 200 (and always the first) maps HEAVY_FIELDS fields
RESOURCES_PER_CONFIG = 20
STORIES_PER_DESTINATION = 100
STORIES_PER_TEAM = STORIES_PER_DESTINATION + 10
KIND_ORDER = tuple(base.KINDS)


@dataclass(frozen=True)
class Workload:
    """`per_kind` resources of each of the four kinds; everything live and unchanged."""

    per_kind: int

    @classmethod
    def of(cls, total: int) -> Workload:
        return cls(max(1, total // 4))

    @property
    def total(self) -> int:
        return 4 * self.per_kind

    def source_teams(self) -> int:
        return max(1, math.ceil(self.per_kind / base.DESTINATION_TEAMS))

    def page_chain(self) -> dict[str, int]:
        """Pages of each list walk at the largest page size (the Truto walk has one integration
        of another team more). Polytomic is not walked: the state names every sync, and its list
        items are light, so each is read by id."""
        n, sizes = self.per_kind, base.PAGE_SIZES
        return {
            "tines": max(1, math.ceil(n / sizes["tines"])),
            "truto_integrations": max(1, math.ceil((n + 1) / sizes["truto"])),
            "truto_jobs": max(1, math.ceil(n / sizes["truto"])),
        }

    def minimum_requests(self) -> int:
        """Every page, plus one GET per Polytomic sync."""
        return sum(self.page_chain().values()) + self.per_kind

    def floor_seconds(self, latency_ms: float, parallelism: int) -> float:
        """The network floor: the longest page chain, plus the by-id GETs spread over the
        parallel connections."""
        chain = max(self.page_chain().values())
        by_id = math.ceil(self.per_kind / parallelism)
        return (chain + by_id) * latency_ms / 1000


def tines_spec(index: int) -> Obj:
    team = base.source_team(index)
    first = index % (STORIES_PER_TEAM - STORIES_PER_DESTINATION)
    stories = [story_id(team, slot) for slot in range(first, first + STORIES_PER_DESTINATION)]
    return base.tines_spec(index) | {"story_ids": stories, "manual_sync_only": True}


def story_id(team: int, slot: int) -> int:
    return team * 1000 + slot


def integration_spec(index: int) -> Obj:
    spec = base.integration_spec(index)
    resources = {
        f"resource_{r:02d}": {
            "list": {"method": "get", "path": f"/v2/resource_{r}", "response_path": "data"},
            "get": {"method": "get", "path": f"/v2/resource_{r}/{{{{id}}}}"},
        }
        for r in range(RESOURCES_PER_CONFIG)
    }
    spec["config"] = spec["config"] | {
        "resources": resources,
        "query": {"per_page": "100", "include": "all"},
        "pagination": {"format": "cursor"},
    }
    return spec


def job_spec(index: int, integration: str) -> Obj:
    return base.job_spec(index, integration)


def polytomic_spec(index: int) -> Obj:
    count = HEAVY_FIELDS if index % HEAVY_EVERY == 0 else FIELDS_PER_SYNC
    fields = [
        {"source": {"model_id": base.MODEL, "field": f"column_{f:04d}"}, "target": f"Field{f:04d}"}
        for f in range(count)
    ]
    return base.polytomic_spec(index, None) | {"fields": fields}


def desired_spec(kind: str, index: int) -> Obj:
    if kind == "TinesSyncDestination":
        return tines_spec(index)
    if kind == "TrutoIntegration":
        return integration_spec(index)
    if kind == "TrutoSyncJob":
        return job_spec(index, base.ref("TrutoIntegration", index, "name"))
    return polytomic_spec(index)


def seed(workload: Workload) -> Obj:
    """The bench seed, with enough stories per source team for STORIES_PER_DESTINATION."""
    data = base.seed(base.Shape(workload.per_kind, 0, 0, 0))
    teams = [100 + t for t in range(workload.source_teams())]
    data["tines"]["tenants"]["acme"]["stories"] = [
        {"id": story_id(t, s), "name": f"Story {t}-{s}", "team_id": t}
        | {"change_control_enabled": True}
        for t in teams
        for s in range(STORIES_PER_TEAM)
    ]
    return data


def create_live(app: EmulatorApp, workload: Workload) -> dict[str, tuple[str, Obj]]:
    """Every resource, live and as its manifest says: address -> (remote id, body sent)."""
    vendor = base.Vendor(app)
    for i in range(workload.per_kind):
        body = tines_spec(i) | {"destination_tenant_api_key": base.DR_KEY}
        vendor.create("TinesSyncDestination", i, "tines", "/api/v1/admin/sync_destinations", body)
        vendor.create("TrutoIntegration", i, "truto", "/integration", integration_spec(i))
        job = job_spec(i, integration_spec(i)["name"])
        vendor.create("TrutoSyncJob", i, "truto", "/sync-job", job)
        vendor.create("PolytomicModelSync", i, "polytomic", "/api/syncs", polytomic_spec(i))
    with app.lock:
        app.clear_request_log_locked()
    return vendor.created


def write_project(root: Path, workload: Workload, base_url: str) -> Path:
    """manifests/ (JSON documents, PER_FILE a file) and a syncform.yaml for `base_url`."""
    project = root / "project"
    for kind in KIND_ORDER:
        documents = [
            base.document(kind, i, desired_spec(kind, i)) for i in range(workload.per_kind)
        ]
        for start in range(0, len(documents), base.PER_FILE):
            path = (
                project
                / "manifests"
                / base.KINDS[kind][0]
                / f"part-{start // base.PER_FILE:03d}.yaml"
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            chunk = documents[start : start + base.PER_FILE]
            path.write_text("\n---\n".join(json.dumps(d, indent=2) for d in chunk) + "\n")
    config = base.config(base_url, str((project / base.STATE_PATH).resolve()))
    (project / "syncform.yaml").write_text(json.dumps(config, indent=2))
    return project


def build_app(workload: Workload) -> tuple[EmulatorApp, dict[str, tuple[str, Obj]]]:
    app = EmulatorApp(build_data(seed(workload)))
    return app, create_live(app, workload)
