"""Canonical JSON helpers shared by the provider mappings: set ordering, fingerprints.

Every function here is pure: it copies, never mutates its input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from syncform.engine.inputs import DeferredValue, SecretValue


def _opaque(value: object) -> object:
    """How values JSON cannot hold sort and hash: never a secret's value (there is none)."""
    if isinstance(value, SecretValue):
        return {"$secret": value.ref}
    if isinstance(value, DeferredValue):
        return {"$ref": value.ref}
    return repr(value)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces: equal JSON values give equal text."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_opaque
    )


def as_set(items: Iterable[Any]) -> list[Any]:
    """A list compared as a set, in one deterministic order (by canonical JSON)."""
    return sorted(items, key=canonical_json)


def fingerprint(payload: Any) -> str:
    """sha256 of the canonical JSON of a payload."""
    return "sha256:" + hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def json_value(value: Any) -> Any:
    """A JSON value the API may echo as JSON text ("5", "{\\"a\\":1}") read back as JSON.

    Applied to both sides, so `5` and `"5"` compare equal: the API's echo cannot be told apart.
    """
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def without_none(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A copy without the keys whose value is None (unset)."""
    return {key: value for key, value in mapping.items() if value is not None}


def without_keys(mapping: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    dropped = frozenset(keys)
    return {key: value for key, value in mapping.items() if key not in dropped}
