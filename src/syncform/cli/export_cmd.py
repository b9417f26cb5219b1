"""`syncform export`: manifests for the live objects of a connection, recorded in state."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option
from syncform.core.errors import ExitCode
from syncform.providers.registry import KINDS
from syncform.session import Runtime
from syncform.workflows.export import ExportRequest, ExportResult, export


@click.command("export")
@config_option
@click.option("--connection", default=None, help="Export this connection only (default: all).")
@click.option(
    "--kind", type=click.Choice(KINDS), default=None, help="Export this kind only (default: all)."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exported"),
    show_default=True,
    help="Folder the manifests are written to, one file per object: KIND/NAME.yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite manifest files that already exist.")
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for another writer to release the state lock.",
)
def export_command(
    *,
    config_path: Path | None,
    connection: str | None,
    kind: str | None,
    out: Path,
    force: bool,
    lock_timeout: float,
) -> int:
    """Write manifests for the live objects of a connection and record them in state.

    Only GET requests are sent. Secrets, which the APIs never return, are written as
    ${env:NAME} placeholders with a comment naming the variable to set; the next plan shows
    them as in-place updates and nothing else. Objects already in state are skipped.
    """
    request = ExportRequest(config_path, connection, kind, out, force, lock_timeout)
    result = export(request, Runtime(os.environ))
    click.echo(_summary(result), nl=False)
    return int(ExitCode.OK)


def _summary(result: ExportResult) -> str:
    lines = [f"Exported {item.address} (remote id {item.remote_id}) to {path}"
             for item, path in zip(result.exported, result.files, strict=True)]  # fmt: skip
    lines += [f"Skipped {address}: already in state." for address in result.already_managed]
    lines += [
        f"Left out {item.kind} {item.remote_id} on {item.connection.name}: "
        "not adoptable through this connection (another team's)."
        for item in result.not_adoptable
    ]
    variables = sorted({v.name: v for item in result.exported for _, v in item.secrets}.items())
    if variables:
        lines.append(
            "Set these environment variables before `syncform plan` (the APIs never return them):"
        )
        lines += [f"  {name}: {variable.about}" for name, variable in variables]
    lines.append(
        f"{len(result.exported)} exported and recorded in state, "
        f"{len(result.already_managed)} already managed, {len(result.not_adoptable)} left out. "
        "No object was changed through the API."
    )
    return "\n".join(lines) + "\n"


COMMANDS: tuple[click.Command, ...] = (export_command,)
