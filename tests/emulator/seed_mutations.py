"""Seeded random mutations of a seed (wrong types, missing keys, negative numbers), and a walk
over every endpoint of an app built from one."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any

import httpx

from syncform.emulator import EmulatorApp, EmulatorTransport

Path = tuple[str | int, ...]
WRONG_VALUES: tuple[Any, ...] = (
    None,
    "text",
    "",
    -1,
    0,
    1.5,
    True,
    [],
    {},
    [1],
    ["x"],
    {"x": 1},
    10**20,
    "-5",
    "7",
)
KINDS = ("replace", "delete", "negate", "add_key")
POLYTOMIC_VERSIONS = ("2025-09-18", "2024-02-08")


@dataclass(frozen=True)
class Mutation:
    kind: str
    path: Path
    value: Any = None

    def __str__(self) -> str:
        return f"{self.kind} {dotted(self.path)} {self.value!r}"


def dotted(path: Path) -> str:
    """('tines', 'tenants', 'acme', 'teams', 1, 'id') -> tines.tenants.acme.teams[1].id"""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def every_path(value: Any, path: Path = ()) -> list[Path]:
    found: list[Path] = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += every_path(inner, (*path, key))
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            found += every_path(inner, (*path, position))
    return found


def _parent(seed: Any, path: Path) -> Any:
    node = seed
    for step in path[:-1]:
        node = node[step]
    return node


def _node(seed: Any, path: Path) -> Any:
    return _parent(seed, path)[path[-1]] if path else seed


def apply(seed: dict[str, Any], mutation: Mutation) -> None:
    path, value = mutation.path, copy.deepcopy(mutation.value)
    if mutation.kind == "add_key":
        _node(seed, path)[f"unexpected_{value!r}"[:20]] = value
        return
    parent = _parent(seed, path)
    if mutation.kind == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def pick_mutation(seed: dict[str, Any], rng: random.Random) -> Mutation:
    path = rng.choice(every_path(seed)[1:])
    kind = rng.choice(KINDS)
    node = _node(seed, path)
    if kind == "add_key" and isinstance(node, dict):
        return Mutation(kind, path, rng.choice(WRONG_VALUES))
    if kind == "negate" and isinstance(node, int | float) and not isinstance(node, bool):
        return Mutation("replace", path, -abs(node) - 1)
    if kind == "delete":
        return Mutation(kind, path)
    return Mutation("replace", path, rng.choice(WRONG_VALUES))


def mutated(seed: dict[str, Any], case: int) -> tuple[dict[str, Any], list[Mutation]]:
    """The seed after one (mostly) to three mutations chosen by a generator seeded with `case`."""
    rng = random.Random(case)
    result = copy.deepcopy(seed)
    done = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutation = pick_mutation(result, rng)
        apply(result, mutation)
        done.append(mutation)
    return result, done


# ---- every endpoint ----


def _ids(items: Any, key: str = "id") -> list[Any]:
    return [item[key] for item in items or [] if isinstance(item, dict) and key in item][:3]


def _tines_calls(name: str, tenant: dict[str, Any]) -> list[tuple[str, str, Any]]:
    base = f"/tines/{name}/api/v1"
    sd = f"{base}/admin/sync_destinations"
    teams, stories = _ids(tenant.get("teams")), _ids(tenant.get("stories"))
    calls: list[tuple[str, str, Any]] = [
        ("GET", f"{base}/teams", None),
        ("GET", f"{base}/stories?filter=CHANGE_CONTROL_ENABLED&search=a&team_id=7", None),
        ("GET", f"{base}/stories?filter=LOCKED&per_page=500", None),
        ("GET", sd, None),
        *[("GET", f"{base}/teams/{team}", None) for team in teams],
        *[("GET", f"{base}/stories/{story}", None) for story in stories],
    ]
    body = {
        "destination_tenant_url": "https://customer.example.tines.com",
        "destination_tenant_api_key": "cust-key",
        "destination_team_id": 15,
        "team_id": teams[0] if teams else 7,
        "story_ids": stories[:2],
    }
    calls.append(("POST", sd, body))
    for ident in _ids(tenant.get("sync_destinations")):
        calls += [
            ("GET", f"{sd}/{ident}", None),
            ("PATCH", f"{sd}/{ident}", {"manual_sync_only": False, "story_ids": stories[:1]}),
            ("POST", f"{sd}/{ident}/manual_sync", None),
            *[("POST", f"{sd}/{ident}/story/{story}/sync", None) for story in stories[:1]],
            ("DELETE", f"{sd}/{ident}", None),
        ]
    return calls


def _truto_calls(truto: dict[str, Any]) -> list[tuple[str, str, Any]]:
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/truto/integration?limit=100", None),
        ("GET", "/truto/sync-job", None),
        ("POST", "/truto/integration", {"name": "fuzzed", "config": {"label": "F"}}),
        ("POST", "/truto/sync-job", {"integration_name": "", "resources": []}),
    ]
    for integration in (truto.get("integrations") or [])[:3]:
        ident = integration["id"]
        patch = {"version": integration.get("version"), "category": "crm", "config": {"x": None}}
        calls += [
            ("GET", f"/truto/integration/{ident}", None),
            ("PATCH", f"/truto/integration/{ident}", patch),
            ("DELETE", f"/truto/integration/{ident}", None),
        ]
    for ident in _ids(truto.get("sync_jobs")):
        calls += [
            ("GET", f"/truto/sync-job/{ident}", None),
            ("PATCH", f"/truto/sync-job/{ident}", {"label": "renamed"}),
            ("DELETE", f"/truto/sync-job/{ident}", None),
        ]
    return calls


def _polytomic_calls(polytomic: dict[str, Any]) -> list[tuple[str, str, Any]]:
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/polytomic/api/syncs", None),
        ("GET", "/polytomic/api/syncs?limit=1&active=true", None),
        ("GET", "/polytomic/api/syncs/schedules", None),
    ]
    for sync in (polytomic.get("syncs") or [])[:3]:
        ident = sync["id"]
        body = {k: v for k, v in sync.items() if not k.startswith("_") and k != "id"}
        calls += [
            ("GET", f"/polytomic/api/syncs/{ident}", None),
            ("POST", "/polytomic/api/syncs", body),
            ("PUT", f"/polytomic/api/syncs/{ident}", body),
            ("POST", f"/polytomic/api/syncs/{ident}/activate", {"active": True}),
            ("DELETE", f"/polytomic/api/syncs/{ident}", None),
        ]
    return calls


def _headers(data: dict[str, Any], vendor: str, tenant: str = "") -> dict[str, str]:
    section = data.get(vendor) or {}
    if vendor == "tines":
        tokens = list(section["tenants"][tenant].get("tokens") or [])
    else:
        tokens = list(section.get("tokens") or [])
    return {"Authorization": f"Bearer {tokens[0] if tokens else 'none'}"}


def every_endpoint_status(app: EmulatorApp) -> list[tuple[int, str, str]]:
    """(status, method, path) of a call to every endpoint, with the seed's own ids."""
    data = app.snapshot()
    planned: list[tuple[dict[str, str], list[tuple[str, str, Any]]]] = []
    for name, tenant in (data.get("tines") or {}).get("tenants", {}).items():
        planned.append((_headers(data, "tines", name), _tines_calls(name, tenant)))
    planned.append((_headers(data, "truto"), _truto_calls(data.get("truto") or {})))
    polytomic = data.get("polytomic") or {}
    for version in POLYTOMIC_VERSIONS:
        headers = {**_headers(data, "polytomic"), "X-Polytomic-Version": version}
        planned.append((headers, _polytomic_calls(polytomic)))
    controls = ["/_emulator/state", "/_emulator/requests", "/_emulator/faults"]
    planned.append(({}, [("GET", path, None) for path in controls]))
    statuses = []
    with httpx.Client(transport=EmulatorTransport(app), base_url="http://emulator") as client:
        for headers, calls in planned:
            for method, path, body in calls:
                response = client.request(method, path, headers=headers, json=body)
                statuses.append((response.status_code, method, path))
        statuses.append((client.post("/_emulator/reset").status_code, "POST", "/_emulator/reset"))
    return statuses
