"""The fast plain build and the located build agree on every document (generated and quirky)."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from syncform.manifests import yaml_loader
from syncform.manifests.yaml_loader import parse_documents, to_plain

# Scalars whose YAML 1.1 reading is not what it looks like, written plain and quoted.
TRICKY_SCALARS = [
    "yes", "no", "on", "off", "y", "n", "~", "null", "Null", "true", "False",
    "0x1F", "0o17", "017", "1_000", "+12", "-0", ".inf", "-.Inf", ".nan", "1e5", "1.5e+3",
    "2024-09-01", "2024-09-01 10:00:00", "12:30:00", "190:20:30", "0b101", "${env:X}",
    "*star", "a: b", "#hash", "", " lead", "trail ", "multi\nline", "tab\there", "é€",
]  # fmt: skip


def random_value(rng: random.Random, depth: int) -> Any:
    pick = rng.random()
    if depth > 3 or pick < 0.45:
        scalars = [rng.choice(TRICKY_SCALARS), rng.randint(-(10**20), 10**20), rng.random() * 1e6]
        return rng.choice([*scalars, True, False, None, f"word{rng.randint(0, 99)}"])
    if pick < 0.7:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = rng.sample(TRICKY_SCALARS + [f"k{i}" for i in range(8)], rng.randint(0, 5))
    return {key: random_value(rng, depth + 1) for key in keys}


def located(text: str) -> list[Any]:
    """The reference: every document built the located way (the fast path's fallback)."""
    documents = yaml_loader._documents(text, "m.yaml", yaml_loader._built_located)
    return [to_plain(data) for _, data, _, _ in documents]


@pytest.mark.parametrize("seed", range(40))
def test_generated_documents_build_the_same_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    documents = [{"spec": random_value(rng, 0)} for _ in range(3)]
    style = rng.choice([None, True, False])
    text = yaml.safe_dump_all(documents, default_flow_style=style, allow_unicode=rng.random() < 0.5)
    fast = [document.data for document in parse_documents(text, "m.yaml")]
    assert fast == located(text)
    assert fast == documents  # and both read back what was written


QUIRKY = [
    "a: yes\nb: 0o17\nc: 0x1F\nd: 1_000\ne: .inf\nf: ~\ng: 2024-09-01\n",
    "base: &b {x: 1}\nother: *b\nlist: [*b, *b]\n",
    "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\n",
    "a: 1\na: 2\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float '1'\n",
    "a: !!int abc\n",
    "a: !!binary aGVsbG8=\n",
    "? [1, 2]\n: complex key\n",
    "1: int key\ntrue: bool key\n~: null key\n1.5: float key\n",
    "text: '*not an alias'\n",
    "a: " + "9" * 5000 + "\n",
]


@pytest.mark.parametrize("text", QUIRKY)
def test_quirky_documents_build_the_same_both_ways(text: str) -> None:
    fast = parse_documents(text, "m.yaml")
    assert [document.data for document in fast] == located(text)


def test_a_document_with_a_problem_is_built_the_located_way_and_reported() -> None:
    (document,) = parse_documents("a: 1\nb: {c: 2, c: 3}\n", "m.yaml")
    assert document.data == {"a": 1, "b": {"c": 2}}
    assert [(p.rule, str(p.location)) for p in document.problems] == [
        ("yaml.duplicate-key", "m.yaml:2:11")
    ]
