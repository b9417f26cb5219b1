from __future__ import annotations

import httpx

from syncform.http import ApiClient
from syncform.providers.tines.http import TINES
from syncform.secrets.scrubber import Scrubber


def test_registered_secrets_are_masked_everywhere() -> None:
    scrubber = Scrubber(("alpha-secret",))
    scrubber.add("beta/secret+1")
    text = 'a=alpha-secret b="beta/secret+1" c=beta%2Fsecret%2B1'
    assert scrubber.scrub(text) == 'a=*** b="***" c=***'


def test_longer_secret_containing_a_shorter_one_is_masked_whole() -> None:
    scrubber = Scrubber(("abcdefgh", "abcdefgh-ijkl"))
    assert scrubber.scrub("x abcdefgh-ijkl y abcdefgh") == "x *** y ***"


def test_bearer_and_basic_credentials_are_masked_even_when_unknown() -> None:
    scrubber = Scrubber()
    assert scrubber.scrub("Authorization: Bearer eyJhbGciOi.x.y") == "Authorization: Bearer ***"
    assert scrubber.scrub('{"h": "bearer abc123"}') == '{"h": "bearer ***"}'
    assert scrubber.scrub("Basic dXNlcjpwYXNzd29yZA==") == "Basic ***"
    assert scrubber.scrub("Basic auth is off") == "Basic auth is off"


def test_json_escaped_secret_is_masked() -> None:
    scrubber = Scrubber(('quote"secret',))
    assert scrubber.scrub('{"v": "quote\\"secret"}') == '{"v": "***"}'


def test_empty_values_are_ignored_and_membership_works() -> None:
    scrubber = Scrubber()
    scrubber.add("")
    scrubber.add(None)
    scrubber.add("token-1")
    assert "token-1" in scrubber
    assert scrubber.scrub("nothing here") == "nothing here"


def test_client_registers_its_own_token_in_a_shared_scrubber() -> None:
    shared = Scrubber()
    ApiClient(
        "https://acme.tines.com",
        vendor=TINES,
        token="own-token-9",
        scrubber=shared,
        transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    ).close()
    assert shared.scrub("x own-token-9 y") == "x *** y"
