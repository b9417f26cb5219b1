"""No perpetual diffs: create from a generated manifest through the emulator, then plan: empty.

Each kind has a seeded generator that states or omits every optional field, spells out the
server's defaults or leaves them to the server, and shuffles every list. The manifest is planned,
the plan's requests are sent (through syncform's own clients) and state is recorded as apply
records it; the next plan must say `No changes.` for every resource, and read-only.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.emulator import EmulatorApp
from syncform.workflows.refresh import RefreshRequest, refresh
from tests.kit.applying import Project, emulator_runtime
from tests.kit.emulator import clear_request_log, make_app, mutating_requests
from tests.kit.project import ENVIRON, write_project
from tests.kit.seed import (
    EXISTING_POLYTOMIC_SYNC,
    EXISTING_SYNC,
    HUBSPOT,
    MODEL,
    MODEL_B,
    SALESFORCE,
    SEED,
    seed_with,
)

EXAMPLES_PER_KIND = 24
Spec = dict[str, Any]
TRUTO_SECRET = "generated-client-secret"
GENERATED_ENV = {**ENVIRON, "TRUTO_SECRET": TRUTO_SECRET, "POLY_PASSPHRASE": "pass-phrase-1"}


def maybe(rng: random.Random, spec: Spec, key: str, *choices: Any) -> None:
    """Set `key` to one of `choices`, or leave it out (as often as any one choice)."""
    pick = rng.randrange(len(choices) + 1)
    if pick < len(choices):
        spec[key] = choices[pick]


def shuffled(rng: random.Random, items: list[Any]) -> list[Any]:
    copied = list(items)
    rng.shuffle(copied)
    return copied


# ---- TinesSyncDestination ------------------------------------------------------------------


def tines_spec(rng: random.Random, index: int) -> Spec:
    """Destinations of one project differ in their natural key (tenant and destination team)."""
    if index % 3 == 0:
        url = rng.choice(["https://dr.acme.tines.com", "https://DR.acme.tines.com/",
                          "https://dr.acme.tines.com:443"])  # fmt: skip
        spec: Spec = {"destination_tenant_url": url, "destination_team_id": 42}
        spec["destination_tenant_api_key"] = "${env:DR_KEY}"
    else:
        url = rng.choice(["https://acme.tines.com", "https://ACME.tines.com/"])
        spec = {"destination_tenant_url": url, "destination_team_id": 8 + index % 3 - 1}
    stories = rng.sample([9981, 9982, 9983, 9984], rng.randint(1, 4))
    spec.update(team_id=7, story_ids=stories)
    maybe(rng, spec, "manual_sync_only", True, False)
    return spec


# ---- TrutoIntegration ----------------------------------------------------------------------


def truto_integration_spec(rng: random.Random, index: int) -> Spec:
    config: Spec = {"label": f"Generated {index}"}
    maybe(rng, config, "base_url", "https://api.example.com/v2")
    maybe(rng, config, "headers", {"Accept": "application/json", "X-Team": "acme"})
    maybe(rng, config, "query_array_format", "comma", "repeat")
    maybe(rng, config, "authorization", {"format": "bearer", "config": {"value": "{{token}}"}})
    maybe(rng, config, "credentials", _credentials(rng))
    spec: Spec = {"name": f"generated_{index}", "config": config}
    maybe(rng, spec, "category", "crm", "helpdesk")
    maybe(rng, spec, "is_beta", False, True)
    maybe(rng, spec, "sharing", "deny", "allow", "ask")
    return spec


def _credentials(rng: random.Random) -> Spec:
    fields = [
        {"name": "subdomain", "label": "Subdomain", "type": "text", "required": True},
        {"name": "region", "label": "Region", "type": "single_select", "default": "eu"},
    ]
    oauth: Spec = {"format": "oauth2", "config": {"fields": shuffled(rng, fields)}}
    maybe(rng, oauth, "client_id", "generated-client")
    maybe(rng, oauth, "client_secret", "${env:TRUTO_SECRET}")
    return {"oauth2": oauth}


# ---- TrutoSyncJob --------------------------------------------------------------------------


def truto_job_spec(rng: random.Random, index: int) -> Spec:
    version = rng.choice([1, 2, 3, 4])
    spec: Spec = {
        "label": f"Generated job {index}",
        "integration_name": "zendesk",
        "default_runtime_version": version,
        "resources": _v4_nodes(rng) if version == 4 else _legacy_resources(rng),
    }
    if version == 4:
        spec["args_schema"] = {"integrated_account_id": {"type": "string", "required": True}}
    maybe(rng, spec, "mutex_key", None, "{{args.integrated_account_id}}")
    maybe(rng, spec, "state_key", None, "generated")
    return spec


def _legacy_resources(rng: random.Random) -> list[Any]:
    names = rng.sample(["tickets", "users", "groups", "contacts"], rng.randint(1, 4))
    return [{"resource": f"ticketing/{name}", "method": "list"} for name in names]


def _v4_nodes(rng: random.Random) -> list[Any]:
    nodes = [
        {"name": "start", "type": "event", "config": {"name": "start"}},
        {
            "name": "tickets",
            "type": "request",
            "resource": "ticketing/tickets",
            "method": "list",
            "integrated_account_id": "{{args.integrated_account_id}}",
            "depends_on": "start",
        },
        {
            "name": "out",
            "type": "destination",
            "destination_type": "webhook",
            "config": {"id": "hook"},
            "resources_to_persist": shuffled(rng, ["tickets", "users", "groups"]),
            "depends_on": "tickets",
        },
    ]
    return shuffled(rng, nodes)


# ---- PolytomicModelSync --------------------------------------------------------------------


def polytomic_spec(rng: random.Random, index: int) -> Spec:
    mode = rng.choice(["create", "updateOrCreate", "update", "append"])
    spec: Spec = {
        "name": f"Generated sync {index}",
        "mode": mode,
        "schedule": _schedule(rng),
        "target": _target(rng),
        "fields": shuffled(rng, [_field(rng, name) for name in ("first", "last", "title")]),
    }
    if mode in ("updateOrCreate", "update") or rng.random() < 0.3:
        spec["identity"] = _identity(rng)
    maybe(rng, spec, "active", True, False)
    maybe(rng, spec, "override_fields", [], [{"target": "Source", "override_value": "gen"}])
    maybe(rng, spec, "filters", [], shuffled(rng, _filters(rng)))
    maybe(rng, spec, "overrides", [], shuffled(rng, _overrides(rng)))
    for flag in ("only_enrich_updates", "skip_initial_backfill", "sync_all_records"):
        maybe(rng, spec, flag, False)
    maybe(rng, spec, "encryption_passphrase", "${env:POLY_PASSPHRASE}")
    return spec


def _field(rng: random.Random, name: str) -> Spec:
    field: Spec = {"source": {"model_id": MODEL, "field": name}, "target": name.title()}
    maybe(rng, field, "new", False)
    maybe(rng, field, "sync_mode", "updateOrCreate")
    maybe(rng, field, "encryption_enabled", False)
    return field


def _schedule(rng: random.Random) -> Spec:
    choice = rng.randrange(3)
    if choice == 0:
        return {"frequency": "manual"}
    if choice == 1:
        return {"frequency": "daily", "hour": "05", "minute": rng.choice(["00", "30"])}
    return {"frequency": "runafter", "run_after": {"sync_ids": [EXISTING_SYNC]}}


def _target(rng: random.Random) -> Spec:
    target: Spec = {"connection_id": rng.choice([SALESFORCE, HUBSPOT]), "object": "Contact"}
    maybe(rng, target, "configuration", {}, {"batch": 200})
    return target


def _identity(rng: random.Random) -> Spec:
    identity: Spec = {
        "source": {"model_id": MODEL, "field": "email"},
        "target": "Email",
        "function": "Equality",
    }
    maybe(rng, identity, "new_field", False)
    return identity


def _filters(rng: random.Random) -> list[Spec]:
    by_field: Spec = {"field": {"model_id": MODEL_B, "field": "score"}, "function": "GreaterThan"}
    by_field["value"] = rng.choice([5, "5"])
    by_id: Spec = {"field_id": "status", "function": "Equality", "value": "open"}
    maybe(rng, by_id, "field_type", "Model")
    maybe(rng, by_field, "field_type", "Model")
    return [by_field, by_id]


def _overrides(rng: random.Random) -> list[Spec]:
    by_field: Spec = {
        "field": {"model_id": MODEL, "field": "country"},
        "function": "Equality",
        "value": "UK",
        "override": rng.choice([{"code": "GB"}, '{"code":"GB"}']),
    }
    by_id: Spec = {"field_id": "rating", "function": "IsNull", "override": "unknown"}
    return [by_field, by_id]


GENERATORS: dict[str, Callable[[random.Random, int], Spec]] = {
    "TinesSyncDestination": tines_spec,
    "TrutoIntegration": truto_integration_spec,
    "TrutoSyncJob": truto_job_spec,
    "PolytomicModelSync": polytomic_spec,
}


def seeded_app() -> EmulatorApp:
    """The kit seed plus the Polytomic sync that generated syncs run after."""
    polytomic = {**SEED["polytomic"], "syncs": [EXISTING_POLYTOMIC_SYNC]}
    return make_app(seed_with(polytomic=polytomic))


def project_for(tmp_path: Path, app: EmulatorApp, specs: dict[Address, Spec]) -> Project:
    write_project(tmp_path, "emulator://test", specs)
    return Project(tmp_path, emulator_runtime(app, GENERATED_ENV))


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("seed", range(EXAMPLES_PER_KIND // 3))
def test_generated_manifests_plan_empty_after_create(tmp_path: Path, kind: str, seed: int) -> None:
    rng = random.Random(f"{kind}-{seed}")
    specs = {Address(kind, f"gen-{i}"): GENERATORS[kind](rng, seed * 3 + i) for i in range(3)}
    app = seeded_app()
    project = project_for(tmp_path, app, specs)
    first = project.plan().plan
    assert first.summary()["create"] == len(specs), first.summary()
    project.apply(first)
    clear_request_log(app)
    again = project.plan().plan
    leftovers = {c.address: [f.path for f in c.changes] for c in again.resource_changes
                 if c.summary_key != "no_op"}  # fmt: skip
    assert leftovers == {}, f"perpetual diff for {specs}"
    assert mutating_requests(app) == []


@pytest.mark.parametrize("seed", range(4))
def test_a_pending_tines_sync_is_no_drift(tmp_path: Path, seed: int) -> None:
    """Tines syncs stories asynchronously: while it has not yet, subscriptions show
    `requires_sync`, which is health, never a change of a managed field."""
    rng = random.Random(f"pending-{seed}")
    specs = {Address("TinesSyncDestination", f"gen-{i}"): tines_spec(rng, i) for i in range(3)}
    app = seeded_app()
    app.tines_sync_delay = 3600.0
    project = project_for(tmp_path, app, specs)
    project.apply(project.plan().plan)
    read = refresh(RefreshRequest(project.sources), project.runtime)
    health = [note for result in read.results if result.live for note in result.live.health]
    assert health and all("requires_sync" in note for note in health)  # the sync is pending
    again = project.plan().plan
    assert [c.summary_key for c in again.resource_changes] == ["no_op"] * 3
