"""Truto integration config: deep-merge PATCH semantics, credential redaction, validation."""

from __future__ import annotations

import copy
import re
from typing import Any

Obj = dict[str, Any]
REDACTED = "********"
STRUCTURAL_KEYS = frozenset({"format", "label"})
FIELD_DEFINITION_KEYS = frozenset({"name", "label", "type", "required"})
CONFIG_KEYS = frozenset(
    {
        "label",
        "base_url",
        "logo",
        "icon",
        "headers",
        "query",
        "query_array_format",
        "credentials",
        "authorization",
        "pagination",
        "rate_limit",
        "resources",
        "webhook",
        "actions",
        "error_expression",
        "tool_tags",
    }
)
ENUMS = {
    "query_array_format": ("comma", "brackets", "indices", "repeat"),
    "authorization": ("bearer", "header", "basic"),
    "pagination": ("page", "cursor", "link_header", "offset", "range", "dynamic"),
}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
STRING_KEYS = ("label", "base_url", "logo", "icon", "error_expression")
OBJECT_KEYS = ("headers", "query", "credentials", "rate_limit", "webhook", "actions")


def deep_merge(base: Any, patch: Any) -> Any:
    """Objects merge key by key, `null` removes a key, anything else (arrays too) replaces."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = deep_merge(merged.get(key), value)
    return merged


def redact(value: Any) -> Any:
    """Every value masked, whatever its key, except the structure: formats and labels."""
    if isinstance(value, dict):
        return {key: _redact_entry(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return None if value is None else REDACTED


def _redact_entry(key: str, value: Any) -> Any:
    if key in STRUCTURAL_KEYS and isinstance(value, str):
        return value
    if key == "fields" and isinstance(value, list):
        return [_redact_field_definition(field) for field in value]
    return redact(value)


def _redact_field_definition(field: Any) -> Any:
    """A credential form field keeps its name, label, type and required flag; not its default."""
    if not isinstance(field, dict):
        return redact(field)
    return {
        key: item if key in FIELD_DEFINITION_KEYS and isinstance(item, str | bool) else redact(item)
        for key, item in field.items()
    }


def redact_config(config: Obj) -> Obj:
    """No credential value inside `config.credentials` leaves the server in clear."""
    shown = copy.deepcopy(config)
    if "credentials" in shown:
        shown["credentials"] = redact(shown["credentials"])
    return shown


def config_failures(config: Any) -> list[Obj]:
    """Every problem with a config, as `details.failures` entries."""
    if not isinstance(config, dict):
        return [{"path": "config", "message": "must be an object"}]
    failures = [
        {"path": f"config.{key}", "message": "is not a known configuration key"}
        for key in sorted(set(config) - CONFIG_KEYS)
    ]
    failures += _type_failures(config)
    failures += _enum_failures(config)
    failures += _resource_failures(config.get("resources"))
    return failures


def _type_failures(config: Obj) -> list[Obj]:
    failures = []
    for key in STRING_KEYS:
        if key in config and not isinstance(config[key], str):
            failures.append({"path": f"config.{key}", "message": "must be a string"})
    for key in OBJECT_KEYS:
        if key in config and not isinstance(config[key], dict):
            failures.append({"path": f"config.{key}", "message": "must be an object"})
    headers = config.get("headers")
    if isinstance(headers, dict):
        for name, value in headers.items():
            if not isinstance(value, str):
                failures.append({"path": f"config.headers.{name}", "message": "must be a string"})
    return failures


def _enum_failures(config: Obj) -> list[Obj]:
    failures = []
    qaf = config.get("query_array_format")
    if qaf is not None and qaf not in ENUMS["query_array_format"]:
        failures.append({"path": "config.query_array_format", "message": "is not a valid value"})
    for key in ("authorization", "pagination"):
        block = config.get(key)
        if block is None:
            continue
        if not isinstance(block, dict) or block.get("format") not in ENUMS[key]:
            allowed = ", ".join(ENUMS[key])
            failures.append(
                {"path": f"config.{key}.format", "message": f"must be one of {allowed}"}
            )
    return failures


def _resource_failures(resources: Any) -> list[Obj]:
    if resources is None:
        return []
    if not isinstance(resources, dict):
        return [{"path": "config.resources", "message": "must be an object"}]
    failures = []
    for name, methods in resources.items():
        if not isinstance(methods, dict):
            failures.append({"path": f"config.resources.{name}", "message": "must be an object"})
            continue
        for method, spec in methods.items():
            where = f"config.resources.{name}.{method}"
            if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
                failures.append({"path": f"{where}.path", "message": "is required"})
            elif spec.get("method", "get") not in HTTP_METHODS:
                failures.append({"path": f"{where}.method", "message": "is not an HTTP method"})
    return failures


NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
