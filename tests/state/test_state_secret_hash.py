from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from syncform.core.errors import StateError
from syncform.core.records import SecretValue
from syncform.secrets.digests import SecretHasher, load_state_key, redact_secrets

HEX_KEY = "ab" * 32


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    state_dir = tmp_path / ".syncform"
    previous_umask = os.umask(0)  # even with no umask protection the file must be private
    try:
        first = load_state_key(state_dir, {})
    finally:
        os.umask(previous_umask)
    key_file = state_dir / "state.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == 32
    content = key_file.read_bytes()
    assert load_state_key(state_dir, {}) == first
    assert key_file.read_bytes() == content
    assert sorted(path.name for path in state_dir.iterdir()) == ["state.key"]


def test_missing_key_file_without_create_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="SYNCFORM_STATE_KEY"):
        load_state_key(tmp_path, {}, create_if_missing=False)
    assert list(tmp_path.iterdir()) == []


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "state.key"
    key_file.write_text(HEX_KEY + "\n")
    key_file.chmod(0o644)
    with pytest.raises(StateError, match=r"mode 0644.*chmod 600"):
        load_state_key(tmp_path, {})


def test_malformed_key_file_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "state.key"
    key_file.write_text("not a key\n")
    key_file.chmod(0o600)
    with pytest.raises(StateError, match="64 hex digits"):
        load_state_key(tmp_path, {})


def test_environment_key_wins_and_writes_nothing(tmp_path: Path) -> None:
    assert load_state_key(tmp_path, {"SYNCFORM_STATE_KEY": HEX_KEY}) == bytes.fromhex(HEX_KEY)
    assert load_state_key(tmp_path, {"SYNCFORM_STATE_KEY": "a passphrase"}) == b"a passphrase"
    assert list(tmp_path.iterdir()) == []


def test_key_file_content_works_as_environment_key(tmp_path: Path) -> None:
    from_file = load_state_key(tmp_path, {})
    copied = (tmp_path / "state.key").read_text()
    assert load_state_key(tmp_path / "other", {"SYNCFORM_STATE_KEY": copied}) == from_file


def test_empty_environment_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="empty"):
        load_state_key(tmp_path, {"SYNCFORM_STATE_KEY": "  "})


def test_digests_are_stable_and_keyed() -> None:
    digest = SecretHasher(b"key one").digest("s3cret")
    assert digest.startswith("hmac-sha256:")
    assert len(digest) == len("hmac-sha256:") + 64
    assert SecretHasher(b"key one").digest("s3cret") == digest
    assert SecretHasher(b"key two").digest("s3cret") != digest
    assert SecretHasher(b"key one").digest("s3cret!") != digest
    assert "key one" not in repr(SecretHasher(b"key one"))


def test_empty_key_is_refused() -> None:
    with pytest.raises(StateError):
        SecretHasher(b"")


def test_redact_by_pointer_with_wildcards() -> None:
    hasher = SecretHasher(b"k")
    spec = {
        "destination_tenant_api_key": "tines-key",
        "team_id": 7,
        "headers": [{"name": "a", "value": "v1"}, {"name": "b", "value": None}],
        "config": {"x/y": "slash-secret", "plain": "keep"},
    }
    redacted = redact_secrets(
        spec, ["/destination_tenant_api_key", "/headers/*/value", "/config/x~1y"], hasher
    )
    assert redacted == {
        "destination_tenant_api_key": {"$digest": hasher.digest("tines-key")},
        "team_id": 7,
        "headers": [
            {"name": "a", "value": {"$digest": hasher.digest("v1")}},
            {"name": "b", "value": None},
        ],
        "config": {"x/y": {"$digest": hasher.digest("slash-secret")}, "plain": "keep"},
    }
    assert spec["destination_tenant_api_key"] == "tines-key"  # input left alone


def test_redact_by_predicate_and_secret_values() -> None:
    hasher = SecretHasher(b"k")
    spec = {
        "token": "t0k",
        "nested": {"password": "pw", "already": {"$digest": "hmac-sha256:00"}},
        "ref": SecretValue(ref="${env:API_KEY}", digest="hmac-sha256:11"),
    }
    redacted = redact_secrets(
        spec, lambda pointer: pointer.endswith(("/password", "/already")), hasher
    )
    assert redacted == {
        "token": "t0k",
        "nested": {
            "password": {"$digest": hasher.digest("pw")},
            "already": {"$digest": "hmac-sha256:00"},
        },
        "ref": {"$digest": "hmac-sha256:11"},
    }


def test_non_string_secret_is_hashed_as_canonical_json() -> None:
    hasher = SecretHasher(b"k")
    first = redact_secrets({"s": {"b": 1, "a": 2}}, ["/s"], hasher)
    second = redact_secrets({"s": {"a": 2, "b": 1}}, ["/s"], hasher)
    assert first == second
    assert first["s"] == {"$digest": hasher.digest('{"a":2,"b":1}')}


def test_concurrent_first_use_agrees_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_state_key(tmp_path, {}), range(16)))
    assert len(keys) == 1
    assert [path.name for path in tmp_path.iterdir()] == ["state.key"]  # no temporary left
