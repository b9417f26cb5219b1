"""Polytomic's Idempotency-Key: the first outcome is replayed, concurrent reuse is 409."""

from __future__ import annotations

import re

from syncform.emulator.http_types import EmulatorResponse, VendorError

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,255}")


def check_key(key: str) -> None:
    if not KEY_PATTERN.fullmatch(key):
        raise VendorError(
            400,
            "Idempotency-Key must be 8-255 characters of letters, digits, '_' or '-'",
            key="invalid_idempotency_key",
        )


class IdempotencyStore:
    """Outcomes by (scope, key); the caller holds the app lock."""

    def __init__(self) -> None:
        self._outcomes: dict[tuple[str, str], EmulatorResponse] = {}
        self._in_flight: set[tuple[str, str]] = set()

    def begin(self, scope: str, key: str) -> EmulatorResponse | None:
        """The stored outcome to replay, or None once the key is reserved for this request."""
        check_key(key)
        slot = (scope, key)
        if slot in self._outcomes:
            return self._outcomes[slot]
        if slot in self._in_flight:
            raise VendorError(
                409,
                "A request with this Idempotency-Key is already in progress",
                key="idempotency_conflict",
            )
        self._in_flight.add(slot)
        return None

    def finish(self, scope: str, key: str, response: EmulatorResponse) -> None:
        self._in_flight.discard((scope, key))
        self._outcomes[(scope, key)] = response

    def clear(self) -> None:
        self._outcomes.clear()
        self._in_flight.clear()
