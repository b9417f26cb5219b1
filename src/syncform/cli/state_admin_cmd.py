"""`syncform state migrate` and `syncform state copy`: the state's schema, and moving state."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option
from syncform.cli.state_options import lock_timeout_option, state_option
from syncform.workflows.state_admin import copy_state, open_command_state, open_named_state


@click.command("migrate")
@state_option
def migrate_command(state_path: Path | None, config_path: Path | None) -> None:
    """Create the state's tables, or migrate them to this syncform's schema version.

    Every write does this on first use; this command does it now (for example in a CI step
    before the first apply). A state written by a newer syncform is refused untouched.
    """
    store = open_command_state(state_path, config_path, os.environ)
    before, after = store.migrate()
    if before is None:
        click.echo(f"Created the state schema, version {after} ({store.location}).")
    elif before == after:
        click.echo(f"The state schema is at version {after} already ({store.location}).")
    else:
        where = store.location
        click.echo(f"Migrated the state schema from version {before} to {after} ({where}).")


@click.command("copy")
@click.option("--from", "source", required=True, help="sqlite:PATH, or postgres (syncform.yaml).")
@click.option("--to", "target", required=True, help="sqlite:PATH, or postgres (syncform.yaml).")
@config_option
@lock_timeout_option
def copy_command(source: str, target: str, config_path: Path | None, lock_timeout: float) -> None:
    """Copy a whole state into an empty one: every resource and the journal.

    `postgres` is the PostgreSQL state of syncform.yaml's `state:` setting. The source is left
    as it was; the counts of resources and journal entries are checked at the end.
    """
    copied = copy_state(
        open_named_state(source, config_path, os.environ),
        open_named_state(target, config_path, os.environ),
        lock_timeout,
    )
    click.echo(
        f"Copied {copied.resources} resources and {copied.journal_entries} journal entries "
        f"from {copied.source} to {copied.target}; both hold the same counts."
    )
