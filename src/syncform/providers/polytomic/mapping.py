"""Polytomic model syncs: live payload -> normalised spec, desired normalisation.

The server rewrites what it is sent; these rules undo that on both sides so equal means equal:
- `fields`, `override_fields`, `filters`, `overrides`, `policies` and `schedule.run_after` ids
  are sets (sorted by canonical JSON); empty or null optional lists are left out;
- override fields come back folded into `fields` (with `override_value` set and no source, an
  empty source or the all-zero model id): they are split back out, without their source;
- a field mapping that targets the identity's target field is dropped by the server (it is
  written through the identity), so it is left out on both sides;
- unset per-field flags echo as defaults (`new: false`, `encryption_enabled: false`,
  `sync_mode: updateOrCreate`) and are left out;
- filter labels are server-assigned: ignored unless `filter_logic` uses them; a filter's
  `field_type` defaults to `Model` and is left out when it is the default;
- a filter given by `field` also comes back with a server `field_id` (field wins); an override
  given by `field_id` comes back without `field` (field_id wins);
- JSON values (`value`, `override`) compare as JSON even when echoed as JSON text;
- `target.search_values`, `model_ids`, `identity.remote_field_type_id`, timestamps and actors
  are ignored; `encryption_passphrase` and `target.create` are write-only;
- unset `schedule` sub-fields (null) and an empty `filter_logic` are left out;
- an exported sync needs its `encryption_passphrase` when one of its fields is encrypted (the
  only sign of a passphrase the API gives).
Booleans the server reports as false (`only_enrich_updates`, ...) stay in the live spec: the diff
compares only the fields a manifest declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from syncform.core.canonical import as_set, json_value, without_keys, without_none
from syncform.manifests.config import Connection
from syncform.providers.driver import SecretHint
from syncform.secrets.references import env_name

KIND = "PolytomicModelSync"
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
IGNORED = (
    "id",
    "model_ids",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "encryption_passphrase",
)
FIELD_DEFAULTS: dict[str, Any] = {"new": False, "encryption_enabled": False}
DEFAULT_SYNC_MODE = "updateOrCreate"
DEFAULT_FILTER_FIELD_TYPE = "Model"
OPTIONAL_SETS = ("override_fields", "filters", "overrides", "policies")
WRITE_ONLY = ("encryption_passphrase", "target/create")

Item = Mapping[str, Any]


def live_spec(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest-shaped spec of one full sync object (GET /api/syncs/{id})."""
    spec = without_keys(raw, IGNORED)
    fields, folded = split_override_fields(raw.get("fields") or [])
    spec["fields"] = fields
    spec["override_fields"] = [*(raw.get("override_fields") or []), *folded]
    return _normalise(spec, live=True)


def export_secrets(raw: Mapping[str, Any], connection: Connection) -> tuple[SecretHint, ...]:
    """The encryption passphrase of a sync with encrypted fields."""
    mappings = [*(raw.get("fields") or []), *(raw.get("override_fields") or [])]
    if not any(isinstance(f, Mapping) and f.get("encryption_enabled") is True for f in mappings):
        return ()
    variable = env_name("polytomic", str(raw.get("name", "")), "encryption_passphrase")
    about = f"the encryption passphrase of Polytomic sync {raw.get('name')!r}"
    return (SecretHint("/encryption_passphrase", variable, about),)


