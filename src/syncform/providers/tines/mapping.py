"""Tines sync destinations: live payload -> normalised spec, and desired spec normalisation.

Rules (so an object that matches its manifest compares equal):
- `team_id` is the API's `origin_team_id`;
- `destination_tenant_url` is normalised: lower-case scheme and host, default port and trailing
  slash dropped;
- `story_ids` is a set, read from `subscriptions[].story.id`, sorted;
- `destination_tenant_api_key` is write-only: never in a live spec;
- `manual_sync_only` missing from a response (older servers) is unknown, so it is left out rather
  than read as false;
- subscription status (`failed`, `requires_sync`) is health, not configuration;
- an exported destination needs its API key unless it syncs to the connection's own tenant (which
  an `emulator://` connection cannot tell: it has no tenant URL, so every destination asks for one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from syncform.core.canonical import as_set, canonical_json, fingerprint
from syncform.engine.drift import HealthStatus
from syncform.manifests.config import Connection
from syncform.providers.driver import SecretHint
from syncform.secrets.references import env_name

KIND = "TinesSyncDestination"
WRITE_ONLY = ("destination_tenant_api_key",)
_DEFAULT_PORTS = {"https": 443, "http": 80}
_TINES_HOSTS = ".tines.com"


def normalise_tenant_url(url: str) -> str:
    """`HTTPS://Dr.Acme.Tines.com:443/` -> `https://dr.acme.tines.com`; text that is no URL (a
    bad port, an unclosed `[`) is kept as written, stripped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path.rstrip('/')}"


def is_same_tenant(destination_tenant_url: str, own_tenant_url: str) -> bool:
    """Whether a destination points back at the connection's own tenant (no API key needed)."""
    return normalise_tenant_url(destination_tenant_url) == normalise_tenant_url(own_tenant_url)


def live_spec(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest-shaped spec of one sync destination object."""
    spec: dict[str, Any] = {
        "team_id": raw.get("origin_team_id"),
        "destination_tenant_url": normalise_tenant_url(str(raw.get("destination_tenant_url", ""))),
        "destination_team_id": raw.get("destination_team_id"),
        "story_ids": as_set(_story_ids(raw)),
    }
    if raw.get("manual_sync_only") is not None:
        spec["manual_sync_only"] = bool(raw["manual_sync_only"])
    return spec


def _story_ids(raw: Mapping[str, Any]) -> list[int]:
    found = []
    for subscription in raw.get("subscriptions") or []:
        story = subscription.get("story") or {}
        if story.get("id") is not None:
            found.append(int(story["id"]))
    return found


def export_secrets(raw: Mapping[str, Any], connection: Connection) -> tuple[SecretHint, ...]:
    """The API key of a remote destination, one variable per destination tenant."""
    url = normalise_tenant_url(str(raw.get("destination_tenant_url", "")))
    if is_same_tenant(url, connection.url):
        return ()
    host = (urlsplit(url).hostname or url).removesuffix(_TINES_HOSTS)
    about = f"an API key of the destination tenant {url} (remote sync)"
    return (SecretHint(f"/{WRITE_ONLY[0]}", env_name("tines", host, "api_key"), about),)


def health(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """One line per subscription that is not `synced`."""
    return tuple(
        _health_note(subscription)
        for subscription in raw.get("subscriptions") or []
        if subscription.get("status") not in (None, "synced")
    )


def health_status(raw: Mapping[str, Any]) -> HealthStatus:
    """Failed subscriptions are failing; ones not synced yet are settling, unless syncs are
    manual (`manual_sync_only`: they wait for a person, as they should)."""
    subscriptions = raw.get("subscriptions") or []
    failing = [s for s in subscriptions if s.get("status") == "failed"]
    waiting = [] if raw.get("manual_sync_only") else [
        s for s in subscriptions if s.get("status") == "requires_sync"
    ]  # fmt: skip
    return HealthStatus(
        tuple(_health_note(s) for s in failing), tuple(_health_note(s) for s in waiting)
    )


def _health_note(subscription: Mapping[str, Any]) -> str:
    story = subscription.get("story") or {}
    line = f"story {story.get('id')} ({story.get('name')}): {subscription.get('status')}"
    if subscription.get("error_message"):
        line += f": {subscription['error_message']}"
    return line


def normalise_desired(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The desired spec in the form `live_spec` produces; secrets and refs are kept as they are."""
    result = dict(spec)
    url = result.get("destination_tenant_url")
    if isinstance(url, str):
        result["destination_tenant_url"] = normalise_tenant_url(url)
    story_ids = result.get("story_ids")
    if isinstance(story_ids, list):
        result["story_ids"] = as_set(story_ids)
    return result


def natural_key(spec: Mapping[str, Any]) -> tuple[Any, ...]:
    """(team_id, normalised destination URL, destination_team_id)."""
    url = spec.get("destination_tenant_url")
    shown_url = normalise_tenant_url(url) if isinstance(url, str) else url
    return (spec.get("team_id"), shown_url, spec.get("destination_team_id"))


def raw_fingerprint(raw: Mapping[str, Any]) -> str:
    """The fingerprint of the configuration only: subscription status changes on its own."""
    ids = [(s.get("story") or {}).get("id") for s in raw.get("subscriptions") or []]
    # as_set of {"story": {"id": id}}: one key per level, so its canonical JSON is this text
    ordered = sorted(ids, key=lambda story: f'{{"story":{{"id":{canonical_json(story)}}}}}')
    stable = {**raw, "subscriptions": [{"story": {"id": story}} for story in ordered]}
    return fingerprint(stable)


def created_id(response: Mapping[str, Any]) -> str:
    """The id of a created destination: the API wraps it, `{"sync_destination": {...}}`."""
    wrapped = response.get("sync_destination")
    if not isinstance(wrapped, Mapping) or wrapped.get("id") is None:
        raise ValueError("the create response holds no sync_destination.id")
    return str(wrapped["id"])
