"""Truto integrations and sync jobs: live payload -> normalised spec, desired normalisation.

Rules:
- read-only fields (`id`, `version`, `team_id`, `team`, `environment_id`, `installed_environment`,
  `can_install`, timestamps) are not spec;
- `config.credentials` is redacted on read: its structure (formats, labels, field definitions)
  comes back, every value in it is masked (`********`, or any run of three or more `*`). Each
  masked value, or the whole of `credentials` when the server strips it, reads as UNREADABLE,
  so planning compares it with what syncform last applied (secrets by their keyed digest);
- a V4 sync job's `resources` is a map of nodes keyed by `name` (sorted by name here) and each
  destination node's `resources_to_persist` a set; V1-V3 resources keep their order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from syncform.core.canonical import as_set, canonical_json, without_keys
from syncform.core.records import UNREADABLE

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
CREDENTIALS = "credentials"
_MASK = re.compile(r"\*{3,}")


def integration_live_spec(raw: Mapping[str, Any]) -> dict[str, Any]:
    spec = {
        key: value
        for key, value in without_keys(raw, INTEGRATION_READ_ONLY).items()
        if value is not None
    }
    config = spec.get("config")
    if isinstance(config, Mapping):
        credentials = config.get(CREDENTIALS, UNREADABLE)
        spec["config"] = {**config, CREDENTIALS: _unmasked(credentials)}
    return spec


def _unmasked(value: Any) -> Any:
    """Masked credential values as UNREADABLE; the structure around them as it is."""
    if isinstance(value, Mapping):
        return {key: _unmasked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unmasked(item) for item in value]
    if isinstance(value, str) and _MASK.fullmatch(value):
        return UNREADABLE
    return value


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
