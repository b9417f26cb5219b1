"""Tines sync destinations: live payload -> normalised spec, and desired spec normalisation.

Rules (so an object that matches its manifest compares equal):
- `team_id` is the API's `origin_team_id`;
- `destination_tenant_url` is normalised: lower-case scheme and host, default port and trailing
  slash dropped;
- `story_ids` is a set, read from `subscriptions[].story.id`, sorted;
- `destination_tenant_api_key` is write-only: never in a live spec;
- `manual_sync_only` missing from a response (older servers) is unknown, so it is left out rather
  than read as false;
- subscription status (`failed`, `requires_sync`) is health, not configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from syncform.core.canonical import as_set, fingerprint

KIND = "TinesSyncDestination"
WRITE_ONLY = ("destination_tenant_api_key",)
_DEFAULT_PORTS = {"https": 443, "http": 80}


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


def health(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """One line per subscription that is not `synced`."""
    notes = []
    for subscription in raw.get("subscriptions") or []:
        status = subscription.get("status")
        if status in (None, "synced"):
            continue
        story = subscription.get("story") or {}
        line = f"story {story.get('id')} ({story.get('name')}): {status}"
        if subscription.get("error_message"):
            line += f": {subscription['error_message']}"
        notes.append(line)
    return tuple(notes)


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
    subscriptions = [
        {"story": {"id": (s.get("story") or {}).get("id")}} for s in raw.get("subscriptions") or []
    ]
    stable = {**raw, "subscriptions": as_set(subscriptions)}
    return fingerprint(stable)


def created_id(response: Mapping[str, Any]) -> str:
    """The id of a created destination: the API wraps it, `{"sync_destination": {...}}`."""
    wrapped = response.get("sync_destination")
    if not isinstance(wrapped, Mapping) or wrapped.get("id") is None:
        raise ValueError("the create response holds no sync_destination.id")
    return str(wrapped["id"])
