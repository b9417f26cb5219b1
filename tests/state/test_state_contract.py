"""The state-store contract, the same for SQLite and PostgreSQL (one parametrised fixture).

Records, applied specs, secret digests, lifecycle, dependency edges, the apply journal, the
writer lock across processes (a holder killed with SIGKILL releases it), transactions (one
interrupted midway leaves nothing half-written) and schema versions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator

import pytest

from syncform.core.address import Address
from syncform.core.errors import StateError, StateLockTimeout
from syncform.core.records import DeferredValue, SecretValue, StateRecord
from syncform.core.resources import Lifecycle
from syncform.state import StateStore, journal
from tests.kit.state_stores import StoreSpec, store_process
from tests.state.conftest import TickingClock

TINES = Address("TinesSyncDestination", "prod-to-dr")
TRUTO = Address("TrutoIntegration", "hubspot")
POLY = Address("PolytomicModelSync", "accounts")

HOLD_LOCK = """
with store.lock("syncform apply", timeout=10):
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""

HALF_WRITTEN = """
from syncform.core.address import Address
from syncform.core.records import StateRecord
from syncform.state import journal
with store.transaction():
    store.put(StateRecord(Address("TinesSyncDestination", "a"), "conn", "1", {"x": 1}))
    store.put(StateRecord(Address("TinesSyncDestination", "b"), "conn", "2", {"x": 2}))
    journal.record_intent(store, journal.Intent(
        "run", 1, Address("TinesSyncDestination", "a"), "conn", "POST", "/x", {}))
    print("written", flush=True)
    sys.stdin.readline()
"""

PUT_UNDER_LOCK = """
import time
from syncform.core.address import Address
from syncform.core.records import StateRecord
with store.lock(f"writer {sys.argv[2]}", timeout=60):
    records = store.all()
    time.sleep(0.1)
    name = f"n{len(records)}"
    store.put(StateRecord(Address("TinesSyncDestination", name), "conn", sys.argv[2], {}))
print("done", flush=True)
"""


def record(address: Address, remote_id: str = "1", **spec: object) -> StateRecord:
    return StateRecord(address=address, connection="conn", remote_id=remote_id, applied_spec=spec)


@pytest.fixture
def store(store_spec: StoreSpec, clock: TickingClock) -> StateStore:
    return store_spec.open(clock)


