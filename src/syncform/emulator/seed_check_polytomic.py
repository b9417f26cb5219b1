"""Seed validation for the `polytomic` section: tokens, organization, syncs."""

from __future__ import annotations

from typing import Any

from syncform.emulator.http_types import VendorError
from syncform.emulator.polytomic_validation import check_sync_body, is_uuid
from syncform.emulator.seed_rules import (
    MAPPING,
    STRING,
    TIMESTAMP,
    At,
    Rule,
    list_of,
    refuse_duplicates,
    shape,
)

Obj = dict[str, Any]
META_FIELDS = ("id", "created_at", "updated_at", "created_by", "updated_by")
UUID = Rule("a UUID string", is_uuid)

SYNC_META = shape(
    "a sync mapping (a POST /api/syncs body, plus id?, created_at?, ...)",
    {},
    {
        "id": UUID,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "created_by": MAPPING,
        "updated_by": MAPPING,
    },
    closed=False,
)


def _check_syncs(syncs: list[Obj], at: At) -> None:
    list_of(SYNC_META).check(syncs, at)
    ids = [sync.get("id") for sync in syncs]
    refuse_duplicates(ids, at, "id")
    known = {ident for ident in ids if isinstance(ident, str)}
    for position, sync in enumerate(syncs):
        body = {key: value for key, value in sync.items() if key not in META_FIELDS}
        try:
            check_sync_body(body, known, sync.get("id"))
        except VendorError as error:
            field = (error.details or {}).get("field", "")
            problem = error.message.removeprefix(f"{field}: ")
            where = at.index(position).key(field) if field else at.index(position)
            raise where.error(problem, "a body POST /api/syncs accepts") from error


POLYTOMIC = shape(
    "a mapping {tokens, organization_id?, syncs}",
    {},
    {
        "tokens": list_of(STRING),
        "organization_id": UUID,
        "syncs": Rule("a list of sync mappings", list_of(SYNC_META).accepts, _check_syncs),
    },
)
