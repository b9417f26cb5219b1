"""Polytomic create/update body checks: 422 `validation_error` naming the field."""

from __future__ import annotations

import uuid
from typing import Any

from syncform.emulator.http_types import VendorError

Obj = dict[str, Any]
MODES = ("create", "update", "updateOrCreate", "replace", "append", "remove", "snapshot")
IDENTITY_MODES = ("update", "updateOrCreate", "remove")
FREQUENCIES = (
    "manual",
    "continuous",
    "hourly",
    "daily",
    "weekly",
    "custom",
    "builder",
    "runafter",
    "multi",
    "dbtcloud",
)
IDENTITY_FUNCTIONS = ("Equality", "ISubstring", "OneOf", "DomainMatch", "HostnameMatch")
FILTER_FUNCTIONS = frozenset(
    (
        "Equality",
        "Inequality",
        "IsNull",
        "IsNotNull",
        "True",
        "False",
        "OnOrAfter",
        "OnOrBefore",
        "GreaterThan",
        "GreaterThanEqual",
        "LessThan",
        "LessThanEqual",
        "StringContains",
        "StringStartsWith",
        "StringEndsWith",
        "StringDoesNotContain",
        "StringDoesNotStartWith",
        "StringDoesNotEndWith",
        "StringOneOf",
        "StringNotOneOf",
        "Between",
        "ArrayContains",
        "ArrayDoesNotContain",
        "InTheLast",
        "RelativeOnOrBefore",
        "RelativeOnOrAfter",
        "StringLike",
        "StringNotLike",
        "StringMatchesTrimmed",
    )
)
REQUIRED = ("name", "mode", "fields", "schedule", "target")
BOOLEANS = ("active", "only_enrich_updates", "skip_initial_backfill", "sync_all_records")


def invalid(field: str, message: str) -> VendorError:
    return VendorError(422, f"{field}: {message}", key="validation_error", details={"field": field})


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_sync_body(body: Obj, known_sync_ids: set[str], self_id: str | None) -> None:
    for name in REQUIRED:
        if body.get(name) is None:
            raise invalid(name, "is required")
    if not isinstance(body["name"], str) or not body["name"].strip():
        raise invalid("name", "must be a non-empty string")
    if body["mode"] not in MODES:
        raise invalid("mode", f"must be one of {', '.join(MODES)}")
    for flag in BOOLEANS:
        if flag in body and not isinstance(body[flag], bool):
            raise invalid(flag, "must be a boolean")
    _check_target(body["target"])
    _check_fields(body["fields"], "fields", override=False)
    _check_fields(body.get("override_fields") or [], "override_fields", override=True)
    _check_conditions(body.get("filters"), "filters")
    _check_conditions(body.get("overrides"), "overrides")
    _check_identity(body.get("identity"), body["mode"])
    _check_schedule(body["schedule"], known_sync_ids, self_id)
    _check_misc(body)


