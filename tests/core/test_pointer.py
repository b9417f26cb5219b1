"""The pointer walkers: each fast variant yields exactly what the plain recursive definition
does, in the same order, on random nested data with keys that need escaping."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from syncform.core.pointer import (
    copy_tree,
    escape_segment,
    has_leaf,
    iter_leaves,
    iter_strings,
    iter_strings_containing,
    join_pointer,
    map_leaves,
    pointer_of,
    split_pointer,
    unescape_segment,
)

pytestmark = pytest.mark.timeout(30)


class Marker:
    """A leaf that is no JSON (as a SecretValue is)."""


def reference_leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            segment = str(key).replace("~", "~0").replace("/", "~1")
            yield from reference_leaves(item, f"{pointer}/{segment}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from reference_leaves(item, f"{pointer}/{index}")
    else:
        yield pointer, value


KEYS = ["a", "b/c", "~x", "a~1b", "${env:X}", "", "ünï", "k"]
LEAVES: list[Any] = [
    "plain",
    "${ref:Kind/n.id}",
    "x${y",
    "",
    None,
    1,
    2.5,
    True,
    "é/~",
    Marker(),
    "$${lit}",
]


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.3:
        return rng.choice(LEAVES)
    if roll < 0.6:
        return {rng.choice(KEYS) + str(i % 3): random_value(rng, depth - 1) for i in range(4)}
    if roll < 0.8:
        return [random_value(rng, depth - 1) for _ in range(rng.randrange(4))]
    if roll < 0.9:
        return tuple(random_value(rng, depth - 1) for _ in range(2))
    return {}


VALUES = [random_value(random.Random(seed), 5) for seed in range(300)]
VALUES += [{1: "int key", False: ["bool key"]}, "top", None, [], {}, [[[]]], Marker()]
# Containers large enough to be looked at whole before a walk, with and without a match inside.
VALUES += [
    [{"k": f"v{i}"} for i in range(20)] + [{"deep": ["a", "${ref}", "x/~y"]}],
    {"big": [str(i) for i in range(10)], "hit": {"n": ["plain"] * 9 + ['say "${"']}},
    {"marked": [Marker()] + ["${in a walk}"] * 9},
]


@pytest.mark.parametrize("prefix", ["", "/spec"])
def test_the_walkers_match_the_recursive_definition(prefix: str) -> None:
    for value in VALUES:
        expected = list(reference_leaves(value, prefix))
        strings = [(p, v) for p, v in expected if isinstance(v, str)]
        assert list(iter_leaves(value, prefix)) == expected
        assert list(iter_strings(value, prefix)) == strings
        for needle in ("${", "/", "~", "plain", '"', "absent"):
            wanted = [(p, v) for p, v in strings if needle in v]
            assert list(iter_strings_containing(value, needle, prefix)) == wanted
        for types in (Marker, (bool, Marker), float):
            assert has_leaf(value, types) == any(isinstance(v, types) for _, v in expected)
        seen: list[tuple[str, Any]] = []

        def record(pointer: str, leaf: Any, seen: list[tuple[str, Any]] = seen) -> str:
            seen.append((pointer, leaf))
            return pointer

        assert copy_tree(value) == map_leaves(value, lambda _, leaf: leaf)
        mapped = map_leaves(value, record, prefix)
        assert seen == expected
        assert [leaf for _, leaf in reference_leaves(mapped)] == [p for p, _ in expected]


def test_segments_escape_and_round_trip() -> None:
    for segment in ["", "a", "a/b", "~", "~1", "a~0/b", "/~/"]:
        assert unescape_segment(escape_segment(segment)) == segment
        assert escape_segment(segment) == segment.replace("~", "~0").replace("/", "~1")
    assert join_pointer("/a", "b/c") == "/a/b~1c"
    assert join_pointer("", 0) == "/0"
    assert pointer_of(("a", "b/c", 0)) == "/a/b~1c/0"
    assert split_pointer("/a/b~1c/~0d/0") == ["a", "b/c", "~d", "0"]
    assert split_pointer("/a/b") == ["a", "b"]
    assert split_pointer("") == []
    with pytest.raises(ValueError):
        split_pointer("a")
