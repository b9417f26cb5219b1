"""A project on disk (syncform.yaml + manifests) pointed at an emulator, and the CLI run on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncform.cli import main
from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.core.resources import Lifecycle
from syncform.secrets.digests import SecretHasher, load_state_key
from syncform.state import open_state
from tests.kit.seed import SEED_SECRETS, TOKENS
from tests.kit.specs import CONNECTION_OF
from tests.kit.specs import ENVIRON as SPEC_ENVIRON

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

STATE_KEY = "ab" * 32
# What the kit project's syncform.yaml and manifests read from the environment.
ENVIRON = {
    "T_TOKEN": TOKENS["tines"],
    "P_TOKEN": TOKENS["polytomic"],
    **SPEC_ENVIRON,
    "SYNCFORM_STATE_KEY": STATE_KEY,
}
SECRETS = SEED_SECRETS


def write_project(
    root: Path,
    base_url: str,
    specs: dict[Address, dict[str, Any]],
    lifecycles: dict[Address, dict[str, Any]] | None = None,
    metadata: dict[Address, dict[str, Any]] | None = None,
) -> None:
    """syncform.yaml (one connection per vendor under `base_url`, the Truto token in a file) and
    manifests.yaml, written as JSON (a subset of YAML); `metadata` adds keys (e.g. importId)."""
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
    (root / "tokens" / "truto").write_text(TOKENS["truto"] + "\n")
    documents = []
    for address, spec in sorted(specs.items()):
        document: dict[str, Any] = {
            "apiVersion": "syncform/v1",
            "kind": address.kind,
            "metadata": {
                "name": address.name,
                "connection": CONNECTION_OF[address.kind],
                **(metadata or {}).get(address, {}),
            },
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


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`syncform ARGS...` in-process: (exit code, stdout, stderr)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_plan(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "plan", str(root), *args)