def _check_source(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not is_uuid(value.get("model_id")):
        raise invalid(f"{where}.model_id", "must be a UUID")
    if not isinstance(value.get("field"), str):
        raise invalid(f"{where}.field", "is required")


def _check_target(target: Any) -> None:
    if not isinstance(target, dict):
        raise invalid("target", "must be an object")
    if not is_uuid(target.get("connection_id")):
        raise invalid("target.connection_id", "must be a UUID")
    if not target.get("object") and not target.get("create"):
        raise invalid("target.object", "object or create is required")
    for key in ("configuration", "create"):
        if key in target and not isinstance(target[key], dict | None):
            raise invalid(f"target.{key}", "must be an object")


def _check_fields(fields: Any, where: str, *, override: bool) -> None:
    if not isinstance(fields, list):
        raise invalid(where, "must be an array")
    for index, field in enumerate(fields):
        at = f"{where}[{index}]"
        if not isinstance(field, dict) or not isinstance(field.get("target"), str):
            raise invalid(f"{at}.target", "is required")
        has_value = isinstance(field.get("override_value"), str)
        if "override_value" in field and field["override_value"] is not None and not has_value:
            raise invalid(f"{at}.override_value", "must be a string")
        if override and not has_value:
            raise invalid(f"{at}.override_value", "is required")
        _check_field_flags(field, at)
        if not override and not has_value:
            _check_source(field.get("source"), f"{at}.source")


def _check_field_flags(field: Obj, at: str) -> None:
    for flag in ("new", "encryption_enabled"):
        if field.get(flag) is not None and not isinstance(field[flag], bool):
            raise invalid(f"{at}.{flag}", "must be a boolean")
    if field.get("sync_mode") not in (None, "updateOrCreate", "create"):
        raise invalid(f"{at}.sync_mode", "must be updateOrCreate or create")


def _check_conditions(items: Any, where: str) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        raise invalid(where, "must be an array or null")
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if not isinstance(item, dict) or item.get("function") not in FILTER_FUNCTIONS:
            raise invalid(f"{at}.function", "is not a filter function")
        if item.get("field"):
            _check_source(item["field"], f"{at}.field")
        elif not isinstance(item.get("field_id"), str) or not item["field_id"]:
            raise invalid(f"{at}.field", "field or field_id is required")
        if item.get("field_type") not in (None, "Model", "Target"):
            raise invalid(f"{at}.field_type", "must be Model or Target")


def _check_identity(identity: Any, mode: str) -> None:
    if identity is None:
        if mode in IDENTITY_MODES:
            raise invalid("identity", f"is required for mode {mode}")
        return
    if not isinstance(identity, dict):
        raise invalid("identity", "must be an object")
    _check_source(identity.get("source"), "identity.source")
    if not isinstance(identity.get("target"), str) or not identity["target"]:
        raise invalid("identity.target", "is required")
    if identity.get("function") not in IDENTITY_FUNCTIONS:
        raise invalid("identity.function", f"must be one of {', '.join(IDENTITY_FUNCTIONS)}")


def _check_schedule(schedule: Any, known: set[str], self_id: str | None) -> None:
    if not isinstance(schedule, dict):
        raise invalid("schedule", "must be an object")
    frequency = schedule.get("frequency")
    if frequency is not None and frequency not in FREQUENCIES:
        raise invalid("schedule.frequency", f"must be one of {', '.join(FREQUENCIES)}")
    for key in ("minute", "hour", "day_of_week", "day_of_month", "month"):
        if schedule.get(key) is not None and not isinstance(schedule[key], str):
            raise invalid(f"schedule.{key}", "must be a string")
    run_after = _run_after(schedule)
    if frequency != "runafter":
        return
    sync_ids = run_after.get("sync_ids") or []
    if not sync_ids and not run_after.get("bulk_sync_ids"):
        raise invalid("schedule.run_after", "runafter needs sync_ids or bulk_sync_ids")
    for ident in sync_ids:
        if ident == self_id:
            raise invalid("schedule.run_after.sync_ids", "a sync cannot run after itself")
        if ident not in known:
            raise invalid("schedule.run_after.sync_ids", f"sync {ident} not found")


def _run_after(schedule: Obj) -> Obj:
    run_after = schedule.get("run_after") or {}
    if not isinstance(run_after, dict):
        raise invalid("schedule.run_after", "must be an object")
    for key in ("sync_ids", "bulk_sync_ids"):
        if not isinstance(run_after.get(key) or [], list):
            raise invalid(f"schedule.run_after.{key}", "must be an array")
    return run_after


def _check_misc(body: Obj) -> None:
    policies = body.get("policies")
    if policies is not None and not (
        isinstance(policies, list) and all(is_uuid(p) for p in policies)
    ):
        raise invalid("policies", "must be an array of UUIDs")
    passphrase = body.get("encryption_passphrase")
    if passphrase is not None and not isinstance(passphrase, str):
        raise invalid("encryption_passphrase", "must be a string")
    logic = body.get("filter_logic")
    if logic is not None and not isinstance(logic, str):
        raise invalid("filter_logic", "must be a string")
