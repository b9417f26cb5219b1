"""A documented output format: its doc page and JSON Schema, read the same way for every one."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def format_doc(name: str) -> str:
    """docs/NAME.md"""
    return (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")


def format_schema(name: str) -> dict[str, Any]:
    """schemas/NAME.schema.json"""
    schema: dict[str, Any] = json.loads(
        (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


def property_names(node: Any) -> set[str]:
    """Every property name declared anywhere in a schema."""
    names: set[str] = set()
    if isinstance(node, dict):
        names.update(node.get("properties", {}))
        for value in node.values():
            names |= property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= property_names(value)
    return names


def undocumented_fields(doc: str, schema: dict[str, Any]) -> list[str]:
    """Schema properties the doc never names as `name`."""
    return sorted(name for name in property_names(schema) if f"`{name}`" not in doc)


def documented_example(doc: str) -> Any:
    """The first ```json block of the doc, parsed."""
    example = re.search(r"```json\n(.*?)\n```", doc, re.DOTALL)
    assert example is not None, "the doc has no JSON example"
    return json.loads(example.group(1))
