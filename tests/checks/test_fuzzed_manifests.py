"""Generated hostile manifests of all four kinds through `validate`: findings, never a traceback.

Each example is the kit's valid project (every kind, references between them) with one manifest
mutated a few times: a value at any path (metadata, lifecycle and spec alike) replaced by a wrong
type, a nested list or mapping, null, a huge number, unicode, an empty or odd string; a key
dropped; an unknown key, or a field any of the kind's JSON Schema declares, added anywhere.
The seed is fixed, so a failure replays; its message holds the mutated manifest.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from syncform.core.address import Address
from tests.kit import specs
from tests.kit.project import REPO, run_cli, write_project

EXAMPLES_PER_KIND = 100
MAX_MUTATIONS = 5

# The valid specs each kind's manifest starts from (the canonical one and its richer variants).
STARTING_SPECS: dict[Address, list[dict[str, Any]]] = {
    specs.TINES: [specs.TINES_SPEC, specs.TINES_SPEC_WITH_RAW_URL],
    specs.INTEGRATION: [specs.INTEGRATION_SPEC, specs.INTEGRATION_SPEC_WITH_CREDENTIALS],
    specs.JOB: [specs.JOB_SPEC, specs.JOB_SPEC_V4_DAG],
    specs.CONTACTS: [specs.CONTACTS_SPEC, specs.CONTACTS_SPEC_WITH_SERVER_QUIRKS],
}
HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**40, -(10**40), 10**4000, 1e308, float("inf"), float("nan"),
    "", " ", "tökén ☃ \u202e\u200b", "\x00", "x" * 5000, "-", "~1/", "/", "//", "/~2", "/*/*",
    [], {}, [[1]], [None], [{"a": 1}], {"a": [1]}, {"": None}, {"ü": {"ü": []}}, ["start"],
    "http://[::1", "https://h:99999", "https://h:abc", "Kind/", "a/b/c", "TinesSyncDestination/ü",
    "${", "${env:}", "${env:A B}", "${file:}", "${ref:}", "${ref:X}", "${ref:Kind/name.nope}",
    "${ref:TrutoSyncJob/crm-contacts.id}", "${ref:PolytomicModelSync/accounts-to-hubspot.id}",
    "{{args.", "{{args.undeclared}}", {"$digest": 1}, {"type": "object", "properties": [1]},
    {"sync_ids": [[1]]}, ["TrutoSyncJob/crm-contacts"], ["/~"], ["/story_ids/-1"],
]  # fmt: skip


def schema_field_names(kind: str) -> list[str]:
    """Every property name the kind's spec schema declares, at any depth."""
    schema = json.loads((REPO / "schemas" / "spec" / f"{kind}.schema.json").read_text())
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return sorted(names)


def document(address: Address, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "syncform/v1",
        "kind": address.kind,
        "metadata": {
            "name": address.name,
            "connection": specs.CONNECTION_OF[address.kind],
            "dependsOn": [str(specs.CONTACTS)] if address == specs.ACCOUNTS else [],
        },
        "lifecycle": {"protect": False, "ignore_changes": ["/name"]},
        "spec": copy.deepcopy(spec),
    }


def containers(node: Any) -> Iterator[dict[str, Any] | list[Any]]:
    """Every mapping and list in a document, the document itself included."""
    if isinstance(node, dict | list):
        yield node
        for child in node.values() if isinstance(node, dict) else node:
            yield from containers(child)


def mutate(manifest: dict[str, Any], field_names: list[str], rng: random.Random) -> None:
    """One mutation, in place, somewhere in the manifest."""
    parent = rng.choice(list(containers(manifest)))
    value = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    choice = rng.random()
    if isinstance(parent, list):
        if parent and choice < 0.8:
            parent[rng.randrange(len(parent))] = value
        else:
            parent.append(value)
    elif parent and choice < 0.6:
        parent[rng.choice(list(parent))] = value
    elif parent and choice < 0.7:
        del parent[rng.choice(list(parent))]
    elif choice < 0.9:
        parent[rng.choice(field_names)] = value
    else:
        parent[rng.choice(["unknown", "", "ü", "a/b", "~"])] = value


def project_documents(mutated: Address, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The kit's five resources, `mutated` replaced by `manifest`."""
    valid = specs.manifests()
    return [manifest if a == mutated else document(a, s) for a, s in sorted(valid.items())]


def problems_with(code: int, out: str, err: str) -> list[str]:
    """What `validate` must never do: crash, or report a finding it cannot locate."""
    problems = []
    if code not in (0, 1) or "internal error" in err or "Traceback" in err:
        problems.append(f"exit {code}: {err.strip()[-400:]}")
        return problems
    for finding in json.loads(out)["findings"]:
        if not finding["file"] or finding["line"] < 1 or not finding["rule"]:
            problems.append(f"finding without file:line or rule: {finding}")
    return problems


# What the generator found, pinned: each crashed `validate` once.
FOUND = [
    pytest.param(specs.TINES, {**specs.TINES_SPEC, "story_ids": [[1]]}, id="story-ids-nested"),
    pytest.param(specs.TINES, {**specs.TINES_SPEC, "team_id": {"a": 1}}, id="natural-key-mapping"),
    pytest.param(specs.INTEGRATION, {**specs.INTEGRATION_SPEC, "name": ["acme"]}, id="name-list"),
    pytest.param(
        specs.TINES,
        {**specs.TINES_SPEC, "destination_tenant_url": "https://h:99999"},
        id="tenant-url-bad-port",
    ),
    pytest.param(
        specs.JOB,
        {
            **specs.JOB_SPEC_V4_DAG,
            "resources": [
                *specs.JOB_SPEC_V4_DAG["resources"],
                {"name": "later", "type": "event", "depends_on": ["start"]},
            ],
        },
        id="v4-depends-on-list",
    ),
]


@pytest.mark.parametrize(("mutated", "spec"), FOUND)
def test_found_crashers_give_findings(
    mutated: Address, spec: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, "emulator://fuzz", {})
    documents = project_documents(mutated, document(mutated, spec))
    (tmp_path / "manifests.yaml").write_text(yaml.safe_dump_all(documents, sort_keys=False))
    code, out, err = run_cli(capsys, "validate", str(tmp_path), "--output", "json")
    assert problems_with(code, out, err) == []
    assert code == 1 and json.loads(out)["findings"]


@pytest.mark.parametrize("mutated", sorted(STARTING_SPECS), ids=lambda a: a.kind)
def test_hostile_manifests_give_findings_never_a_traceback(
    mutated: Address, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(f"fuzz-{mutated.kind}")
    field_names = schema_field_names(mutated.kind)
    write_project(tmp_path, "emulator://fuzz", {})
    manifests = tmp_path / "manifests.yaml"
    failures: list[str] = []
    for example in range(EXAMPLES_PER_KIND):
        manifest = document(mutated, rng.choice(STARTING_SPECS[mutated]))
        for _ in range(rng.randint(1, MAX_MUTATIONS)):
            mutate(manifest, field_names, rng)
        documents = project_documents(mutated, manifest)
        manifests.write_text(yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False))
        code, out, err = run_cli(capsys, "validate", str(tmp_path), "--output", "json")
        failures.extend(
            f"example {example}: {problem}\n{yaml.safe_dump(manifest, allow_unicode=True)}"
            for problem in problems_with(code, out, err)
        )
    assert not failures, f"{len(failures)} failure(s); the first:\n" + "\n".join(failures[:3])
