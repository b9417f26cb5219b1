"""Inlined bundled schemas judge every document exactly as the schemas with references do."""

from __future__ import annotations

import copy
import random
import re
from typing import Any

from jsonschema import Draft202012Validator

from syncform.schemas import manifest_schema
from syncform.schemas.inlining import inline_refs
from syncform.schemas.validation import bundled_registry
from tests.kit.specs import manifests

KINDS_OF = {address: address.kind for address in manifests()}


def documents() -> list[dict[str, Any]]:
    found = []
    for address, spec in manifests().items():
        found.append({"apiVersion": "syncform/v1", "kind": address.kind,
                      "metadata": {"name": address.name}, "spec": spec})  # fmt: skip
    return found


def mutated(rng: random.Random, document: dict[str, Any]) -> dict[str, Any]:
    """One value somewhere in the spec swapped for a value of another type."""
    changed = copy.deepcopy(document)
    node: Any = changed["spec"]
    while isinstance(node, dict | list) and node:
        key: Any = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        if not isinstance(node[key], dict | list) or rng.random() < 0.3:
            node[key] = rng.choice([None, 7, "x", [1], {"a": 1}, True, -1.5])
            break
        node = node[key]
    return changed


def test_inlined_and_referenced_schemas_agree_on_valid_and_broken_documents() -> None:
    registry = bundled_registry()
    schema = manifest_schema()
    plain = Draft202012Validator(schema, registry=registry)
    inlined = Draft202012Validator(inline_refs(schema, registry.contents), registry=registry)
    left = set(re.findall(r"'\$ref': '([^']*)'", str(inlined.schema)))
    assert left == {"https://syncform.dev/schemas/spec/TrutoIntegration.schema.json"
                    "#/$defs/credentialsNode"}  # only the recursive reference stays  # fmt: skip
    rng = random.Random(12)
    cases = documents() + [mutated(rng, doc) for doc in documents() for _ in range(40)]
    for case in cases:
        expected = sorted((list(e.absolute_path), e.validator) for e in plain.iter_errors(case))
        found = sorted((list(e.absolute_path), e.validator) for e in inlined.iter_errors(case))
        assert found == expected, case
    assert any(not plain.is_valid(case) for case in cases)
