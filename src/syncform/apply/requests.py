"""A planned request made sendable: secrets read from their references, known-after-apply values
filled from what earlier requests of the same apply created.

Secrets are read at send time, from the references the plan carries (never from the plan file,
which holds none), and registered with the scrubber before anything is sent.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import ApplyError
from syncform.core.kinds import REMOTE_ID
from syncform.core.pointer import iter_strings, split_pointer, value_at
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, PlannedRequest, ResourceChange
from syncform.secrets.references import Reference, parse_reference
from syncform.secrets.scrubber import Scrubber
from syncform.secrets.sources import read_reference_text

IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Sendable:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


def base_dir(change: ResourceChange) -> Path:
    """The folder `${file:}` references of the change's manifest are relative to."""
    if change.source is None:
        return Path(".")
    return Path(change.source.rsplit(":", 2)[0]).parent


def make_sendable(
    change: ResourceChange,
    request: PlannedRequest,
    *,
    environ: Mapping[str, str],
    ids: Mapping[Address, str],
    scrubber: Scrubber,
    idempotency_key: str | None = None,
) -> Sendable:
    """The request as it goes on the wire; raises ApplyError when a value cannot be filled."""
    body = copy.deepcopy(request.body)
    for pointer, text in sorted(request.secret_refs.items()):
        value = read_reference_text(_reference(text), base_dir(change), environ, change.address)
        scrubber.add(value)
        body = _put(body, pointer, value)
    path = request.path
    for pointer, text in sorted(request.deferred.items()):
        known = _known_id(_reference(text), ids, change.address)
        if pointer == "":
            path = path.replace(KNOWN_AFTER_APPLY, known)
        else:
            body = _put(body, pointer, known)
    _refuse_masked_leftovers(change, body)
    headers = dict(request.headers)
    if idempotency_key is not None and IDEMPOTENCY_HEADER in headers:
        headers[IDEMPOTENCY_HEADER] = idempotency_key
    return Sendable(request.method, path, body, headers)


def _refuse_masked_leftovers(change: ResourceChange, body: Any) -> None:
    """A placeholder left in the body (a secret masked inside a longer live value) would be
    sent as it is and overwrite the real value: refuse, never corrupt."""
    for pointer, value in iter_strings(body):
        if SENSITIVE in value or KNOWN_AFTER_APPLY in value:
            raise ApplyError(
                f"{change.address}: the planned body holds a masked or unknown value at "
                f"{pointer or '/'}, which apply cannot fill; it is not sent"
            )


def _reference(text: str) -> Reference:
    reference = parse_reference(text)
    if reference is None:
        raise ApplyError(f"the plan holds {text!r} where a reference belongs")
    return reference


def _known_id(reference: Reference, ids: Mapping[Address, str], where: str) -> str:
    if reference.field != REMOTE_ID:
        raise ApplyError(f"{where}: {reference.text} is known only after apply, and not an id")
    found = ids.get(reference.address)
    if found is None:
        raise ApplyError(
            f"{where}: {reference.text} is not known: {reference.address} was not created"
        )
    return found


def _put(document: Any, pointer: str, value: Any) -> Any:
    segments = split_pointer(pointer)
    if not segments:
        return value
    found, parent = value_at(document, segments[:-1])
    last = segments[-1]
    if found and isinstance(parent, dict):
        parent[last] = value
    elif found and isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = value
    else:
        raise ApplyError(f"the planned body has no place {pointer} to fill")
    return document
