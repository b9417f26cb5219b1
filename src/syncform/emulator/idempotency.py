"""Polytomic's Idempotency-Key: the first outcome is replayed, concurrent reuse is 409.

A key belongs to the method and path it was first used with: reusing it on another endpoint
is 422, as the IETF Idempotency-Key draft that Polytomic's 409 follows prescribes for a key
reused with a different request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syncform.emulator.http_types import EmulatorResponse, VendorError

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,255}")


@dataclass(frozen=True)
class IdempotencySlot:
    """Who sent the key (scope), the key, and the endpoint (`METHOD /path`) it was sent to."""

    scope: str
    key: str
    endpoint: str

    @property
    def ident(self) -> tuple[str, str]:
        return self.scope, self.key


def check_key(key: str) -> None:
    if not KEY_PATTERN.fullmatch(key):
        raise VendorError(
            400,
            "Idempotency-Key must be 8-255 characters of letters, digits, '_' or '-'",
            key="invalid_idempotency_key",
        )


def _check_endpoint(first: str, slot: IdempotencySlot) -> None:
    if first != slot.endpoint:
        raise VendorError(
            422,
            f"Idempotency-Key was first used for {first} and cannot be reused for {slot.endpoint}",
            key="idempotency_key_reused",
            details={"first_used_for": first},
        )


class IdempotencyStore:
    """Outcomes by (scope, key), with the endpoint each key belongs to; the caller locks."""

    def __init__(self) -> None:
        self._outcomes: dict[tuple[str, str], EmulatorResponse] = {}
        self._endpoints: dict[tuple[str, str], str] = {}
        self._in_flight: set[tuple[str, str]] = set()

    def begin(self, slot: IdempotencySlot) -> EmulatorResponse | None:
        """The stored outcome to replay, or None once the key is reserved for this request."""
        check_key(slot.key)
        first = self._endpoints.setdefault(slot.ident, slot.endpoint)
        _check_endpoint(first, slot)
        if slot.ident in self._outcomes:
            return self._outcomes[slot.ident]
        if slot.ident in self._in_flight:
            raise VendorError(
                409,
                "A request with this Idempotency-Key is already in progress",
                key="idempotency_conflict",
            )
        self._in_flight.add(slot.ident)
        return None

    def finish(self, slot: IdempotencySlot, response: EmulatorResponse) -> None:
        self._in_flight.discard(slot.ident)
        self._outcomes[slot.ident] = response

    def clear(self) -> None:
        self._outcomes.clear()
        self._endpoints.clear()
        self._in_flight.clear()
