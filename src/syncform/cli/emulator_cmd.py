"""`syncform emulator serve`: the Tines, Truto and Polytomic emulator over local HTTP."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click

from syncform.core.errors import UsageError
from syncform.emulator import EmulatorApp, GlobalFaults, load_seed, make_server
from syncform.emulator.persistence import PersistentEmulator, open_persistent_emulator

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.group("emulator")
def emulator_group() -> None:
    """Run the built-in emulator of the Tines, Truto and Polytomic APIs."""


@emulator_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=0, show_default=True, help="Port (0 picks a free one).")
@click.option(
    "--seed",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Seed YAML (default: a small built-in seed).",
)
@click.option(
    "--data",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="JSON data file: loaded if it exists, kept up to date while serving.",
)
@click.option("--latency-ms", type=click.IntRange(min=0), default=None, help="Added latency.")
@click.option("--jitter-ms", type=click.IntRange(min=0), default=None, help="Random extra latency.")
@click.option(
    "--error-rate",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Fraction of vendor requests answered with 503.",
)
@click.option(
    "--tines-sync-delay",
    type=click.FloatRange(min=0.0),
    default=None,
    metavar="SECONDS",
    help="Delay before Tines story syncs and cleanups take effect (default: the seed's, or 0).",
)
def serve_command(  # noqa: PLR0917 - one parameter per click option
    host: str,
    port: int,
    seed: Path | None,
    data: Path | None,
    latency_ms: int | None,
    jitter_ms: int | None,
    error_rate: float | None,
    tines_sync_delay: float | None,
) -> int:
    """Serve the emulator until interrupted; prints its base URL on stdout first.

    APIs: /tines/<tenant>/api/v1/..., /truto/..., /polytomic/api/..., control at /_emulator/.
    """
    if host not in LOOPBACK_HOSTS:
        click.echo(f"syncform: warning: the emulator listens on {host}, not loopback", err=True)
    persistent = _open(seed, data)
    app = persistent.app if persistent else EmulatorApp(load_seed(seed))
    _override_faults(app, latency_ms, jitter_ms, error_rate)
    if tines_sync_delay is not None:
        app.tines_sync_delay = tines_sync_delay
    server = make_server(app, host, port)
    if persistent is not None:
        server.on_idle = persistent.save_if_changed
    click.echo(server.base_url)
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        click.echo("syncform: emulator stopped", err=True)
    finally:
        server.server_close()
        if persistent is not None:
            persistent.save_if_changed()
    return 0


def _open(seed: Path | None, data: Path | None) -> PersistentEmulator | None:
    if data is None:
        return None
    if data.suffix != ".json":
        raise UsageError(f"--data must name a .json file, not {data}")
    return open_persistent_emulator(data.stem, seed, data.parent)


def _override_faults(
    app: EmulatorApp, latency_ms: int | None, jitter_ms: int | None, error_rate: float | None
) -> None:
    current = app.faults.global_faults
    app.faults.global_faults = GlobalFaults(
        latency_ms=current.latency_ms if latency_ms is None else latency_ms,
        jitter_ms=current.jitter_ms if jitter_ms is None else jitter_ms,
        error_rate=current.error_rate if error_rate is None else error_rate,
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


COMMANDS: tuple[click.Command, ...] = (emulator_group,)
