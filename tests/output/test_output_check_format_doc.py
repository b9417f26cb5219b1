"""docs/check-format.md and schemas/check.schema.json agree with each other and with the output."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from syncform.core.address import Address
from syncform.core.resources import Lifecycle, Resource
from syncform.engine.check_report import CheckReport
from syncform.engine.compare import compare_manifests
from syncform.output.check_json import CHECK_FORMAT_VERSION, check_to_dict
from syncform.providers.registry import DRIVERS
from syncform.schemas.semantics import semantics_for
from tests.kit.formats import documented_example, format_doc, format_schema, undocumented_fields
from tests.kit.gitrepo import TINES_DESTINATION

DOC = format_doc("check-format")
SCHEMA = format_schema("check")
VALIDATOR = Draft202012Validator(SCHEMA)


def test_every_schema_field_is_documented() -> None:
    assert undocumented_fields(DOC, SCHEMA) == []


def test_the_documented_example_validates() -> None:
    document = documented_example(DOC)
    assert list(VALIDATOR.iter_errors(document)) == []
    assert document["format_version"] == CHECK_FORMAT_VERSION


def test_a_real_report_validates() -> None:
    def resource(name: str, team: int, **lifecycle: Any) -> Resource:
        spec = {**TINES_DESTINATION, "destination_team_id": team}
        return Resource(Address("TinesSyncDestination", name), None, spec, Lifecycle(**lifecycle))

    base = [resource("a", 1), resource("b", 2, protect=True), resource("c", 3)]
    head = [resource("a", 9, protect=True), resource("d", 3)]
    rules = {kind: semantics_for(kind) for kind in DRIVERS}
    comparisons = compare_manifests(base, head, DRIVERS, rules)
    report = CheckReport("main", "ab" * 20, False, (), 1, 2, comparisons)
    document = check_to_dict(report, tool_version="0.0.0")
    assert list(VALIDATOR.iter_errors(document)) == []
    assert {c["action"] for c in document["resource_changes"]} == {"replace", "delete", "create"}
