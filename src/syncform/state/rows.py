"""State rows, the same for every backend: a `StateRecord` to the row stored, and back.

Reading checks every column: a row edited by hand or written by another tool may hold anything,
so each problem is a StateError that names the row's address and what is wrong with it, and says
how to drop it. JSON columns travel as text both ways (each backend stores them as JSON).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import StateError
from syncform.core.records import SecretValue, StateRecord, digest_marker
from syncform.core.resources import Lifecycle

_LIFECYCLE_KEYS = frozenset(field.name for field in dataclasses.fields(Lifecycle))

RESOURCE_COLUMNS = (
    "address, kind, name, connection, remote_id, applied_spec, lifecycle, depends_on, "
    "created_at, updated_at"
)
"""The columns `record_from_row` reads, in its order."""

JOURNAL_COLUMNS = (
    "entry_id, run_id, seq, address, connection, method, path, body, idempotency_key, "
    "started_at, outcome, status, remote_id, error, finished_at"
)
"""The columns of a journal row, in the order `syncform.state.journal` reads them."""


def resource_row(
    record: StateRecord, found_by: str, created_at: str, updated_at: str
) -> tuple[str, ...]:
    """The row to store for `record`: address, kind, name, connection, remote_id, applied_spec,
    lifecycle, depends_on (JSON text), found_by, created_at, updated_at."""
    address = record.address
    return (
        str(address),
        address.kind,
        address.name,
        record.connection,
        str(record.remote_id),
        encode_spec(record),
        json.dumps(dataclasses.asdict(record.lifecycle), sort_keys=True),
        json.dumps(sorted(str(target) for target in record.depends_on)),
        found_by,
        created_at,
        updated_at,
    )


def encode_spec(record: StateRecord) -> str:
    """The applied spec as JSON text; a secret is its digest marker, anything else non-JSON is
    refused."""

    def encode_special(value: object) -> Any:
        if isinstance(value, SecretValue):
            return digest_marker(value.digest)
        raise StateError(
            f"{record.address}: cannot store a {type(value).__name__} in state "
            "(applied specs hold plain JSON values and secret digests only)"
        )

    return json.dumps(record.applied_spec, sort_keys=True, default=encode_special)


def record_from_row(row: tuple[Any, ...]) -> StateRecord:
    """The record a row holds; StateError naming the row's address when a column is bad."""
    address_text = str(row[0])
    try:
        return _decode(row)
    except (ValueError, TypeError) as exc:
        raise StateError(
            f"state row {address_text!r} is not valid: {exc} "
            f"(remove it with `syncform state rm {address_text}`)"
        ) from None


def _decode(row: tuple[Any, ...]) -> StateRecord:
    address_text, kind, name, connection, remote_id, applied_spec, lifecycle = row[:7]
    depends_on, created_at, updated_at = row[7:]
    address = _address(address_text, kind, name)
    return StateRecord(
        address=address,
        connection=_text("connection", connection),
        remote_id=_text("remote_id", remote_id),
        applied_spec=_json_object("applied_spec", applied_spec),
        lifecycle=_lifecycle(_json_object("lifecycle", lifecycle)),
        depends_on=_depends_on(depends_on),
        created_at=_text("created_at", created_at),
        updated_at=_text("updated_at", updated_at),
    )


def _address(address_text: object, kind: object, name: object) -> Address:
    address = Address.parse(_text("address", address_text))
    if (address.kind, address.name) != (kind, name):
        raise ValueError(f"its kind {kind!r} and name {name!r} do not match its address")
    return address


def _text(column: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{column} is {type(value).__name__}, not text")
    return value


def _json_object(column: str, value: object) -> dict[str, Any]:
    decoded = _json(column, value)
    if not isinstance(decoded, dict):
        raise ValueError(f"{column} is a JSON {type(decoded).__name__}, not an object")
    return decoded


def _json(column: str, value: object) -> Any:
    try:
        return json.loads(_text(column, value))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{column} is not valid JSON ({exc.msg})") from None


def _lifecycle(fields: dict[str, Any]) -> Lifecycle:
    unknown = sorted(set(fields) - _LIFECYCLE_KEYS)
    if unknown:
        raise ValueError(f"lifecycle has unknown key(s) {', '.join(map(repr, unknown))}")
    for key, value in fields.items():
        if key == "ignore_changes":
            fields[key] = _strings("lifecycle.ignore_changes", value)
        elif not isinstance(value, bool):
            raise ValueError(f"lifecycle.{key} is {json.dumps(value)}, not true or false")
    return Lifecycle(**fields)


def _depends_on(value: object) -> tuple[Address, ...]:
    texts = _strings("depends_on", _json("depends_on", value))
    return tuple(Address.parse(text) for text in texts)


def _strings(column: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{column} is {json.dumps(value)}, not a list of strings")
    return tuple(value)
