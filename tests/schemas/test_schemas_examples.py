"""The example manifests and configuration validate against the bundled schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from syncform.schemas import config_schema, manifest_schema, spec_schema
from syncform.schemas.validation import iter_schema_issues

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MANIFEST_FILES = ["tines/destinations.yaml", "truto/crm.yaml", "polytomic/syncs.yaml"]
MODELINE = "# yaml-language-server: $schema=../../schemas/manifest.schema.json"


def _documents(relative: str) -> list[dict[str, Any]]:
    text = (EXAMPLES / relative).read_text(encoding="utf-8")
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


EXAMPLE_DOCUMENTS = [
    pytest.param(doc, id=f"{doc['kind']}/{doc['metadata']['name']}")
    for relative in MANIFEST_FILES
    for doc in _documents(relative)
]


@pytest.mark.parametrize("document", EXAMPLE_DOCUMENTS)
def test_example_spec_validates_against_its_kind(document: dict[str, Any]) -> None:
    assert list(iter_schema_issues(document["spec"], spec_schema(document["kind"]))) == []


@pytest.mark.parametrize("document", EXAMPLE_DOCUMENTS)
def test_example_manifest_validates_against_the_envelope(document: dict[str, Any]) -> None:
    assert list(iter_schema_issues(document, manifest_schema())) == []


def test_examples_cover_every_kind_and_scenario() -> None:
    addresses = sorted(
        f"{d['kind']}/{d['metadata']['name']}" for r in MANIFEST_FILES for d in _documents(r)
    )
    assert addresses == [
        "PolytomicModelSync/accounts-to-hubspot",
        "PolytomicModelSync/contacts-to-salesforce",
        "TinesSyncDestination/security-to-customer",
        "TinesSyncDestination/security-to-dr",
        "TrutoIntegration/acme-crm",
        "TrutoSyncJob/crm-contacts",
    ]


@pytest.mark.parametrize("relative", MANIFEST_FILES)
def test_example_files_name_the_schema_for_editors(relative: str) -> None:
    first_line = (EXAMPLES / relative).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE
    assert (EXAMPLES / relative).parent.joinpath("../../schemas/manifest.schema.json").is_file()


def test_example_config_validates() -> None:
    config = yaml.safe_load((EXAMPLES / "syncform.yaml").read_text(encoding="utf-8"))
    assert list(iter_schema_issues(config, config_schema())) == []
    assert set(config["connections"]) == {"tines-acme", "truto", "polytomic"}
    assert config["emulators"] == {"examples": {"seed": "emulator-seed.yaml"}}


def test_example_secrets_are_references() -> None:
    for document in _documents("tines/destinations.yaml"):
        key = document["spec"]["destination_tenant_api_key"]
        assert key.startswith("${file:../secrets/") and key.endswith("}")
