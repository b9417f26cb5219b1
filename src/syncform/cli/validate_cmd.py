"""`syncform validate`: offline checks of manifests and syncform.yaml."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option, manifest_paths, output_option, resolve_paths
from syncform.config import find_config_path
from syncform.errors import ExitCode
from syncform.output.findings import FINDINGS_RENDERERS
from syncform.validation import validate_paths


@click.command("validate")
@manifest_paths
@config_option
@output_option("text", "json", "github")
def validate_command(paths: tuple[Path, ...], config_path: Path | None, output: str) -> int:
    """Check manifests offline: schemas, references, dependencies, connections.

    PATHS are files or directories (default: the current directory). Exit 0 when valid,
    1 when there are findings.
    """
    chosen = resolve_paths(paths)
    config_file = find_config_path(chosen, config_path, os.environ)
    report = validate_paths(chosen, config_file)
    render = FINDINGS_RENDERERS[output]
    click.echo(
        render(report.findings, len(report.manifests.files), len(report.resources)), nl=False
    )
    return int(ExitCode.ERROR if report.errors else ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (validate_command,)
