"""Seed normalisation for Polytomic: syncs go through the same quirks as a POST."""

from __future__ import annotations

import uuid
from typing import Any

from syncform.emulator.polytomic_quirks import build_sync_body
from syncform.emulator.polytomic_validation import check_sync_body
from syncform.emulator.store import ID_NAMESPACE, Store, rfc3339

Obj = dict[str, Any]
SEED_ACTOR = {
    "id": str(uuid.uuid5(ID_NAMESPACE, "polytomic-actor:seed")),
    "name": "Seed user",
    "type": "user",
}
META_FIELDS = ("id", "created_at", "updated_at", "created_by", "updated_by")


def normalise_polytomic(store: Store) -> None:
    section = store.section("polytomic")
    section["tokens"] = [str(t) for t in section.get("tokens", [])]
    section.setdefault("organization_id", str(uuid.uuid5(ID_NAMESPACE, "polytomic-org")))
    raw_syncs = section.get("syncs", [])
    ids = [raw.get("id") or store.new_uuid("polytomic-sync") for raw in raw_syncs]
    section["syncs"] = [
        _sync(store, raw, ident, set(ids), section["organization_id"])
        for raw, ident in zip(raw_syncs, ids, strict=True)
    ]


def _sync(store: Store, raw: Obj, ident: str, known: set[str], org: str) -> Obj:
    body = {k: v for k, v in raw.items() if k not in META_FIELDS}
    check_sync_body(body, known, ident)
    stamp = rfc3339(store.now())
    sync = build_sync_body(body)
    sync.update(
        id=ident,
        organization_id=org,
        created_at=raw.get("created_at", stamp),
        updated_at=raw.get("updated_at", stamp),
        created_by=raw.get("created_by", SEED_ACTOR),
        updated_by=raw.get("updated_by", SEED_ACTOR),
    )
    return sync
