"""`syncform plan`: the exact requests apply would send, in order, read-only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncform import __version__
from syncform.cli.options import config_option, manifest_paths, output_option, resolve_paths
from syncform.config import find_config_path
from syncform.errors import ConfigError, ExitCode, UsageError, ValidationFailed
from syncform.http import Scrubber
from syncform.model import Address
from syncform.output import PLAN_RENDERERS
from syncform.output.findings import render_findings_text
from syncform.output.plan_json import render_plan_json
from syncform.planning import PlanRun, run_plan
from syncform.validation import ValidationReport, validate_paths


@click.command("plan")
@manifest_paths
@config_option
@output_option("text", "json", "markdown")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
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
@click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=None,
    help="How many API reads run at once (default 10).",
)
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
    report = _validated(resolve_paths(paths), config_path)
    scrubber = Scrubber()
    run = run_plan(
        report.config,
        report.resources,
        report.manifests.files,
        environ=os.environ,
        targets=_addresses(targets),
        parallelism=parallelism,
        scrubber=scrubber,
    )
    rendered = PLAN_RENDERERS[output](run.plan, color=_use_color(color), tool_version=__version__)
    click.echo(scrubber.scrub(rendered), nl=False)
    if out_file is not None:
        _save(out_file, run, scrubber)
    _report_reads(run)
    if detailed_exitcode and run.plan.has_changes:
        return int(ExitCode.CHANGES)
    return int(ExitCode.OK)


def _validated(paths: list[Path], config_path: Path | None) -> ValidationReport:
    config_file = find_config_path(paths, config_path, os.environ)
    if config_file is None:
        raise ConfigError("no syncform.yaml found: plan needs connections (give --config)")
    report = validate_paths(paths, config_file)
    if report.errors:
        files, resources = len(report.manifests.files), len(report.resources)
        click.echo(render_findings_text(report.errors, files, resources), nl=False, err=True)
        raise ValidationFailed(len(report.errors))
    return report


def _addresses(targets: tuple[str, ...]) -> list[Address]:
    try:
        return [Address.parse(target) for target in targets]
    except ValueError as exc:
        raise UsageError(f"--target: {exc}") from exc


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _save(out_file: Path, run: PlanRun, scrubber: Scrubber) -> None:
    text = render_plan_json(
        run.plan,
        tool_version=__version__,
        manifests_digest=run.manifests_digest,
        live_fingerprints=run.live_fingerprints,
        include_refs=True,
    )
    partial = out_file.with_name(f".{out_file.name}.partial")
    partial.write_text(scrubber.scrub(text), encoding="utf-8")
    partial.replace(out_file)
    click.echo(f"Saved the plan to {out_file}.", err=True)


def _report_reads(run: PlanRun) -> None:
    counters = run.counters
    click.echo(
        f"Read live state with {counters.requests_sent} request(s), {counters.retries} "
        f"retried, {counters.rate_limit_wait_seconds:.1f}s waiting on rate limits.",
        err=True,
    )


COMMANDS: tuple[click.Command, ...] = (plan_command,)
