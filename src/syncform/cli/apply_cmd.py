"""`syncform apply`: send the plan's requests, journaled, recording state as they succeed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncform.apply.executor import ABORT, CONTINUE
from syncform.apply.result import ApplyResult
from syncform.cli.options import config_option, duration, output_option, parallelism_option
from syncform.core.errors import ApplyError, ExitCode, PartialApplyError, UsageError
from syncform.engine.plan import Plan
from syncform.output.apply import render_apply_json, render_apply_text
from syncform.output.plan_text import render_plan_text
from syncform.session import Runtime
from syncform.workflows.apply import DEFAULT_MAX_PLAN_AGE, ApplyRequest, Approve, apply
from syncform.workflows.sources import Sources


@click.command("apply")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
@output_option("text", "json")
@parallelism_option
@click.option("--auto-approve", is_flag=True, help="Do not ask for 'yes' before applying.")
@click.option(
    "--on-error",
    type=click.Choice([ABORT, CONTINUE]),
    default=ABORT,
    show_default=True,
    help="abort: start nothing new after a failure; continue: independent resources go on.",
)
@click.option(
    "--lock-timeout",
    default="30s",
    show_default=True,
    callback=duration,
    help="How long to wait for another apply to release the state lock.",
)
@click.option(
    "--max-plan-age",
    default=None,
    callback=duration,
    help="Refuse a saved plan older than this (default 24h).",
)
def apply_command(
    *,
    paths: tuple[Path, ...],
    config_path: Path | None,
    output: str,
    parallelism: int | None,
    auto_approve: bool,
    on_error: str,
    lock_timeout: float,
    max_plan_age: float | None,
) -> int:
    """Apply a saved plan (PLANFILE, from `plan --out`) or plan PATHS and apply them.

    Without --auto-approve the plan is shown and applied only after you type `yes`; with no
    terminal to ask, apply refuses (exit 64). A saved plan is refused (exit 5) when an object it
    changes, the manifests, or its age tell it is stale.
    """  # fmt: skip
    plan_file, manifests = _plan_file_and_paths(paths)
    runtime = Runtime(os.environ)
    request = ApplyRequest(
        Sources(manifests, config_path),
        approve=_approver(auto_approve, output, runtime),
        plan_file=plan_file,
        parallelism=parallelism,
        on_error=on_error,
        lock_timeout=lock_timeout,
        max_plan_age=DEFAULT_MAX_PLAN_AGE if max_plan_age is None else max_plan_age,
        progress=lambda line: click.echo(runtime.scrubber.scrub(line), err=True),
    )
    result = apply(request, runtime)
    render = render_apply_json if output == "json" else render_apply_text
    click.echo(runtime.scrubber.scrub(render(result)), nl=False)
    return _exit_code(result)


def _plan_file_and_paths(paths: tuple[Path, ...]) -> tuple[Path | None, tuple[Path, ...]]:
    """A single `.json` argument is a saved plan; the manifests are then the current folder."""
    if len(paths) == 1 and paths[0].suffix == ".json" and paths[0].is_file():
        return paths[0], ()
    return None, paths


def _approver(auto_approve: bool, output: str, runtime: Runtime) -> Approve:
    def approve(made: Plan) -> bool:
        if auto_approve:
            return True
        if not sys.stdin.isatty():
            raise UsageError("apply needs --auto-approve when there is no terminal to ask")
        shown = render_plan_text(made, color=False)
        click.echo(runtime.scrubber.scrub(shown), nl=False, err=output == "json")
        answer = click.prompt(
            "Do you want to perform these actions? Only 'yes' will be accepted", default=""
        )
        return bool(answer.strip() == "yes")

    return approve


def _exit_code(result: ApplyResult) -> int:
    if result.succeeded or not result.approved:
        return int(ExitCode.OK)
    if result.applied and (result.failed or result.unconverged):
        return int(PartialApplyError.exit_code)
    return int(ApplyError.exit_code)


COMMANDS: tuple[click.Command, ...] = (apply_command,)
