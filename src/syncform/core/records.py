"""The records the planner consumes: desired (resolved), live (normalised) and state.

These are the seams between layers:
- the resolver turns a manifest `Resource` into a `Desired` (secrets and refs resolved or deferred);
- a provider turns a vendor payload into a `LiveObject` (normalised to the manifest's spec shape);
- the state store returns a `StateRecord` per address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syncform.core.address import Address
from syncform.core.resources import Lifecycle, Resource

DIGEST_KEY = "$digest"
"""How state and plans hold a secret: `{"$digest": "hmac-sha256:..."}`, never the value."""


def digest_marker(digest: str) -> dict[str, str]:
    return {DIGEST_KEY: digest}


def is_digest_marker(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {DIGEST_KEY}


class Unreadable:
    """A live value the API keeps but never shows (redacted or stripped on read).

    Reading puts `UNREADABLE` where such a value stands; planning then takes what syncform last
    applied there as the live value, since nothing else can be known about it.
    """

    _instance: Unreadable | None = None

    def __new__(cls) -> Unreadable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = Unreadable()


@dataclass(frozen=True)
class SecretValue:
    """A secret inside a desired spec: never the value, only its reference and keyed hash."""

    ref: str  # "${env:NAME}" or "${file:PATH}"
    digest: str  # HMAC-SHA256 hex of the value under the state key

    def __repr__(self) -> str:
        return f"SecretValue({self.ref})"


@dataclass(frozen=True)
class DeferredValue:
    """A `${ref:Kind/name.field}` whose target does not exist yet: known after apply."""

    ref: str  # "${ref:Kind/name.field}"

    @property
    def address(self) -> Address:
        body = self.ref[len("${ref:") : -1]
        target, _, _ = body.rpartition(".")
        return Address.parse(target)

    @property
    def field(self) -> str:
        return self.ref[len("${ref:") : -1].rpartition(".")[2]


@dataclass(frozen=True)
class Desired:
    """A manifest resource with its spec resolved for comparison.

    In `spec`, secret fields hold `SecretValue`, and `${ref:}` values hold the referenced live value
    when it exists, else a `DeferredValue`.
    """

    resource: Resource
    connection: str
    spec: dict[str, Any]

    @property
    def address(self) -> Address:
        return self.resource.address


@dataclass(frozen=True)
class LiveObject:
    """A live object read from a vendor API, reduced to the manifest's spec shape."""

    address: Address
    remote_id: str
    spec: dict[str, Any]  # normalised; write-only fields absent
    found_by: str  # "state" | "natural_key" | "import"
    fingerprint: str  # sha256 of the canonical raw payload, for stale-plan checks
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    version: Any = None  # optimistic-concurrency token where the API has one (Truto)
    health: tuple[str, ...] = ()  # e.g. Tines subscriptions that failed: not drift, reported apart


@dataclass(frozen=True)
class StateRecord:
    """What the state store keeps per address. Secrets only as keyed digests."""

    address: Address
    connection: str
    remote_id: str
    applied_spec: dict[str, Any]  # last applied spec; each secret replaced by {"$digest": hex}
    created_at: str = ""
    updated_at: str = ""
    # lifecycle of the last applied manifest: protects (and keeps stories of) a resource whose
    # manifest was removed, since only state knows about it then
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    # what it depended on when last applied: a resource whose manifest was removed is deleted
    # before the resources it depended on, and after those that depended on it
    depends_on: tuple[Address, ...] = ()