@pytest.fixture
def holder(store_spec: StoreSpec) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the writer lock until a line arrives on its stdin."""
    process = store_process(store_spec, HOLD_LOCK)
    assert process.stdout is not None and process.stdin is not None
    try:
        assert process.stdout.readline().strip() == "locked", process.communicate()[1]
        yield process
    finally:
        process.stdin.close()
        process.wait(timeout=10)
        process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


# -- records -----------------------------------------------------------------------------------


def test_round_trip_keeps_created_at_and_found_by(store: StateStore) -> None:
    stored = store.put(record(TINES, "42", story_ids=[3, 1], on=True), found_by="import")
    assert stored == StateRecord(TINES, "conn", "42", {"story_ids": [3, 1], "on": True},
                                 created_at="2026-03-01T12:00:00Z",
                                 updated_at="2026-03-01T12:00:00Z")  # fmt: skip
    assert store.get(TINES) == stored and store.get(TRUTO) is None
    updated = store.put(record(TINES, "43", a=2), found_by="create")
    assert (updated.remote_id, updated.applied_spec) == ("43", {"a": 2})
    assert (updated.created_at, updated.updated_at) == (
        "2026-03-01T12:00:00Z",
        "2026-03-01T12:01:00Z",
    )
    assert store.found_by(TINES) == "import"
    assert store.found_by(TRUTO) is None


def test_lifecycle_dependency_edges_and_digests_round_trip(store: StateStore) -> None:
    lifecycle = Lifecycle(protect=True, ignore_changes=("/a/*",), keep_stories_on_delete=True)
    spec = {"key": SecretValue("hunter2-secret", "hmac-sha256:ab"), "text": "\u00e9\u0000x"}
    put = StateRecord(TINES, "conn", "7", spec, lifecycle=lifecycle, depends_on=(TRUTO, POLY))
    stored = store.put(put)
    assert stored.lifecycle == lifecycle
    assert stored.depends_on == (POLY, TRUTO)
    assert stored.applied_spec == {"key": {"$digest": "hmac-sha256:ab"}, "text": "\u00e9\u0000x"}
    assert "hunter2-secret" not in repr(store.all())


def test_values_that_are_not_json_are_refused(store: StateStore) -> None:
    with pytest.raises(StateError, match="cannot store a DeferredValue"):
        store.put(record(TINES, x=DeferredValue("TrutoIntegration/hubspot.id")))
    assert store.all() == []


def test_all_is_sorted_and_remove_forgets_one(store: StateStore) -> None:
    for address in (TRUTO, TINES, POLY):
        store.put(record(address, remote_id=address.name))
    assert [r.address for r in store.all()] == [POLY, TINES, TRUTO]
    removed = store.remove(TINES)
    assert removed is not None and (removed.connection, removed.remote_id) == ("conn", TINES.name)
    assert store.remove(TINES) is None
    assert [r.address for r in store.all()] == [POLY, TRUTO]


def test_no_state_yet_reads_as_empty_and_creates_nothing(
    store: StateStore, store_spec: StoreSpec
) -> None:
    assert (store.all(), store.get(TINES), store.found_by(TINES)) == ([], None, None)
    assert store.remove(TINES) is None
    assert journal.entries(store) == []
    assert not store_spec.exists()


def test_a_bad_row_is_named_by_its_address(store: StateStore, store_spec: StoreSpec) -> None:
    store.put(record(TINES))
    store_spec.execute(
        "UPDATE resources SET applied_spec = '[1]' WHERE address = %s", (str(TINES),)
    )
    bad = r"state row 'TinesSyncDestination/prod-to-dr' is not valid: applied_spec is a JSON list"
    with pytest.raises(StateError, match=bad):
        store.all()
    assert store.remove(TINES) is not None  # a bad row can still be removed


# -- transactions ------------------------------------------------------------------------------


def test_a_failed_transaction_writes_nothing(store: StateStore) -> None:
    store.put(record(POLY))
    with pytest.raises(RuntimeError), store.transaction():
        store.put(record(TINES))
        store.remove(POLY)
        journal.record_intent(store, journal.Intent("r", 1, TINES, "conn", "POST", "/x", {}))
        raise RuntimeError("midway")
    assert [r.address for r in store.all()] == [POLY]
    assert journal.entries(store) == []


def test_a_nested_failure_undoes_only_its_own_writes(store: StateStore) -> None:
    with store.transaction():
        store.put(record(TINES))
        with pytest.raises(RuntimeError), store.transaction():
            store.put(record(TRUTO))
            raise RuntimeError("inner")
        store.put(record(POLY))
    assert [r.address for r in store.all()] == [POLY, TINES]


def test_a_transaction_killed_midway_leaves_nothing_half_written(
    store: StateStore, store_spec: StoreSpec
) -> None:
    store.put(record(POLY))
    process = store_process(store_spec, HALF_WRITTEN)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "written", process.communicate()[1]
    process.kill()
    process.communicate(timeout=10)
    assert [r.address for r in store.all()] == [POLY]
    assert journal.entries(store) == []
    store.put(record(TINES))  # and the next writer is not blocked
    assert len(store.all()) == 2


# -- the journal -------------------------------------------------------------------------------


def test_journal_intents_outcomes_order_and_last(store: StateStore) -> None:
    first = journal.record_intent(
        store, journal.Intent("run1", 1, TINES, "conn", "POST", "/d", {"k": "${env:K}"}, "idem")
    )
    second = journal.record_intent(store, journal.Intent("run1", 2, TRUTO, "t", "PATCH", "/i", []))
    journal.record_outcome(store, first, journal.OUTCOME_OK, status=201, remote_id="9")
    entries = journal.entries(store)
    assert [e.entry_id for e in entries] == [first, second]
    assert entries[0].intent.body == {"k": "${env:K}"}
    assert entries[0].intent.idempotency_key == "idem"
    assert (entries[0].outcome, entries[0].status, entries[0].remote_id) == ("ok", 201, "9")
    assert entries[0].finished_at is not None
    assert [e.entry_id for e in journal.unfinished(store)] == [second]
    assert [e.entry_id for e in journal.entries(store, last=1)] == [second]
    journal.record_outcome(store, second, journal.OUTCOME_FAILED, status=409, error="conflict")
    assert journal.unfinished(store) == []


# -- the writer lock ---------------------------------------------------------------------------


def test_a_second_writer_waits_then_fails_naming_the_holder(
    store: StateStore, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(StateLockTimeout) as raised, store.lock("syncform state rm", timeout=0.3):
        pytest.fail("acquired a lock another process holds")
    message = str(raised.value)
    assert message.startswith(f"state is locked by syncform apply (pid {holder.pid} on host ")
    assert " since 20" in message
    assert "gave up after waiting 0.3s for " in message
    assert message.endswith("(wait for it to finish, or raise --lock-timeout)")


def test_a_waiting_writer_goes_on_once_the_holder_releases(
    store: StateStore, holder: subprocess.Popen[str]
) -> None:
    acquired = threading.Event()

    def wait_for_lock() -> None:
        with store.lock("syncform apply", timeout=30):
            acquired.set()

    waiter = threading.Thread(target=wait_for_lock)
    waiter.start()
    waiter.join(timeout=0.3)
    assert not acquired.is_set()
    assert holder.stdin is not None
    holder.stdin.write("release\n")
    holder.stdin.flush()
    waiter.join(timeout=30)
    assert acquired.is_set()


def test_a_holder_killed_with_sigkill_releases_the_lock(
    store: StateStore, holder: subprocess.Popen[str]
) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    with store.lock("syncform apply", timeout=10):
        store.put(record(TINES))
    assert store.get(TINES) is not None


def test_threads_exclude_each_other_and_a_raising_body_releases(store: StateStore) -> None:
    errors: list[BaseException] = []

    def try_lock() -> None:
        try:
            with store.lock("second thread", timeout=0):
                pass
        except StateLockTimeout as exc:
            errors.append(exc)

    with pytest.raises(RuntimeError), store.lock("first thread", timeout=0):
        thread = threading.Thread(target=try_lock)
        thread.start()
        thread.join()
        raise RuntimeError("boom")
    assert len(errors) == 1 and f"first thread (pid {os.getpid()}" in str(errors[0])
    with store.lock("next", timeout=0):
        pass


def test_concurrent_writers_in_several_processes_take_turns(store_spec: StoreSpec) -> None:
    processes = [store_process(store_spec, PUT_UNDER_LOCK, str(number)) for number in range(3)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    names = sorted(r.address.name for r in store_spec.open().all())
    assert names == ["n0", "n1", "n2"]  # each saw the one before it: never two at once


# -- schema versions ---------------------------------------------------------------------------


def test_migrate_creates_then_finds_the_schema_current(store: StateStore) -> None:
    before, after = store.migrate()
    assert before is None and after >= 1
    assert store.migrate() == (after, after)
    assert store.all() == []


def test_a_state_written_by_a_newer_syncform_is_refused_untouched(
    store: StateStore, store_spec: StoreSpec, clock: TickingClock
) -> None:
    store.put(record(TINES))
    store_spec.execute("INSERT INTO schema_version (version) VALUES (99)")
    newer = store_spec.open(clock)
    for attempt in (newer.all, newer.migrate, lambda: newer.put(record(TRUTO))):
        with pytest.raises(StateError, match="schema version 99"):
            attempt()
    rows = store_spec.execute("SELECT address FROM resources")
    assert rows == [(str(TINES),)]
