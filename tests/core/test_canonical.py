"""Canonical JSON: the fast paths (exact JSON types, values already canonical) give what the
plain recursive definition gives, and `canonical` still copies."""

from __future__ import annotations

import json
import random
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import pytest

from syncform.core.canonical import as_set, canonical, canonical_json, fingerprint
from syncform.core.records import UNREADABLE, DeferredValue, SecretValue, digest_marker

pytestmark = pytest.mark.timeout(30)


def reference_canonical(value: Any) -> Any:
    if isinstance(value, SecretValue):
        return digest_marker(value.digest)
    if isinstance(value, DeferredValue):
        return {"$ref": value.ref}
    if value is UNREADABLE:
        return {"$unreadable": True}
    if isinstance(value, Mapping):
        return {str(key): reference_canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [reference_canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def reference_json(value: Any) -> str:
    return json.dumps(
        reference_canonical(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=repr,
    )


class Text(str):
    pass


class Other:
    def __repr__(self) -> str:
        return "Other()"


LEAVES: list[Any] = [
    "a", "é\"\\\n\x01 !", "", 0, -3, 10**30, 1.0, 2.5, -0.0, float("nan"), float("inf"),
    True, False, None, SecretValue("${env:X}", "ab"), DeferredValue("${ref:K/n.id}"),
    UNREADABLE, Text("sub"), Other(),
]  # fmt: skip
KEYS: list[Any] = ["k", "b", "a/b", "é", 1, True, None, 2.0]


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.35:
        return rng.choice(LEAVES)
    if roll < 0.6:
        return {rng.choice(KEYS): random_value(rng, depth - 1) for _ in range(3)}
    if roll < 0.65:
        return OrderedDict(b=random_value(rng, depth - 1), a=1)
    if roll < 0.9:
        return [random_value(rng, depth - 1) for _ in range(rng.randrange(4))]
    return (random_value(rng, depth - 1), 1.0)


VALUES = [random_value(random.Random(seed), 4) for seed in range(400)]


def test_canonical_json_matches_the_definition() -> None:
    for value in VALUES:
        assert canonical_json(value) == reference_json(value)
        assert json.dumps(canonical(value), default=repr) == json.dumps(
            reference_canonical(value), default=repr
        )
        assert fingerprint(value).startswith("sha256:")
    ordered = [canonical_json(value) for value in as_set(VALUES)]
    assert ordered == sorted(reference_json(value) for value in VALUES)


def test_canonical_copies_its_input() -> None:
    plain: dict[str, Any] = {"a": [1, {"b": "c"}], "d": {"e": None}}
    copied = canonical(plain)
    assert copied == plain
    assert copied is not plain
    assert copied["a"] is not plain["a"]
    assert copied["a"][1] is not plain["a"][1]
    assert copied["d"] is not plain["d"]
