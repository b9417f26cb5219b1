from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from syncform.engine.plan import FORMAT_VERSION

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))


def _property_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names.update(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_every_schema_field_is_documented() -> None:
    missing = sorted(name for name in _property_names(SCHEMA) if f"`{name}`" not in DOC)
    assert missing == []


def test_the_documented_example_validates() -> None:
    example = re.search(r"```json\n(.*?)\n```", DOC, re.DOTALL)
    assert example is not None
    document = json.loads(example.group(1))
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    assert document["format_version"] == FORMAT_VERSION


def test_doc_names_the_current_version_and_schema_id() -> None:
    assert f"format version {FORMAT_VERSION}" in DOC
    assert SCHEMA["$id"] in DOC
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
