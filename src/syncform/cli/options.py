"""Options shared by several commands."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from syncform.http import RequestCounters
from syncform.manifests.config import CONFIG_ENV_VAR, DEFAULT_PARALLELISM

F = TypeVar("F", bound=Callable[..., Any])
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """Callback of a duration option: `90s`, `30m`, `24h`, `2d` (or plain seconds) in seconds."""
    if value is None:
        return None
    match = _DURATION.match(value.strip())
    if match is None:
        raise click.BadParameter("a duration like 90s, 30m, 24h or 2d", ctx, param)
    return float(match.group(1)) * _SECONDS[match.group(2)]


def manifest_paths(func: F) -> F:
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=False))(func)


def folder_exists(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Callback of an option naming a file to write: its folder must exist, checked before the
    command reads or sends anything (a usage error naming the path)."""
    if value is None or value.parent.is_dir():
        return value
    folder = str(value.parent)
    problem = f"{folder} is not a folder" if value.parent.exists() else f"no folder {folder}"
    raise click.BadParameter(f"cannot write {value}: {problem}.")


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        envvar=CONFIG_ENV_VAR,
        help=(
            "syncform.yaml to use (default: the one at the root of the first path; "
            "env SYNCFORM_CONFIG)."
        ),
    )(func)


def output_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--output",
            "-o",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def parallelism_option(func: F) -> F:
    return click.option(
        "--parallelism",
        type=click.IntRange(1, 64),
        default=None,
        help=(
            "How many API requests run at once (default: syncform.yaml defaults.parallelism, "
            f"else {DEFAULT_PARALLELISM})."
        ),
    )(func)


def report_reads(counters: RequestCounters) -> None:
    """One stderr line on what reading live state cost."""
    click.echo(
        f"Read live state with {counters.requests_sent} request(s), {counters.retries} "
        f"retried, {counters.rate_limit_wait_seconds:.1f}s waiting on rate limits.",
        err=True,
    )
