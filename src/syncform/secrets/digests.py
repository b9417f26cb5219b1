"""Keyed hashing of secrets, so state can tell that a secret changed without ever holding it.

The state key comes from `SYNCFORM_STATE_KEY` when it is set, else from a key file `state.key`
next to the state database, created on first use with 32 random bytes and mode 0600.

`SYNCFORM_STATE_KEY`: a value of exactly 64 hex digits is read as 32 raw bytes (the same form
the key file holds, so its content can be copied into a CI secret); any other non-empty value is
used as its UTF-8 bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from syncform.core.canonical import canonical_json
from syncform.core.errors import FileRefused, StateError
from syncform.core.files import open_regular_file, write_file_atomically
from syncform.core.pointer import join_pointer, split_pointer
from syncform.core.records import SecretValue, digest_marker, is_digest_marker

DIGEST_PREFIX = "hmac-sha256:"
STATE_KEY_ENV = "SYNCFORM_STATE_KEY"
KEY_FILE_NAME = "state.key"
_KEY_BYTES = 32
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
_MAX_KEY_FILE_BYTES = 4096

SecretPredicate = Callable[[str], bool]


class SecretHasher:
    """HMAC-SHA256 of secret values under the state key."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise StateError("the state key is empty")
        self._key = key

    def __repr__(self) -> str:
        return "SecretHasher(<key hidden>)"

    def digest(self, value: str) -> str:
        mac = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256)
        return DIGEST_PREFIX + mac.hexdigest()


def load_state_key(
    state_dir: Path, environ: Mapping[str, str], *, create_if_missing: bool = True
) -> bytes:
    """The state key: from the environment, else from (or into) `<state_dir>/state.key`."""
    from_env = environ.get(STATE_KEY_ENV)
    if from_env is not None:
        return _key_from_text(from_env, source=STATE_KEY_ENV)
    key_file = state_dir / KEY_FILE_NAME
    if not key_file.exists():
        if not create_if_missing:
            raise StateError(f"no state key: set {STATE_KEY_ENV} or create {key_file}")
        _create_key_file(key_file)
    return _read_key_file(key_file)


def _key_from_text(text: str, *, source: str) -> bytes:
    value = text.strip()
    if not value:
        raise StateError(f"{source} is empty")
    if _HEX_KEY.fullmatch(value):
        return bytes.fromhex(value)
    return value.encode("utf-8")


def _create_key_file(key_file: Path) -> None:
    """Write a new key into place, never half-written; a key another process wrote first wins."""
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = (secrets.token_bytes(_KEY_BYTES).hex() + "\n").encode("ascii")
    try:
        write_file_atomically(key_file, data, 0o600, replace=False)
    except FileRefused as exc:
        raise StateError(f"state key file {exc.message}") from exc
    except OSError as exc:
        raise StateError(f"cannot create state key file {key_file}: {exc.strerror}") from exc


def _read_key_file(key_file: Path) -> bytes:
    try:
        with open_regular_file(key_file, follow_links=False) as handle:
            mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            data = handle.read(_MAX_KEY_FILE_BYTES)
    except FileRefused as exc:
        raise StateError(f"state key file {exc.message}") from exc
    except OSError as exc:
        raise StateError(f"cannot read state key file {key_file}: {exc.strerror}") from exc
    if mode & 0o077:
        raise StateError(
            f"state key file {key_file} is accessible by group or others "
            f"(mode {mode:04o}); run `chmod 600 {key_file}`"
        )
    text = data.decode("ascii", errors="replace").strip()
    if not _HEX_KEY.fullmatch(text):
        raise StateError(f"state key file {key_file} does not hold 64 hex digits")
    return bytes.fromhex(text)


def redact_secrets(
    spec: Mapping[str, Any],
    secret_paths: Iterable[str] | SecretPredicate,
    hasher: SecretHasher,
) -> dict[str, Any]:
    """A copy of `spec` with every secret replaced by `{"$digest": "hmac-sha256:..."}`.

    Secrets are named by JSON Pointers (`/config/*/token`, `*` matching any key or index) or by a
    predicate over the pointer. A `SecretValue` anywhere is replaced by its digest regardless.
    """
    is_secret = secret_paths if callable(secret_paths) else _pointer_matcher(tuple(secret_paths))
    redacted = _redact(dict(spec), "", is_secret, hasher)
    assert isinstance(redacted, dict)
    return redacted


def _redact(value: Any, pointer: str, is_secret: SecretPredicate, hasher: SecretHasher) -> Any:
    if isinstance(value, SecretValue):
        return digest_marker(value.digest)
    if pointer and is_secret(pointer) and value is not None and not is_digest_marker(value):
        text = value if isinstance(value, str) else canonical_json(value)
        return digest_marker(hasher.digest(text))
    if isinstance(value, Mapping):
        return {
            key: _redact(item, join_pointer(pointer, str(key)), is_secret, hasher)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            _redact(item, f"{pointer}/{index}", is_secret, hasher)
            for index, item in enumerate(value)
        ]
    return value


def _pointer_matcher(patterns: tuple[str, ...]) -> SecretPredicate:
    split_patterns = [split_pointer(pattern) for pattern in patterns]

    def matches(pointer: str) -> bool:
        segments = split_pointer(pointer)
        return any(
            len(pattern) == len(segments)
            and all(want in ("*", got) for want, got in zip(pattern, segments, strict=True))
            for pattern in split_patterns
        )

    return matches
