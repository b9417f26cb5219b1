"""The one place that turns exceptions into messages and exit codes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

import click

from syncform.core.errors import ExitCode, SyncformError, ValidationFailed
from syncform.output.findings import render_findings_text


def run_reporting_errors(invoke: Callable[[], object], debug: bool) -> int:
    """Run the click command; map every outcome to an exit code."""
    try:
        result = invoke()
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("syncform: aborted", err=True)
        return int(ExitCode.ERROR)
    except click.UsageError as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except ValidationFailed as exc:
        click.echo(render_findings_text(exc.findings, exc.files, exc.resources), nl=False, err=True)
        return int(exc.exit_code)
    except SyncformError as exc:
        click.echo(f"syncform: error: {exc.message}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("syncform: interrupted", err=True)
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc(file=sys.stderr)
        click.echo(
            f"syncform: internal error (a bug, please report it): {type(exc).__name__}: {exc}"
            + ("" if debug else "  (run with --debug for the traceback)"),
            err=True,
        )
        return int(ExitCode.ERROR)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)
