"""`syncform validate`: offline checks of manifests and syncform.yaml."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option, manifest_paths, output_option
from syncform.core.errors import ExitCode
from syncform.output.findings import FINDINGS_RENDERERS
from syncform.workflows.sources import Sources
from syncform.workflows.validate import validate


@click.command("validate")
@manifest_paths
@config_option
@output_option("text", "json", "github")
def validate_command(paths: tuple[Path, ...], config_path: Path | None, output: str) -> int:
    """Check manifests offline: schemas, references, dependencies, connections.

    PATHS are files or directories (default: the current directory). Exit 0 when valid,
    1 when there are findings.
    """
    report = validate(Sources(paths, config_path), os.environ)
    render = FINDINGS_RENDERERS[output]
    click.echo(
        render(report.findings, len(report.manifests.files), len(report.resources)), nl=False
    )
    return int(ExitCode.ERROR if report.errors else ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (validate_command,)
