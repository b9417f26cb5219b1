"""The scrubber: whole values masked at any length, text only for secrets long enough."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from syncform.secrets.scrubber import MASK, MIN_MASKABLE_LENGTH, Scrubber

SECRET = "s3cret/value+with space"


def test_every_encoding_of_a_secret_is_masked_in_text() -> None:
    scrubber = Scrubber((SECRET,))
    raw = SECRET.encode()
    forms = [SECRET, json.dumps(SECRET)[1:-1], quote(SECRET, safe=""), quote_plus(SECRET)]
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        forms += [encoded.decode(), encoded.decode().rstrip("=")]
    for form in forms:
        assert scrubber.scrub(f"echo {form}.") == f"echo {MASK}.", form


def test_a_short_secret_is_masked_only_as_a_whole_value() -> None:
    scrubber = Scrubber(("1",))
    document = {"id": "1", "count": 1, "path": "/items/10", "list": ["1", "21"]}
    assert scrubber.mask_value(document, "(sensitive)") == {
        "id": "(sensitive)", "count": 1, "path": "/items/10", "list": ["(sensitive)", "21"],
    }  # fmt: skip
    assert scrubber.scrub('{"id": "1", "n": 10}') == '{"id": "1", "n": 10}'
    assert "1" in scrubber


def test_a_long_secret_is_masked_inside_values_and_the_threshold_is_eight() -> None:
    assert MIN_MASKABLE_LENGTH == 8
    scrubber = Scrubber(("abcdefgh", "abcdefg"))
    assert scrubber.mask_value(["x-abcdefgh-y", "x-abcdefg-y"]) == ["x-***-y", "x-abcdefg-y"]


def test_values_are_not_scrubbed_of_credential_patterns_but_text_is() -> None:
    scrubber = Scrubber()
    assert scrubber.mask_value({"value": "Bearer {{token}}"}) == {"value": "Bearer {{token}}"}
    assert scrubber.scrub("Authorization: Bearer abc.def") == "Authorization: Bearer ***"


def test_the_reference_of_a_value_is_kept_first_come() -> None:
    scrubber = Scrubber()
    scrubber.add("token-value-1")
    scrubber.add("token-value-1", "${env:TOKEN}")
    scrubber.add("token-value-1", "${env:OTHER}")
    assert scrubber.reference_of("token-value-1") == "${env:TOKEN}"
    assert scrubber.reference_of("unknown") is None
