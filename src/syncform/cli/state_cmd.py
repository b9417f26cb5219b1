"""`syncform state list|show|rm` and `syncform import`: read and edit state by hand."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from syncform.cli.options import config_option
from syncform.cli.state_admin_cmd import copy_command, migrate_command
from syncform.cli.state_options import lock_timeout_option, state_option
from syncform.core.address import Address
from syncform.core.errors import StateError
from syncform.core.records import StateRecord
from syncform.providers.registry import KINDS
from syncform.session import Runtime
from syncform.state import journal
from syncform.workflows.importing import ImportRequest, import_resource
from syncform.workflows.state_admin import open_command_state

F = TypeVar("F", bound=Callable[..., Any])


def _parse_address(ctx: click.Context, param: click.Parameter, value: str) -> Address:
    try:
        return Address.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from exc


def _parse_managed_address(ctx: click.Context, param: click.Parameter, value: str) -> Address:
    address = _parse_address(ctx, param, value)
    if address.kind not in KINDS:
        message = f"unknown kind {address.kind!r} (one of: {', '.join(KINDS)})"
        raise click.BadParameter(message, ctx, param)
    return address


@click.group("state")
def state_group() -> None:
    """Inspect or edit syncform's state (no API request is ever sent)."""


@state_group.command("list")
@state_option
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_command(state_path: Path | None, config_path: Path | None, output: str) -> None:
    """List the addresses in state with their connection and remote id."""
    store = open_command_state(state_path, config_path, os.environ)
    records = store.all()
    if output == "json":
        rows = [_summary(record) for record in records]
        click.echo(json.dumps({"resources": rows}, indent=2, sort_keys=True))
        return
    if not records:
        click.echo(f"No resources in state ({store.location}).")
        return
    table = [("ADDRESS", "CONNECTION", "REMOTE ID")] + [
        (str(record.address), record.connection, record.remote_id) for record in records
    ]
    widths = [max(len(row[column]) for row in table) for column in range(2)]
    for address, connection, remote_id in table:
        click.echo(f"{address:<{widths[0]}}  {connection:<{widths[1]}}  {remote_id}")


@state_group.command("show")
@state_option
@click.argument("address", callback=_parse_address)
def show_command(state_path: Path | None, config_path: Path | None, address: Address) -> None:
    """Print one state record as JSON (secrets appear only as keyed digests)."""
    store = open_command_state(state_path, config_path, os.environ)
    record = store.get(address)
    if record is None:
        raise StateError(f"{address} is not in state ({store.location})")
    document = {**_summary(record), "found_by": store.found_by(address)}
    document["applied_spec"] = record.applied_spec
    click.echo(json.dumps(document, indent=2, sort_keys=True))


@state_group.command("journal")
@state_option
@click.option("--last", type=click.IntRange(min=1), default=None, help="Only the last N entries.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def journal_command(
    state_path: Path | None, config_path: Path | None, last: int | None, output: str
) -> None:
    """Show the apply journal: every mutating request, its intent and its outcome."""
    store = open_command_state(state_path, config_path, os.environ)
    found = journal.entries(store, last=last)
    if output == "json":
        click.echo(json.dumps({"entries": [_journal_row(e) for e in found]}, indent=2))
        return
    if not found:
        click.echo(f"The journal is empty ({store.location}).")
    for entry in found:
        intent = entry.intent
        outcome = entry.outcome or "no outcome (the run stopped)"
        detail = f" {entry.status}" if entry.status is not None else ""
        detail += f" id {entry.remote_id}" if entry.remote_id else ""
        detail += f": {entry.error}" if entry.error else ""
        click.echo(
            f"{entry.started_at}  {intent.run_id[:8]} #{intent.seq} {intent.address} "
            f"{intent.method} {intent.path} -> {outcome}{detail}"
        )


def _journal_row(entry: journal.JournalEntry) -> dict[str, Any]:
    intent = entry.intent
    return {
        "entry_id": entry.entry_id,
        "run_id": intent.run_id,
        "seq": intent.seq,
        "address": str(intent.address),
        "connection": intent.connection,
        "method": intent.method,
        "path": intent.path,
        "body": intent.body,
        "idempotency_key": intent.idempotency_key,
        "started_at": entry.started_at,
        "outcome": entry.outcome,
        "status": entry.status,
        "remote_id": entry.remote_id,
        "error": entry.error,
        "finished_at": entry.finished_at,
    }


@state_group.command("rm")
@state_option
@lock_timeout_option
@click.argument("address", callback=_parse_address)
def rm_command(
    state_path: Path | None, config_path: Path | None, lock_timeout: float, address: Address
) -> None:
    """Forget ADDRESS in state; the remote object itself is left alone."""
    store = open_command_state(state_path, config_path, os.environ)
    with store.lock("syncform state rm", lock_timeout):
        removed = store.remove(address)
    if removed is None:
        raise StateError(f"{address} is not in state ({store.location})")
    click.echo(
        f"Removed {address} (remote id {removed.remote_id} on {removed.connection}) from state."
    )
    click.echo("No API request was sent: the remote object was not changed or deleted.")


@click.command("import")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="SYNCFORM_STATE",
    help="SQLite state file (default: the config's state setting; env SYNCFORM_STATE).",
)
@lock_timeout_option
@config_option
@click.option("--connection", required=True, help="The connection the object lives in.")
@click.option("--no-verify", is_flag=True, help="Record it without checking that it exists.")
@click.argument("address", callback=_parse_managed_address)
@click.argument("remote_id")
def import_command(
    *,
    state_path: Path | None,
    lock_timeout: float,
    config_path: Path | None,
    connection: str,
    no_verify: bool,
    address: Address,
    remote_id: str,
) -> None:
    """Adopt an existing remote object: record REMOTE_ID as ADDRESS in state.

    The object is first read (GET only) through the connection in syncform.yaml, unless
    --no-verify.
    """
    request = ImportRequest(
        address,
        remote_id,
        connection,
        state_path=state_path,
        config_path=config_path,
        lock_timeout=lock_timeout,
        verify=not no_verify,
    )
    runtime = Runtime(os.environ)
    record = import_resource(request, runtime)
    click.echo(f"Imported {address} (remote id {record.remote_id} on {connection}) into state.")
    click.echo(
        "No object was changed through the API; the next plan compares it with its manifest."
    )


def _summary(record: StateRecord) -> dict[str, Any]:
    return {
        "address": str(record.address),
        "kind": record.address.kind,
        "name": record.address.name,
        "connection": record.connection,
        "remote_id": record.remote_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


state_group.add_command(migrate_command)
state_group.add_command(copy_command)

COMMANDS: tuple[click.Command, ...] = (state_group, import_command)
