"""A project on disk (syncform.yaml + manifests) pointed at an emulator, and a plan runner."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from reading_kit import ACCOUNTS_SPEC, CONTACTS_SPEC, INTEGRATION_SPEC, JOB_SPEC, TINES_SPEC

from syncform.cli import main
from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.core.resources import Lifecycle
from syncform.secrets.digests import SecretHasher, load_state_key
from syncform.state import open_state

STATE_KEY = "ab" * 32
ENVIRON = {
    "T_TOKEN": "acme-token",
    "P_TOKEN": "poly-token",
    "DR_KEY": "dr-key-value",
    "SYNCFORM_STATE_KEY": STATE_KEY,
}
SECRETS = ("acme-token", "poly-token", "truto-token", "dr-key-value")
CONNECTION_OF = {
    "TinesSyncDestination": "tines-acme",
    "TrutoIntegration": "truto",
    "TrutoSyncJob": "truto",
    "PolytomicModelSync": "polytomic",
}


def manifests() -> dict[Address, dict[str, Any]]:
    """The five resources of the reading kit, as address -> spec (deep copies)."""
    specs = {
        Address("TinesSyncDestination", "security-to-dr"): TINES_SPEC,
        Address("TrutoIntegration", "acme-crm"): INTEGRATION_SPEC,
        Address("TrutoSyncJob", "crm-contacts"): JOB_SPEC,
        Address("PolytomicModelSync", "contacts-to-salesforce"): CONTACTS_SPEC,
        Address("PolytomicModelSync", "accounts-to-hubspot"): ACCOUNTS_SPEC,
    }
    return {address: copy.deepcopy(spec) for address, spec in specs.items()}


def write_project(
    root: Path,
    base_url: str,
    specs: dict[Address, dict[str, Any]],
    lifecycles: dict[Address, dict[str, Any]] | None = None,
) -> None:
    connections = {
        "tines-acme": {
            "provider": "tines",
            "url": f"{base_url}/tines/acme",
            "token": "${env:T_TOKEN}",
        },
        "truto": {
            "provider": "truto",
            "url": f"{base_url}/truto",
            "team_id": "team-acme",
            "token": "${file:tokens/truto}",
        },
        "polytomic": {
            "provider": "polytomic",
            "url": f"{base_url}/polytomic",
            "token": "${env:P_TOKEN}",
        },
    }
    config = {"apiVersion": "syncform/v1", "kind": "Config", "connections": connections}
    (root / "syncform.yaml").write_text(json.dumps(config, indent=2))
    (root / "tokens").mkdir(exist_ok=True)
    (root / "tokens" / "truto").write_text("truto-token\n")
    documents = []
    for address, spec in sorted(specs.items()):
        document: dict[str, Any] = {
            "apiVersion": "syncform/v1",
            "kind": address.kind,
            "metadata": {"name": address.name, "connection": CONNECTION_OF[address.kind]},
            "spec": spec,
        }
        if lifecycles and address in lifecycles:
            document["lifecycle"] = lifecycles[address]
        documents.append(json.dumps(document, indent=2))
    (root / "manifests.yaml").write_text("\n---\n".join(documents) + "\n")


def put_state(root: Path, address: Address, remote_id: str, applied: dict[str, Any] | None = None,
              lifecycle: Lifecycle | None = None) -> None:  # fmt: skip
    store = open_state(root / ".syncform" / "state.db")
    record = StateRecord(
        address,
        CONNECTION_OF[address.kind],
        remote_id,
        applied or {},
        lifecycle=lifecycle or Lifecycle(),
    )
    store.put(record)


def secret_digest(root: Path, value: str) -> dict[str, str]:
    key = load_state_key(root / ".syncform", ENVIRON, create_if_missing=False)
    return {"$digest": SecretHasher(key).digest(value)}


def run_plan(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["plan", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
