"""The JSON Schemas of syncform: manifests, each kind's spec and syncform.yaml.

Loaded schemas are cached and shared: treat them as read-only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from syncform.core.errors import SyncformError
from syncform.schemas.loader import read_schema, schema_files

__all__ = [
    "config_schema",
    "load_schema",
    "manifest_schema",
    "schema_by_name",
    "schema_names",
    "spec_schema",
]


@cache
def load_schema(relative_name: str) -> dict[str, Any]:
    """One bundled schema by file name relative to the schema folder.

    Not checked against its metaschema here: that cost every run about 0.06 s, and the test
    suite checks every bundled schema (tests/schemas/test_schemas_files.py)."""
    return read_schema(relative_name)


def schema_names() -> tuple[str, ...]:
    """The names `syncform schema NAME` accepts: each kind, then manifest and config."""
    return tuple(sorted(schema_files(), key=lambda name: (name in ("manifest", "config"), name)))


def schema_by_name(name: str) -> dict[str, Any]:
    try:
        return load_schema(schema_files()[name])
    except KeyError:
        raise SyncformError(f"no schema named {name!r}") from None


def spec_schema(kind: str) -> dict[str, Any]:
    """The schema of a kind's `spec`."""
    if kind in ("manifest", "config"):
        raise SyncformError(f"not a kind: {kind!r}")
    return schema_by_name(kind)


def manifest_schema() -> dict[str, Any]:
    """The manifest envelope; it also applies the kind's spec schema to `spec`."""
    return load_schema(schema_files()["manifest"])


def config_schema() -> dict[str, Any]:
    """The schema of syncform.yaml."""
    return load_schema(schema_files()["config"])
