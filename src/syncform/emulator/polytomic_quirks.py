"""How Polytomic stores and echoes a model sync: the server behaviours behind perpetual diffs.

Each function takes the validated request body and returns the server-side form. The
orders are deterministic (sorted by a hash of each element, reversed when that happens to
match what was sent) so tests are reproducible yet never see their own order echoed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import string
import uuid
from typing import Any

Obj = dict[str, Any]
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
FIELD_NAMESPACE = uuid.UUID("9d3c6f1e-2a44-4b7e-8c0f-51a7e2d9b6c3")
SCHEDULE_KEYS = ("minute", "hour", "day_of_week", "day_of_month", "month", "job_id")
SYNC_BOOLEANS = ("active", "only_enrich_updates", "skip_initial_backfill", "sync_all_records")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def server_order(items: list[Any]) -> list[Any]:
    """A hash order that differs from the order sent whenever there are two or more items."""
    ordered = sorted(items, key=lambda item: hashlib.sha256(canonical(item).encode()).hexdigest())
    if len(ordered) > 1 and ordered == items:
        ordered.reverse()
    return ordered


def field_uuid(source: Obj) -> str:
    return str(uuid.uuid5(FIELD_NAMESPACE, f"{source.get('model_id')}/{source.get('field')}"))


def _sync_field(raw: Obj) -> Obj:
    field: Obj = {
        "target": raw["target"],
        "source": copy.deepcopy(raw.get("source")) or {"model_id": ZERO_UUID, "field": ""},
        "new": bool(raw.get("new", False)),
        "sync_mode": raw.get("sync_mode") or "updateOrCreate",
        "encryption_enabled": bool(raw.get("encryption_enabled", False)),
    }
    if raw.get("override_value") is not None:
        field["override_value"] = raw["override_value"]
    return field


def _override_field(raw: Obj) -> Obj:
    """override_fields come back inside `fields` with an all-zero model id and no field."""
    folded = _sync_field({**raw, "source": None})
    folded["source"] = {"model_id": ZERO_UUID, "field": ""}
    return folded


def build_fields(body: Obj) -> list[Obj]:
    identity_target = (body.get("identity") or {}).get("target")
    fields = [
        _sync_field(f)
        for f in body["fields"]
        if f.get("override_value") is not None or f["target"] != identity_target
    ]
    fields += [_override_field(f) for f in body.get("override_fields") or []]
    return server_order(fields)


def build_filters(raw_filters: list[Obj] | None) -> list[Obj]:
    filters = []
    for raw in raw_filters or []:
        item: Obj = {
            "field_type": raw.get("field_type") or "Model",
            "function": raw["function"],
            "value": copy.deepcopy(raw.get("value")),
        }
        if raw.get("field"):
            item["field"] = copy.deepcopy(raw["field"])
            item["field_id"] = field_uuid(raw["field"])
        else:
            item["field_id"] = raw["field_id"]
        filters.append(item)
    ordered = server_order(filters)
    for index, item in enumerate(ordered):
        item["label"] = _label(index)
    return ordered


def _label(index: int) -> str:
    letters = string.ascii_uppercase
    return (
        letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]
    )


def build_overrides(raw_overrides: list[Obj] | None) -> list[Obj]:
    overrides = []
    for raw in raw_overrides or []:
        value = raw.get("override")
        item: Obj = {
            "function": raw["function"],
            "value": copy.deepcopy(raw.get("value")),
            "override": value if isinstance(value, str) or value is None else canonical(value),
        }
        if raw.get("field_id"):
            item["field_id"] = raw["field_id"]
        else:
            item.update(field=copy.deepcopy(raw["field"]), field_id=field_uuid(raw["field"]))
        overrides.append(item)
    return server_order(overrides)


def build_identity(raw: Obj) -> Obj:
    return {
        "source": copy.deepcopy(raw["source"]),
        "target": raw["target"],
        "function": raw["function"],
        "new_field": bool(raw.get("new_field", False)),
        "remote_field_type_id": raw.get("remote_field_type_id") or "string",
    }


def build_target(raw: Obj) -> Obj:
    created = raw.get("create") or {}
    obj = raw.get("object") or created.get("name") or created.get("type") or ""
    target: Obj = {
        "connection_id": raw["connection_id"],
        "object": obj,
        "configuration": copy.deepcopy(raw.get("configuration") or {}),
        "search_values": {"object": obj, "connection_id": raw["connection_id"]},
    }
    for optional in ("new_name", "filter_logic"):
        if raw.get(optional):
            target[optional] = raw[optional]
    return target


def build_schedule(raw: Obj) -> Obj:
    frequency = raw.get("frequency") or "manual"
    schedule: Obj = {"frequency": frequency}
    for key in SCHEDULE_KEYS:
        schedule[key] = raw.get(key)
    run_after = raw.get("run_after")
    if run_after:
        schedule["run_after"] = {
            "sync_ids": server_order(list(run_after.get("sync_ids") or [])),
            "bulk_sync_ids": server_order(list(run_after.get("bulk_sync_ids") or [])),
        }
    success_only = raw.get("run_after_success_only")
    schedule["run_after_success_only"] = (
        bool(success_only) if frequency == "runafter" else success_only
    )
    if raw.get("connection_id"):
        schedule["connection_id"] = raw["connection_id"]
    return schedule


def model_ids(sync: Obj) -> list[str]:
    found = {f["source"]["model_id"] for f in sync["fields"]}
    if sync.get("identity"):
        found.add(sync["identity"]["source"]["model_id"])
    for item in sync.get("filters") or []:
        if item.get("field"):
            found.add(item["field"]["model_id"])
    found.discard(ZERO_UUID)
    return sorted(found)


def build_sync_body(body: Obj) -> Obj:
    """Everything a PUT or POST writes: unset booleans false, unset lists empty.

    Keys the OpenAPI description declares as non-nullable objects (`identity`,
    `schedule.run_after`, a filter's or override's `field`) are omitted rather than null.
    """
    sync: Obj = {
        "name": body["name"],
        "mode": body["mode"],
        "fields": build_fields(body),
        "override_fields": [],
        "filters": build_filters(body.get("filters")),
        "filter_logic": body.get("filter_logic") or "",
        "overrides": build_overrides(body.get("overrides")),
        "target": build_target(body["target"]),
        "schedule": build_schedule(body["schedule"]),
        "policies": list(body.get("policies") or []),
    }
    if body.get("identity"):
        sync["identity"] = build_identity(body["identity"])
    for flag in SYNC_BOOLEANS:
        sync[flag] = bool(body.get(flag, False))
    sync["model_ids"] = model_ids(sync)
    sync["_encryption_passphrase"] = body.get("encryption_passphrase")
    sync["_target_create"] = copy.deepcopy(body["target"].get("create"))
    return sync


LIGHT_KEYS = (
    "id",
    "name",
    "active",
    "mode",
    "model_ids",
    "organization_id",
    "schedule",
    "only_enrich_updates",
    "skip_initial_backfill",
    "sync_all_records",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
)


def render_full(sync: Obj) -> Obj:
    """GET form: write-only values (encryption_passphrase, target.create) never appear."""
    return {k: copy.deepcopy(v) for k, v in sync.items() if not k.startswith("_")}


def render_light(sync: Obj) -> Obj:
    """The 2025-09-18 list item: no fields, filters, overrides or target."""
    item = {key: copy.deepcopy(sync.get(key)) for key in LIGHT_KEYS}
    item["target_connection_id"] = sync["target"]["connection_id"]
    item["target_object"] = sync["target"]["object"]
    return item
