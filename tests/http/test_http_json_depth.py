"""json_depth measures nesting as the plain recursive definition does, on random parsed JSON."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from syncform.http.response import json_depth


def depth_by_definition(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_by_definition, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_by_definition, value), default=0)
    return 0


def random_json(rng: random.Random, budget: int) -> Any:
    if budget <= 0 or rng.random() < 0.3:
        return rng.choice([1, "x", None, True, 2.5])
    children = [random_json(rng, budget - rng.randint(1, 3)) for _ in range(rng.randint(0, 4))]
    if rng.random() < 0.5:
        return children
    return {f"k{index}": child for index, child in enumerate(children)}


@pytest.mark.parametrize("seed", range(30))
def test_depth_matches_the_recursive_definition(seed: int) -> None:
    value = json.loads(json.dumps(random_json(random.Random(seed), 12)))
    assert json_depth(value) == depth_by_definition(value)


def test_scalars_have_no_depth_and_empty_containers_one() -> None:
    values: list[Any] = [None, 3, "s", [], {}, [[]], {"a": {}}]
    assert [json_depth(value) for value in values] == [0, 0, 0, 1, 1, 2, 2]
