"""`syncform schema [NAME]`: print a bundled JSON Schema, or list their names."""

from __future__ import annotations

import json

import click

from syncform.core.errors import UsageError
from syncform.schemas import schema_by_name, schema_names


@click.command("schema")
@click.argument("name", required=False)
@click.option("--list", "list_names", is_flag=True, help="List the schema names and exit.")
def schema_command(name: str | None, list_names: bool) -> None:
    """Print the JSON Schema of a kind's spec (or of `manifest` / `config`).

    Without NAME, or with --list, print the valid names, one per line.
    """
    if list_names or name is None:
        for known in schema_names():
            click.echo(known)
        return
    if name not in schema_names():
        raise UsageError(f"unknown schema {name!r}; expected one of: {', '.join(schema_names())}")
    click.echo(json.dumps(schema_by_name(name), indent=2, sort_keys=True, ensure_ascii=False))


COMMANDS: tuple[click.Command, ...] = (schema_command,)
