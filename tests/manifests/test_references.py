from __future__ import annotations

import pytest

from syncform.core.address import Address
from syncform.core.pointer import iter_strings
from syncform.secrets.references import ReferenceSyntaxError, parse_reference


@pytest.mark.parametrize(
    ("text", "scheme", "target", "field"),
    [
        ("${env:TINES_KEY}", "env", "TINES_KEY", ""),
        ("${file:../secrets/key}", "file", "../secrets/key", ""),
        ("${ref:PolytomicModelSync/contacts.id}", "ref", "PolytomicModelSync/contacts", "id"),
    ],
)
def test_parses_each_scheme(text: str, scheme: str, target: str, field: str) -> None:
    reference = parse_reference(text)
    assert reference is not None
    assert (reference.scheme, reference.target, reference.field) == (scheme, target, field)


def test_ref_exposes_its_address() -> None:
    reference = parse_reference("${ref:TrutoIntegration/crm.id}")
    assert reference is not None and reference.address == Address("TrutoIntegration", "crm")


@pytest.mark.parametrize("text", ["plain", "cost $5", "$${env:NOT_A_REF}", "{{args.x}}"])
def test_plain_strings_are_not_references(text: str) -> None:
    assert parse_reference(text) is None


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("${env:1BAD}", "NAME"),
        ("${file:}", "PATH"),
        ("${ref:Kind.name}", "ref"),
        ("${vault:x}", "unknown reference scheme"),
        ("prefix-${env:X}", "whole value"),
    ],
)
def test_malformed_references_explain_themselves(text: str, hint: str) -> None:
    with pytest.raises(ReferenceSyntaxError, match=hint):
        parse_reference(text)


def test_iter_strings_yields_json_pointers() -> None:
    data = {"a": ["x", {"b/c": "y"}], "n": 1}
    assert list(iter_strings(data)) == [("/a/0", "x"), ("/a/1/b~1c", "y")]
