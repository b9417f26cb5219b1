"""The bundled schema files: valid 2020-12, identified, described, found when installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from syncform.core.errors import SyncformError
from syncform.providers.registry import KINDS
from syncform.schemas import (
    config_schema,
    load_schema,
    manifest_schema,
    schema_by_name,
    schema_names,
    spec_schema,
)
from syncform.schemas.loader import find_schema_root, iter_schema_files, schema_files

OWN_SCHEMAS = sorted(schema_files().values())


@pytest.mark.parametrize("name", list(iter_schema_files()))
def test_every_schema_file_passes_the_2020_12_metaschema(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", OWN_SCHEMAS)
def test_schema_id_title_and_description(name: str) -> None:
    schema = load_schema(name)
    assert schema["$id"] == f"https://syncform.dev/schemas/{name}"
    assert schema["title"]
    assert len(schema["description"]) > 40


def _objects_with_properties(node: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "properties" in node and node.get("type") == "object":
            found.append((where, node))
        for key, value in node.items():
            found += _objects_with_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects_with_properties(value, f"{where}/{index}")
    return found


OPEN_BY_DESIGN = {
    # Truto validates the whole config; only its best-known keys are described.
    ("TrutoIntegration", "#/$defs/config"),
    ("TrutoIntegration", "#/$defs/config/properties/authorization"),
    ("TrutoIntegration", "#/$defs/config/properties/pagination"),
    (
        "TrutoIntegration",
        "#/$defs/config/properties/resources/additionalProperties/additionalProperties",
    ),
    # The node's own fields are closed by the per-type schema its `type` selects.
    ("TrutoSyncJob", "#/$defs/v4Node"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_known_api_shapes_are_closed(kind: str) -> None:
    open_objects = {
        where
        for where, node in _objects_with_properties(spec_schema(kind))
        if node.get("additionalProperties") is not False
    }
    assert open_objects == {where for owner, where in OPEN_BY_DESIGN if owner == kind}


def test_every_kind_declares_its_natural_key() -> None:
    keys = {kind: tuple(spec_schema(kind)["x-natural-key"]) for kind in KINDS}
    assert keys == {
        "TinesSyncDestination": ("team_id", "destination_tenant_url", "destination_team_id"),
        "TrutoIntegration": ("name",),
        "TrutoSyncJob": ("label", "integration_name"),
        "PolytomicModelSync": ("name",),
    }
    for kind, key in keys.items():
        assert set(key) <= set(spec_schema(kind)["properties"]), kind


def test_named_accessors_return_the_files() -> None:
    assert manifest_schema()["$id"].endswith("/manifest.schema.json")
    assert config_schema()["$id"].endswith("/config.schema.json")
    assert schema_by_name("TrutoSyncJob") is spec_schema("TrutoSyncJob")
    assert schema_names() == (*sorted(KINDS), "config", "manifest")


def test_loads_are_cached() -> None:
    assert load_schema("manifest.schema.json") is load_schema("manifest.schema.json")


@pytest.mark.parametrize(
    "name", ["nope.schema.json", "../pyproject.toml", "spec/../config.schema.json"]
)
def test_unknown_or_escaping_names_are_refused(name: str) -> None:
    with pytest.raises(SyncformError):
        load_schema(name)


def test_spec_schema_refuses_non_kinds() -> None:
    with pytest.raises(SyncformError, match="not a kind"):
        spec_schema("manifest")
    with pytest.raises(SyncformError, match="no schema named"):
        spec_schema("TinesStory")


def test_installed_package_folder_wins(tmp_path: Path) -> None:
    package = tmp_path / "site" / "syncform"
    (package / "_schemas").mkdir(parents=True)
    source = tmp_path / "repo" / "schemas"
    source.mkdir(parents=True)
    assert find_schema_root(package, source) == package / "_schemas"


def test_source_tree_is_the_fallback(tmp_path: Path) -> None:
    package = tmp_path / "src" / "syncform"
    package.mkdir(parents=True)
    source = tmp_path / "schemas"
    source.mkdir()
    assert find_schema_root(package, source) == source


def test_missing_schemas_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(SyncformError, match="broken installation"):
        find_schema_root(tmp_path / "pkg", tmp_path / "schemas")


def test_schema_files_listing_is_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    for name in ("b.schema.json", "a.schema.json", "notes.txt", "spec/z.schema.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert list(iter_schema_files(tmp_path)) == [
        "a.schema.json",
        "b.schema.json",
        "spec/z.schema.json",
    ]
