"""Field semantics read from the schemas: immutability, list types, secrets, pointers."""

from __future__ import annotations

import pytest

from syncform.schemas.semantics import build_semantics, path_matches, semantics_for

TINES = semantics_for("TinesSyncDestination")
TRUTO = semantics_for("TrutoIntegration")
JOB = semantics_for("TrutoSyncJob")
POLYTOMIC = semantics_for("PolytomicModelSync")


def test_semantics_are_cached() -> None:
    assert semantics_for("TinesSyncDestination") is TINES


def test_natural_keys() -> None:
    assert TINES.natural_key == ("team_id", "destination_tenant_url", "destination_team_id")
    assert TRUTO.natural_key == ("name",)
    assert JOB.natural_key == ("label", "integration_name")
    assert POLYTOMIC.natural_key == ("name",)


def test_tines_immutable_fields() -> None:
    assert TINES.immutable_paths() == (
        ("destination_team_id",),
        ("destination_tenant_url",),
        ("team_id",),
    )
    assert TINES.is_immutable(("team_id",))
    assert not TINES.is_immutable(("story_ids",))
    assert not TINES.is_immutable(("manual_sync_only",))


def test_nothing_is_immutable_outside_tines() -> None:
    assert TRUTO.immutable_paths() == JOB.immutable_paths() == POLYTOMIC.immutable_paths() == ()


def test_secret_fields() -> None:
    assert TINES.secret_paths() == (("destination_tenant_api_key",),)
    assert POLYTOMIC.secret_paths() == (("encryption_passphrase",),)
    assert TINES.is_secret(("destination_tenant_api_key",))
    assert not TINES.is_secret(("destination_tenant_url",))
    assert JOB.secret_paths() == ()


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        (("config", "credentials", "client_secret"), True),
        (("config", "credentials", "oauth2", "config", "client_secret"), True),
        (("config", "credentials", "api_key", "config", "apiKey"), True),
        (("config", "credentials", "oauth2", "refresh_token", "value"), True),
        (("config", "credentials", "oauth2", "config", "fields", "*", "name"), False),
        (("config", "credentials", "oauth2", "config", "token_url"), False),
        (("config", "authorization", "config", "value"), False),
        (("config", "client_secret"), False),
    ],
)
def test_truto_credentials_secrets_at_any_depth(path: tuple[str, ...], secret: bool) -> None:
    assert TRUTO.is_secret(path) is secret


def test_list_types() -> None:
    assert TINES.list_type(("story_ids",)) == ("set", ())
    assert TINES.list_type(("team_id",)) is None
    for field in ("fields", "filters", "overrides", "override_fields", "policies"):
        assert POLYTOMIC.list_type((field,)) == ("set", ()), field
    assert POLYTOMIC.list_type(("schedule", "run_after", "sync_ids")) == ("set", ())
    assert POLYTOMIC.list_type(("schedule", "run_after", "bulk_sync_ids")) == ("set", ())


def test_truto_resources_list_type_follows_the_runtime_version() -> None:
    assert JOB.list_type(("resources",), {"default_runtime_version": 4}) == ("map", ("name",))
    for version in (1, 2, 3):
        assert JOB.list_type(("resources",), {"default_runtime_version": version}) == (
            "ordered",
            (),
        )
    # Without a spec every branch counts; the V4 rule comes first.
    assert JOB.list_type(("resources",)) == ("map", ("name",))
    assert JOB.list_type(("resources", "3", "resources_to_persist")) == ("set", ())


def test_read_only_and_write_only_fields() -> None:
    assert POLYTOMIC.is_read_only(("target", "search_values"))
    assert POLYTOMIC.is_read_only(("identity", "remote_field_type_id"))
    assert not POLYTOMIC.is_read_only(("target", "object"))
    assert POLYTOMIC.is_write_only(("target", "create", "name"))
    assert POLYTOMIC.is_write_only(("encryption_passphrase",))
    assert TINES.is_write_only(("destination_tenant_api_key",))
    assert not TINES.is_write_only(("story_ids",))


@pytest.mark.parametrize(
    ("semantics", "pointer", "expected"),
    [
        (TINES, "/manual_sync_only", True),
        (TINES, "/story_ids", True),
        (TINES, "/story_ids/0", True),
        (TINES, "/story_ids/*", True),
        (TINES, "/manual_sync", False),
        (TINES, "/team_id/x", False),
        (TINES, "", False),
        (TINES, "manual_sync_only", False),
        (POLYTOMIC, "/fields/*/sync_mode", True),
        (POLYTOMIC, "/fields/*/nope", False),
        (POLYTOMIC, "/target/configuration/ingestion_api", True),
        (POLYTOMIC, "/target/configuration/a/b/c", True),
        (POLYTOMIC, "/filters/0/value/anything", True),
        (POLYTOMIC, "/schedule/run_after/sync_ids", True),
        (POLYTOMIC, "/schedule/every", False),
        (POLYTOMIC, "/*/frequency", True),
        (TRUTO, "/config/label", True),
        (TRUTO, "/config/some_future_key/x", True),
        (TRUTO, "/config/credentials/oauth2/config/client_secret", True),
        (TRUTO, "/labels", False),
        (JOB, "/args_schema/webhook_id/required", True),
        (JOB, "/resources/*/config/id", True),
        (JOB, "/resources/*/resources_to_persist", True),
        (JOB, "/resources/0/bogus", False),
        (JOB, "/default_runtime_version/x", False),
    ],
)
def test_pointer_can_match(semantics: object, pointer: str, expected: bool) -> None:
    assert semantics.pointer_can_match(pointer) is expected  # type: ignore[attr-defined]


def test_escaped_pointer_segments() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}},
    }
    semantics = build_semantics("Test", schema)
    assert semantics.pointer_can_match("/a~1b")
    assert semantics.pointer_can_match("/c~0d")
    assert not semantics.pointer_can_match("/a/b")


def test_path_matching() -> None:
    assert path_matches(("a", "*", "c"), ("a", "7", "c"))
    assert path_matches(("a", "**", "c"), ("a", "c"))
    assert path_matches(("a", "**", "c"), ("a", "x", "y", "c"))
    assert not path_matches(("a", "**", "c"), ("a", "x", "d"))
    assert path_matches(("/^x+$/",), ("xxx",))
    assert not path_matches(("/^x+$/",), ("xy",))
    assert path_matches(("*",), ("*",))
    assert not path_matches(("a",), ("*",))  # in a field path, "*" is a list item
    assert path_matches(("a",), ("*",), wildcards=True)  # in a pointer, it matches any key
    assert not path_matches(("/secret$/",), ("*",))
    assert not path_matches(("a", "b"), ("a",))


def test_conditional_rules_of_a_handmade_schema() -> None:
    schema = {
        "type": "object",
        "properties": {"mode": {"type": "string"}, "items": {"type": "array"}},
        "if": {"properties": {"mode": {"const": "keyed"}}, "required": ["mode"]},
        "then": {"properties": {"items": {"x-list-type": "map", "x-list-map-keys": ["id"]}}},
        "else": {"properties": {"items": {"x-list-type": "set", "x-immutable": True}}},
    }
    semantics = build_semantics("Test", schema)
    assert semantics.list_type(("items",), {"mode": "keyed"}) == ("map", ("id",))
    assert semantics.list_type(("items",), {"mode": "other"}) == ("set", ())
    assert semantics.is_immutable(("items", "0"), {"mode": "other"})
    assert not semantics.is_immutable(("items",), {"mode": "keyed"})
