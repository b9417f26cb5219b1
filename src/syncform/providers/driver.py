"""A kind's driver: everything syncform knows about one kind, in one record.

- reading: how to list the kind's live objects on a connection (and fetch one in full when the
  list is light), the natural keys that adopt an object with no state, the fingerprint that
  tells a stale plan, the optimistic-concurrency version and the health notes;
- the ONE normalisation pair: `normalise_live` turns a vendor payload into the manifest's spec
  shape, `normalise_desired` puts a desired (or last applied) spec in the same shape. Reading,
  planning, apply's verification and drift all compare through it;
- planning: the create / update / delete request builders and the replace triggers the schema
  cannot express; apply: how to read the created object's id out of a create response;
- export: the write-only secrets a live object needs in its manifest (`export_secrets`), which
  `syncform export` writes as `${env:}` placeholders;
- offline: the kind's traits (provider, implicit links, extra checks) and its vendor's HTTP
  profile (rate limit, auth and version headers, error-message shape).

It satisfies `syncform.engine.driver.PlanningDriver`, so the planner can use it without
importing providers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from syncform.core.canonical import fingerprint
from syncform.core.kinds import KindTraits
from syncform.core.pointer import split_pointer
from syncform.core.records import Desired, StateRecord
from syncform.core.resources import Lifecycle
from syncform.engine.drift import HealthStatus
from syncform.engine.driver import Normalise
from syncform.engine.requests import Built, UpdateInput
from syncform.http import ApiClient, VendorProfile
from syncform.manifests.config import Connection

Payload = dict[str, Any]
Key = tuple[Any, ...]


def no_replace_triggers(desired: Desired, state: StateRecord | None) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class SecretHint:
    """A write-only secret a live object needs in its exported manifest (never read back)."""

    pointer: str  # where it goes in the spec
    variable: str  # the environment variable its `${env:}` placeholder names
    about: str  # what to set the variable to


def no_export_secrets(raw: Mapping[str, Any], connection: Connection) -> tuple[SecretHint, ...]:
    return ()


def no_health(raw: Mapping[str, Any]) -> tuple[str, ...]:
    return ()


def no_health_status(raw: Mapping[str, Any]) -> HealthStatus:
    return HealthStatus()


def no_version(raw: Mapping[str, Any]) -> Any:
    return None


def id_of(payload: Mapping[str, Any]) -> str:
    """The `id` of an object (or of the `data` it is wrapped in)."""
    data = payload.get("data")
    found = data.get("id") if isinstance(data, Mapping) else payload.get("id")
    if found is None:
        raise ValueError("the response holds no id")
    return str(found)


@dataclass(frozen=True)
class KindDriver:
    traits: KindTraits
    vendor: VendorProfile
    list_live: Callable[[ApiClient, Connection], list[Payload]]
    candidate_key: Callable[[Payload, Connection], Key | None]  # None: never adopt by key
    desired_key: Callable[[Mapping[str, Any]], Key]
    normalise_live: Normalise
    normalise_desired: Normalise
    create: Callable[[Desired], Built]
    update: Callable[[UpdateInput], Built]
    delete: Callable[[str, Lifecycle], Built]
    replace_triggers: Callable[[Desired, StateRecord | None], tuple[str, ...]] = no_replace_triggers
    created_id: Callable[[Mapping[str, Any]], str] = id_of
    write_only: tuple[str, ...] = ()  # JSON Pointers the API never returns
    fetch_one: Callable[[ApiClient, str], Payload] | None = None  # list items are light
    health: Callable[[Mapping[str, Any]], tuple[str, ...]] = no_health
    health_status: Callable[[Mapping[str, Any]], HealthStatus] = no_health_status  # for drift
    version: Callable[[Mapping[str, Any]], Any] = no_version
    fingerprint: Callable[[Mapping[str, Any]], str] = fingerprint
    export_secrets: Callable[[Payload, Connection], tuple[SecretHint, ...]] = no_export_secrets

    @property
    def kind(self) -> str:
        return self.traits.kind

    @staticmethod
    def remote_id(item: Mapping[str, Any]) -> str:
        return str(item.get("id"))

    def strip_write_only(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of `spec` without the fields the API never returns (API keys, credentials)."""
        result = dict(spec)
        for pointer in self.write_only:
            _remove(result, split_pointer(pointer))
        return result


def _remove(data: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        data.pop(head, None)
        return
    child = data.get(head)
    if isinstance(child, Mapping):
        copied = dict(child)
        _remove(copied, rest)
        data[head] = copied
