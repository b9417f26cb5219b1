"""docs/drift-format.md and schemas/drift.schema.json agree with each other and with the code."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from syncform.output.drift_json import FORMAT_VERSION
from tests.kit.formats import documented_example, format_doc, format_schema, undocumented_fields

DOC = format_doc("drift-format")
SCHEMA = format_schema("drift")


def test_every_schema_field_is_documented() -> None:
    assert undocumented_fields(DOC, SCHEMA) == []


def test_the_documented_example_validates() -> None:
    document = documented_example(DOC)
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    assert document["format_version"] == FORMAT_VERSION


def test_doc_names_the_current_version() -> None:
    assert f"format version {FORMAT_VERSION}" in DOC
