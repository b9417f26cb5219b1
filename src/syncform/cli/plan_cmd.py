"""`syncform plan`: the exact requests apply would send, in order, read-only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncform import __version__
from syncform.cli.options import (
    config_option,
    folder_exists,
    manifest_paths,
    output_option,
    parallelism_option,
    report_reads,
)
from syncform.core.address import Address
from syncform.core.errors import ExitCode, UsageError
from syncform.core.files import refuse_unless_writable_target, write_file_atomically
from syncform.output import PLAN_RENDERERS
from syncform.output.plan_json import render_plan_json
from syncform.session import Runtime
from syncform.workflows.plan import PlanRequest, PlanResult, plan
from syncform.workflows.sources import Sources


@click.command("plan")
@manifest_paths
@config_option
@output_option("text", "json", "markdown")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=folder_exists,
    help="Also save the plan (JSON, with live fingerprints) for `apply`.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when there are changes, 0 when there are none.",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="ADDRESS",
    help="Plan only this Kind/name and what it depends on (repeatable).",
)
@parallelism_option
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output.",
)
def plan_command(
    *,
    paths: tuple[Path, ...],
    config_path: Path | None,
    output: str,
    out_file: Path | None,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    parallelism: int | None,
    color: str,
) -> int:
    """Show what apply would change: per-field diffs and the numbered HTTP requests.

    Sends only GET requests and writes nothing but the --out file.
    """  # fmt: skip
    if out_file is not None:
        refuse_unless_writable_target(out_file)  # before any request, not after
    runtime = Runtime(os.environ)
    request = PlanRequest(Sources(paths, config_path), _addresses(targets), parallelism)
    result = plan(request, runtime)
    render = PLAN_RENDERERS[output]
    rendered = render(result.plan, color=_use_color(color), tool_version=__version__)
    click.echo(rendered, nl=False)  # the plan is masked value by value: no text scrub
    if out_file is not None:
        _save(out_file, result)
    report_reads(result.counters)
    if detailed_exitcode and result.plan.has_changes:
        return int(ExitCode.CHANGES)
    return int(ExitCode.OK)


def _addresses(targets: tuple[str, ...]) -> tuple[Address, ...]:
    try:
        return tuple(Address.parse(target) for target in targets)
    except ValueError as exc:
        raise UsageError(f"--target: {exc}") from exc


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _save(out_file: Path, result: PlanResult) -> None:
    """Write the plan file atomically: a partial file never takes the name."""
    text = render_plan_json(result.plan, tool_version=__version__, saved=True)
    try:
        write_file_atomically(out_file, text.encode("utf-8"), 0o644)
    except OSError as exc:
        raise UsageError(f"--out: cannot write {out_file}: {exc.strerror or exc}") from exc
    click.echo(f"Saved the plan to {out_file}.", err=True)


COMMANDS: tuple[click.Command, ...] = (plan_command,)