def normalise_desired(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The desired spec in the form `live_spec` produces; secrets and refs are kept."""
    return _normalise(spec, live=False)


def split_override_fields(fields: list[Any]) -> tuple[list[Any], list[Any]]:
    """(field mappings, override fields folded into them by the server)."""
    mappings: list[Any] = []
    overrides: list[Any] = []
    for item in fields:
        folded = (
            _is_mapping(item)
            and item.get("override_value") is not None
            and _no_source(item.get("source"))
        )
        (overrides if folded else mappings).append(item)
    return mappings, overrides


def _is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), a dict told first (the ABC check is slow)."""
    return isinstance(value, (dict, Mapping))


def _no_source(source: Any) -> bool:
    if not isinstance(source, Mapping) or not source:
        return True
    return source.get("model_id") in (None, "", ZERO_UUID)


def _normalise(spec: Mapping[str, Any], *, live: bool) -> dict[str, Any]:
    result = without_none(spec)
    if not result.get("filter_logic"):
        result.pop("filter_logic", None)
    identity_target = _identity_target(result)
    if isinstance(result.get("fields"), list):
        kept = [f for f in result["fields"] if not _written_by_identity(f, identity_target)]
        result["fields"] = as_set(_sync_field(f) for f in kept)
    keep_labels = "filter_logic" in result
    _normalise_set(result, "override_fields", _override_field)
    _normalise_set(result, "filters", lambda item: _filter(item, keep_labels))
    _normalise_set(result, "overrides", lambda item: _override(item, live))
    _normalise_set(result, "policies", lambda item: item)
    _normalise_object(result, "identity", lambda i: without_keys(i, ("remote_field_type_id",)))
    _normalise_object(result, "target", lambda t: without_keys(t, ("search_values",)))
    _normalise_object(result, "schedule", _schedule)
    return result


def _normalise_set(result: dict[str, Any], key: str, item: Callable[[Any], Any]) -> None:
    value = result.get(key)
    if value is None or value == []:
        result.pop(key, None)
    elif isinstance(value, list):
        result[key] = as_set(item(element) for element in value)


def _normalise_object(
    result: dict[str, Any], key: str, normalise: Callable[[Mapping[str, Any]], Any]
) -> None:
    value = result.get(key)
    if isinstance(value, Mapping):
        result[key] = normalise(value)


def _identity_target(spec: Mapping[str, Any]) -> Any:
    identity = spec.get("identity")
    return identity.get("target") if isinstance(identity, Mapping) else None


def _written_by_identity(item: Any, identity_target: Any) -> bool:
    """The server drops a mapping to the identity's target field: it is written by the identity."""
    return (
        identity_target is not None
        and _is_mapping(item)
        and item.get("override_value") is None
        and item.get("target") == identity_target
    )


def _sync_field(item: Any) -> Any:
    if not _is_mapping(item):
        return item
    result = {
        key: value
        for key, value in item.items()
        if value is not None and not (key in FIELD_DEFAULTS and value == FIELD_DEFAULTS[key])
    }
    if result.get("sync_mode") == DEFAULT_SYNC_MODE:
        del result["sync_mode"]
    return result


def _override_field(item: Any) -> Any:
    """An override field: its source is ignored by the server, so it is not compared."""
    normalised = _sync_field(item)
    return without_keys(normalised, ("source",)) if isinstance(normalised, Mapping) else normalised


def _filter(item: Any, keep_label: bool) -> Any:
    if not isinstance(item, Mapping):
        return item
    result = without_none(item)
    if "value" in result:
        result["value"] = json_value(result["value"])
    if "field" in result:
        result.pop("field_id", None)
    if result.get("field_type") == DEFAULT_FILTER_FIELD_TYPE:
        del result["field_type"]
    if not keep_label:
        result.pop("label", None)
    return result


def _override(item: Any, live: bool) -> Any:
    if not isinstance(item, Mapping):
        return item
    result = without_none(item)
    for key in ("value", "override"):
        if key in result:
            result[key] = json_value(result[key])
    if "field" in result and "field_id" in result:
        # Desired: field_id wins, so field is not what the server keeps. Live: the server only
        # returns both when `field` was given, and adds its own field_id.
        result.pop("field_id" if live else "field")
    return result


def _schedule(schedule: Mapping[str, Any]) -> dict[str, Any]:
    result = without_none(schedule)
    run_after = result.get("run_after")
    if isinstance(run_after, Mapping):
        ids = {key: as_set(value) for key, value in run_after.items() if value}
        if ids:
            result["run_after"] = ids
        else:
            del result["run_after"]
    return result


def natural_key(spec: Mapping[str, Any]) -> tuple[Any, ...]:
    return (spec.get("name"),)
