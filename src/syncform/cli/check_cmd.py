"""`syncform check`: what a change to the manifests does, against a git ref; offline."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncform.cli.options import config_option, manifest_paths, output_option
from syncform.core.errors import ExitCode, FileRefused
from syncform.core.files import append_to_regular_file
from syncform.engine.check_report import INVALID, PASSED, CheckReport
from syncform.output.check_formats import CHECK_RENDERERS
from syncform.output.check_markdown import render_check_markdown
from syncform.workflows.check import CheckRequest, check
from syncform.workflows.sources import Sources

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
_EXIT = {PASSED: ExitCode.OK, INVALID: ExitCode.ERROR}


@click.command("check")
@click.option(
    "--base", "base_ref", required=True, help="The git ref to compare with (e.g. origin/main)."
)
@manifest_paths
@config_option
@output_option("text", "json", "markdown", "github")
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="Accept deletes and replaces (those blocked by lifecycle.protect still fail).",
)
def check_command(
    base_ref: str,
    paths: tuple[Path, ...],
    config_path: Path | None,
    output: str,
    allow_destructive: bool,
) -> int:
    """Check a change to the manifests before merge: offline, no credentials, no network.

    Validates the manifests in PATHS (default: the current directory) and compares them with the
    same paths at git ref --base: what is created, updated, replaced or deleted. Exit 0 when it
    passes, 1 on validation errors, 4 on destructive changes not allowed, 64 for a bad --base.
    With GITHUB_STEP_SUMMARY set, the markdown report is also appended to that file.
    """
    request = CheckRequest(base_ref, Sources(paths, config_path), allow_destructive)
    report = check(request, os.environ)
    click.echo(CHECK_RENDERERS[output](report), nl=False)
    code = _EXIT.get(report.outcome, ExitCode.GUARDRAIL)
    delivered = _append_step_summary(report, os.environ.get(STEP_SUMMARY_ENV))
    return int(code if delivered or code != ExitCode.OK else ExitCode.DELIVERY)


def _append_step_summary(report: CheckReport, target: str | None) -> bool:
    """Append the markdown report to the GitHub step summary; False when it cannot be written."""
    if not target:
        return True
    try:
        append_to_regular_file(Path(target), render_check_markdown(report).encode("utf-8"))
    except (FileRefused, OSError) as exc:
        reason = exc.reason if isinstance(exc, FileRefused) else exc.strerror or str(exc)
        click.echo(
            f"syncform: error: cannot append to {STEP_SUMMARY_ENV} ({target}): {reason}", err=True
        )
        return False
    return True


COMMANDS: tuple[click.Command, ...] = (check_command,)
