"""Truto integrations and sync jobs: live payload -> normalised spec, desired normalisation.

Rules:
- read-only fields (`id`, `version`, `team_id`, `team`, `environment_id`, `installed_environment`,
  `can_install`, timestamps) are not spec;
- `config.credentials` is write-only: Truto strips or redacts credentials on read, so it is never
  in a live spec (a changed secret is detected by its keyed hash in state);
- a V4 sync job's `resources` is a map of nodes keyed by `name` (sorted by name here) and each
  destination node's `resources_to_persist` a set; V1-V3 resources keep their order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syncform.core.canonical import as_set, canonical_json, without_keys

INTEGRATION_KIND = "TrutoIntegration"
SYNC_JOB_KIND = "TrutoSyncJob"
INTEGRATION_READ_ONLY = (
    "id",
    "version",
    "team_id",
    "team",
    "environment_id",
    "installed_environment",
    "can_install",
    "created_at",
    "updated_at",
)
SYNC_JOB_READ_ONLY = ("id", "environment_id", "created_at", "updated_at")
WRITE_ONLY_CONFIG_KEYS = ("credentials",)


def integration_live_spec(raw: Mapping[str, Any]) -> dict[str, Any]:
    spec = {
        key: value
        for key, value in without_keys(raw, INTEGRATION_READ_ONLY).items()
        if value is not None
    }
    config = spec.get("config")
    if isinstance(config, Mapping):
        spec["config"] = without_keys(config, WRITE_ONLY_CONFIG_KEYS)
    return spec


def integration_normalise_desired(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Nothing to reorder: Truto echoes the config as it was sent."""
    return dict(spec)


def integration_team(raw: Mapping[str, Any]) -> str | None:
    team = raw.get("team_id")
    if team is None and isinstance(raw.get("team"), Mapping):
        team = raw["team"].get("id")
    return None if team is None else str(team)


def sync_job_live_spec(raw: Mapping[str, Any]) -> dict[str, Any]:
    return sync_job_normalise_desired(without_keys(raw, SYNC_JOB_READ_ONLY))


def sync_job_normalise_desired(spec: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(spec)
    resources = result.get("resources")
    if result.get("default_runtime_version") == 4 and isinstance(resources, list):
        result["resources"] = _v4_nodes(resources)
    return result


def _v4_nodes(nodes: list[Any]) -> list[Any]:
    normalised = [_v4_node(node) for node in nodes]
    return sorted(normalised, key=_node_sort_key)


def _v4_node(node: Any) -> Any:
    if not isinstance(node, Mapping):
        return node
    result = dict(node)
    persisted = result.get("resources_to_persist")
    if isinstance(persisted, list):
        result["resources_to_persist"] = as_set(persisted)
    return result


def _node_sort_key(node: Any) -> tuple[int, str]:
    if isinstance(node, Mapping) and isinstance(node.get("name"), str):
        return 0, node["name"]
    return 1, canonical_json(node)


def integration_natural_key(spec: Mapping[str, Any]) -> tuple[Any, ...]:
    return (spec.get("name"),)


def sync_job_natural_key(spec: Mapping[str, Any]) -> tuple[Any, ...]:
    return (spec.get("label"), spec.get("integration_name"))
