"""`syncform refresh`: read the live object behind every manifest, read-only, and show it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from syncform.cli.options import config_option, manifest_paths, output_option, resolve_paths
from syncform.config import find_config_path
from syncform.errors import ConfigError, ExitCode, ValidationFailed
from syncform.http import RequestCounters, Scrubber
from syncform.output.findings import render_findings_text
from syncform.reading import ReadReport, ReadResult
from syncform.reading.refresh import refresh
from syncform.validation import validate_paths

REFRESH_FORMAT_VERSION = "1.0"


@click.command("refresh")
@manifest_paths
@config_option
@output_option("text", "json")
@click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=None,
    help="How many API reads run at once (default: syncform.yaml defaults.parallelism, or 10).",
)
def refresh_command(
    paths: tuple[Path, ...], config_path: Path | None, output: str, parallelism: int | None
) -> int:
    """Read the live object behind each manifest and show it, normalised (read-only).

    For each address: whether the live object was found, by what (its id in state or its
    natural key), its remote id and its normalised spec. Sends only GET requests.
    """
    chosen = resolve_paths(paths)
    config_file = find_config_path(chosen, config_path, os.environ)
    if config_file is None:
        raise ConfigError("no syncform.yaml found: refresh needs connections (give --config)")
    report = validate_paths(chosen, config_file)
    if report.errors:
        text = render_findings_text(
            report.errors, len(report.manifests.files), len(report.resources)
        )
        click.echo(text, nl=False, err=True)
        raise ValidationFailed(len(report.errors))
    scrubber = Scrubber()
    result = refresh(
        report.config,
        report.resources,
        environ=os.environ,
        parallelism=parallelism,
        scrubber=scrubber,
    )
    rendered = render_json(result) if output == "json" else render_text(result)
    click.echo(scrubber.scrub(rendered), nl=False)
    return int(ExitCode.OK)


def result_record(result: ReadResult) -> dict[str, Any]:
    live = result.live
    return {
        "address": str(result.address),
        "connection": result.desired.connection,
        "found": live is not None,
        "found_by": live.found_by if live else None,
        "searched_by": result.searched_by,
        "remote_id": live.remote_id if live else None,
        "version": live.version if live else None,
        "health": list(live.health) if live else [],
        "spec": live.spec if live else None,
    }


def counters_record(counters: RequestCounters) -> dict[str, Any]:
    return {
        "sent": counters.requests_sent,
        "retries": counters.retries,
        "by_method": dict(sorted(counters.by_method.items())),
        "rate_limit_wait_seconds": round(counters.rate_limit_wait_seconds, 3),
        "retry_wait_seconds": round(counters.retry_wait_seconds, 3),
    }


def render_json(report: ReadReport) -> str:
    document = {
        "format_version": REFRESH_FORMAT_VERSION,
        "resources": [result_record(result) for result in report.results],
        "requests": counters_record(report.counters),
    }
    return json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"


def render_text(report: ReadReport) -> str:
    lines: list[str] = []
    for result in report.results:
        lines.extend(_text_lines(result))
    found = sum(1 for result in report.results if result.live is not None)
    counters = report.counters
    lines.append(
        f"{len(report.results)} resource(s): {found} found, {len(report.results) - found} not "
        f"found; {counters.requests_sent} request(s), {counters.retries} retried"
    )
    return "\n".join(lines) + "\n"


def _text_lines(result: ReadResult) -> list[str]:
    head = f"{result.address} ({result.desired.connection})"
    live = result.live
    if live is None:
        return [f"{head}: not found (searched by {result.searched_by.replace('_', ' ')})"]
    lines = [f"{head}: found by {live.found_by.replace('_', ' ')}, id {live.remote_id}"]
    lines.extend(f"  health: {note}" for note in live.health)
    spec = json.dumps(live.spec, indent=2, sort_keys=True, default=str)
    lines.extend("  " + line for line in spec.splitlines())
    return lines


COMMANDS: tuple[click.Command, ...] = (refresh_command,)
