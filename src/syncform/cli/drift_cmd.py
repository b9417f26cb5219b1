"""`syncform drift`: how live state drifted from the manifests and from what was last applied."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from syncform import __version__
from syncform.cli.options import (
    config_option,
    duration,
    manifest_paths,
    output_option,
    parallelism_option,
    report_reads,
)
from syncform.core.errors import (
    ApplyError,
    DeliveryError,
    ExitCode,
    PartialApplyError,
)
from syncform.engine.drift import DRIFT_CLASSES, DriftResult
from syncform.output.drift_json import render_drift_json
from syncform.output.drift_markdown import render_drift_markdown
from syncform.output.drift_text import render_drift_text
from syncform.session import Runtime
from syncform.workflows.drift import DriftRequest, drift
from syncform.workflows.sources import Sources


def _json(result: DriftResult) -> str:
    return render_drift_json(result, tool_version=__version__)


RENDERERS: dict[str, Callable[[DriftResult], str]] = {
    "text": render_drift_text,
    "json": _json,
    "markdown": render_drift_markdown,
}


@click.command("drift")
@manifest_paths
@config_option
@click.option(
    "--connection",
    "connections",
    multiple=True,
    metavar="NAME",
    help="Check only this connection (repeatable): split a large estate into parallel jobs.",
)
@output_option("text", "json", "markdown")
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when there is drift (changed_outside, deleted_outside, pending, and the --fail-on "
    "classes), 0 when there is none.",
)
@click.option(
    "--fail-on",
    default="",
    metavar="CLASSES",
    help=f"Also count these classes as drift, comma-separated: {', '.join(DRIFT_CLASSES[3:])}.",
)
@click.option(
    "--notify",
    metavar="URL",
    envvar="SYNCFORM_DRIFT_WEBHOOK",
    help="POST the JSON report (with a Slack-compatible `text`) to this webhook; exit 6 when it "
    "cannot be delivered. The URL is a secret: never shown (env SYNCFORM_DRIFT_WEBHOOK).",
)
@click.option(
    "--remediate",
    is_flag=True,
    help="Bring objects changed or deleted outside syncform back to their manifests "
    "(updates and creates only, never deletes), through apply's journal and lock.",
)
@parallelism_option
@click.option(
    "--stuck-after",
    default="1h",
    show_default=True,
    callback=duration,
    help="A Tines story still waiting to sync this long after the last apply is unhealthy.",
)
@click.option(
    "--lock-timeout",
    default="30s",
    show_default=True,
    callback=duration,
    help="With --remediate: how long to wait for another apply to release the state lock.",
)
def drift_command(
    *,
    paths: tuple[Path, ...],
    config_path: Path | None,
    connections: tuple[str, ...],
    output: str,
    detailed_exitcode: bool,
    fail_on: str,
    notify: str | None,
    remediate: bool,
    parallelism: int | None,
    stuck_after: float,
    lock_timeout: float,
) -> int:
    """Report drift: what changed outside syncform, what is merged but not applied, what was
    deleted outside, unmanaged objects and unhealthy ones.

    Sends only GET requests unless --remediate.
    """  # fmt: skip
    runtime = Runtime(os.environ)
    request = DriftRequest(
        Sources(paths, config_path),
        connections=connections,
        fail_on=_classes(fail_on),
        notify=notify or None,
        remediate=remediate,
        parallelism=parallelism,
        stuck_after=stuck_after,
        lock_timeout=lock_timeout,
    )
    result = drift(request, runtime)
    click.echo(RENDERERS[output](result), nl=False)  # masked value by value: no text scrub
    report_reads(result.counters)
    return _exit_code(result, detailed_exitcode)


def _classes(text: str) -> tuple[str, ...]:
    """`unmanaged,unhealthy` -> its names (the workflow refuses unknown ones)."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _exit_code(result: DriftResult, detailed: bool) -> int:
    """Remediation failures first (3 or 1), then delivery (6), then drift (2 when asked)."""
    remediation = result.remediation
    if remediation is not None and not remediation.succeeded:
        partial = remediation.applied and (remediation.failed or remediation.unconverged)
        return int(PartialApplyError.exit_code if partial else ApplyError.exit_code)
    if result.delivery_error is not None:
        raise DeliveryError(
            f"--notify: the drift report was not delivered: {result.delivery_error}"
        )
    if detailed and result.has_drift:
        return int(ExitCode.CHANGES)
    return int(ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (drift_command,)
