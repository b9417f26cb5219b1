"""A stand-in for `apply` in tests: send a plan's requests and record state as apply will.

It uses syncform's own writing clients, its drivers' created-id readers and its resolver, so a
test can go manifest -> plan -> requests -> state -> plan through the emulator and check that
the second plan is empty. It is not apply: no journal, no staleness check, no recovery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import SyncformError, ValidationFailed
from syncform.core.pointer import split_pointer, value_at
from syncform.core.records import Desired, LiveObject, StateRecord
from syncform.core.resources import Resource
from syncform.emulator import EmulatorApp
from syncform.engine.plan import KNOWN_AFTER_APPLY, Plan, PlannedRequest, ResourceChange
from syncform.providers.registry import driver_for
from syncform.reading import reference_waves
from syncform.reading.resolve import Resolver
from syncform.secrets.digests import redact_secrets
from syncform.secrets.references import parse_reference
from syncform.secrets.sources import read_reference_text
from syncform.session import Runtime, Session, Transports
from syncform.workflows.plan import PlanRequest, PlanResult, plan
from syncform.workflows.sources import Sources, valid_sources

EMULATOR_NAME = "test"


def emulator_runtime(app: EmulatorApp, environ: Mapping[str, str]) -> Runtime:
    """A runtime whose `emulator://test/...` connections are served by `app` in-process."""
    return Runtime(environ, transports=lambda config: Transports(config, {EMULATOR_NAME: app}))


@dataclass(frozen=True)
class Project:
    root: Path
    runtime: Runtime

    @property
    def sources(self) -> Sources:
        return Sources((self.root / "manifests.yaml",), self.root / "syncform.yaml")

    def plan(self) -> PlanResult:
        try:
            return plan(PlanRequest(self.sources), self.runtime)
        except ValidationFailed as exc:
            found = "; ".join(f"{f.location}: {f.rule}: {f.message}" for f in exc.findings)
            raise AssertionError(f"the manifests do not validate: {found}") from None

    def apply(self, made: Plan) -> dict[Address, str]:
        """Send every request of `made` in order, then record what was applied."""
        report = valid_sources(self.sources, self.runtime.environ, command="apply")
        with self.runtime.session(report.config) as session:
            ids = _send_all(session, made, self.root)
            _record(session, report.resources, made, ids)
        return ids


def _send_all(session: Session, made: Plan, root: Path) -> dict[Address, str]:
    ids = {Address.parse(c.address): c.remote_id for c in made.resource_changes if c.remote_id}
    ordered = sorted(
        ((change, request) for change in made.resource_changes for request in change.requests),
        key=lambda pair: pair[1].seq,
    )
    with session.clients(read_only=False) as pool:
        for change, request in ordered:
            address = Address.parse(change.address)
            body = _filled_body(request, session.environ, root, ids)
            path = request.path.replace(KNOWN_AFTER_APPLY, ids.get(address, KNOWN_AFTER_APPLY))
            sent = pool.client(change.connection).request(
                request.method, path, json=body, headers=request.headers or None
            )
            if request.method == "POST" and change.summary_key in ("create", "replace"):
                ids[address] = driver_for(change.kind).created_id(sent.json)
    return {address: ident for address, ident in ids.items() if ident is not None}


def _filled_body(
    request: PlannedRequest, environ: Mapping[str, str], root: Path, ids: Mapping[Address, str]
) -> Any:
    body = request.body
    for pointer, text in request.secret_refs.items():
        reference = parse_reference(text)
        assert reference is not None
        body = _put(body, pointer, read_reference_text(reference, root, environ, text))
    for pointer, text in request.deferred.items():
        reference = parse_reference(text)
        if pointer and reference is not None and reference.field == "id":
            body = _put(body, pointer, ids[reference.address])
    return body


def _put(document: Any, pointer: str, value: Any) -> Any:
    segments = split_pointer(pointer)
    if not segments:
        return value
    found, parent = value_at(document, segments[:-1])
    if not found:
        raise SyncformError(f"no place {pointer} in the body")
    if isinstance(parent, list):
        parent[int(segments[-1])] = value
    else:
        parent[segments[-1]] = value
    return document


def _record(
    session: Session, resources: Sequence[Resource], made: Plan, ids: Mapping[Address, str]
) -> None:
    """State as apply records it: the resolved spec, secrets as keyed digests, and the edges."""
    hasher = session.hasher(read_only=False)
    resolver = Resolver(
        session.config, environ=session.environ, hasher=hasher, scrubber=session.scrubber
    )
    changes: dict[str, ResourceChange] = {c.address: c for c in made.resource_changes}
    resolved: dict[Address, Desired] = {}

    def live(address: Address) -> LiveObject | None:
        ident = ids.get(address)
        return LiveObject(address, ident, {}, "state", "") if ident is not None else None

    def declared(address: Address) -> dict[str, Any] | None:
        found = resolved.get(address)
        return found.spec if found is not None else None

    for wave in reference_waves(resources):
        for resource in wave:
            resolved[resource.address] = resolver.resolve(resource, live, declared)
    store = session.state()
    for address, desired in resolved.items():
        change = changes[str(address)]
        applied = redact_secrets(desired.spec, (), hasher)
        depends_on = tuple(Address.parse(text) for text in change.depends_on)
        record = StateRecord(
            address,
            desired.connection,
            ids[address],
            applied,
            lifecycle=desired.resource.lifecycle,
            depends_on=depends_on,
        )
        store.put(record)
