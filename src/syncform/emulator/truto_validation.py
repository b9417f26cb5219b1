"""Truto body checks: failures are 400 with `details.failures`."""

from __future__ import annotations

from typing import Any

from syncform.emulator.http_types import VendorError
from syncform.emulator.truto_config import NAME_PATTERN, config_failures

Obj = dict[str, Any]
INTEGRATION_FIELDS = frozenset({"name", "category", "config", "is_beta", "sharing"})
SHARING = ("allow", "ask", "deny")
JOB_FIELDS = frozenset(
    {
        "label",
        "integration_name",
        "default_runtime_version",
        "args_schema",
        "args_validation",
        "mutex_key",
        "state_key",
        "resources",
    }
)
V4_NODE_TYPES = (
    "request",
    "transform",
    "spool",
    "add_context",
    "destination",
    "event",
    "get_state",
    "update_state",
    "delete_state",
)


def fail(failures: list[Obj], message: str = "Validation failed") -> VendorError:
    return VendorError(400, message, details={"failures": failures})


def unknown_failures(body: Obj, allowed: frozenset[str]) -> list[Obj]:
    return [{"path": key, "message": "is not allowed"} for key in sorted(set(body) - allowed)]


def integration_failures(body: Obj, *, creating: bool) -> list[Obj]:
    failures = []
    if creating and "name" not in body:
        failures.append({"path": "name", "message": "is required"})
    if "name" in body and not (
        isinstance(body["name"], str) and NAME_PATTERN.fullmatch(body["name"])
    ):
        failures.append({"path": "name", "message": "must be a lower-case slug"})
    if creating and "config" not in body:
        failures.append({"path": "config", "message": "is required"})
    if "category" in body and not isinstance(body["category"], str):
        failures.append({"path": "category", "message": "must be a string"})
    if "is_beta" in body and not isinstance(body["is_beta"], bool):
        failures.append({"path": "is_beta", "message": "must be a boolean"})
    if "sharing" in body and body["sharing"] not in SHARING:
        failures.append({"path": "sharing", "message": "must be one of allow, ask, deny"})
    return failures


def check_integration_config(config: Any) -> None:
    failures = config_failures(config)
    if failures:
        raise fail(failures)


def job_failures(job: Obj) -> list[Obj]:
    """Checks on a complete (merged) sync job."""
    failures = []
    checks: list[tuple[str, type | tuple[type, ...], bool]] = [
        ("label", str, False),
        ("integration_name", str, False),
        ("args_schema", dict, True),
        ("args_validation", str, True),
        ("mutex_key", str, True),
        ("state_key", str, True),
        ("resources", list, False),
    ]
    for name, kind, nullable in checks:
        value = job.get(name)
        if not (isinstance(value, kind) or (nullable and value is None)):
            failures.append({"path": name, "message": f"must be a {_type_name(kind)}"})
    version = job.get("default_runtime_version")
    if isinstance(version, bool) or version not in (1, 2, 3, 4):
        failures.append({"path": "default_runtime_version", "message": "must be 1, 2, 3 or 4"})
    elif isinstance(job.get("resources"), list):
        failures += _resource_failures(job["resources"], version)
    return failures


def _type_name(kind: type | tuple[type, ...]) -> str:
    names: dict[object, str] = {str: "string", dict: "object", list: "array"}
    return names.get(kind, "value")


def _resource_failures(resources: list[Any], version: int) -> list[Obj]:
    if version < 4:
        return [
            {"path": f"resources[{i}]", "message": "needs string resource and method"}
            for i, item in enumerate(resources)
            if not (
                isinstance(item, dict)
                and isinstance(item.get("resource"), str)
                and isinstance(item.get("method"), str)
            )
        ]
    return _v4_failures(resources)


def _v4_failures(nodes: list[Any]) -> list[Obj]:
    failures: list[Obj] = []
    names = [n.get("name") for n in nodes if isinstance(n, dict)]
    for i, node in enumerate(nodes):
        where = f"resources[{i}]"
        if not isinstance(node, dict) or not isinstance(node.get("name"), str):
            failures.append({"path": f"{where}.name", "message": "is required"})
            continue
        if names.count(node["name"]) > 1:
            failures.append({"path": f"{where}.name", "message": "must be unique"})
        if node.get("type") not in V4_NODE_TYPES:
            failures.append({"path": f"{where}.type", "message": "is not a V4 node type"})
        parent = node.get("depends_on")
        if parent is not None and parent not in names:
            failures.append({"path": f"{where}.depends_on", "message": "names no node"})
        if node.get("type") == "request":
            for field in ("resource", "method", "integrated_account_id"):
                if not isinstance(node.get(field), str):
                    failures.append({"path": f"{where}.{field}", "message": "is required"})
    return failures
