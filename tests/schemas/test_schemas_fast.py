"""The compiled fast path (schemas/fast.py) agrees with the Python validator.

A compiled "valid" skips the Python validator, so the two must agree on every document: valid
documents from the kit and the examples, and thousands of broken ones (wrong types, missing and
extra properties, other enum and const values, strings that break patterns and formats, switched
`if` branches, 2,000-item lists). Every pattern of the bundle is compared, after translation, with
Python's `re` on strings built around the characters where the dialects differ.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from jsonschema import Draft202012Validator

from syncform.schemas import config_schema, fast, manifest_schema, spec_schema
from syncform.schemas.loader import iter_schema_files, read_schema, schema_files
from syncform.schemas.validation import bundled_registry, is_valid, iter_schema_issues
from tests.kit.specs import manifests

REPO = Path(__file__).resolve().parents[2]
UUID = "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11"
KINDS = sorted(name for name in schema_files() if name not in ("manifest", "config"))

# Characters where regex dialects or format checkers tend to differ.
AWKWARD = (
    [chr(code) for code in range(0x80)]
    + list("\x85\xa0\xad\xe9\xff\u0130\u1680\u180e\u200b\u2028\u2029\u202f\u205f\u3000")
    + [chr(code) for code in range(0x2000, 0x200B)]
    + ["\ufeff", "\uffff", "\U0001f600", "\u212a", "\u017f"]
)
UUID_VARIANTS = [
    UUID,
    UUID.upper(),
    UUID.replace("-", ""),
    "{" + UUID + "}",
    UUID + "}",
    "urn:uuid:" + UUID,
    UUID + "\n",
    " " + UUID,
    UUID + " ",
    UUID[:-1] + "_",
    UUID[:-2] + "_1",
    UUID[:-2] + "-1" + UUID[-2:],
    UUID[:9] + "urn:" + UUID[9:],
    UUID[:-1],
    UUID + "0",
    UUID.replace("-", "_"),
    "0x" + UUID[2:],
    UUID[:-1] + "g",
    "",
]


def python_validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        schema, registry=bundled_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def compiled(schema: dict[str, Any]) -> fast.FastCheck:
    check = fast.compiled(schema["$id"])
    assert check is not None, schema["$id"]
    return check


# -- documents -----------------------------------------------------------------------------


def _yaml_documents(relative: str) -> list[Any]:
    text = (REPO / relative).read_text(encoding="utf-8")
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def example_manifests() -> list[dict[str, Any]]:
    found = []
    for path in sorted((REPO / "examples").rglob("*.yaml")):
        for document in _yaml_documents(str(path.relative_to(REPO))):
            if isinstance(document, dict) and document.get("kind") in KINDS:
                found.append(document)
    for address, spec in manifests().items():
        found.append({"apiVersion": "syncform/v1", "kind": address.kind,
                      "metadata": {"name": address.name}, "spec": spec})  # fmt: skip
    return found


def big_polytomic(count: int = 2000) -> dict[str, Any]:
    spec = next(s for a, s in manifests().items() if a.kind == "PolytomicModelSync")
    spec["fields"] = [
        {"source": {"model_id": UUID, "field": f"column_{n:04d}"}, "target": f"Field{n:04d}"}
        for n in range(count)
    ]
    return {"apiVersion": "syncform/v1", "kind": "PolytomicModelSync",
            "metadata": {"name": "big"}, "spec": spec}  # fmt: skip


def example_configs() -> list[dict[str, Any]]:
    config = _yaml_documents("examples/syncform.yaml")[0]
    postgres = copy.deepcopy(config)
    postgres["state"] = {"backend": "postgres", "dsn": "${env:DSN}", "schema": "syncform"}
    remote = copy.deepcopy(config)
    remote["connections"]["tines-acme"] = {
        "provider": "tines", "url": "https://acme.tines.com", "token": "${env:T}"}  # fmt: skip
    remote["defaults"] = {"parallelism": 4, "run_deadline_seconds": 0.5}
    return [config, postgres, remote]


def _schema_values(node: Any) -> Iterator[Any]:
    """Every enum and const value of the bundle: replacements that switch `if` branches."""
    if isinstance(node, dict):
        if "const" in node:
            yield node["const"]
        yield from node.get("enum", []) if isinstance(node.get("enum"), list) else []
        for value in node.values():
            yield from _schema_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_values(value)


SCHEMA_VALUES = [v for name in iter_schema_files() for v in _schema_values(read_schema(name))]
OTHER_TYPES = [None, 7, 0, -1, 65, "x", "", [1], [], {"a": 1}, {}, True, False, -1.5, 1.0, 1e20]


def _strings_mutated(rng: random.Random, text: str) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return rng.choice(UUID_VARIANTS)
    if choice == 1:
        where = rng.randrange(len(text) + 1)
        return text[:where] + rng.choice(AWKWARD) + text[where:]
    if choice == 2:
        return text + "\n"
    if choice == 3:
        return text.upper() if text != text.upper() else text.lower()
    if choice == 4:
        return text[: rng.randrange(len(text) + 1)]
    if choice == 5:
        return "${ref:PolytomicModelSync/a.id}" if rng.random() < 0.5 else "${env:NAME}"
    return text * 70


def _replacement(rng: random.Random, value: Any) -> Any:
    if isinstance(value, str) and rng.random() < 0.6:
        return _strings_mutated(rng, value)
    if rng.random() < 0.5:
        return copy.deepcopy(rng.choice(SCHEMA_VALUES))
    return copy.deepcopy(rng.choice(OTHER_TYPES))


def mutated(rng: random.Random, document: dict[str, Any]) -> dict[str, Any]:
    """One change somewhere: a value replaced, a key removed or added, or a list grown."""
    changed = copy.deepcopy(document)
    node: Any = changed
    while True:
        key: Any = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        child = node[key]
        if isinstance(child, dict | list) and child and rng.random() < 0.75:
            node = child
            continue
        action = rng.randrange(10)
        if action == 0 and isinstance(node, dict):
            del node[key]
        elif action == 1 and isinstance(node, dict):
            node[rng.choice(["extra", "nmae", key + "s", "x-secret"])] = _replacement(rng, child)
        elif action == 2 and isinstance(node, list):
            node.extend(copy.deepcopy(node[key]) for _ in range(rng.choice([1, 300])))
        elif action == 3 and isinstance(node, list):
            node.append(_replacement(rng, node[key]))
        else:
            node[key] = _replacement(rng, child)
        return changed


def cases(seed: int, documents: list[dict[str, Any]], per_document: int) -> list[Any]:
    rng = random.Random(seed)
    found: list[Any] = list(documents)
    for document in documents:
        for _ in range(per_document):
            one = mutated(rng, document)
            found.append(one)
            if rng.random() < 0.3:
                found.append(mutated(rng, one))  # two changes
    return found


def _assert_agree(schema: dict[str, Any], instances: list[Any]) -> tuple[int, int]:
    python, check = python_validator(schema), compiled(schema)
    valid = invalid = 0
    for instance in instances:
        expected = python.is_valid(instance)
        assert check(instance) == expected, (schema["$id"], instance)
        assert is_valid(instance, schema) == expected
        valid, invalid = valid + expected, invalid + (not expected)
    return valid, invalid


# -- documents: both validators agree --------------------------------------------------------


def test_the_envelope_agrees_on_valid_and_broken_manifests() -> None:
    documents = example_manifests()
    instances = cases(20, documents, 150)
    switched = []
    for document in documents:  # every spec under every kind: the if/then branches
        for kind in KINDS:
            switched.append({**document, "kind": kind})
        switched.append({**document, "lifecycle": {"keep_stories_on_delete": True}})
    valid, invalid = _assert_agree(manifest_schema(), instances + switched)
    assert valid > 20 and invalid > 1000


def test_each_kind_schema_agrees_on_its_specs() -> None:
    for kind in KINDS:
        specs = [d["spec"] for d in example_manifests() if d["kind"] == kind]
        assert specs, kind
        valid, invalid = _assert_agree(spec_schema(kind), cases(21, specs, 250))
        assert valid > len(specs) and invalid > 200, kind


def test_the_config_schema_agrees() -> None:
    valid, invalid = _assert_agree(config_schema(), cases(22, example_configs(), 400))
    assert valid > 10 and invalid > 300


def test_huge_lists_agree_and_one_bad_item_among_2000_is_found() -> None:
    big = big_polytomic()
    rng = random.Random(23)
    broken = []
    for _ in range(12):
        one = copy.deepcopy(big)
        field = rng.choice(one["spec"]["fields"])
        part = rng.choice(["source", "target"])
        field[part] = _replacement(rng, field[part])
        broken.append(one)
    bad_uuid = copy.deepcopy(big)
    bad_uuid["spec"]["fields"][1999]["source"]["model_id"] = UUID.replace("-", "")
    valid, invalid = _assert_agree(manifest_schema(), [big, bad_uuid, *broken])
    assert valid >= 1 and invalid >= 1


def test_formats_are_the_python_checkers_own() -> None:
    schema = spec_schema("PolytomicModelSync")
    base = next(s for a, s in manifests().items() if a.kind == "PolytomicModelSync")
    instances = []
    for variant in UUID_VARIANTS:
        spec = copy.deepcopy(base)
        spec["fields"][0]["source"]["model_id"] = variant
        instances.append(spec)
    valid, invalid = _assert_agree(schema, instances)
    assert valid >= 4 and invalid >= 4  # the Python checker's lax forms pass in both


def test_the_sufficient_format_patterns_only_admit_what_python_accepts() -> None:
    rng = random.Random(24)
    for name, pattern in fast.SUFFICIENT.items():
        rust = jsonschema_rs.validator_for({"pattern": pattern})
        samples = [*UUID_VARIANTS, *(_strings_mutated(rng, UUID) for _ in range(3000))]
        for text in samples:
            if rust.is_valid(text):
                assert Draft202012Validator.FORMAT_CHECKER.conforms(text, name), text


def test_documents_outside_plain_json_take_the_python_path() -> None:
    schema = config_schema()
    config = example_configs()[2]
    odd: list[Any] = []
    for value in [float("inf"), float("-inf"), float("nan"), 2**70, -(2**70), (1, 2)]:
        odd.append({**config, "defaults": {"parallelism": value}})
        odd.append({**config, "defaults": {"run_deadline_seconds": value}})
    odd.append({**config, "connections": {1: config["connections"]["truto"]}})
    odd.append({**config, "state": {"path": "a\ud800b"}})
    odd.append({**config, "kind": type("Text", (str,), {})("Config")})
    python = python_validator(schema)
    for instance in odd:
        assert not fast.fast_is_valid(instance, schema["$id"]), instance
        assert is_valid(instance, schema) == python.is_valid(instance)
    assert fast.plain_json(config)
    assert fast.fast_is_valid(config, schema["$id"])


def test_deep_documents_take_the_python_path() -> None:
    """The compiled validator recurses on the native stack: 20,000 levels would crash it."""
    schema = spec_schema("TrutoIntegration")
    for depth, fast_path in [(fast.MAX_DEPTH - 4, True), (100, False), (20_000, False)]:
        nested: dict[str, Any] = {}
        for _ in range(depth):
            nested = {"a": nested}
        spec = {"name": "acme_crm", "category": "crm",
                "config": {"label": "A", "credentials": nested}}  # fmt: skip
        assert fast.fast_is_valid(spec, schema["$id"]) is fast_path, depth
        if depth < 1000:  # the Python validator recurses too
            assert is_valid(spec, schema) and python_validator(schema).is_valid(spec)


def test_findings_are_the_python_validators_own(monkeypatch: pytest.MonkeyPatch) -> None:
    instances = cases(25, example_manifests(), 20)
    with_fast = [list(iter_schema_issues(i, manifest_schema())) for i in instances]
    monkeypatch.setattr("syncform.schemas.validation.fast_is_valid", lambda *_: False)
    without = [list(iter_schema_issues(i, manifest_schema())) for i in instances]
    assert with_fast == without
    assert sum(1 for issues in with_fast if issues) > 20


# -- patterns ------------------------------------------------------------------------------


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        yield from node.get("patternProperties", {})
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


ALL_PATTERNS = sorted({p for name in iter_schema_files() for p in _patterns(read_schema(name))})
SEEDS = [
    "https://dr.acme.tines.com", "https://a.b/", "http://127.0.0.1:8080/x", "http://[::1]/",
    "emulator://examples/truto", "${env:A}", "${file:tokens/a}", "${ref:TrutoIntegration/a.name}",
    "1.0", "1.25", "a" * 40, "0123456789abcdef" * 3, "TrutoSyncJob/crm-contacts", "/fields/*/x",
    "/a~0b/~1", "2025-09-18", "/", "acme_crm", "x", "a.b-c_d", "client_secret", "apiKey", "A1",
    "syncform", "schema_1", ".syncform/state.db", "Kind/name", "", "a/b", "${x:y}",
]  # fmt: skip


def pattern_samples(pattern: str) -> list[str]:
    """Strings near the edge of `pattern`: corpus strings with awkward characters put in."""
    corpus = set(SEEDS)
    for document in example_manifests() + example_configs():
        corpus.update(_strings(document))
    python = re.compile(pattern)
    bases = sorted(s for s in corpus if python.search(s))[:12] + sorted(corpus)[:6]
    assert any(python.search(s) for s in bases), f"no seed matches {pattern}"
    samples = set(bases)
    for base in bases:
        for char in AWKWARD:
            for where in {0, 1, len(base) // 2, max(len(base) - 1, 0), len(base)}:
                samples.add(base[:where] + char + base[where:])
            samples.add(base[:-1] + char if base else char)
        samples.add(base + "\n")
        samples.add(base + "\r\n")
    return sorted(samples)


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_each_translated_pattern_matches_what_python_matches(pattern: str) -> None:
    translated = fast.translate_pattern(pattern)
    assert translated is not None, pattern  # else its schemas lose the fast path
    rust = jsonschema_rs.validator_for({"pattern": translated})
    python = re.compile(pattern)
    samples = pattern_samples(pattern)
    differing = [s for s in samples if rust.is_valid(s) != bool(python.search(s))]
    assert differing == [], (pattern, differing[:5])


def test_untranslated_patterns_would_differ_in_the_dangerous_direction() -> None:
    """Why patterns are translated: Rust accepts a URL Python refuses, and the reverse."""
    url = "^https://[^\\s/?#]+/?$"
    raw = jsonschema_rs.validator_for({"pattern": url})
    assert raw.is_valid("https://a\x1cb") and not re.search(url, "https://a\x1cb")
    assert raw.is_valid("https://a\x85b") and not re.search(url, "https://a\x85b")
    assert not raw.is_valid("https://a.b\n") and re.search(url, "https://a.b\n")
    assert fast.translate_pattern(url) is not None


def test_python_whitespace_is_what_re_s_matches_and_the_rust_class_matches() -> None:
    space = re.compile(r"\s")
    listed = {c for low, high in fast.PYTHON_WHITESPACE for c in range(low, high + 1)}
    found = {code for code in range(0x110000) if space.match(chr(code))}
    assert found == listed
    outside = fast.translate_pattern(r"^\s$")
    negated = fast.translate_pattern(r"^[^\s]$")
    assert outside and negated
    rust_in = jsonschema_rs.validator_for({"pattern": outside[: -len("\\n?$")] + "$"})
    rust_out = jsonschema_rs.validator_for({"pattern": negated[: -len("\\n?$")] + "$"})
    for code in [*range(0x3100), 0xFEFF, 0xFFFF, 0x1F600, 0x10FFFF]:
        assert rust_in.is_valid(chr(code)) == (code in listed), hex(code)
        assert rust_out.is_valid(chr(code)) == (code not in listed), hex(code)


@pytest.mark.parametrize(
    "pattern",
    [r"\d", r"\w+", r"\bx", r"(?i)a", r"(?=a)", r"a$b", r"a++", r"[[a]]", r"[a&&b]", r"[]a]",
     r"a{", r"x{,3}", r"\1", r"[\S]", "é", r"\p{L}", r"[a-z"],
)  # fmt: skip
def test_constructs_not_shown_equal_are_not_translated(pattern: str) -> None:
    assert fast.translate_pattern(pattern) is None


def test_a_schema_reaching_an_untranslatable_pattern_stays_on_the_python_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = "https://syncform.dev/schemas/"
    documents: dict[str, dict[str, Any]] = {
        base + "a.json": {"$id": base + "a.json", "properties": {"b": {"$ref": "b.json"}}},
        base + "b.json": {"$id": base + "b.json", "pattern": r"^\w+$"},
        base + "c.json": {"$id": base + "c.json", "pattern": r"^\s+$"},
    }
    translated = {uri: _or_none(doc) for uri, doc in documents.items()}
    refs = {base + "a.json": {base + "b.json"}, base + "b.json": set(), base + "c.json": set()}
    monkeypatch.setattr(fast, "_bundle", lambda: (translated, refs))
    fast.compiled.cache_clear()
    try:
        assert fast.compiled(base + "a.json") is None
        assert fast.compiled(base + "b.json") is None
        check = fast.compiled(base + "c.json")
        assert check is not None and check(" \x1c") and not check("x")
    finally:
        fast.compiled.cache_clear()


def _or_none(document: dict[str, Any]) -> Any:
    try:
        return fast.translated_schema(document)
    except Exception:
        return None


def test_every_bundled_schema_has_a_compiled_validator() -> None:
    for name in iter_schema_files():
        assert fast.compiled(read_schema(name)["$id"]) is not None, name
