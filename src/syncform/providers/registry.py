"""What reading needs per kind: how to list, identify, fetch and normalise its live objects.

`normalise_desired(kind, spec)` and `normalise_live(kind, payload)` are the pure pair the diff
relies on: an object that matches its manifest normalises to the same data on both sides (apart
from write-only fields, which only the desired side has; `strip_write_only` removes them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from syncform.config import Connection
from syncform.errors import SyncformError
from syncform.http import ApiClient
from syncform.providers.canonical import fingerprint
from syncform.providers.polytomic import mapping as polytomic
from syncform.providers.polytomic.client import PolytomicClient
from syncform.providers.tines import mapping as tines
from syncform.providers.tines.client import TinesClient
from syncform.providers.truto import mapping as truto
from syncform.providers.truto.client import TrutoClient

Payload = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class KindProvider:
    """The read side of one kind.

    `list_live` walks the kind's list endpoint once per connection. When `fetch_one` is set the
    list items are light (Polytomic) and each matched object is then read in full by id.
    `candidate_key` is a list item's natural key, or None when the item may not be adopted by
    natural key (e.g. a Truto integration of another team).
    """

    kind: str
    list_live: Callable[[ApiClient, Connection], list[Payload]]
    candidate_key: Callable[[Payload, Connection], Key | None]
    desired_key: Callable[[Mapping[str, Any]], Key]
    live_spec: Callable[[Mapping[str, Any]], dict[str, Any]]
    normalise_desired: Callable[[Mapping[str, Any]], dict[str, Any]]
    write_only: tuple[str, ...] = ()  # JSON Pointers
    fetch_one: Callable[[ApiClient, str], Payload] | None = None
    health: Callable[[Mapping[str, Any]], tuple[str, ...]] = lambda raw: ()
    version: Callable[[Mapping[str, Any]], Any] = lambda raw: None
    fingerprint: Callable[[Mapping[str, Any]], str] = fingerprint

    @staticmethod
    def remote_id(item: Mapping[str, Any]) -> str:
        return str(item.get("id"))


def _own_integration_key(item: Payload, connection: Connection) -> Key | None:
    """Adoptable by name only when owned by the connection's configured team."""
    if connection.team_id is None or truto.integration_team(item) != connection.team_id:
        return None
    return truto.integration_natural_key(item)


PROVIDERS: dict[str, KindProvider] = {
    tines.KIND: KindProvider(
        kind=tines.KIND,
        list_live=lambda api, _: TinesClient(api).list_sync_destinations(),
        candidate_key=lambda item, _: tines.natural_key(tines.live_spec(item)),
        desired_key=tines.natural_key,
        live_spec=tines.live_spec,
        normalise_desired=tines.normalise_desired,
        write_only=tuple(f"/{name}" for name in tines.WRITE_ONLY),
        health=tines.health,
        fingerprint=tines.raw_fingerprint,
    ),
    truto.INTEGRATION_KIND: KindProvider(
        kind=truto.INTEGRATION_KIND,
        list_live=lambda api, c: TrutoClient(api, c.integration_path).list_integrations(),
        candidate_key=_own_integration_key,
        desired_key=truto.integration_natural_key,
        live_spec=truto.integration_live_spec,
        normalise_desired=truto.integration_normalise_desired,
        write_only=tuple(f"/config/{name}" for name in truto.WRITE_ONLY_CONFIG_KEYS),
        version=lambda raw: raw.get("version"),
    ),
    truto.SYNC_JOB_KIND: KindProvider(
        kind=truto.SYNC_JOB_KIND,
        list_live=lambda api, c: TrutoClient(api, c.integration_path).list_sync_jobs(),
        candidate_key=lambda item, _: truto.sync_job_natural_key(item),
        desired_key=truto.sync_job_natural_key,
        live_spec=truto.sync_job_live_spec,
        normalise_desired=truto.sync_job_normalise_desired,
    ),
    polytomic.KIND: KindProvider(
        kind=polytomic.KIND,
        list_live=lambda api, _: PolytomicClient(api).list_syncs(),
        candidate_key=lambda item, _: polytomic.natural_key(item),
        desired_key=polytomic.natural_key,
        live_spec=polytomic.live_spec,
        normalise_desired=polytomic.normalise_desired,
        write_only=tuple(f"/{name}" for name in polytomic.WRITE_ONLY),
        fetch_one=lambda api, ident: PolytomicClient(api).get_sync(ident),
    ),
}


def provider_for(kind: str) -> KindProvider:
    try:
        return PROVIDERS[kind]
    except KeyError:
        raise SyncformError(f"no provider reads kind {kind!r}") from None


def normalise_desired(kind: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A desired spec in the shape live specs are normalised to (pure; secrets and refs kept)."""
    return provider_for(kind).normalise_desired(spec)


def normalise_live(kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """A live payload (a full object) reduced to the manifest's normalised spec shape."""
    return provider_for(kind).live_spec(payload)


def strip_write_only(kind: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `spec` without the fields the API never returns (API keys, credentials, ...)."""
    result = dict(spec)
    for pointer in provider_for(kind).write_only:
        _remove_pointer(result, pointer.split("/")[1:])
    return result


def _remove_pointer(data: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        data.pop(head, None)
        return
    child = data.get(head)
    if isinstance(child, Mapping):
        copied = dict(child)
        _remove_pointer(copied, rest)
        data[head] = copied
