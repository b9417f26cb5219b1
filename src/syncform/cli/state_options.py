"""The options of the commands that read or edit state by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from syncform.cli.options import config_option

F = TypeVar("F", bound=Callable[..., Any])


def state_option(function: F) -> F:
    return click.option(
        "--state",
        "state_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        envvar="SYNCFORM_STATE",
        help=(
            "SQLite state file (env SYNCFORM_STATE); default: syncform.yaml's state setting "
            "(SQLite or PostgreSQL), else .syncform/state.db."
        ),
    )(config_option(function))


def lock_timeout_option(function: F) -> F:
    return click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=30.0,
        show_default=True,
        help="Seconds to wait for another writer to release the state lock.",
    )(function)
