"""Tines syncs stories in the background: after a save, a manual sync, or a delete.

With a delay of zero the work is done within the request. Otherwise it is queued in the
data tree (`tines._sync_jobs`) and done by the first Tines request once the delay has passed:
until then the subscriptions show `requires_sync`, and a deleted destination's copies remain.
"""

from __future__ import annotations

from typing import Any

from syncform.emulator import tines_sync as sync
from syncform.emulator.store import Store

Obj = dict[str, Any]
JOBS_KEY = "_sync_jobs"


def _jobs(store: Store) -> list[Obj]:
    jobs: list[Obj] = store.section("tines").setdefault(JOBS_KEY, [])
    return jobs


def _queue(store: Store, delay: float, job: Obj) -> None:
    job["due"] = store.clock_reading().timestamp() + delay
    _jobs(store).append(job)


def start_sync(
    store: Store, tenant_name: str, record: Obj, delay: float, only: int | None = None
) -> None:
    """Sync the destination's stories (or just `only`), now or once the delay has passed."""
    if delay <= 0:
        sync.sync_subscriptions(store, tenant_name, record, only)
        return
    for subscription in record["subscriptions"]:
        if only is None or subscription["story_id"] == only:
            subscription.update(status="requires_sync", error_message=None)
    job = {"kind": "sync", "tenant": tenant_name, "destination_id": record["id"], "story_id": only}
    _queue(store, delay, job)


def start_cleanup(store: Store, tenant_name: str, record: Obj, keep: bool, delay: float) -> None:
    """Remove (or detach) a deleted destination's story copies, now or after the delay."""
    if delay <= 0:
        sync.remove_copies(store, tenant_name, record["id"], None, keep=keep)
        return
    job = {"kind": "cleanup", "tenant": tenant_name, "destination_id": record["id"], "keep": keep}
    _queue(store, delay, job)


def run_due_jobs(store: Store) -> None:
    """Do every queued job whose time has come, oldest first."""
    now = store.clock_reading().timestamp()
    jobs = _jobs(store)
    due = [job for job in jobs if job["due"] <= now]
    if not due:
        return
    jobs[:] = [job for job in jobs if job["due"] > now]
    for job in sorted(due, key=lambda job: float(job["due"])):
        _run(store, job)
    store.mark_changed()


def _run(store: Store, job: Obj) -> None:
    if job["kind"] == "cleanup":
        sync.remove_copies(store, job["tenant"], job["destination_id"], None, keep=job["keep"])
        return
    tenant = sync.tenants(store).get(job["tenant"]) or {"sync_destinations": []}
    record = next(
        (r for r in tenant["sync_destinations"] if r["id"] == job["destination_id"]), None
    )
    if record is not None:  # deleted meanwhile: nothing left to sync
        sync.sync_subscriptions(store, job["tenant"], record, only=job["story_id"])
