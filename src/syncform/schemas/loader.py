"""Finds and reads the bundled JSON Schema files, wherever the package runs from.

An installed wheel carries the top-level `schemas/` folder as `syncform/_schemas`; an editable
source tree has no `_schemas`, so the repository's own `schemas/` folder is used instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from syncform.core.errors import SyncformError

SPEC_FOLDER = "spec/"
SCHEMA_SUFFIX = ".schema.json"

_SOURCE_TREE_SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


def find_schema_root(package_root: Traversable, source_root: Traversable) -> Traversable:
    """`_schemas` inside the package when it exists, else the source tree's `schemas/`."""
    bundled = package_root / "_schemas"
    if bundled.is_dir():
        return bundled
    if source_root.is_dir():
        return source_root
    raise SyncformError(
        "the JSON Schemas are missing: neither the package's _schemas folder nor the source "
        "tree's schemas/ folder exists (a broken installation)"
    )


@cache
def schema_root() -> Traversable:
    return find_schema_root(resources.files("syncform"), _SOURCE_TREE_SCHEMAS)


def read_schema(relative_name: str) -> dict[str, Any]:
    """Parse one schema file, e.g. "spec/TinesSyncDestination.schema.json"."""
    target = schema_root()
    for part in relative_name.split("/"):
        if part in ("", ".", ".."):
            raise SyncformError(f"not a schema name: {relative_name!r}")
        target = target / part
    if not target.is_file():
        raise SyncformError(f"no bundled schema named {relative_name!r}")
    document = json.loads(target.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise SyncformError(f"bundled schema {relative_name!r} is not a JSON object")
    return document


def iter_schema_files(root: Traversable | None = None, prefix: str = "") -> Iterator[str]:
    """Relative names of every `*.schema.json` file under the schema root, sorted."""
    folder = schema_root() if root is None else root
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            yield from iter_schema_files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(SCHEMA_SUFFIX):
            yield f"{prefix}{entry.name}"


@cache
def schema_files() -> dict[str, str]:
    """Schema name -> relative file: `manifest`, `config` and one per kind found under `spec/`."""
    kinds = {
        name[len(SPEC_FOLDER) : -len(SCHEMA_SUFFIX)]: name
        for name in iter_schema_files()
        if name.startswith(SPEC_FOLDER)
    }
    return {"manifest": "manifest.schema.json", "config": "config.schema.json", **kinds}
