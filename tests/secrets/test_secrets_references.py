"""The reference scan: `reference_strings` is `iter_strings` filtered to the strings holding
`${`, whatever the data (its C-speed pre-check of large containers must never hide one), and
`secret_references` is every env or file reference among them."""

from __future__ import annotations

import random
from typing import Any

import pytest

from syncform.core.pointer import iter_strings
from syncform.secrets.references import (
    ReferenceSyntaxError,
    parse_reference,
    reference_strings,
    secret_references,
)

pytestmark = pytest.mark.timeout(30)


class Text(str):
    """A string subclass: marshal refuses it, so the container holding it is walked."""


class Mapping_(dict[Any, Any]):
    """A dict subclass (marshal refuses it too)."""


class Marker:
    """A leaf that is no JSON."""


KEYS: list[Any] = ["a", "b/c", "~x", "${env:KEY}", "", "ünï", 1, True, None, 2.5]
LEAVES: list[Any] = [
    "plain",
    "${env:TOKEN}",
    "${file:key.txt}",
    "${ref:TrutoIntegration/crm.id}",
    "${env:1BAD}",
    "x${y",
    "$${lit}",
    "prefix-${env:X}",
    "${vault:x}",
    "ü${env:X}",
    "\udcff${env:X}",  # a lone surrogate: marshal writes it with surrogatepass
    Text("${env:SUB}"),
    Text("plain"),
    b"${not a string}",
    None,
    1,
    10**4000,
    2.5,
    float("nan"),
    True,
    Marker(),
    frozenset({"${env:IN_A_SET}"}),  # a leaf, not walked: iter_strings skips it too
    "",
]


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.3:
        return rng.choice(LEAVES)
    if roll < 0.55:
        items = {rng.choice(KEYS): random_value(rng, depth - 1) for _ in range(rng.randrange(12))}
        return Mapping_(items) if rng.random() < 0.05 else items
    if roll < 0.8:
        return [random_value(rng, depth - 1) for _ in range(rng.randrange(20))]
    if roll < 0.9:
        return tuple(random_value(rng, depth - 1) for _ in range(rng.randrange(10)))
    # A large plain container: the case the pre-check skips when it holds no `${`.
    return [f"column_{i}" for i in range(rng.randrange(8, 40))] + [rng.choice(LEAVES)]


VALUES = [random_value(random.Random(seed), 5) for seed in range(400)]
VALUES += [
    "${env:TOP}",
    "top",
    None,
    [],
    {},
    Marker(),
    {"fields": [{"target": f"F{i}"} for i in range(2000)]},
    {"fields": [{"target": f"F{i}"} for i in range(2000)] + [{"target": "${env:LAST}"}]},
    {"big": ["x"] * 50 + [Text("${env:HIDDEN}")]},
    {"big": ["x"] * 50 + [Marker(), ["${env:DEEP}"] * 9]},
    {"keys only": {"${env:NOT_A_VALUE}": 1, **{str(i): i for i in range(10)}}},
]


@pytest.mark.parametrize("prefix", ["", "/spec"])
def test_reference_strings_are_the_strings_holding_a_reference_start(prefix: str) -> None:
    for value in VALUES:
        expected = [(p, s) for p, s in iter_strings(value, prefix) if "${" in s]
        assert reference_strings(value, prefix) == expected


def test_no_string_without_a_reference_start_is_a_reference() -> None:
    """Why the scan may drop every other string: parse_reference returns None for them."""
    for value in VALUES:
        for _, text in iter_strings(value):
            if "${" not in text:
                assert parse_reference(text) is None


def test_secret_references_are_the_env_and_file_references() -> None:
    for value in VALUES:
        expected = []
        for pointer, text in iter_strings(value):
            try:
                reference = parse_reference(text)
            except ReferenceSyntaxError:
                continue
            if reference is not None and reference.is_secret_source:
                expected.append((pointer, reference))
        assert list(secret_references(value)) == expected


def test_a_reference_below_what_marshal_refuses_is_found() -> None:
    mappings: list[Any] = [{"target": f"F{i}"} for i in range(20)] + [Text("${env:SUB}")]
    assert reference_strings({"m": mappings}, "/spec") == [("/spec/m/20", "${env:SUB}")]
    odd: list[Any] = [Marker()] * 20 + [{"a/b": "${ref:Kind/name.id}"}]
    assert reference_strings({"m": odd}, "/spec") == [("/spec/m/20/a~1b", "${ref:Kind/name.id}")]
