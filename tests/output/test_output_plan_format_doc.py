from __future__ import annotations

from jsonschema import Draft202012Validator

from syncform.engine.plan import FORMAT_VERSION
from tests.kit.formats import documented_example, format_doc, format_schema, undocumented_fields

DOC = format_doc("plan-format")
SCHEMA = format_schema("plan")


def test_every_schema_field_is_documented() -> None:
    assert undocumented_fields(DOC, SCHEMA) == []


def test_the_documented_example_validates() -> None:
    document = documented_example(DOC)
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    assert document["format_version"] == FORMAT_VERSION


def test_doc_names_the_current_version_and_schema_id() -> None:
    assert f"format version {FORMAT_VERSION}" in DOC
    assert SCHEMA["$id"] in DOC
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
