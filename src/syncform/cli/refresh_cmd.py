"""`syncform refresh`: read the live object behind every manifest, read-only, and show it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option, manifest_paths, output_option, parallelism_option
from syncform.core.errors import ExitCode
from syncform.output.refresh import render_json, render_text
from syncform.session import Runtime
from syncform.workflows.refresh import RefreshRequest, refresh
from syncform.workflows.sources import Sources


@click.command("refresh")
@manifest_paths
@config_option
@output_option("text", "json")
@parallelism_option
def refresh_command(
    paths: tuple[Path, ...], config_path: Path | None, output: str, parallelism: int | None
) -> int:
    """Read the live object behind each manifest and show it, normalised (read-only).

    For each address: whether the live object was found, by what (its id in state or its
    natural key), its remote id and its normalised spec. Sends only GET requests.
    """
    runtime = Runtime(os.environ)
    request = RefreshRequest(Sources(paths, config_path), parallelism)
    report = refresh(request, runtime)
    rendered = render_json(report) if output == "json" else render_text(report)
    click.echo(rendered, nl=False)  # the report is masked value by value: no text scrub
    return int(ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (refresh_command,)
