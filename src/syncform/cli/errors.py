"""The one place that turns exceptions into messages and exit codes."""

from __future__ import annotations

import contextlib
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
    except SystemExit as exc:  # click exits 1, quietly, when stdout is a closed pipe (EPIPE)
        return exc.code if isinstance(exc.code, int) else int(ExitCode.ERROR)
    except OSError as exc:  # an output that cannot be written: stdout full, a broken pipe
        return _output_failed(exc)
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


def _output_failed(exc: OSError) -> int:
    """Exit 1: quietly when the reader has gone (a broken pipe), else with one line on stderr.

    An error with no file name is a failed write to stdout or stderr (`> /dev/full`, a full disk).
    """
    if isinstance(exc, BrokenPipeError):
        return int(ExitCode.ERROR)
    what = f"cannot use {exc.filename}" if exc.filename else "cannot write the output"
    with contextlib.suppress(OSError):  # stderr may be just as full
        click.echo(f"syncform: error: {what}: {exc.strerror or exc}", err=True)
    return int(ExitCode.ERROR)
