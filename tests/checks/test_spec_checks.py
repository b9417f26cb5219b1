"""`secret.literal`: the walk that skips what no secret rule reaches finds exactly what asking
`is_secret` of every leaf finds, in the same order, on the bundled kinds and on schemas with
every kind of rule path (list items, `**` from a recursive `$ref`, `patternProperties`)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from syncform.checks.spec_checks import _SecretLeaves, secrets_are_references
from syncform.core.address import Address, SourceLocation
from syncform.core.findings import Finding
from syncform.core.resources import Resource
from syncform.schemas.semantics import KindSemantics, build_semantics, semantics_for
from syncform.secrets.references import ReferenceSyntaxError, parse_reference

pytestmark = pytest.mark.timeout(60)

KINDS = ("TinesSyncDestination", "TrutoIntegration", "TrutoSyncJob", "PolytomicModelSync")


def every_leaf(data: Any, path: tuple[str, ...], pointer: str) -> Iterator[tuple[Any, ...]]:
    """(schema path, pointer, value) of every leaf: the definition the check keeps."""
    if isinstance(data, dict):
        for key, value in data.items():
            segment = str(key).replace("~", "~0").replace("/", "~1")
            yield from every_leaf(value, (*path, str(key)), f"{pointer}/{segment}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from every_leaf(value, (*path, "*"), f"{pointer}/{index}")
    else:
        yield path, pointer, data


def secret_leaves(rules: KindSemantics, spec: Any) -> list[tuple[str, Any]]:
    return [(p, v) for path, p, v in every_leaf(spec, (), "/spec") if rules.is_secret(path)]


def expected_findings(resources: list[Resource]) -> list[Finding]:
    found = []
    for resource in resources:
        rules = semantics_for(resource.kind)
        for pointer, value in secret_leaves(rules, resource.spec):
            if value is None or _secret_reference(value):
                continue
            message = (
                f"{pointer[len('/spec/') :]} is secret: write it as ${{env:NAME}} or "
                "${file:PATH}, never as a literal value"
            )
            found.append(Finding(resource.location_of(pointer), "secret.literal", message, pointer))
    return found


def _secret_reference(value: Any) -> bool:
    try:
        reference = parse_reference(value) if isinstance(value, str) else None
    except ReferenceSyntaxError:
        return False
    return reference is not None and reference.is_secret_source


KEYS = [
    "name", "password", "api_key", "client_secret", "token", "credentials", "config", "x",
    "a/b", "~k", "*", "0", "destination_tenant_api_key", "encryption_passphrase", "fields",
    "nested", "items", "secretish", "data",
]  # fmt: skip
LEAVES: list[Any] = [
    "plain", "${env:X}", "${file:k}", "${env:1BAD}", "${ref:Kind/n.id}", "pre${env:X}", None,
    1, 2.5, True, ("tuple", "${env:X}"), "",
]  # fmt: skip


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.3:
        return rng.choice(LEAVES)
    if roll < 0.7:
        return {rng.choice([*KEYS, 1, True]): random_value(rng, depth - 1) for _ in range(5)}
    if roll < 0.95:
        return [random_value(rng, depth - 1) for _ in range(rng.randrange(5))]
    return {}


def random_spec(rng: random.Random) -> dict[Any, Any]:
    spec = {rng.choice(KEYS): random_value(rng, 5) for _ in range(6)}
    # The bundled kinds' secret places, filled with anything.
    spec["config"] = {"credentials": random_value(rng, 4), "other": random_value(rng, 3)}
    spec["destination_tenant_api_key"] = random_value(rng, 2)
    spec["encryption_passphrase"] = random_value(rng, 2)
    return spec


def test_the_bundled_kinds_find_what_every_leaf_finds() -> None:
    rng = random.Random(12)
    resources = [
        Resource(
            Address(KINDS[i % 4], f"r{i}"),
            None,
            random_spec(rng),
            location=SourceLocation("m.yaml", i + 1, 1),
            locations={"/spec": SourceLocation("m.yaml", i + 1, 3)},
        )
        for i in range(400)
    ]
    expected = expected_findings(resources)
    assert len(expected) > 200  # the random specs do hold secret literals
    assert list(secrets_are_references(resources)) == expected


SCHEMA: dict[str, Any] = {
    "type": "object",
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "key": {"type": "string", "x-secret": True},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
        }
    },
    "properties": {
        "top": {"type": "string", "x-secret": True},
        "whole": {"type": "object", "x-secret": True},
        "list": {"type": "array", "items": {"type": "object", "properties": {
            "token": {"x-secret": True}, "name": {"type": "string"}}}},
        "tree": {"$ref": "#/$defs/node"},
        "by_pattern": {"type": "object", "patternProperties": {
            "^.*password$": {"x-secret": True}, "^plain": {"type": "string"}}},
        "map": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "api_key": {"x-secret": True}}}},
        "skip": {"type": "array", "items": {"type": "object"}},
    },
}  # fmt: skip


def schema_value(rng: random.Random, depth: int) -> Any:
    keys = ["top", "whole", "list", "tree", "by_pattern", "map", "skip", "key", "children",
            "token", "name", "db_password", "plain", "api_key", "other", "*"]  # fmt: skip
    roll = rng.random()
    if depth == 0 or roll < 0.25:
        return rng.choice(LEAVES)
    if roll < 0.7:
        return {rng.choice(keys): schema_value(rng, depth - 1) for _ in range(4)}
    return [schema_value(rng, depth - 1) for _ in range(rng.randrange(4))]


def test_every_kind_of_rule_path_is_walked_to() -> None:
    rules = build_semantics("Test", SCHEMA)
    assert any("**" in path for path in rules.secret_paths())
    walk = _SecretLeaves(rules)
    rng = random.Random(5)
    total = 0
    for _ in range(300):
        spec = schema_value(rng, 6)
        expected = secret_leaves(rules, spec)
        total += len(expected)
        assert walk.of(spec) == expected
    assert total > 500


def test_a_kind_without_secret_rules_is_not_walked() -> None:
    rules = build_semantics("Plain", {"type": "object", "properties": {"a": {"type": "string"}}})
    assert _SecretLeaves(rules).of({"a": "x", "b": [{"password": "literal"}]}) == []
