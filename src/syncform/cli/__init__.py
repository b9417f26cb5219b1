"""The syncform command line: the only place that prints and picks exit codes."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

from syncform import __version__
from syncform.cli.errors import run_reporting_errors

# Each command's module, imported only when the command runs (or help lists it): a command
# then loads what it uses, not every other command's workflows (the emulator among them).
COMMAND_MODULES = {
    "validate": "validate_cmd",
    "check": "check_cmd",
    "apply": "apply_cmd",
    "plan": "plan_cmd",
    "drift": "drift_cmd",
    "refresh": "refresh_cmd",
    "state": "state_cmd",
    "import": "state_cmd",
    "export": "export_cmd",
    "schema": "schema_cmd",
    "emulator": "emulator_cmd",
}


class LazyCommands(click.Group):
    """A group whose commands are imported from `COMMAND_MODULES` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"syncform.cli.{module_name}")
        commands: tuple[click.Command, ...] = module.COMMANDS
        return next(command for command in commands if command.name == cmd_name)


@click.group(cls=LazyCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncform")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def cli(debug: bool) -> None:
    """Declarative GitOps reconciler for Tines, Truto and Polytomic sync pipelines."""


# A command builds large trees of plain data (manifests, API bodies) and almost no cycles; with
# the default first threshold (700 allocations) the collector walks every live object again and
# again, which cost loading 10,000 manifests 9.5 s of CPU instead of 5.3 s.
COLLECTOR_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The cyclic collector runs less often for the command, as before after it."""
    before = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    with fewer_collections():
        return run_reporting_errors(
            lambda: cli.main(args=args, prog_name="syncform", standalone_mode=False), debug
        )
