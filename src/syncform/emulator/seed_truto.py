"""Seed normalisation for Truto tokens, teams, integrations and sync jobs."""

from __future__ import annotations

from typing import Any

from syncform.core.errors import EmulatorError
from syncform.emulator.store import Store, iso_millis

Obj = dict[str, Any]


def normalise_truto(store: Store) -> None:
    section = store.section("truto")
    tokens = section.setdefault("tokens", {})
    if not isinstance(tokens, dict):
        raise EmulatorError("truto.tokens must map each token to {environment_id, team_id}")
    for token, grant in tokens.items():
        if not isinstance(grant, dict) or not {"environment_id", "team_id"} <= set(grant):
            raise EmulatorError(f"truto token {token[:4]}...: needs environment_id and team_id")
    section.setdefault("teams", [])
    section.setdefault("rate_limit", {"requests": 500, "per_seconds": 10})
    section["integrations"] = [_integration(store, r) for r in section.get("integrations", [])]
    section["sync_jobs"] = [_job(store, r) for r in section.get("sync_jobs", [])]


def _integration(store: Store, raw: Obj) -> Obj:
    now = iso_millis(store.now())
    if "name" not in raw or "team_id" not in raw:
        raise EmulatorError("every truto integration in the seed needs name and team_id")
    return {
        "id": raw.get("id") or store.new_uuid("truto-integration"),
        "name": raw["name"],
        "category": raw.get("category"),
        "is_beta": bool(raw.get("is_beta", False)),
        "config": raw.get("config") or {},
        "team_id": raw["team_id"],
        "sharing": raw.get("sharing", "deny"),
        "installed_environment": list(raw.get("installed_environment", [])),
        "created_at": raw.get("created_at", now),
        "updated_at": raw.get("updated_at", now),
        "version": int(raw.get("version", 1)),
    }


def _job(store: Store, raw: Obj) -> Obj:
    now = iso_millis(store.now())
    if "environment_id" not in raw:
        raise EmulatorError("every truto sync job in the seed needs environment_id")
    job: Obj = {
        "id": raw.get("id") or store.new_uuid("truto-sync-job"),
        "label": "Untitled",
        "integration_name": "",
        "default_runtime_version": 3,
        "args_schema": None,
        "args_validation": None,
        "mutex_key": None,
        "state_key": None,
        "resources": [],
        "created_at": now,
        "updated_at": now,
    }
    job.update(raw)
    return job
