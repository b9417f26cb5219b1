"""One planned request, sent once, journaled and recorded; with the vendors' recovery rules.

- The intent is journaled before the request leaves; the outcome when it is known.
- A POST whose answer is lost is never blindly resent: with an Idempotency-Key (Polytomic) it is
  resent with the same key; otherwise the object is looked up by its natural key and adopted if
  it exists, and only created again when it does not.
- A 404 on a DELETE: the object is already gone, which is what was wanted. A 404 on an update: it
  was deleted outside syncform; the resource fails and the next plan creates it.
- A version conflict (Truto's 400): the object is re-read; when someone else changed a field the
  manifest manages, the resource fails naming those fields; otherwise it is retried once with the
  new version.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from syncform.apply.recording import Recorder
from syncform.apply.requests import IDEMPOTENCY_HEADER, Sendable, make_sendable
from syncform.apply.tasks import Task
from syncform.core.address import Address
from syncform.core.errors import (
    ApplyError,
    ConflictError,
    NotFoundError,
    ProviderError,
    TransportError,
)
from syncform.engine.diff import diff_spec
from syncform.engine.plan import ResourceChange
from syncform.http import ApiClient, ApiResponse
from syncform.providers.driver import KindDriver
from syncform.providers.registry import driver_for
from syncform.schemas.semantics import semantics_for
from syncform.secrets.scrubber import Scrubber
from syncform.session import ConnectionPool
from syncform.state import journal
from syncform.state.store import StateStore


class Outcome(Enum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class Attempt:
    pool: ConnectionPool
    store: StateStore
    recorder: Recorder
    run_id: str
    environ: Mapping[str, str]
    scrubber: Scrubber
    ids: dict[Address, str] = field(default_factory=dict)
    last_seq: dict[str, int] = field(default_factory=dict)  # address -> its last request's seq
    sent_paths: dict[int, str] = field(default_factory=dict)  # seq -> the path it was sent to
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, task: Task) -> Outcome:
        change, request = task.change, task.request
        key = f"syncform-{uuid.uuid4()}" if IDEMPOTENCY_HEADER in request.headers else None
        with self.lock:
            known = dict(self.ids)
        sendable = make_sendable(
            change, request, environ=self.environ, ids=known, scrubber=self.scrubber,
            idempotency_key=key,
        )  # fmt: skip
        with self.lock:
            self.sent_paths[task.seq] = sendable.path
        sent = self._send(task, sendable, key)
        if sent is not None:
            self._succeeded(task, *sent)
        else:
            self._finish(task)  # the goal was met without an answer to read
        return Outcome.OK

    def shown_path(self, task: Task) -> str:
        """The path a task was sent to (a created id in place of its placeholder), masked; the
        planned path when it was never sent."""
        with self.lock:
            path = self.sent_paths.get(task.seq, task.request.path)
        return self.scrubber.scrub(path)

    # -- sending ---------------------------------------------------------------------------

    def _send(
        self, task: Task, sendable: Sendable, key: str | None
    ) -> tuple[ApiResponse, int | None] | None:
        """The response, with the journal entry whose outcome is still to be recorded (None
        when a recovery recorded it), or None when the request's goal was met without one
        (already gone, adopted after a lost answer)."""
        entry = self._intent(task, sendable, key)
        try:
            response = self._client(task).request(
                sendable.method, sendable.path, json=sendable.body, headers=sendable.headers
            )
        except TransportError as exc:
            return _recorded(self._lost_answer(task, sendable, entry, exc))
        except NotFoundError as exc:
            return _recorded(self._not_found(task, entry, exc))
        except ConflictError as exc:
            return _recorded(self._conflict(task, sendable, entry, exc))
        except ProviderError as exc:
            self._failed(entry, exc)
            raise
        return response, entry

    def _intent(self, task: Task, sendable: Sendable, key: str | None) -> int:
        intent = journal.Intent(
            self.run_id,
            task.seq,
            Address.parse(task.address),
            task.change.connection,
            sendable.method,
            sendable.path,
            task.request.masked_body(),
            key,
        )
        return journal.record_intent(self.store, intent)

    def _failed(self, entry: int, exc: ProviderError) -> None:
        message = self.scrubber.scrub(exc.message)
        journal.record_outcome(
            self.store, entry, journal.OUTCOME_FAILED, status=exc.status, error=message
        )

    def _client(self, task: Task) -> ApiClient:
        return self.pool.client(task.change.connection)

    # -- recovery --------------------------------------------------------------------------

    def _lost_answer(
        self, task: Task, sendable: Sendable, entry: int, exc: TransportError
    ) -> ApiResponse | None:
        journal.record_outcome(
            self.store, entry, journal.OUTCOME_UNKNOWN, error=self.scrubber.scrub(exc.message)
        )
        if sendable.method != "POST":
            raise exc  # idempotent methods were already retried by the client
        if IDEMPOTENCY_HEADER in sendable.headers:
            return self._resend(task, sendable, entry)  # the vendor replays the first outcome
        adopted = self._find_by_natural_key(task.change)
        if adopted is not None:
            journal.record_outcome(self.store, entry, journal.OUTCOME_RESOLVED, remote_id=adopted)
            self._adopt(task, adopted)
            return None
        journal.record_outcome(self.store, entry, journal.OUTCOME_RESOLVED, error="not created")
        return self._resend(task, sendable, entry)

    def _resend(self, task: Task, sendable: Sendable, entry: int) -> ApiResponse:
        key = sendable.headers.get(IDEMPOTENCY_HEADER)
        second = self._intent(task, sendable, key)
        try:
            response = self._client(task).request(
                sendable.method, sendable.path, json=sendable.body, headers=sendable.headers
            )
        except ProviderError as exc:
            self._failed(second, exc)
            raise
        journal.record_outcome(self.store, second, journal.OUTCOME_OK, status=response.status)
        return response

    def _find_by_natural_key(self, change: ResourceChange) -> str | None:
        driver = driver_for(change.kind)
        connection = self.pool.connection(change.connection)
        wanted = driver.desired_key(driver.normalise_desired(change.desired_spec or {}))
        for item in driver.list_live(self.pool.client(change.connection), connection):
            if driver.candidate_key(item, connection) == wanted:
                return driver.remote_id(item)
        return None

    def _not_found(self, task: Task, entry: int, exc: NotFoundError) -> ApiResponse | None:
        self._failed(entry, exc)
        if task.request.method == "DELETE":
            journal.record_outcome(self.store, entry, journal.OUTCOME_RESOLVED, error="gone")
            self._removed_or_replaced(task)
            return None
        raise ApplyError(
            f"{task.address}: {exc.message}: it was deleted outside syncform; "
            "the next plan creates it again"
        ) from exc

    def _conflict(
        self, task: Task, sendable: Sendable, entry: int, exc: ConflictError
    ) -> ApiResponse:
        self._failed(entry, exc)
        driver = driver_for(task.change.kind)
        raw = self._reread(task.change, driver)
        theirs = _unplanned_changes(task.change, driver, raw)
        if theirs:
            raise ApplyError(
                f"{task.address}: changed outside syncform since the plan: "
                f"{', '.join(theirs)}; plan again"
            ) from exc
        retried = Sendable(
            sendable.method,
            sendable.path,
            {**sendable.body, "version": driver.version(raw)},
            sendable.headers,
        )
        return self._resend(task, retried, entry)

    def _reread(self, change: ResourceChange, driver: KindDriver) -> Mapping[str, Any]:
        client = self.pool.client(change.connection)
        if driver.fetch_one is not None and change.remote_id:
            return driver.fetch_one(client, change.remote_id)
        connection = self.pool.connection(change.connection)
        for item in driver.list_live(client, connection):
            if driver.remote_id(item) == change.remote_id:
                return item
        raise ApplyError(f"{change.address}: gone from the API while being updated")

    # -- state -----------------------------------------------------------------------------

    def _succeeded(self, task: Task, response: ApiResponse, entry: int | None) -> None:
        """The outcome, the created id (or the removal) and, after a resource's last request,
        its record, in one state transaction: each transaction costs a commit, and every request
        thread waits for the one writing. The id and the record are savepoints: a record that
        cannot be made fails the resource once the outcome and the id have landed."""
        failure: Exception | None = None
        with self.store.transaction():
            if entry is not None:
                journal.record_outcome(
                    self.store, entry, journal.OUTCOME_OK, status=response.status
                )
            try:
                with self.store.transaction():
                    self._record_request(task, response)
                with self.store.transaction():
                    self._finish(task)
            except Exception as exc:  # raised once the rest is committed
                failure = exc
        if failure is not None:
            raise failure

    def _record_request(self, task: Task, response: ApiResponse) -> None:
        change = task.change
        if task.request.method == "POST" and change.summary_key in ("create", "replace"):
            remote_id = driver_for(change.kind).created_id(response.json or {})
            self._adopt(task, remote_id)
        elif task.request.method == "DELETE":
            self._removed_or_replaced(task)

    def _adopt(self, task: Task, remote_id: str) -> None:
        with self.lock:
            self.ids[Address.parse(task.address)] = remote_id
        self.recorder.created(task.change, remote_id)

    def _removed_or_replaced(self, task: Task) -> None:
        with self.lock:
            new_id = self.ids.get(Address.parse(task.address))
        if new_id is None or new_id == task.change.remote_id:
            self.recorder.removed(task.change)

    def _finish(self, task: Task) -> None:
        """After a resource's last request: its whole state record (deletes have none)."""
        change = task.change
        if self.last_seq.get(change.address) != task.seq or change.desired_spec is None:
            return
        with self.lock:
            remote_id = self.ids.get(Address.parse(change.address), change.remote_id)
            known = dict(self.ids)
        if remote_id is not None:
            self.recorder.applied(change, remote_id, known)


def _recorded(response: ApiResponse | None) -> tuple[ApiResponse, None] | None:
    return None if response is None else (response, None)


def _unplanned_changes(
    change: ResourceChange, driver: KindDriver, raw: Mapping[str, Any]
) -> list[str]:
    """Managed fields that differ now but did not differ when the plan was made."""
    desired = driver.normalise_desired(change.desired_spec or {})
    now = diff_spec(desired, driver.normalise_live(raw), None, semantics_for(change.kind))
    planned = {planned.path for planned in change.changes}
    return sorted(
        found.path
        for found in now
        if found.path not in planned and not found.sensitive and "${" not in str(found.after)
    )
