"""Reference resolution: secrets become keyed hashes, refs live values, errors never values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncform.core.address import Address
from syncform.core.errors import ConfigError, ReferenceError_
from syncform.core.records import DeferredValue, LiveObject, SecretValue
from syncform.reading.resolve import Resolver
from syncform.secrets.digests import SecretHasher
from syncform.secrets.scrubber import Scrubber
from tests.kit.emulator import emulator_config, resource

HASHER = SecretHasher(b"state-key" * 4)
TINES: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "story_ids": [1],
}


def _resolver(tmp_path: Path, environ: dict[str, str]) -> tuple[Resolver, Scrubber]:
    scrubber = Scrubber()
    config = emulator_config(tmp_path)
    return Resolver(config, environ=environ, hasher=HASHER, scrubber=scrubber), scrubber


def test_a_secret_from_env_is_a_keyed_hash_and_is_scrubbed(tmp_path: Path) -> None:
    resolver, scrubber = _resolver(tmp_path, {"DR_KEY": "s3cret-value"})
    spec = {**TINES, "destination_tenant_api_key": "${env:DR_KEY}"}
    desired = resolver.resolve(resource("TinesSyncDestination", "a", spec, tmp_path))
    secret = desired.spec["destination_tenant_api_key"]
    assert secret == SecretValue("${env:DR_KEY}", HASHER.digest("s3cret-value"))
    assert "s3cret-value" not in repr(desired)
    assert scrubber.scrub("key=s3cret-value") == "key=***"
    assert desired.connection == "tines-acme"


def test_a_file_is_read_relative_to_the_manifest_without_its_newline(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "key").write_text("from-file\n")
    manifests = tmp_path / "tines"
    manifests.mkdir()
    resolver, _ = _resolver(tmp_path, {})
    spec = {**TINES, "destination_tenant_api_key": "${file:../secrets/key}"}
    desired = resolver.resolve(resource("TinesSyncDestination", "a", spec, manifests))
    assert desired.spec["destination_tenant_api_key"].digest == HASHER.digest("from-file")


def test_env_outside_secret_fields_is_a_secret_too_and_dollar_escapes(tmp_path: Path) -> None:
    """A value from a secret reference is a secret wherever it stands, not only in fields the
    schema marks secret: a keyed hash, registered with the scrubber with its reference."""
    resolver, scrubber = _resolver(tmp_path, {"CONN": "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"})
    spec = {
        "name": "$${not a ref}",
        "target": {"connection_id": "${env:CONN}"},
        "mode": "create",
        "schedule": {"frequency": "manual"},
        "fields": [],
    }
    desired = resolver.resolve(resource("PolytomicModelSync", "p", spec, tmp_path))
    value = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21"
    assert desired.spec["target"]["connection_id"] == SecretValue(
        "${env:CONN}", HASHER.digest(value)
    )
    assert scrubber.reference_of(value) == "${env:CONN}"
    assert desired.spec["name"] == "${not a ref}"


def test_refs_take_the_live_id_or_field_else_are_deferred(tmp_path: Path) -> None:
    resolver, _ = _resolver(tmp_path, {})
    target = Address("TrutoIntegration", "crm")
    live = LiveObject(target, "abc", {"name": "crm_slug"}, "state", "sha256:0", raw={"id": "abc"})
    spec = {
        "label": "x",
        "integration_name": "${ref:TrutoIntegration/crm.name}",
        "default_runtime_version": 4,
        "resources": [{"name": "${ref:TrutoIntegration/crm.id}", "type": "spool"}],
        "args_validation": "${ref:TrutoIntegration/crm.category}",
    }
    job = resource("TrutoSyncJob", "job", spec, tmp_path)
    found = resolver.resolve(job, lambda a: live if a == target else None).spec
    assert found["integration_name"] == "crm_slug"
    assert found["resources"][0]["name"] == "abc"
    assert found["args_validation"] == DeferredValue("${ref:TrutoIntegration/crm.category}")
    missing = resolver.resolve(job).spec
    assert missing["integration_name"] == DeferredValue("${ref:TrutoIntegration/crm.name}")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("${env:NOT_SET}", "${env:NOT_SET}: environment variable is not set"),
        ("${file:nowhere/key}", "${file:nowhere/key}: cannot read"),
        ("${env:EMPTY}", "${env:EMPTY} is empty"),
    ],
)
def test_unresolvable_references_name_file_line_and_reference(
    tmp_path: Path, reference: str, expected: str
) -> None:
    resolver, _ = _resolver(tmp_path, {"EMPTY": "", "OTHER": "must-not-appear"})
    spec = {**TINES, "destination_tenant_api_key": reference}
    with pytest.raises(ReferenceError_) as raised:
        resolver.resolve(resource("TinesSyncDestination", "a", spec, tmp_path))
    message = raised.value.message
    assert message.startswith(f"{tmp_path / 'manifests.yaml'}:3:1: TinesSyncDestination/a: ")
    assert expected in message and "must-not-appear" not in message


def test_a_connection_must_be_named_when_several_fit(tmp_path: Path) -> None:
    resolver, _ = _resolver(tmp_path, {})
    config = resolver.config
    doubled = {**config.connections, "tines-2": config.connections["tines-acme"]}
    crowded = Resolver(
        type(config)(config.path, config.root, doubled),
        environ={},
        hasher=HASHER,
        scrubber=Scrubber(),
    )
    with pytest.raises(ConfigError, match=r"metadata\.connection is required"):
        crowded.resolve(resource("TinesSyncDestination", "a", TINES, tmp_path))
